// Package domain holds the core types of DeAI Scorecard: projects, the seven
// axes, levels, evidence, assessments, scorecard versions, contracts and
// stages, plus application errors with codes.
//
// Every other package imports domain; domain imports nothing of ours and no
// infrastructure (no database, no HTTP, no chain client).
package domain

import (
	"fmt"
	"strings"
	"time"
)

// Axis is one of the seven questions a scorecard answers.
type Axis string

const (
	AxisTraining     Axis = "training"
	AxisInference    Axis = "inference"
	AxisData         Axis = "data"
	AxisUpgrades     Axis = "upgrades"
	AxisGovernance   Axis = "governance"
	AxisVerification Axis = "verification"
	AxisUsage        Axis = "usage"

	// AxisContext marks background evidence that supports no level. It is
	// not one of the seven axes and is never cited by an assessment.
	AxisContext Axis = "context"
)

// Axes lists the seven scored axes in display order.
var Axes = []Axis{AxisTraining, AxisInference, AxisData, AxisUpgrades, AxisGovernance, AxisVerification, AxisUsage}

// Valid reports whether a is one of the seven scored axes.
func (a Axis) Valid() bool {
	for _, x := range Axes {
		if a == x {
			return true
		}
	}
	return false
}

// ValidEvidenceAxis reports whether evidence may be filed under a: one of
// the seven axes, or context.
func (a Axis) ValidEvidenceAxis() bool { return a == AxisContext || a.Valid() }

// ParseAxis returns the axis named s, or an EINVALID error.
func ParseAxis(s string) (Axis, error) {
	if a := Axis(s); a.Valid() {
		return a, nil
	}
	return "", Errorf(EINVALID, "unknown axis %q", s)
}

// Level is an assessed level 0–4. Unknown is a separate state: use
// MaybeLevel where a level may be unknown.
type Level int

const (
	LevelCentralized    Level = 0
	LevelPermissioned   Level = 1
	LevelOpenTrusted    Level = 2
	LevelOpenEconomic   Level = 3
	LevelOpenVerifiable Level = 4
	MinLevel, MaxLevel        = LevelCentralized, LevelOpenVerifiable
	levelCount                = 5
)

var levelNames = [levelCount]string{"centralized", "permissioned", "open but trusted", "open and economically checked", "open and verifiable"}

// Name is the level's short label, e.g. "permissioned".
func (l Level) Name() string {
	if l < MinLevel || l > MaxLevel {
		return "invalid"
	}
	return levelNames[l]
}

// Valid reports whether l is within 0–4.
func (l Level) Valid() bool { return l >= MinLevel && l <= MaxLevel }

// MaybeLevel is a level or unknown. The zero value is unknown.
type MaybeLevel struct {
	Level Level
	Known bool
}

// Unknown is the unknown level.
var Unknown = MaybeLevel{}

// Known returns a known level.
func Known(l Level) MaybeLevel { return MaybeLevel{Level: l, Known: true} }

// LevelPtr converts a nullable integer (as stored or sent as JSON) to a MaybeLevel.
func LevelPtr(p *int) MaybeLevel {
	if p == nil {
		return Unknown
	}
	return Known(Level(*p))
}

// Ptr returns the level as a nullable integer: nil when unknown.
func (m MaybeLevel) Ptr() *int {
	if !m.Known {
		return nil
	}
	v := int(m.Level)
	return &v
}

// String is "2" or "unknown".
func (m MaybeLevel) String() string {
	if !m.Known {
		return "unknown"
	}
	return fmt.Sprint(int(m.Level))
}

// Label is "2 · open but trusted" or "unknown".
func (m MaybeLevel) Label() string {
	if !m.Known {
		return "unknown"
	}
	return fmt.Sprintf("%d · %s", m.Level, m.Level.Name())
}

// Project is a project the site measures.
type Project struct {
	ID      int64
	Slug    string
	Name    string
	Website string
	Summary string
	Chains  []string // free-text chain descriptions from the dataset
}

// SourceType says whose word an evidence item is.
type SourceType string

const (
	SourcePrimary        SourceType = "primary"          // the project's own docs, code, posts
	SourceSecondary      SourceType = "secondary"        // press, analysts, explorers, third-party docs
	SourceThirdPartyCode SourceType = "third-party-code" // code whose deployment or meaning is uncertain
	SourceOnchain        SourceType = "onchain"          // a fact read by the re-checker at a block
)

// Label is the human label shown beside evidence.
func (s SourceType) Label() string {
	switch s {
	case SourcePrimary:
		return "project's own (self-reported)"
	case SourceSecondary:
		return "third party"
	case SourceThirdPartyCode:
		return "third-party code"
	case SourceOnchain:
		return "on-chain"
	}
	return "contributed by the public"
}

// EvidenceKind is what sort of source an item is (DESIGN.md §4).
type EvidenceKind string

const (
	KindDoc     EvidenceKind = "doc"
	KindCode    EvidenceKind = "code"
	KindPaper   EvidenceKind = "paper"
	KindOnchain EvidenceKind = "onchain"
	KindData    EvidenceKind = "data"
	KindNews    EvidenceKind = "news"
)

// EvidenceStatus is the moderation state of an evidence item.
type EvidenceStatus string

const (
	StatusPending  EvidenceStatus = "pending"
	StatusAccepted EvidenceStatus = "accepted"
	StatusRejected EvidenceStatus = "rejected"
)

