// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title CompoundTimelock
/// @notice Test fixture mirroring the read interface of Compound's
/// Timelock (delay(), admin(), pendingAdmin(), GRACE_PERIOD(),
/// MINIMUM_DELAY(), MAXIMUM_DELAY()) and its setDelay / setPendingAdmin /
/// acceptAdmin state changes and events. Original code.
///
/// TEST SIMPLIFICATIONS (not Compound behaviour):
///   - setDelay and setPendingAdmin may be called directly by `admin` (the
///     real ones only accept a self-call from a queued transaction);
///   - MINIMUM_DELAY (2 days) is NOT enforced, so tests can use short or
///     zero delays; MAXIMUM_DELAY (30 days) is;
///   - there is no queue: execute(target, data) lets `admin` make the
///     timelock call any contract at once (not a Compound function).
contract CompoundTimelock {
    uint256 public constant GRACE_PERIOD = 14 days;
    uint256 public constant MINIMUM_DELAY = 2 days;
    uint256 public constant MAXIMUM_DELAY = 30 days;

    address public admin;
    address public pendingAdmin;
    uint256 public delay;

    event NewAdmin(address indexed newAdmin);
    event NewPendingAdmin(address indexed newPendingAdmin);
    event NewDelay(uint256 indexed newDelay);
    event Executed(address indexed target, bytes data);

    /// @param admin_ the admin (in Compound, the GovernorBravo)
    /// @param delay_ seconds, at most MAXIMUM_DELAY
    constructor(address admin_, uint256 delay_) {
        require(delay_ <= MAXIMUM_DELAY, "Timelock::constructor: Delay must not exceed maximum delay.");
        admin = admin_;
        delay = delay_;
    }

    receive() external payable {}

    modifier onlyAdminOrSelf() {
        require(msg.sender == admin || msg.sender == address(this), "Timelock: Call must come from admin.");
        _;
    }

    function setDelay(uint256 delay_) external onlyAdminOrSelf {
        require(delay_ <= MAXIMUM_DELAY, "Timelock::setDelay: Delay must not exceed maximum delay.");
        delay = delay_;
        emit NewDelay(delay_);
    }

    function setPendingAdmin(address pendingAdmin_) external onlyAdminOrSelf {
        pendingAdmin = pendingAdmin_;
        emit NewPendingAdmin(pendingAdmin_);
    }

    function acceptAdmin() external {
        require(msg.sender == pendingAdmin, "Timelock::acceptAdmin: Call must come from pendingAdmin.");
        admin = msg.sender;
        pendingAdmin = address(0);
        emit NewAdmin(admin);
    }

    /// @notice Makes the timelock call `target` with `data` immediately;
    /// the callee's revert is bubbled up.
    function execute(address target, bytes calldata data) external onlyAdminOrSelf returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        emit Executed(target, data);
        return ret;
    }
}
