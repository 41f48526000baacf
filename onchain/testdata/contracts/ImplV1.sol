// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title ImplV1
/// @notice Test fixture: a trivial logic contract for Proxy1967 and
/// BeaconProxy1967. Its state lives in the proxy's storage: initialize the
/// proxy once with initialize(owner) (normally through the proxy's
/// constructor initData), then owner() through the proxy answers it.
/// version() is 1; ImplV2 keeps the same storage layout and returns 2.
contract ImplV1 {
    // Storage layout shared by ImplV1 and ImplV2; do not reorder.
    address internal _owner; // slot 0
    bool internal _initialized; // slot 0 (packed)
    uint256 internal _value; // slot 1

    event Initialized(uint64 version);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event ValueChanged(uint256 value);

    function initialize(address owner_) external {
        require(!_initialized, "Initializable: contract is already initialized");
        _initialized = true;
        _setOwner(owner_);
        emit Initialized(1);
    }

    modifier onlyOwner() {
        require(msg.sender == _owner, "Ownable: caller is not the owner");
        _;
    }

    function version() external pure virtual returns (uint256) {
        return 1;
    }

    function owner() external view returns (address) {
        return _owner;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "Ownable: new owner is the zero address");
        _setOwner(newOwner);
    }

    function renounceOwnership() external onlyOwner {
        _setOwner(address(0));
    }

    function value() external view returns (uint256) {
        return _value;
    }

    function setValue(uint256 v) external onlyOwner {
        _value = v;
        emit ValueChanged(v);
    }

    function _setOwner(address newOwner) internal {
        address previous = _owner;
        _owner = newOwner;
        emit OwnershipTransferred(previous, newOwner);
    }
}
