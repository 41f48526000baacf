// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title RolesUUPS
/// @notice Test fixture: a contract governed by roles in the style of
/// OpenZeppelin's AccessControl (optionally AccessControlEnumerable), which
/// keeps an EIP-1967 implementation slot and no admin slot, as a UUPS proxy
/// does: whoever holds DEFAULT_ADMIN_ROLE (bytes32(0)) can grant itself the
/// role that authorises upgrades. Original code; only the external
/// interface follows AccessControl and ERC-165.
///
///  - implementation at slot
///    0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
///  - supportsInterface(0x7965db0b) (IAccessControl) and 0x01ffc9a7 (ERC-165)
///    are true; 0x5a05180f (IAccessControlEnumerable) only when enumerable;
///  - getRoleMemberCount / getRoleMember revert when not enumerable;
///  - no owner().
contract RolesUUPS {
    bytes32 internal constant IMPLEMENTATION_SLOT =
        0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;

    bool public immutable enumerable;
    mapping(bytes32 => address[]) private _members;
    mapping(bytes32 => mapping(address => bool)) private _has;

    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

    /// @param implementation_ stored in the EIP-1967 implementation slot (must have code)
    /// @param admins the first holders of DEFAULT_ADMIN_ROLE
    /// @param enumerable_ whether the holders can be listed
    constructor(address implementation_, address[] memory admins, bool enumerable_) {
        require(implementation_.code.length > 0, "implementation is not a contract");
        bytes32 slot = IMPLEMENTATION_SLOT;
        assembly {
            sstore(slot, implementation_)
        }
        enumerable = enumerable_;
        for (uint256 i = 0; i < admins.length; i++) {
            _grant(DEFAULT_ADMIN_ROLE, admins[i]);
        }
    }

    function hasRole(bytes32 role, address account) public view returns (bool) {
        return _has[role][account];
    }

    function getRoleMemberCount(bytes32 role) external view returns (uint256) {
        require(enumerable, "not enumerable");
        return _members[role].length;
    }

    function getRoleMember(bytes32 role, uint256 index) external view returns (address) {
        require(enumerable, "not enumerable");
        return _members[role][index];
    }

    function supportsInterface(bytes4 id) external view returns (bool) {
        return id == 0x01ffc9a7 || id == 0x7965db0b || (enumerable && id == 0x5a05180f);
    }

    function grantRole(bytes32 role, address account) external {
        require(hasRole(DEFAULT_ADMIN_ROLE, msg.sender), "not an admin");
        _grant(role, account);
    }

    function revokeRole(bytes32 role, address account) external {
        require(hasRole(DEFAULT_ADMIN_ROLE, msg.sender), "not an admin");
        if (!_has[role][account]) return;
        _has[role][account] = false;
        address[] storage m = _members[role];
        for (uint256 i = 0; i < m.length; i++) {
            if (m[i] == account) {
                m[i] = m[m.length - 1];
                m.pop();
                break;
            }
        }
        emit RoleRevoked(role, account, msg.sender);
    }

    function _grant(bytes32 role, address account) private {
        if (_has[role][account]) return;
        _has[role][account] = true;
        _members[role].push(account);
        emit RoleGranted(role, account, msg.sender);
    }
}
