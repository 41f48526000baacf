// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title Multicall3
/// @notice Test fixture implementing a subset of the Multicall3 interface
/// (github.com/mds1/multicall) with the same selectors and ABI:
///   aggregate3((address,bool,bytes)[])      0x82ad56cb
///   aggregate((address,bytes)[])            0x252dba42
///   getBlockNumber()                        0x42cbb15c
///   getBlockHash(uint256)                   0xee82ac5e
///   getCurrentBlockTimestamp()              0x0f28c97d
///   getChainId()                            0x3408e470
///   getEthBalance(address)                  0x4d2301cc
/// Original code. As in the real one, aggregate3/aggregate are payable
/// (any value stays in this contract; calls are made with no value). A
/// failing call whose
/// allowFailure is false reverts the whole batch with
/// "Multicall3: call failed", as in the real contract.
///
/// Deployed in tests at whatever address the deployer gets, not at the
/// canonical 0xcA11bde05977b3631167028862bE2a173976CA11 (build/Multicall3.bin-runtime
/// can be put there through a genesis alloc).
contract Multicall3 {
    struct Call {
        address target;
        bytes callData;
    }

    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        uint256 n = calls.length;
        returnData = new Result[](n);
        for (uint256 i = 0; i < n; i++) {
            Call3 calldata c = calls[i];
            (bool ok, bytes memory ret) = c.target.call(c.callData);
            require(ok || c.allowFailure, "Multicall3: call failed");
            returnData[i] = Result({success: ok, returnData: ret});
        }
    }

    function aggregate(Call[] calldata calls) external payable returns (uint256 blockNumber, bytes[] memory returnData) {
        blockNumber = block.number;
        uint256 n = calls.length;
        returnData = new bytes[](n);
        for (uint256 i = 0; i < n; i++) {
            (bool ok, bytes memory ret) = calls[i].target.call(calls[i].callData);
            require(ok, "Multicall3: call failed");
            returnData[i] = ret;
        }
    }

    function getBlockNumber() external view returns (uint256 blockNumber) {
        blockNumber = block.number;
    }

    function getBlockHash(uint256 blockNumber) external view returns (bytes32 blockHash) {
        blockHash = blockhash(blockNumber);
    }

    function getCurrentBlockTimestamp() external view returns (uint256 timestamp) {
        timestamp = block.timestamp;
    }

    function getChainId() external view returns (uint256 chainid) {
        chainid = block.chainid;
    }

    function getEthBalance(address addr) external view returns (uint256 balance) {
        balance = addr.balance;
    }
}
