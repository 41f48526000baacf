// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title MiniTimelock
/// @notice Test fixture mirroring OpenZeppelin TimelockController's
/// getMinDelay() / updateDelay(uint256) / MinDelayChange. Original code.
///
/// TEST SIMPLIFICATIONS (not TimelockController behaviour):
///   - there are no roles and no schedule/execute queue: a single `admin`
///     (set in the constructor) may call updateDelay directly and may make
///     the timelock call any contract at once with execute(target, data).
///     The real updateDelay is only callable by the timelock itself (i.e.
///     through a scheduled operation that waited getMinDelay()); a self-call
///     through execute() is accepted here too.
///   - execute(address,bytes) is not the real execute(address,uint256,bytes,
///     bytes32,bytes32) (different selector); it sends no value.
contract MiniTimelock {
    uint256 private _minDelay;
    address public admin;

    event MinDelayChange(uint256 oldDuration, uint256 newDuration);
    event Executed(address indexed target, bytes data);

    constructor(uint256 minDelay, address admin_) {
        _minDelay = minDelay;
        admin = admin_;
        emit MinDelayChange(0, minDelay);
    }

    receive() external payable {}

    modifier onlyAdminOrSelf() {
        require(msg.sender == admin || msg.sender == address(this), "MiniTimelock: caller is not admin");
        _;
    }

    /// @notice Minimum delay, in seconds, of an operation.
    function getMinDelay() external view returns (uint256) {
        return _minDelay;
    }

    function updateDelay(uint256 newDelay) external onlyAdminOrSelf {
        emit MinDelayChange(_minDelay, newDelay);
        _minDelay = newDelay;
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
