// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title Proxy1967
/// @notice Test fixture: an EIP-1967 transparent upgradeable proxy in the
/// style of OpenZeppelin 4.x TransparentUpgradeableProxy. Original code.
///
///  - implementation at slot
///    0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc
///    (bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1));
///  - admin at slot
///    0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103
///    (bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1));
///  - emits Upgraded(address indexed) and AdminChanged(address,address);
///  - transparent rule: when the caller is the admin, upgradeTo /
///    upgradeToAndCall / changeAdmin / admin() / implementation() are
///    handled by the proxy and every other call reverts; when the caller is
///    anyone else, every call (those five selectors included) is delegated
///    to the implementation.
///
/// Read admin() and implementation() as the admin (or with
/// eth_getStorageAt on the slots above); other callers reach the
/// implementation instead.
contract Proxy1967 {
    bytes32 internal constant IMPLEMENTATION_SLOT =
        0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    bytes32 internal constant ADMIN_SLOT =
        0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    event Upgraded(address indexed implementation);
    event AdminChanged(address previousAdmin, address newAdmin);

    /// @param implementation_ the logic contract (must have code)
    /// @param admin_ the proxy admin (an EOA, a ProxyAdmin, a Safe...)
    /// @param initData if non-empty, delegatecalled on the implementation
    ///        (e.g. abi.encodeCall(ImplV1.initialize, (owner)))
    constructor(address implementation_, address admin_, bytes memory initData) payable {
        _upgradeToAndCall(implementation_, initData);
        _changeAdmin(admin_);
    }

    /// @dev Runs the function body only for the admin; delegates otherwise.
    modifier ifAdmin() {
        if (msg.sender == _getAdmin()) {
            _;
        } else {
            _delegate(_getImplementation());
        }
    }

    function admin() external ifAdmin returns (address admin_) {
        admin_ = _getAdmin();
    }

    function implementation() external ifAdmin returns (address implementation_) {
        implementation_ = _getImplementation();
    }

    function changeAdmin(address newAdmin) external ifAdmin {
        _changeAdmin(newAdmin);
    }

    function upgradeTo(address newImplementation) external ifAdmin {
        _upgradeToAndCall(newImplementation, "");
    }

    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable ifAdmin {
        _upgradeToAndCall(newImplementation, data);
    }

    fallback() external payable {
        _fallback();
    }

    receive() external payable {
        _fallback();
    }

    function _fallback() private {
        require(msg.sender != _getAdmin(), "TransparentUpgradeableProxy: admin cannot fallback to proxy target");
        _delegate(_getImplementation());
    }

    function _getImplementation() private view returns (address a) {
        bytes32 slot = IMPLEMENTATION_SLOT;
        assembly {
            a := sload(slot)
        }
    }

    function _getAdmin() private view returns (address a) {
        bytes32 slot = ADMIN_SLOT;
        assembly {
            a := sload(slot)
        }
    }

    function _changeAdmin(address newAdmin) private {
        require(newAdmin != address(0), "ERC1967: new admin is the zero address");
        emit AdminChanged(_getAdmin(), newAdmin);
        bytes32 slot = ADMIN_SLOT;
        assembly {
            sstore(slot, newAdmin)
        }
    }

    function _upgradeToAndCall(address newImplementation, bytes memory data) private {
        require(newImplementation.code.length > 0, "ERC1967: new implementation is not a contract");
        bytes32 slot = IMPLEMENTATION_SLOT;
        assembly {
            sstore(slot, newImplementation)
        }
        emit Upgraded(newImplementation);
        if (data.length > 0) {
            (bool ok, bytes memory ret) = newImplementation.delegatecall(data);
            if (!ok) {
                assembly {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
        }
    }

    /// @dev Forwards the call to `impl` and returns or reverts with its
    /// result; never returns to the caller.
    function _delegate(address impl) private {
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
