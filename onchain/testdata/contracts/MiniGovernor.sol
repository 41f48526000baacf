// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title MiniGovernor
/// @notice Test fixture mirroring the read interface of an OpenZeppelin
/// Governor built from GovernorSettings + GovernorVotes +
/// GovernorTimelockControl: name(), version(), votingDelay(),
/// votingPeriod(), proposalThreshold(), quorum(uint256), timelock(),
/// token(), clock(), CLOCK_MODE(), COUNTING_MODE(). Original code.
///
/// Matches the real Governor:
///   - settings can only be changed by the executor, which is the timelock
///     (or the governor itself if timelock is the zero address), with the
///     OpenZeppelin v4.x GovernorSettings selectors setVotingDelay(uint256),
///     setVotingPeriod(uint256), setProposalThreshold(uint256), and
///     updateTimelock(address); they emit the real events;
///   - votingPeriod must be > 0;
///   - quorum(timepoint) reverts with ERC5805FutureLookup(timepoint, clock)
///     unless timepoint < block.number, as a real GovernorVotes* quorum does
///     (it asks the token for a past total supply). Call quorum(n - 1) at
///     block n.
///
/// TEST SIMPLIFICATIONS (not Governor behaviour):
///   - quorum is an absolute number set in the constructor (and changeable
///     with setQuorum(uint256), executor only), kept per block so past
///     timepoints answer their old value (the constructor value also
///     answers for every block before deployment); it is not a fraction of
///     supply;
///   - `token` is any address (it is not read); there is no proposal,
///     voting or queueing logic at all.
contract MiniGovernor {
    struct QuorumCheckpoint {
        uint256 fromBlock;
        uint256 value;
    }

    address private _token;
    address private _timelock;
    uint256 private _votingDelay;
    uint256 private _votingPeriod;
    uint256 private _proposalThreshold;
    QuorumCheckpoint[] private _quorum;

    error ERC5805FutureLookup(uint256 timepoint, uint48 clock);

    event VotingDelaySet(uint256 oldVotingDelay, uint256 newVotingDelay);
    event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod);
    event ProposalThresholdSet(uint256 oldProposalThreshold, uint256 newProposalThreshold);
    event TimelockChange(address oldTimelock, address newTimelock);
    event QuorumSet(uint256 oldQuorum, uint256 newQuorum);

    /// @param token_ the votes token (any address; returned by token())
    /// @param timelock_ the executor (returned by timelock()); may be 0x0
    /// @param votingDelay_ in blocks
    /// @param votingPeriod_ in blocks, > 0
    /// @param proposalThreshold_ in token units
    /// @param quorumValue absolute quorum in token units
    constructor(
        address token_,
        address timelock_,
        uint256 votingDelay_,
        uint256 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumValue
    ) {
        _token = token_;
        _setVotingDelay(votingDelay_);
        _setVotingPeriod(votingPeriod_);
        _setProposalThreshold(proposalThreshold_);
        _updateTimelock(timelock_);
        _setQuorum(quorumValue);
    }

    modifier onlyGovernance() {
        require(msg.sender == _executor(), "Governor: onlyGovernance");
        _;
    }

    function name() external pure returns (string memory) {
        return "MiniGovernor";
    }

    function version() external pure returns (string memory) {
        return "1";
    }

    // solhint-disable-next-line func-name-mixedcase
    function COUNTING_MODE() external pure returns (string memory) {
        return "support=bravo&quorum=for,abstain";
    }

    function clock() public view returns (uint48) {
        return uint48(block.number);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=blocknumber&from=default";
    }

    function votingDelay() external view returns (uint256) {
        return _votingDelay;
    }

    function votingPeriod() external view returns (uint256) {
        return _votingPeriod;
    }

    function proposalThreshold() external view returns (uint256) {
        return _proposalThreshold;
    }

    /// @notice Quorum at a past block; reverts for the current or a future
    /// block like a real GovernorVotes-based governor.
    function quorum(uint256 blockNumber) external view returns (uint256) {
        uint48 now_ = clock();
        if (blockNumber >= now_) revert ERC5805FutureLookup(blockNumber, now_);
        for (uint256 i = _quorum.length; i > 0; i--) {
            QuorumCheckpoint storage c = _quorum[i - 1];
            if (c.fromBlock <= blockNumber) return c.value;
        }
        return _quorum[0].value;
    }

    function timelock() external view returns (address) {
        return _timelock;
    }

    function token() external view returns (address) {
        return _token;
    }

    function setVotingDelay(uint256 newVotingDelay) external onlyGovernance {
        _setVotingDelay(newVotingDelay);
    }

    function setVotingPeriod(uint256 newVotingPeriod) external onlyGovernance {
        _setVotingPeriod(newVotingPeriod);
    }

    function setProposalThreshold(uint256 newProposalThreshold) external onlyGovernance {
        _setProposalThreshold(newProposalThreshold);
    }

    function updateTimelock(address newTimelock) external onlyGovernance {
        _updateTimelock(newTimelock);
    }

    /// @notice Test helper (not a Governor function): sets the absolute quorum
    /// from this block on.
    function setQuorum(uint256 newQuorum) external onlyGovernance {
        _setQuorum(newQuorum);
    }

    function _executor() private view returns (address) {
        return _timelock == address(0) ? address(this) : _timelock;
    }

    function _setVotingDelay(uint256 v) private {
        emit VotingDelaySet(_votingDelay, v);
        _votingDelay = v;
    }

    function _setVotingPeriod(uint256 v) private {
        require(v > 0, "GovernorSettings: voting period too low");
        emit VotingPeriodSet(_votingPeriod, v);
        _votingPeriod = v;
    }

    function _setProposalThreshold(uint256 v) private {
        emit ProposalThresholdSet(_proposalThreshold, v);
        _proposalThreshold = v;
    }

    function _updateTimelock(address t) private {
        emit TimelockChange(_timelock, t);
        _timelock = t;
    }

    function _setQuorum(uint256 v) private {
        uint256 n = _quorum.length;
        uint256 old = n == 0 ? 0 : _quorum[n - 1].value;
        if (n > 0 && _quorum[n - 1].fromBlock == block.number) {
            _quorum[n - 1].value = v;
        } else {
            _quorum.push(QuorumCheckpoint({fromBlock: block.number, value: v}));
        }
        emit QuorumSet(old, v);
    }
}