// Evidence is one cited source for a project and axis.
type Evidence struct {
	ID          int64
	ProjectID   int64
	Axis        Axis
	Kind        EvidenceKind // may be empty for seeded items
	SourceType  SourceType
	URL         string
	Title       string
	Quote       string
	Finding     string
	Submitter   string
	Status      EvidenceStatus
	Reviewer    string
	ReviewNote  string
	SourcedAsOf string // "2026-07": when the source was read
	SubmittedAt time.Time
	ReviewedAt  time.Time
	Signer      string // EIP-55 address whose EIP-191 signature over the submission was verified
	Signature   string
}

// Decision is a moderation decision on an evidence item.
type Decision string

const (
	DecisionSubmitted Decision = "submitted"
	DecisionAccepted  Decision = "accepted"
	DecisionRejected  Decision = "rejected"
)

// ModerationEntry is one line of the public moderation log.
type ModerationEntry struct {
	ID          int64
	EvidenceID  int64
	ProjectSlug string
	ProjectName string
	Axis        Axis
	Title       string
	Decision    Decision
	Actor       string
	Note        string
	Version     int // the scorecard version an acceptance created; 0 if none
	At          time.Time
}

// Role is what a signed-in user may do.
type Role string

const (
	RoleReviewer Role = "reviewer" // moderates evidence, sets levels
	RoleAdmin    Role = "admin"    // also manages projects and watched contracts
)

// User is a reviewer or admin.
type User struct {
	ID           int64
	Name         string
	Role         Role
	PasswordHash string
}

// Assessment is the level of one axis in one scorecard version, the
// criterion it meets, why, and the evidence it rests on.
type Assessment struct {
	Axis      Axis
	Level     MaybeLevel
	Criterion string // e.g. "upgrades.1"; empty when unknown
	Rationale string
	Evidence  []Evidence // cited items
	Other     []Evidence // accepted items of this axis the level does not cite
}

// ScorecardVersion is one append-only version of a project's assessment.
type ScorecardVersion struct {
	ID          int64
	ProjectID   int64
	Number      int
	Methodology string // methodology version it was assessed under
	AssessedBy  string
	AssessedAt  string // date the assessors give, e.g. 2026-11-25
	CreatedAt   time.Time
	Note        string
}

// MaxContractLabel is the longest label a watched contract may have (one
// line of characters).
const MaxContractLabel = 200

// Contract is a watched contract or account of a project.
type Contract struct {
	ID        int64
	ProjectID int64
	Chain     string // CAIP-2, e.g. eip155:1; empty when the source does not say
	Address   string // in the chain's own format
	Role      ContractRole
	Label     string
	SourceURL string
	Note      string
}

// EVMChainID returns the numeric chain id of an eip155 chain, or 0.
func (c Contract) EVMChainID() int64 {
	var id int64
	if _, err := fmt.Sscanf(c.Chain, "eip155:%d", &id); err != nil {
		return 0
	}
	return id
}

// ContractRole is what a watched contract does.
type ContractRole string

const (
	RoleToken      ContractRole = "token"
	RoleGovernor   ContractRole = "governor"
	RoleTimelock   ContractRole = "timelock"
	RoleSafe       ContractRole = "safe"
	RoleProxy      ContractRole = "proxy"
	RoleProxyAdmin ContractRole = "proxy-admin"
	RoleOther      ContractRole = "other"
)

// ContractRoles lists the valid roles.
var ContractRoles = []ContractRole{RoleToken, RoleGovernor, RoleTimelock, RoleSafe, RoleProxy, RoleProxyAdmin, RoleOther}

// Valid reports whether r is a known role.
func (r ContractRole) Valid() bool {
	for _, x := range ContractRoles {
		if r == x {
			return true
		}
	}
	return false
}

// Scorecard is a project's scorecard as of one version: what pages and the
// API show.
type Scorecard struct {
	Project     Project
	Version     ScorecardVersion
	Assessments []Assessment // one per axis, in Axes order
	Contracts   []Contract
	Background  []Evidence // accepted context items: shown, never cited
	Latest      int        // the newest version number, for "a newer version exists"
}

// Levels returns the level of every axis.
func (s Scorecard) Levels() map[Axis]MaybeLevel {
	m := make(map[Axis]MaybeLevel, len(Axes))
	for _, a := range s.Assessments {
		m[a.Axis] = a.Level
	}
	return m
}

// Assessment returns the assessment of axis a.
func (s Scorecard) Assessment(a Axis) Assessment {
	for _, x := range s.Assessments {
		if x.Axis == a {
			return x
		}
	}
	return Assessment{Axis: a}
}

// Summary is the row shown on the project list: a project, its latest
// version and its levels.
type Summary struct {
	Project Project
	Version ScorecardVersion
	Levels  map[Axis]MaybeLevel
}

// ValidCAIP2 reports whether s is a CAIP-2 chain id: a namespace of 3–8
// lowercase letters, digits or dashes, a colon, and a reference of 1–32
// letters, digits, dashes or underscores. An eip155 reference is the
// chain id in decimal (CAIP-3): a positive number, no leading zero.
func ValidCAIP2(s string) bool {
	ns, ref, ok := strings.Cut(s, ":")
	if !ok || len(ns) < 3 || len(ns) > 8 || len(ref) < 1 || len(ref) > 32 {
		return false
	}
	if ns == "eip155" && (strings.Trim(ref, "0123456789") != "" || ref[0] == '0') {
		return false
	}
	for _, r := range ns {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	for _, r := range ref {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
