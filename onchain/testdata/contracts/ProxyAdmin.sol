// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title ProxyAdmin
/// @notice Test fixture mirroring OpenZeppelin 4.x ProxyAdmin: an
/// Ownable contract that is the admin of Proxy1967 proxies and forwards
/// owner-only upgrades to them. Original code.
///
/// Difference from OZ 4.x: the constructor takes the initial owner (as in
/// OZ 5.x) instead of using msg.sender.
contract ProxyAdmin {
    address private _owner;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    constructor(address initialOwner) {
        require(initialOwner != address(0), "ProxyAdmin: owner is the zero address");
        _transferOwnership(initialOwner);
    }

    modifier onlyOwner() {
        require(msg.sender == _owner, "Ownable: caller is not the owner");
        _;
    }

    function owner() external view returns (address) {
        return _owner;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "Ownable: new owner is the zero address");
        _transferOwnership(newOwner);
    }

    function renounceOwnership() external onlyOwner {
        _transferOwnership(address(0));
    }

    /// @notice The proxy's implementation, asked as its admin.
    function getProxyImplementation(address proxy) external view returns (address) {
        return _askProxy(proxy, bytes4(keccak256("implementation()")));
    }

    /// @notice The proxy's admin, asked as its admin (so: this contract).
    function getProxyAdmin(address proxy) external view returns (address) {
        return _askProxy(proxy, bytes4(keccak256("admin()")));
    }

    function changeProxyAdmin(address proxy, address newAdmin) external onlyOwner {
        _callProxy(proxy, abi.encodeWithSignature("changeAdmin(address)", newAdmin), 0);
    }

    function upgrade(address proxy, address implementation) external onlyOwner {
        _callProxy(proxy, abi.encodeWithSignature("upgradeTo(address)", implementation), 0);
    }

    function upgradeAndCall(address proxy, address implementation, bytes calldata data) external payable onlyOwner {
        _callProxy(
            proxy, abi.encodeWithSignature("upgradeToAndCall(address,bytes)", implementation, data), msg.value
        );
    }

    function _askProxy(address proxy, bytes4 selector) private view returns (address) {
        (bool ok, bytes memory ret) = proxy.staticcall(abi.encodePacked(selector));
        require(ok && ret.length == 32, "ProxyAdmin: query failed");
        return abi.decode(ret, (address));
    }

    function _callProxy(address proxy, bytes memory data, uint256 value) private {
        (bool ok, bytes memory ret) = proxy.call{value: value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }

    function _transferOwnership(address newOwner) private {
        address previous = _owner;
        _owner = newOwner;
        emit OwnershipTransferred(previous, newOwner);
    }
}
