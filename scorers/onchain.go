package scorers

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/deai-scorecard/scorecard/domain"
)

// GradeChange grades a change of one on-chain fact as L2BEAT's update
// monitor does: high when control moved or weakened (implementation,
// admin, beacon or owner changed, code replaced, a Safe's threshold
// lowered or a signer removed, a timelock's delay shortened, a Safe
// module, an AccessControl admin or a pending owner added), low otherwise.
func GradeChange(key, old, new string) domain.Grade {
	base := key
	if i := strings.Index(key, "."); i > 0 && strings.HasPrefix(key, "0x") {
		base = key[i+1:] // "<address>.owner" grades like "owner"
	}
	switch base {
	case "implementation", "admin", "beacon", "beacon.implementation", "owner", "compound.admin", "authority", "code", "governor.timelock":
		return domain.GradeHigh
	case "safe.threshold", "timelock.min_delay", "timelock.delay", "governor.voting_period", "governor.voting_delay":
		if less(new, old) {
			return domain.GradeHigh // lowered or shortened
		}
	case "pending_owner", "compound.pending_admin":
		// Ownable2Step, Compound's setPendingAdmin: someone may take control
		// once they accept.
		if new != "" {
			return domain.GradeHigh
		}
	case "safe.modules", "access.admins", "access.upgraders", "access_manager.admins":
		// An enabled module acts without the signers; a new holder of
		// DEFAULT_ADMIN_ROLE can grant itself any power. One removed (a
		// role renounced) weakens nobody.
		if addsAddress(old, new) {
			return domain.GradeHigh
		}
	case "access_manager.admin_delays":
		// An admin's execution delay shortened (same admins, in order).
		o, n := splitList(old), splitList(new)
		if len(o) == len(n) {
			for i := range o {
				if less(n[i], o[i]) {
					return domain.GradeHigh
				}
			}
		}
	case "access.admin_count", "access.upgrader_count", "access_manager.admin_count":
		if less(old, new) {
			return domain.GradeHigh
		}
	case "safe.owners":
		if addsAddress(new, old) {
			return domain.GradeHigh // a signer removed
		}
	case "is_contract":
		// A controller became an EOA or a contract. A controller that merely
		// appears or disappears is graded by the fact pointing at it (owner,
		// admin, safe.owners), so an added signer stays low.
		if old != "" && new != "" {
			return domain.GradeHigh
		}
	}
	return domain.GradeLow
}

