package domain

import "time"

// BlockRef identifies a block in a chain-neutral way: its number and hash.
type BlockRef struct {
	Chain  string // CAIP-2
	Number uint64
	Hash   string
	Time   time.Time
}

// Fact is one thing read on-chain about a watched contract at a block: a
// key such as "owner", "implementation" or "safe.threshold", and its value
// as text in the chain's own format (addresses EIP-55 on EVM chains,
// integers in decimal). Facts about an address the contract points to are
// keyed "<address>.<key>", e.g. "0xAbC….is_contract".
type Fact struct {
	ContractID int64
	Key        string
	Value      string
}

// ContractError is a problem reading one contract in a run.
type ContractError struct {
	ContractID int64
	Message    string
}

// CheckRun is one re-check of a chain's watched contracts at one block.
// A failed run has an error and no facts.
type CheckRun struct {
	ID         int64
	Chain      string
	Block      BlockRef // zero when the run failed before it had a block
	StartedAt  time.Time
	FinishedAt time.Time
	OK         bool
	Error      string
	RoundTrips int
	Reader     int // version of the reader that made the run (onchain.ReaderVersion); 0 is taken as 1
	Contracts  int
}

// Grade is how much a change matters, as in L2BEAT's update monitor.
type Grade string

const (
	GradeHigh Grade = "high" // control moved or weakened: implementation, admin or owner changed, threshold lowered, delay shortened, signer removed
	GradeLow  Grade = "low"
)

// ChangeEvent is a fact that differs from the previous successful run.
type ChangeEvent struct {
	ID          int64
	ContractID  int64
	ProjectSlug string
	ProjectName string
	Chain       string
	Address     string
	Key         string
	Old, New    string // "" when the fact was absent
	OldBlock    uint64
	NewBlock    uint64
	Grade       Grade
	At          time.Time
}

// ContractFacts is a watched contract with what its latest successful
// check found.
type ContractFacts struct {
	Contract Contract
	Run      *CheckRun // nil when never checked successfully
	Facts    []Fact
	LastRun  *CheckRun // the latest run of any outcome, to show a failure after a success
	Errors   []string
}

// Suggestion is a level the on-chain scorers suggest for an axis from
// facts, with the rule that fired. It never replaces an assessed level.
type Suggestion struct {
	Axis   Axis
	Level  Level
	Rule   string // e.g. "upgrades.0: proxy admin is an externally owned account"
	Detail string // which contract and address
	Block  uint64
	Chain  string
}
