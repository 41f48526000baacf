// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title MiniSafe
/// @notice Test fixture mirroring the read interface and owner-management
/// functions of a Safe (Gnosis Safe) v1.4.1 multisig. Original code.
///
/// Matches the real Safe:
///   - getOwners() / getThreshold() / isOwner(address) / VERSION() ("1.4.1");
///   - owners kept in a sentinel-terminated linked list, so getOwners() order
///     is the real one: constructor order, and addOwnerWithThreshold puts the
///     new owner first;
///   - changeThreshold(uint256), addOwnerWithThreshold(address,uint256),
///     removeOwner(address prevOwner,address owner,uint256 threshold) with the
///     real selectors, the real prevOwner linked-list rule and the real
///     threshold rules (1 <= threshold <= owner count);
///   - AddedOwner / RemovedOwner / ChangedThreshold events.
///
/// TEST SIMPLIFICATIONS (not Safe behaviour):
///   - the owner-management functions may be called directly by ANY current
///     owner (or by the Safe itself, e.g. through exec); a real Safe only
///     accepts them as a self-call made by execTransaction with `threshold`
///     owner signatures;
///   - exec(to, value, data) lets any single owner make the Safe call another
///     contract, in place of execTransaction (no signatures, no nonce, no
///     guards or modules). The callee's revert is bubbled up.
///   - there is no proxy/singleton split: this contract is deployed directly.
contract MiniSafe {
    string public constant VERSION = "1.4.1";

    address internal constant SENTINEL_OWNERS = address(0x1);
    address internal constant SENTINEL_MODULES = address(0x1);

    mapping(address => address) internal owners;
    uint256 internal ownerCount;
    uint256 internal threshold;
    /// Safe modules: a linked list from SENTINEL_MODULES, as in Safe's
    /// ModuleManager. An enabled module may act without the signers.
    mapping(address => address) internal modules;

    event AddedOwner(address indexed owner);
    event RemovedOwner(address indexed owner);
    event ChangedThreshold(uint256 threshold);
    event Executed(address indexed to, uint256 value, bytes data);
    event EnabledModule(address indexed module);
    event DisabledModule(address indexed module);

    /// @param _owners initial owners, in the order getOwners() returns them
    /// @param _threshold 1 <= _threshold <= _owners.length
    constructor(address[] memory _owners, uint256 _threshold) {
        require(_threshold <= _owners.length, "MiniSafe: threshold exceeds owner count");
        require(_threshold >= 1, "MiniSafe: threshold must be at least 1");
        address current = SENTINEL_OWNERS;
        for (uint256 i = 0; i < _owners.length; i++) {
            address o = _owners[i];
            _checkNewOwner(o);
            require(o != current, "MiniSafe: duplicate owner");
            owners[current] = o;
            current = o;
        }
        owners[current] = SENTINEL_OWNERS;
        ownerCount = _owners.length;
        threshold = _threshold;
        modules[SENTINEL_MODULES] = SENTINEL_MODULES;
    }

    function enableModule(address module) public authorized {
        require(module != address(0) && module != SENTINEL_MODULES, "MiniSafe: invalid module");
        require(modules[module] == address(0), "MiniSafe: module already enabled");
        modules[module] = modules[SENTINEL_MODULES];
        modules[SENTINEL_MODULES] = module;
        emit EnabledModule(module);
    }

    function disableModule(address prevModule, address module) public authorized {
        require(module != address(0) && module != SENTINEL_MODULES, "MiniSafe: invalid module");
        require(modules[prevModule] == module, "MiniSafe: invalid prevModule, module pair");
        modules[prevModule] = modules[module];
        modules[module] = address(0);
        emit DisabledModule(module);
    }

    /// @notice As Safe's getModulesPaginated: up to pageSize modules after
    /// start (SENTINEL_MODULES for the first page), and where the next page
    /// starts (SENTINEL_MODULES when there is none).
    function getModulesPaginated(address start, uint256 pageSize) external view returns (address[] memory array, address next) {
        require(start == SENTINEL_MODULES || modules[start] != address(0), "MiniSafe: invalid start");
        require(pageSize > 0, "MiniSafe: invalid page size");
        array = new address[](pageSize);
        uint256 count = 0;
        next = modules[start];
        while (next != address(0) && next != SENTINEL_MODULES && count < pageSize) {
            array[count] = next;
            next = modules[next];
            count++;
        }
        if (next != SENTINEL_MODULES && count > 0) {
            next = array[count - 1];
        }
        assembly {
            mstore(array, count)
        }
    }

    receive() external payable {}

    /// @dev Test simplification: any owner, or the Safe itself.
    modifier authorized() {
        require(msg.sender == address(this) || isOwner(msg.sender), "MiniSafe: caller is not an owner");
        _;
    }

    function getOwners() public view returns (address[] memory array) {
        array = new address[](ownerCount);
        uint256 index = 0;
        address current = owners[SENTINEL_OWNERS];
        while (current != SENTINEL_OWNERS) {
            array[index] = current;
            current = owners[current];
            index++;
        }
    }

    function getThreshold() public view returns (uint256) {
        return threshold;
    }

    function isOwner(address owner) public view returns (bool) {
        return owner != SENTINEL_OWNERS && owners[owner] != address(0);
    }

    function addOwnerWithThreshold(address owner, uint256 _threshold) public authorized {
        _checkNewOwner(owner);
        owners[owner] = owners[SENTINEL_OWNERS];
        owners[SENTINEL_OWNERS] = owner;
        ownerCount++;
        emit AddedOwner(owner);
        if (threshold != _threshold) changeThreshold(_threshold);
    }

    /// @param prevOwner the owner that points to `owner` in the list
    ///        (the entry just before it in getOwners(), or 0x1 if `owner`
    ///        is first) — the same rule as the real Safe.
    function removeOwner(address prevOwner, address owner, uint256 _threshold) public authorized {
        require(ownerCount - 1 >= _threshold, "MiniSafe: threshold exceeds owner count");
        require(owner != address(0) && owner != SENTINEL_OWNERS, "MiniSafe: invalid owner");
        require(owners[prevOwner] == owner, "MiniSafe: invalid prevOwner, owner pair");
        owners[prevOwner] = owners[owner];
        owners[owner] = address(0);
        ownerCount--;
        emit RemovedOwner(owner);
        if (threshold != _threshold) changeThreshold(_threshold);
    }

    function changeThreshold(uint256 _threshold) public authorized {
        require(_threshold <= ownerCount, "MiniSafe: threshold exceeds owner count");
        require(_threshold >= 1, "MiniSafe: threshold must be at least 1");
        threshold = _threshold;
        emit ChangedThreshold(_threshold);
    }

    /// @notice Test simplification standing in for execTransaction: any
    /// single owner makes the Safe call `to` with `value` wei and `data`.
    function exec(address to, uint256 value, bytes calldata data) external authorized returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call{value: value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        emit Executed(to, value, data);
        return ret;
    }

    function _checkNewOwner(address owner) private view {
        require(
            owner != address(0) && owner != SENTINEL_OWNERS && owner != address(this),
            "MiniSafe: invalid owner address"
        );
        require(owners[owner] == address(0), "MiniSafe: address is already an owner");
    }
}
