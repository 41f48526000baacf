// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title ManagedVault
/// @notice Test fixture in the style of OpenZeppelin 5's AccessManaged: its
/// privileged functions are allowed by an AccessManager, named by
/// authority(). Original code.
///
/// TEST SIMPLIFICATION: setAuthority may be called by the current
/// authority's address directly (the real one asks the manager canCall).
contract ManagedVault {
    address private _authority;

    event AuthorityUpdated(address authority);

    constructor(address initialAuthority) {
        _authority = initialAuthority;
        emit AuthorityUpdated(initialAuthority);
    }

    function authority() external view returns (address) {
        return _authority;
    }

    function setAuthority(address newAuthority) external {
        require(msg.sender == _authority, "ManagedVault: caller is not the authority");
        _authority = newAuthority;
        emit AuthorityUpdated(newAuthority);
    }
}
