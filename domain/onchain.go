package domain

import "time"

// BlockRef identifies a block in a chain-neutral way: its number and hash.
type BlockRef struct {
	Chain  string // CAIP-2
	Number uint64
	Hash   string
	Time   time.Time
}

// Fact is one thing read on-chain about a watched contract at a block:
// a key such as "owner", "implementation" or "safe.threshold", and its
// value as text in the chain's own format.
type Fact struct {
	ContractID int64
	Key        string
	Value      string
}

// ChangeEvent is a fact that differs from the previous successful run.
type ChangeEvent struct {
	ContractID int64
	Key        string
	Old, New   string
	FromBlock  uint64
	ToBlock    uint64
	Severity   string // "high" or "low"
}