// less compares decimal integers; an absent value counts as 0.
func less(a, b string) bool {
	x, ok1 := new(big.Int).SetString(orZero(a), 10)
	y, ok2 := new(big.Int).SetString(orZero(b), 10)
	return ok1 && ok2 && x.Cmp(y) < 0
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// addsAddress reports whether the address list to names an address that
// from lacks (case aside; "none" names none).
func addsAddress(from, to string) bool {
	had := map[string]bool{}
	for _, a := range splitList(from) {
		had[strings.ToLower(a)] = true
	}
	for _, a := range splitList(to) {
		if a != "none" && !had[strings.ToLower(a)] {
			return true
		}
	}
	return false
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// SecurityCouncilMinSigners and the threshold share are the bar DeFiScan
// and L2BEAT use for security councils (METHODOLOGY.md, upgrades.2).
const (
	SecurityCouncilMinSigners = 7
	MinTimelockDelaySeconds   = 7 * 24 * 3600
	// ExitWindowSeconds: upgrades.4 allows governance-only control with an
	// exit window of at least 30 days.
	ExitWindowSeconds = 30 * 24 * 3600
)

// ContractFacts is one watched contract's facts, as the suggesters need them.
type ContractFacts struct {
	Label   string // for the rule's detail
	Address string
	Facts   map[string]string
	Block   uint64
	Chain   string
}

// entity is who holds a contract's privileged role, as far as facts tell.
type entity struct {
	kind   string // eoa, safe, timelock, governor-timelock, contract, unknown
	level  domain.Level
	rule   string
	detail string
}

// judge says what controlling address addr amounts to, using the facts
// the reader stored under "<addr>.<key>". timelocksOfGovernors are
// timelocks that a watched governor points at.
func judge(f map[string]string, addr string, timelocksOfGovernors map[string]bool, depth int) entity {
	p := addr + "."
	switch f[p+"is_contract"] {
	case "false":
		return entity{"eoa", 0, "upgrades.0", fmt.Sprintf("%s is an externally owned account (a single key)", addr)}
	case "":
		return entity{kind: "unknown"}
	}
	if owners := splitList(f[p+"safe.owners"]); len(owners) > 0 {
		t, ok := new(big.Int).SetString(f[p+"safe.threshold"], 10)
		if !ok {
			return entity{kind: "unknown"}
		}
		// A module acts without the signers: one that is a single key makes
		// the Safe one key; one that is a contract could do anything.
		for _, m := range splitList(f[p+"safe.modules"]) {
			if m == "none" {
				continue
			}
			if f[m+".is_contract"] == "false" {
				return entity{"eoa", 0, "upgrades.0", fmt.Sprintf("%s is a multisig, but its module %s, an externally owned account, can act without the signers", addr, m)}
			}
			return entity{kind: "unknown"}
		}
		n := len(owners)
		if n >= SecurityCouncilMinSigners && t.Int64()*2 > int64(n) {
			return entity{"safe", 2, "upgrades.2", fmt.Sprintf("%s is a %s-of-%d multisig, at the security-council bar (≥ 7 signers, threshold > 50 %%; whether half the signers are outside the team is not visible on-chain)", addr, t, n)}
		}
		return entity{"safe", 1, "upgrades.1", fmt.Sprintf("%s is a %s-of-%d multisig, below the security-council bar (≥ 7 signers, threshold > 50 %%)", addr, t, n)}
	}
	delay := f[p+"timelock.min_delay"]
	if delay == "" {
		delay = f[p+"timelock.delay"]
	}
	if delay != "" {
		if less(delay, fmt.Sprint(MinTimelockDelaySeconds)) {
			return entity{"timelock", 1, "upgrades.1", fmt.Sprintf("%s is a timelock with a %s s delay, under 7 days: counted as no delay", addr, delay)}
		}
		if timelocksOfGovernors[strings.ToLower(addr)] {
			if !less(delay, fmt.Sprint(ExitWindowSeconds)) {
				return entity{"governor-timelock", 4, "upgrades.4", fmt.Sprintf("%s is a timelock of %s s (≥ 30 days) that a watched governor controls: governance only, with an exit window of at least 30 days", addr, delay)}
			}
			return entity{"governor-timelock", 3, "upgrades.3", fmt.Sprintf("%s is a timelock of %s s (≥ 7 days) that a watched governor controls", addr, delay)}
		}
		return entity{"timelock", 2, "upgrades.2", fmt.Sprintf("%s is a timelock of %s s (≥ 7 days)", addr, delay)}
	}
	// An AccessManager: its ADMIN_ROLE members can do anything, each after
	// its own execution delay; the weakest decides.
	if f[p+"access_manager"] == "true" {
		return judgeManager(f, addr, timelocksOfGovernors, depth)
	}
	// A contract such as a ProxyAdmin: follow its owner (or Compound-style
	// admin) one level.
	owner := f[p+"owner"]
	if owner == "" || isZeroAddress(owner) {
		owner = f[p+"compound.admin"]
	}
	if owner != "" && depth == 0 && !isZeroAddress(owner) {
		e := judge(f, owner, timelocksOfGovernors, depth+1)
		if e.kind != "unknown" {
			e.detail = fmt.Sprintf("%s is owned by %s", addr, e.detail)
			return e
		}
	}
	return entity{kind: "unknown"}
}

// judgeManager judges an AccessManager by its weakest admin. An admin
// whose execution delay is at least 7 days acts behind that delay as
// behind a timelock (upgrades.2) unless it is stronger still. Admins not
// listed (more than were read) leave it undecided unless one listed is a
// single key with no delay.
func judgeManager(f map[string]string, addr string, timelocksOfGovernors map[string]bool, depth int) entity {
	p := addr + "."
	admins := splitList(f[p+"access_manager.admins"])
	delays := splitList(f[p+"access_manager.admin_delays"])
	if len(admins) == 0 || len(delays) != len(admins) {
		return entity{kind: "unknown"}
	}
	partial := f[p+"access_manager.admin_count"] != fmt.Sprint(len(admins))
	e, ok := weakestOf(admins, partial, func(i int, a string) entity {
		e := judge(f, a, timelocksOfGovernors, depth+1)
		if !less(delays[i], fmt.Sprint(MinTimelockDelaySeconds)) && (e.kind == "unknown" || e.level < 2) {
			e = entity{"timelock", 2, "upgrades.2", fmt.Sprintf("%s acts only after an execution delay of %s s (≥ 7 days)", a, delays[i])}
		}
		return e
	})
	if !ok {
		return entity{kind: "unknown"}
	}
	e.detail = fmt.Sprintf("%s is an AccessManager; its weakest admin: %s", addr, e.detail)
	return e
}

// weakest judges each address and returns the weakest known one.
func weakest(f map[string]string, addrs []string, partial bool, govTimelocks map[string]bool) (entity, bool) {
	return weakestOf(addrs, partial, func(_ int, a string) entity { return judge(f, a, govTimelocks, 0) })
}

// weakestOf returns the weakest of the entities judgeOne makes of addrs.
// An address that cannot be judged leaves the answer undecided, since it
// may be weaker than those that can, unless a known one is already at
// level 0. partial says that addrs is not the whole list.
func weakestOf(addrs []string, partial bool, judgeOne func(i int, a string) entity) (entity, bool) {
	var worst *entity
	undecided := partial
	for i, a := range addrs {
		e := judgeOne(i, a)
		if e.kind == "unknown" {
			undecided = true
			continue
		}
		if worst == nil || e.level < worst.level {
			worst = &e
		}
	}
	if worst == nil || (undecided && worst.level > 0) {
		return entity{}, false
	}
	return *worst, true
}

func isZeroAddress(s string) bool {
	return strings.TrimLeft(strings.TrimPrefix(strings.ToLower(s), "0x"), "0") == ""
}

// SuggestUpgrades suggests the upgrades level from the facts of a project's
// watched EVM contracts: the weakest link among them decides. It returns
// false when the facts decide nothing.
func SuggestUpgrades(contracts []ContractFacts) (domain.Suggestion, bool) {
	govTimelocks := map[string]bool{}
	for _, c := range contracts {
		if t := c.Facts["governor.timelock"]; t != "" {
			govTimelocks[strings.ToLower(t)] = true
		}
	}
	var best *domain.Suggestion
	consider := func(s domain.Suggestion) {
		if best == nil || s.Level < best.Level {
			best = &s
		}
	}
	for _, c := range contracts {
		f := c.Facts
		if f["code"] == "" || f["code"] == "none" {
			continue
		}
		// Controllers themselves (Safes, timelocks, governors) are judged as
		// controllers of what they control, not as assets.
		if f["safe.owners"] != "" || f["timelock.min_delay"] != "" || f["timelock.delay"] != "" || f["governor.voting_period"] != "" ||
			f["access_manager"] == "true" {
			continue
		}
		mk := func(e entity, what string) domain.Suggestion {
			return domain.Suggestion{Axis: domain.AxisUpgrades, Level: e.level, Rule: e.rule, Block: c.Block, Chain: c.Chain,
				Detail: fmt.Sprintf("%s %s (%s): %s", c.Label, c.Address, what, e.detail)}
		}
		found := false
		adminWhat := "EIP-1967 proxy admin"
		if f["proxy.slots"] == "zeppelinos" {
			adminWhat = "ZeppelinOS proxy admin"
		}
		for _, ctl := range []struct{ key, what string }{
			{"admin", adminWhat},
			{"beacon", "beacon"},
			{"owner", "owner"},
			{"compound.admin", "admin()"},
			{"authority", "authority(), the AccessManager that allows its restricted functions"},
		} {
			v := f[ctl.key]
			if v == "" || isZeroAddress(v) {
				continue // none, or renounced
			}
			found = true
			if e := judge(f, v, govTimelocks, 0); e.kind != "unknown" {
				consider(mk(e, ctl.what))
			}
		}
		// AccessControl: DEFAULT_ADMIN_ROLE can grant every role (minting,
		// pausing, and a UUPS proxy's upgrade role), so its holders count as
		// an owner does, and a contract with roles is never "immutable"
		// (METHODOLOGY upgrades.4: no privileged role). The weakest admin
		// decides; with admins not read (more than were listed) only a
		// level-0 admin decides anything.
		if f["access.control"] == "true" {
			found = true
		}
		for _, role := range []struct{ key, what, plural string }{
			{"admin", "AccessControl admin, who can grant every role", "admins"},
			// OpenZeppelin's UUPS role: its holders upgrade the proxy directly.
			{"upgrader", "holder of UPGRADER_ROLE, who can upgrade it", "upgraders"},
		} {
			holders := splitList(f["access."+role.key+"s"])
			if len(holders) == 0 || role.key == "upgrader" && f["implementation"] == "" {
				continue
			}
			found = true
			what := role.what
			partial := f["access."+role.key+"_count"] != fmt.Sprint(len(holders))
			if partial {
				what += fmt.Sprintf("; %d of %s %s read", len(holders), f["access."+role.key+"_count"], role.plural)
			}
			if e, ok := weakest(f, holders, partial, govTimelocks); ok {
				consider(mk(e, what))
			}
		}
		if !found && f["implementation"] == "" {
			consider(domain.Suggestion{Axis: domain.AxisUpgrades, Level: 4, Rule: "upgrades.4", Block: c.Block, Chain: c.Chain,
				Detail: fmt.Sprintf("%s %s: no proxy slots, no owner and no AccessControl roles", c.Label, c.Address)})
		}
	}
	if best == nil {
		return domain.Suggestion{}, false
	}
	return *best, true
}

// SuggestGovernance suggests the governance level from a watched governor:
// votes that execute through a timelock of ≥ 7 days which controls a
// watched contract reach upgrades (3); a governor alone executes on-chain
// actions (2). Without a governor the facts say nothing: governance may
// be off-chain.
func SuggestGovernance(contracts []ContractFacts) (domain.Suggestion, bool) {
	controlled := map[string]bool{} // addresses that control a watched contract, lower-case
	for _, c := range contracts {
		for _, k := range []string{"admin", "owner", "compound.admin", "beacon"} {
			if v := c.Facts[k]; v != "" {
				controlled[strings.ToLower(v)] = true
				for _, ok := range []string{".owner", ".compound.admin"} {
					if o := c.Facts[v+ok]; o != "" {
						controlled[strings.ToLower(o)] = true // ProxyAdmin owned by the timelock
					}
				}
			}
		}
		for _, a := range splitList(c.Facts["access.admins"]) {
			controlled[strings.ToLower(a)] = true // an AccessControl admin, as an owner
		}
		if m := c.Facts["authority"]; m != "" {
			for _, a := range splitList(c.Facts[m+".access_manager.admins"]) {
				controlled[strings.ToLower(a)] = true // an admin of the contract's AccessManager
			}
		}
	}
	var best *domain.Suggestion
	keys := make([]int, len(contracts))
	for i := range keys {
		keys[i] = i
	}
	sort.SliceStable(keys, func(i, j int) bool { return contracts[keys[i]].Address < contracts[keys[j]].Address })
	for _, i := range keys {
		c := contracts[i]
		f := c.Facts
		if f["governor.voting_period"] == "" {
			continue
		}
		s := domain.Suggestion{Axis: domain.AxisGovernance, Level: 2, Rule: "governance.2", Block: c.Block, Chain: c.Chain,
			Detail: fmt.Sprintf("%s %s is an on-chain governor (voting period %s)", c.Label, c.Address, f["governor.voting_period"])}
		if tl := f["governor.timelock"]; tl != "" {
			delay := f[tl+".timelock.min_delay"]
			if delay == "" {
				delay = f[tl+".timelock.delay"]
			}
			if controlled[strings.ToLower(tl)] && delay != "" && !less(delay, fmt.Sprint(MinTimelockDelaySeconds)) {
				s.Level, s.Rule = 3, "governance.3"
				s.Detail += fmt.Sprintf("; its timelock %s (%s s) controls upgrades of a watched contract", tl, delay)
			} else {
				s.Detail += fmt.Sprintf("; it executes through timelock %s", tl)
			}
		}
		if best == nil || s.Level > best.Level {
			best = &s
		}
	}
	if best == nil {
		return domain.Suggestion{}, false
	}
	return *best, true
}
