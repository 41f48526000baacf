// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {ImplV1} from "./ImplV1.sol";

/// @title ImplV2
/// @notice Test fixture: the upgrade target for ImplV1. Same storage
/// layout and functions; version() returns 2.
contract ImplV2 is ImplV1 {
    function version() external pure override returns (uint256) {
        return 2;
    }
}
