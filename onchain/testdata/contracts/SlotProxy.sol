// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title SlotProxy
/// @notice Test fixture: a delegating proxy that keeps its logic address
/// (and, optionally, its admin) at storage slots chosen at deployment, to
/// stand for the proxy patterns older than EIP-1967. Original code.
///
///  - EIP-1822 (UUPS before EIP-1967): implementation at keccak256("PROXIABLE"),
///    no admin slot (the logic contract authorises upgrades);
///  - ZeppelinOS / OpenZeppelin 2.x AdminUpgradeabilityProxy: implementation at
///    keccak256("org.zeppelinos.proxy.implementation"), admin at
///    keccak256("org.zeppelinos.proxy.admin").
///
/// upgradeTo(address) may be called by `controller` (fixed at deployment,
/// kept in code, so no storage slot of the logic contract is touched);
/// every other call is delegated to the implementation.
contract SlotProxy {
    bytes32 private immutable implSlot;
    address private immutable controller;

    /// @param implSlot_ where the implementation address is kept
    /// @param implementation_ the logic contract (must have code)
    /// @param adminSlot_ where the admin address is kept; bytes32(0) for none
    /// @param admin_ stored at adminSlot_ (ignored without one)
    /// @param controller_ who may call upgradeTo
    constructor(bytes32 implSlot_, address implementation_, bytes32 adminSlot_, address admin_, address controller_) {
        require(implementation_.code.length > 0, "implementation is not a contract");
        implSlot = implSlot_;
        controller = controller_;
        assembly {
            sstore(implSlot_, implementation_)
        }
        if (adminSlot_ != bytes32(0)) {
            assembly {
                sstore(adminSlot_, admin_)
            }
        }
    }

    function upgradeTo(address newImplementation) external {
        if (msg.sender != controller) {
            _delegate();
        }
        require(newImplementation.code.length > 0, "implementation is not a contract");
        bytes32 slot = implSlot;
        assembly {
            sstore(slot, newImplementation)
        }
    }

    fallback() external payable {
        _delegate();
    }

    receive() external payable {
        _delegate();
    }

    function _delegate() private {
        bytes32 slot = implSlot;
        assembly {
            let impl := sload(slot)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}
