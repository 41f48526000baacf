// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title Beacon
/// @notice Test fixture mirroring OpenZeppelin UpgradeableBeacon:
/// implementation() and an owner-only upgradeTo(address) emitting
/// Upgraded(address indexed). Original code.
contract Beacon {
    address private _implementation;
    address private _owner;

    event Upgraded(address indexed implementation);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @param implementation_ the logic contract (must have code)
    /// @param initialOwner who may upgrade (as in OZ 5.x; OZ 4.x used msg.sender)
    constructor(address implementation_, address initialOwner) {
        require(initialOwner != address(0), "Beacon: owner is the zero address");
        _setImplementation(implementation_);
        _transferOwnership(initialOwner);
    }

    modifier onlyOwner() {
        require(msg.sender == _owner, "Ownable: caller is not the owner");
        _;
    }

    function implementation() external view returns (address) {
        return _implementation;
    }

    function upgradeTo(address newImplementation) external onlyOwner {
        _setImplementation(newImplementation);
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

    function _setImplementation(address newImplementation) private {
        require(newImplementation.code.length > 0, "UpgradeableBeacon: implementation is not a contract");
        _implementation = newImplementation;
        emit Upgraded(newImplementation);
    }

    function _transferOwnership(address newOwner) private {
        address previous = _owner;
        _owner = newOwner;
        emit OwnershipTransferred(previous, newOwner);
    }
}
