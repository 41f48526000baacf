// Package scorers is the methodology as code: the criteria table for every
// axis and level, the rules every level obeys, and the stage checklists.
// It is pure: no I/O, no database, no HTTP. It imports only domain.
//
// The /methodology page renders this same data, so the page and the code
// that scores cannot drift apart.
package scorers

import "github.com/deai-scorecard/scorecard/domain"

// MethodologyVersion is the version of METHODOLOGY.md this package implements.
const MethodologyVersion = "1.0"

// ChangelogEntry is one dated line of the methodology's changelog.
type ChangelogEntry struct {
	Version string
	Date    string
	Text    string
}

// Changelog lists methodology versions, newest first.
var Changelog = []ChangelogEntry{
	{Version: "1.0", Date: "2026-11", Text: "First version."},
}

// AxisInfo describes one axis: its question, how it is measured, an
// optional scope note and the criterion of each level 0–4.
type AxisInfo struct {
	Axis       domain.Axis
	Title      string // short heading, e.g. "Training"
	Question   string
	MeasuredBy string
	Scope      string
	Criteria   [5]string // indexed by level
}

// Criterion returns the id and text of a level's criterion, e.g. "upgrades.1".
func (a AxisInfo) Criterion(l domain.Level) (id, text string) {
	if !l.Valid() {
		return "", ""
	}
	return CriterionID(a.Axis, l), a.Criteria[l]
}

// CriterionID names a criterion as the assessments do: "axis.level".
func CriterionID(a domain.Axis, l domain.Level) string {
	return string(a) + "." + string(rune('0'+int(l)))
}

const executionScope = "Who does the work the network's AI depends on. If the project does not do this work itself (a compute marketplace trains no models), rate who does it for the AI the network serves, as its own sources describe it; if they say nothing, the axis is unknown."

