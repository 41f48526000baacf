// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title TwoStepOwned
/// @notice Test fixture: a contract administered in the style of
/// OpenZeppelin's Ownable2Step: transferOwnership only names a pending
/// owner, who must call acceptOwnership. Original code; only the external
/// interface follows Ownable2Step.
contract TwoStepOwned {
    address private _owner;
    address private _pendingOwner;

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    constructor(address initialOwner) {
        _owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
    }

    function owner() external view returns (address) {
        return _owner;
    }

    function pendingOwner() external view returns (address) {
        return _pendingOwner;
    }

    function transferOwnership(address newOwner) external {
        require(msg.sender == _owner, "not the owner");
        _pendingOwner = newOwner;
        emit OwnershipTransferStarted(_owner, newOwner);
    }

    function acceptOwnership() external {
        require(msg.sender == _pendingOwner, "not the pending owner");
        emit OwnershipTransferred(_owner, msg.sender);
        _owner = msg.sender;
        _pendingOwner = address(0);
    }
}
