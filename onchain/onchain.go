// Package onchain reads watched contracts on their chains and records what
// it finds as facts at a confirmed block (DESIGN.md §3). Each chain family
// (EVM first; Substrate and Cosmos SDK later) has a Reader behind the one
// interface below, so the store, the scorers and the pages stay
// chain-neutral: chains are CAIP-2 ids, addresses are strings in their
// chain's own format, blocks are (number, hash).
//
// evm.go is the EVM reader; recheck.go runs readers over the watched
// contracts and records runs, facts and change events through the store.
// onchain imports domain, scorers (to grade changes) and store; never
// handlers or web.
package onchain

import (
	"context"
	"strings"

	"github.com/deai-scorecard/scorecard/domain"
)

// Reader reads facts about contracts on one chain.
type Reader interface {
	// Chain is the CAIP-2 id this reader serves, e.g. "eip155:1".
	Chain() string
	// Read returns the facts of the given contracts, all at one confirmed
	// block. Per-contract failures (reverts, no code) are facts or
	// recorded errors, not a failed read.
	Read(ctx context.Context, contracts []domain.Contract) (domain.BlockRef, []domain.Fact, error)
}

// Namespace is the CAIP-2 namespace of a chain id: "eip155" for
// "eip155:1". A reader is chosen by namespace.
func Namespace(chain string) string {
	ns, _, _ := strings.Cut(chain, ":")
	return ns
}

// Checkable reports whether a contract can be read by an EVM reader: only
// eip155 rows; the others are kept as data for later readers.
func Checkable(c domain.Contract) bool { return Namespace(c.Chain) == "eip155" }

// ReaderVersion is recorded with every run. It goes up when the reader
// starts (or stops) reading some facts, so that a fact appearing or
// disappearing between runs of different readers is not taken for a
// change on the chain. 1: EIP-1967 slots, owners, Safes, timelocks,
// governors, AccessControl admins. 2: older proxy slots (proxy.slots),
// Compound-style admin(), UPGRADER_ROLE holders, AccessManager
// (authority, access_manager.*).
const ReaderVersion = 2
