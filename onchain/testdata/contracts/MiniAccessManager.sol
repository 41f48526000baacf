// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title MiniAccessManager
/// @notice Test fixture with the read interface and role events of
/// OpenZeppelin 5's AccessManager. Original code.
///
///  - ADMIN_ROLE() is 0 and PUBLIC_ROLE() is type(uint64).max;
///  - hasRole(roleId, account) returns (isMember, executionDelay);
///  - emits RoleGranted(uint64 indexed roleId, address indexed account,
///    uint32 delay, uint48 since, bool newMember) and
///    RoleRevoked(uint64 indexed roleId, address indexed account).
///
/// TEST SIMPLIFICATIONS (not OpenZeppelin behaviour): grants take effect at
/// once (no grant delay); only ADMIN_ROLE members may grant or revoke, and
/// their own execution delay is not enforced; there is no scheduling.
contract MiniAccessManager {
    uint64 public constant ADMIN_ROLE = type(uint64).min;
    uint64 public constant PUBLIC_ROLE = type(uint64).max;

    struct Access {
        bool member;
        uint32 delay;
    }

    mapping(uint64 => mapping(address => Access)) private _roles;

    event RoleGranted(uint64 indexed roleId, address indexed account, uint32 delay, uint48 since, bool newMember);
    event RoleRevoked(uint64 indexed roleId, address indexed account);

    constructor(address initialAdmin) {
        _grant(ADMIN_ROLE, initialAdmin, 0);
    }

    function hasRole(uint64 roleId, address account) external view returns (bool isMember, uint32 executionDelay) {
        Access memory a = _roles[roleId][account];
        return (a.member, a.delay);
    }

    function grantRole(uint64 roleId, address account, uint32 executionDelay) external {
        require(_roles[ADMIN_ROLE][msg.sender].member, "MiniAccessManager: caller is not an admin");
        _grant(roleId, account, executionDelay);
    }

    function revokeRole(uint64 roleId, address account) external {
        require(_roles[ADMIN_ROLE][msg.sender].member, "MiniAccessManager: caller is not an admin");
        require(_roles[roleId][account].member, "MiniAccessManager: not a member");
        delete _roles[roleId][account];
        emit RoleRevoked(roleId, account);
    }

    function _grant(uint64 roleId, address account, uint32 executionDelay) private {
        bool newMember = !_roles[roleId][account].member;
        _roles[roleId][account] = Access(true, executionDelay);
        emit RoleGranted(roleId, account, executionDelay, uint48(block.timestamp), newMember);
    }
}