// AxisInfos holds the full criteria table, in domain.Axes order.
var AxisInfos = []AxisInfo{
	{
		Axis: domain.AxisTraining, Title: "Training", Question: "Who trains the models?",
		MeasuredBy: "evidence, reviewer assessment", Scope: executionScope,
		Criteria: [5]string{
			"One organisation trains them in-house, or the network serves a single vendor's models through its API.",
			"A set of trainers chosen or whitelisted by the team.",
			"Anyone can train or contribute models (or users train their own and deploy them on permissionless providers); results are accepted on trust, reputation or team review.",
			"Anyone can train; contributions are scored by independent validators whose stake is at risk, or bad work is slashed.",
			"As 3, and training steps carry proofs or attestations that anyone can check.",
		},
	},
	{
		Axis: domain.AxisInference, Title: "Inference", Question: "Who runs the models?",
		MeasuredBy: "evidence, reviewer assessment", Scope: executionScope,
		Criteria: [5]string{
			"One organisation runs them on its own servers or a single cloud/API vendor.",
			"Operators chosen, whitelisted or hardware-approved by the team; or anyone may join but all jobs pass through one team-run gateway or scheduler.",
			"Anyone can run models as an operator and jobs are matched without a team-run intermediary; outputs are taken on trust or reputation.",
			"Anyone can run models; operators post stake that is slashed, or results are challenged with economic penalties.",
			"As 3, and every result carries a proof (zk) or hardware attestation that anyone can verify.",
		},
	},
	{
		Axis: domain.AxisData, Title: "Data", Question: "Who curates and hosts the data?",
		MeasuredBy: "evidence, reviewer assessment", Scope: executionScope,
		Criteria: [5]string{
			"One organisation chooses and hosts the data.",
			"Data from whitelisted providers, or team-run storage with curation by the team.",
			"Anyone can contribute data; acceptance or hosting relies on trusted parties (team-run validators, centralised storage).",
			"Anyone can contribute; acceptance is decided by staked, slashable curators or validators, and data is hosted by many independent parties or decentralized storage.",
			"As 3, and each contribution's validity and provenance is proven or attested on-chain.",
		},
	},
	{
		Axis: domain.AxisUpgrades, Title: "Upgrades", Question: "Who controls updates to contracts and protocol?",
		MeasuredBy: "on-chain checks (scorer) and evidence",
		Scope:      "The contracts, programs or chain runtime that hold user funds or define the AI service. For a chain: who can change its runtime or software (Substrate sudo, Cosmos software-upgrade proposals). The on-chain re-checker suggests this level from facts (proxy admin, owner, Safe owners and threshold, timelock delay, governor) and names the rule that fired; an editor accepts or overrides it.",
		Criteria: [5]string{
			"One key or one company can upgrade, or move or mint funds, with no delay: a proxy admin or owner that is an externally owned account, a single Solana upgrade authority, a Substrate sudo key held by one account, an off-chain process run by one company.",
			"A multisig below the security-council bar, with no delay; or a sudo key held by a team multisig.",
			"A multisig that meets the security-council bar (at least 7 signers, a threshold above 50 %, at least half of them outside the team, named publicly), or any control behind a timelock of at least 7 days.",
			"Token-holder governance controls upgrades through a timelock of at least 7 days, or chain software upgrades pass an on-chain vote that validators then adopt.",
			"Immutable (no proxy, no owner, no privileged role), or governance-only with an exit window of at least 30 days.",
		},
	},
	{
		Axis: domain.AxisGovernance, Title: "Governance", Question: "Can token holders reach execution, or only parameters?",
		MeasuredBy: "on-chain governor and timelock facts, and evidence",
		Criteria: [5]string{
			"No on-chain governance; the team or foundation decides; or off-chain polls whose result nobody is bound to execute.",
			"Votes set fees, rewards or parameters, or votes are binding only by the team's promise to execute them.",
			"Votes execute on-chain actions on some contracts directly (treasury, parameters).",
			"Votes control upgrades through a timelock.",
			"Votes control upgrades and the execution infrastructure: which models run, how they are deployed.",
		},
	},
	{
		Axis: domain.AxisVerification, Title: "Verification", Question: "Can anyone check that computation was done correctly?",
		MeasuredBy: "evidence, reviewer assessment",
		Scope:      "Rate what is enforced by default in production, not what is optional or planned.",
		Criteria: [5]string{
			"Outputs are trusted; nothing checks them.",
			"Reputation, peer scoring, validators' subjective scores, or the team's own quality checks.",
			"Operators stake, and stake is slashed when a dispute proves bad work.",
			"Hardware (TEE) attestation or optimistic challenge games with published proofs, live by default.",
			"Cryptographic proofs of inference or training (zk), verified on-chain, by default.",
		},
	},
	{
		Axis: domain.AxisUsage, Title: "Usage", Question: "Is the token used for AI work, or mostly traded?",
		MeasuredBy: "evidence: figures with dates and sources",
		Criteria: [5]string{
			"The token pays for no AI work (work is paid in fiat or stablecoins, or there is no paid work); its role is speculation, governance or rewards.",
			"The token is required for fees or staking, but no dated figure shows paid AI work (only emissions, incentives, points or testnet activity).",
			"Dated figures show AI work paid in the token, small next to its emissions (fees below 10 % of emissions).",
			"Dated figures show AI work paid in the token of at least 10 % of its emissions, or burns from paid work offsetting that much.",
			"Dated figures that anyone can check on-chain show token-settled AI revenue above emissions.",
		},
	},
}

// Info returns the description of axis a.
func Info(a domain.Axis) (AxisInfo, bool) {
	for _, x := range AxisInfos {
		if x.Axis == a {
			return x, true
		}
	}
	return AxisInfo{}, false
}

// Rules are the rules every level obeys (METHODOLOGY.md, "Rules for every axis").
var Rules = []string{
	"A level needs at least one accepted evidence item of that project and axis that supports the criterion named. Otherwise the axis is unknown. Unknown is an answer, not a failure.",
	"Rate what runs today. Plans, roadmaps, testnets, proposals not adopted and design documents do not raise a level; they may be cited to explain why a level is not higher.",
	"When parts of a project differ, rate the part that users of its AI depend on most, and say so in the rationale.",
	"When several criteria apply, the lowest that is supported wins: a weak link decides.",
	"Self-reported claims (the project's own docs) count, and are labelled as such. A third party's claim that contradicts them is shown beside them; the rationale says which one the level follows.",
	"Each level names its criterion (e.g. upgrades.1) and cites the evidence it rests on.",
}
