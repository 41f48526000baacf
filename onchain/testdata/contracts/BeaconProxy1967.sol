// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title BeaconProxy1967
/// @notice Test fixture: an EIP-1967 beacon proxy in the style of
/// OpenZeppelin BeaconProxy. Original code.
///
///  - beacon address at slot
///    0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50
///    (bytes32(uint256(keccak256("eip1967.proxy.beacon")) - 1));
///  - emits BeaconUpgraded(address indexed beacon);
///  - every call is delegated to beacon.implementation(), read per call;
///  - the implementation slot stays empty (as with a real beacon proxy).
/// The proxy has no admin functions; upgrades happen on the Beacon.
contract BeaconProxy1967 {
    bytes32 internal constant BEACON_SLOT = 0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50;

    event BeaconUpgraded(address indexed beacon);

    /// @param beacon_ a contract with implementation() (e.g. Beacon)
    /// @param data if non-empty, delegatecalled on the beacon's implementation
    constructor(address beacon_, bytes memory data) payable {
        require(beacon_.code.length > 0, "ERC1967: new beacon is not a contract");
        address impl = _implementationOf(beacon_);
        require(impl.code.length > 0, "ERC1967: beacon implementation is not a contract");
        bytes32 slot = BEACON_SLOT;
        assembly {
            sstore(slot, beacon_)
        }
        emit BeaconUpgraded(beacon_);
        if (data.length > 0) {
            (bool ok, bytes memory ret) = impl.delegatecall(data);
            if (!ok) {
                assembly {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
        }
    }

    fallback() external payable {
        _delegate();
    }

    receive() external payable {
        _delegate();
    }

    function _beacon() private view returns (address b) {
        bytes32 slot = BEACON_SLOT;
        assembly {
            b := sload(slot)
        }
    }

    function _implementationOf(address beacon_) private view returns (address) {
        (bool ok, bytes memory ret) = beacon_.staticcall(abi.encodeWithSignature("implementation()"));
        require(ok && ret.length == 32, "BeaconProxy: implementation() failed");
        return abi.decode(ret, (address));
    }

    function _delegate() private {
        address impl = _implementationOf(_beacon());
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}
