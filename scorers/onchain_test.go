package scorers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
)

// Addresses as the reader writes them (EIP-55; digits-only addresses are
// their own checksum form).
const (
	aEOA     = "0x1111111111111111111111111111111111111111"
	aEOA2    = "0x2222222222222222222222222222222222222222"
	aSafe    = "0x3333333333333333333333333333333333333333"
	aPA      = "0x4444444444444444444444444444444444444444"
	aTL      = "0x5555555555555555555555555555555555555555"
	aGov     = "0x6666666666666666666666666666666666666666"
	aToken   = "0x7777777777777777777777777777777777777777"
	aProxy   = "0x8888888888888888888888888888888888888888"
	aImpl    = "0x9999999999999999999999999999999999999999"
	aBeacon  = "0x1212121212121212121212121212121212121212"
	aMixed   = "0xAbCdEF0123456789aBcDeF0123456789AbCdEf01"
	zeroAddr = "0x0000000000000000000000000000000000000000"
	codeHash = "0xc0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0de"
	weekPlus = "691200" // 8 days
	week     = "604800" // exactly 7 days
	twoDays  = "172800"
	almostWk = "604799"
)

func TestGradeChange(t *testing.T) {
	h, l := domain.GradeHigh, domain.GradeLow
	tests := []struct {
		key, old, new string
		want          domain.Grade
	}{
		// Control moved: always high, whatever the values.
		{"implementation", aImpl, aEOA, h},
		{"implementation", "", aImpl, h},
		{"admin", aPA, aEOA, h},
		{"owner", aSafe, aEOA, h},
		{"owner", aEOA, zeroAddr, h},
		{"beacon", aBeacon, aEOA, h},
		{"beacon.implementation", aImpl, aEOA, h},
		{"code", codeHash, "none", h},
		{"code", "none", codeHash, h},
		{"governor.timelock", aTL, aEOA, h},
		// Keys of a controller, "<address>.<key>", grade like the key.
		{aPA + ".owner", aSafe, aEOA, h},
		{aMixed + ".owner", aSafe, aEOA, h},
		{aBeacon + ".implementation", aImpl, aEOA, h},
		{aSafe + ".safe.threshold", "4", "2", h},
		{aSafe + ".safe.threshold", "2", "4", l},
		{aTL + ".timelock.min_delay", weekPlus, twoDays, h},
		{aTL + ".timelock.min_delay", twoDays, weekPlus, l},
		{aSafe + ".safe.owners", aEOA + "," + aEOA2, aEOA, h},
		{"pending_owner", "", aEOA, h},
		{"pending_owner", aEOA, aEOA2, h},
		{"pending_owner", aEOA, "", l},
		{"access.upgraders", aTL, aTL + "," + aEOA, h},
		{"access.upgraders", aTL + "," + aEOA, aTL, l},
		{"access.upgrader_count", "1", "2", h},
		{"compound.admin", aTL, aEOA, h},
		{"authority", aTL, aEOA, h},
		{aTL + ".access_manager.admins", aSafe, aSafe + "," + aEOA, h},
		{aTL + ".access_manager.admins", aSafe + "," + aEOA, aSafe, l},
		{aTL + ".access_manager.admin_delays", "691200,0", "3600,0", h},
		{aTL + ".access_manager.admin_delays", "3600,0", "691200,0", l},
		{"access_manager.admin_count", "1", "2", h},
		{aTL + ".compound.admin", aGov, aEOA, h},
		{"compound.pending_admin", "", aEOA, h},
		{"compound.pending_admin", aEOA, "", l},
		{"safe.modules", "none", aEOA, h},
		{aSafe + ".safe.modules", aEOA, aEOA + "," + aEOA2, h},
		{"safe.modules", aEOA, "none", l},
		{"safe.modules", aEOA + "," + aEOA2, aEOA, l},
		{"access.admins", aEOA, aEOA + "," + aEOA2, h},
		{"access.admins", aEOA + "," + aEOA2, aEOA, l},
		{"access.admins", "", aEOA, h},
		{"access.admin_count", "1", "2", h},
		{"access.admin_count", "2", "1", l},
		{"access.control", "", "true", l},
		{aSafe + ".safe.owners", aEOA, aEOA + "," + aEOA2, l},
		{aGov + ".governor.timelock", aTL, aEOA, h},
		// A Safe's threshold: lowered is high, raised is low.
		{"safe.threshold", "2", "1", h},
		{"safe.threshold", "10", "9", h}, // numeric, not lexical
		{"safe.threshold", "9", "10", l},
		{"safe.threshold", "1", "2", l},
		{"safe.threshold", "", "2", l}, // appeared
		// A timelock's delay: shortened is high, lengthened is low.
		{"timelock.min_delay", weekPlus, twoDays, h},
		{"timelock.min_delay", "100000", "99999", h},
		{"timelock.min_delay", twoDays, weekPlus, l},
		{"timelock.min_delay", "99999", "100000", l},
		{"timelock.delay", weekPlus, "0", h},
		{"timelock.delay", "0", weekPlus, l},
		{"timelock.delay", "", twoDays, l},
		// Governor settings: shortened is high.
		{"governor.voting_delay", "7200", "1", h},
		{"governor.voting_delay", "1", "7200", l},
		{"governor.voting_period", "50400", "100", h},
		{"governor.voting_period", "100", "50400", l},
		// Safe signers: one removed (even if others are added) is high, only added is low.
		{"safe.owners", aEOA + "," + aEOA2 + "," + aSafe, aEOA + "," + aSafe, h},
		{"safe.owners", aEOA + "," + aEOA2, aEOA + "," + aSafe, h}, // swapped
		{"safe.owners", aEOA + "," + aEOA2, aEOA2 + "," + aEOA + "," + aSafe, l},
		{"safe.owners", aEOA, aEOA + "," + aEOA2, l},
		{"safe.owners", aEOA + "," + aEOA2, aEOA2 + "," + aEOA, l}, // reordered
		{"safe.owners", strings.ToLower(aMixed), aMixed, l},        // same signer, other case
		{"safe.owners", aMixed, strings.ToLower(aMixed), l},
		{"safe.owners", "", aEOA, l},
		{"safe.owners", aEOA, "", h},
		// A controller turned from contract to EOA or back.
		{aSafe + ".is_contract", "true", "false", h},
		{aSafe + ".is_contract", "false", "true", h},
		// Unknown and informational keys are low.
		{"safe.version", "1.3.0", "1.4.1", l},
		{"governor.token", aToken, aEOA, l},
		{"something.new", "a", "b", l},
		{"colour", "", "blue", l},
		{aSafe + ".safe.version", "1.3.0", "1.4.1", l},
	}
	for _, tt := range tests {
		if got := scorers.GradeChange(tt.key, tt.old, tt.new); got != tt.want {
			t.Errorf("GradeChange(%q, %q, %q) = %s, want %s", tt.key, tt.old, tt.new, got, tt.want)
		}
	}
}

// A controller that appears or disappears is not a controller that became
// an EOA or a contract: the move itself is graded by the fact that points
// at it (owner, admin, safe.owners), so adding a signer stays low.
func TestGradeChangeControllerAppearsOrDisappears(t *testing.T) {
	for _, tt := range []struct{ old, new string }{{"", "false"}, {"", "true"}, {"false", ""}, {"true", ""}} {
		if got := scorers.GradeChange(aEOA2+".is_contract", tt.old, tt.new); got != domain.GradeLow {
			t.Errorf("is_contract %q -> %q: %s, want low", tt.old, tt.new, got)
		}
	}
}

// facts builds a fact map from key/value pairs.
func facts(kv ...string) map[string]string {
	if len(kv)%2 != 0 {
		panic("odd facts")
	}
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func cf(label, addr string, f map[string]string) scorers.ContractFacts {
	return scorers.ContractFacts{Label: label, Address: addr, Facts: f, Block: 123, Chain: "eip155:1"}
}

// safeFacts are the facts of a Safe at addr with n signers and threshold t,
// as a contract controlled by it sees them.
func safeFacts(addr string, n int, threshold int) []string {
	owners := make([]string, n)
	for i := range owners {
		owners[i] = fmt.Sprintf("0x%040x", 0xa000+i)
	}
	kv := []string{addr + ".is_contract", "true", addr + ".safe.owners", strings.Join(owners, ","),
		addr + ".safe.threshold", fmt.Sprint(threshold), addr + ".safe.version", "1.4.1"}
	for _, o := range owners {
		kv = append(kv, o+".is_contract", "false")
	}
	return kv
}

func timelockFacts(addr, key, delay string) []string {
	return []string{addr + ".is_contract", "true", addr + "." + key, delay}
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestSuggestUpgrades(t *testing.T) {
	tests := []struct {
		name      string
		contracts []scorers.ContractFacts
		want      domain.Level
		rule      string
		detail    []string // substrings of the detail
	}{
		{
			name: "proxy admin is an EOA",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "admin", aEOA,
				aEOA+".is_contract", "false"))},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, aEOA, "proxy admin"},
		},
		{
			name: "ZeppelinOS proxy admin is an EOA",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "admin", aEOA, "proxy.slots", "zeppelinos",
				aEOA+".is_contract", "false"))},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, aEOA, "ZeppelinOS proxy admin"},
		},
		{
			name: "UUPS proxy: the admin is an 8-day timelock, but UPGRADER_ROLE is an EOA's",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl,
				"access.control", "true", "access.admin_count", "1", "access.admins", aTL, "access.upgrader_count", "1", "access.upgraders", aEOA,
				aEOA + ".is_contract", "false"}, timelockFacts(aTL, "timelock.min_delay", weekPlus))...))},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, "UPGRADER_ROLE", aEOA},
		},
		{
			name: "UUPS proxy: admin and upgrader are the same 8-day timelock",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl,
				"access.control", "true", "access.admin_count", "1", "access.admins", aTL, "access.upgrader_count", "1", "access.upgraders", aTL},
				timelockFacts(aTL, "timelock.min_delay", weekPlus))...))},
			want: 2, rule: "upgrades.2", detail: []string{aTL},
		},
		{
			name: "AccessManaged: the manager's only admin is an EOA with no delay",
			contracts: []scorers.ContractFacts{cf("Vault", aToken, facts("code", codeHash, "authority", aPA, aPA+".is_contract", "true",
				aPA+".access_manager", "true", aPA+".access_manager.admins", aEOA, aPA+".access_manager.admin_delays", "0", aPA+".access_manager.admin_count", "1",
				aEOA+".is_contract", "false"))},
			want: 0, rule: "upgrades.0", detail: []string{aToken, "authority()", aPA, "AccessManager", aEOA},
		},
		{
			name: "AccessManaged: the admin is an EOA behind an 8-day execution delay",
			contracts: []scorers.ContractFacts{cf("Vault", aToken, facts("code", codeHash, "authority", aPA, aPA+".is_contract", "true",
				aPA+".access_manager", "true", aPA+".access_manager.admins", aEOA, aPA+".access_manager.admin_delays", weekPlus, aPA+".access_manager.admin_count", "1",
				aEOA+".is_contract", "false"))},
			want: 2, rule: "upgrades.2", detail: []string{aPA, aEOA, weekPlus},
		},
		{
			name: "AccessManaged: a delayed EOA and an undelayed 2-of-3 Safe: the Safe decides",
			contracts: []scorers.ContractFacts{cf("Vault", aToken, facts(join([]string{"code", codeHash, "authority", aPA, aPA + ".is_contract", "true",
				aPA + ".access_manager", "true", aPA + ".access_manager.admins", aEOA + "," + aSafe, aPA + ".access_manager.admin_delays", weekPlus + ",0",
				aPA + ".access_manager.admin_count", "2", aEOA + ".is_contract", "false"}, safeFacts(aSafe, 3, 2))...))},
			want: 1, rule: "upgrades.1", detail: []string{aPA, aSafe, "2-of-3"},
		},
		{
			name:      "Compound-style admin() is an EOA",
			contracts: []scorers.ContractFacts{cf("Comptroller", aProxy, facts("code", codeHash, "compound.admin", aEOA, aEOA+".is_contract", "false"))},
			want:      0, rule: "upgrades.0", detail: []string{aProxy, aEOA, "admin()"},
		},
		{
			name: "admin() is a Compound timelock of 8 days whose admin() is an EOA: the delay decides",
			contracts: []scorers.ContractFacts{cf("cToken", aToken, facts("code", codeHash, "implementation", aImpl, "compound.admin", aTL,
				aTL+".is_contract", "true", aTL+".timelock.delay", weekPlus, aTL+".compound.admin", aEOA, aEOA+".is_contract", "false"))},
			want: 2, rule: "upgrades.2", detail: []string{aToken, aTL, weekPlus},
		},
		{
			name: "a ProxyAdmin-like contract run by admin() instead of owner()",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "admin", aPA,
				aPA+".is_contract", "true", aPA+".compound.admin", aEOA, aEOA+".is_contract", "false"))},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, aPA, aEOA},
		},
		{
			name:      "owner is an EOA",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts("code", codeHash, "owner", aEOA, aEOA+".is_contract", "false"))},
			want:      0, rule: "upgrades.0", detail: []string{aToken, aEOA, "owner"},
		},
		{
			name: "ProxyAdmin owned by an EOA",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "admin", aPA,
				aPA+".is_contract", "true", aPA+".owner", aEOA, aEOA+".is_contract", "false"))},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, aPA, aEOA},
		},
		{
			name:      "watched ProxyAdmin owned by an EOA",
			contracts: []scorers.ContractFacts{cf("ProxyAdmin", aPA, facts("code", codeHash, "owner", aEOA, aEOA+".is_contract", "false"))},
			want:      0, rule: "upgrades.0", detail: []string{aPA, aEOA},
		},
		{
			name: "ProxyAdmin owned by a 2-of-3 Safe",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "admin", aPA,
				aPA + ".is_contract", "true", aPA + ".owner", aSafe}, safeFacts(aSafe, 3, 2))...))},
			want: 1, rule: "upgrades.1", detail: []string{aProxy, aPA, aSafe, "2-of-3"},
		},
		{
			name:      "owner is a 2-of-3 Safe",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 3, 2))...))},
			want:      1, rule: "upgrades.1", detail: []string{aToken, aSafe, "2-of-3"},
		},
		{
			name:      "owner is a 4-of-7 Safe with no module",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe, aSafe + ".safe.modules", "none"}, safeFacts(aSafe, 7, 4))...))},
			want:      2, rule: "upgrades.2", detail: []string{aSafe, "4-of-7"},
		},
		{
			name: "owner is a 4-of-7 Safe whose module is an EOA",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe, aSafe + ".safe.modules", aEOA2,
				aEOA2 + ".is_contract", "false"}, safeFacts(aSafe, 7, 4))...))},
			want: 0, rule: "upgrades.0", detail: []string{aSafe, aEOA2, "module"},
		},
		{
			name:      "owner is a 4-of-7 Safe",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 7, 4))...))},
			want:      2, rule: "upgrades.2", detail: []string{aToken, aSafe, "4-of-7"},
		},
		{
			name:      "owner is a 3-of-7 Safe: not more than half",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 7, 3))...))},
			want:      1, rule: "upgrades.1", detail: []string{aSafe, "3-of-7"},
		},
		{
			name:      "owner is a 4-of-8 Safe: exactly half is not more than half",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 8, 4))...))},
			want:      1, rule: "upgrades.1", detail: []string{aSafe, "4-of-8"},
		},
		{
			name:      "owner is a 5-of-8 Safe",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 8, 5))...))},
			want:      2, rule: "upgrades.2", detail: []string{aSafe, "5-of-8"},
		},
		{
			name:      "owner is a 6-of-6 Safe: too few signers",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 6, 6))...))},
			want:      1, rule: "upgrades.1", detail: []string{aSafe, "6-of-6"},
		},
		{
			name: "ProxyAdmin owned by a 5-of-9 Safe",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "admin", aPA,
				aPA + ".is_contract", "true", aPA + ".owner", aSafe}, safeFacts(aSafe, 9, 5))...))},
			want: 2, rule: "upgrades.2", detail: []string{aPA, aSafe, "5-of-9"},
		},
		{
			name:      "owner is a timelock of 8 days",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus))...))},
			want:      2, rule: "upgrades.2", detail: []string{aToken, aTL, weekPlus},
		},
		{
			name:      "owner is a timelock of exactly 7 days",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.min_delay", week))...))},
			want:      2, rule: "upgrades.2", detail: []string{aTL},
		},
		{
			name:      "owner is a Compound timelock of 8 days",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.delay", weekPlus))...))},
			want:      2, rule: "upgrades.2", detail: []string{aTL},
		},
		{
			name:      "owner is a timelock of 2 days",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.min_delay", twoDays))...))},
			want:      1, rule: "upgrades.1", detail: []string{aToken, aTL, twoDays},
		},
		{
			name:      "owner is a timelock one second short of 7 days",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.delay", almostWk))...))},
			want:      1, rule: "upgrades.1", detail: []string{aTL},
		},
		{
			name: "ProxyAdmin owned by a timelock of 8 days",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "admin", aPA,
				aPA + ".is_contract", "true", aPA + ".owner", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus))...))},
			want: 2, rule: "upgrades.2", detail: []string{aProxy, aPA, aTL},
		},
		{
			name: "owner is the timelock of a watched governor",
			contracts: []scorers.ContractFacts{
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus))...)),
				cf("Governor", aGov, facts(join([]string{"code", codeHash, "governor.voting_period", "50400", "governor.voting_delay", "1",
					"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus))...)),
			},
			want: 3, rule: "upgrades.3", detail: []string{aToken, aTL},
		},
		{
			name: "owner is a governor's timelock of 30 days: governance only, with an exit window",
			contracts: []scorers.ContractFacts{
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.min_delay", "2592000"))...)),
				cf("Governor", aGov, facts("code", codeHash, "governor.voting_period", "50400", "governor.timelock", aTL)),
			},
			want: 4, rule: "upgrades.4", detail: []string{aToken, aTL, "2592000", "exit window"},
		},
		{
			name: "owner is a governor's timelock one second under 30 days",
			contracts: []scorers.ContractFacts{
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.min_delay", "2591999"))...)),
				cf("Governor", aGov, facts("code", codeHash, "governor.voting_period", "50400", "governor.timelock", aTL)),
			},
			want: 3, rule: "upgrades.3", detail: []string{aTL},
		},
		{
			name: "a 30-day timelock without a governor is any control behind a timelock",
			contracts: []scorers.ContractFacts{
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.min_delay", "2592000"))...)),
			},
			want: 2, rule: "upgrades.2", detail: []string{aTL},
		},
		{
			name: "ProxyAdmin owned by the timelock of a watched governor",
			contracts: []scorers.ContractFacts{
				cf("Governor", aGov, facts("code", codeHash, "governor.voting_period", "50400", "governor.timelock", aTL)),
				cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "admin", aPA,
					aPA + ".is_contract", "true", aPA + ".owner", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus))...)),
			},
			want: 3, rule: "upgrades.3", detail: []string{aProxy, aPA, aTL},
		},
		{
			name: "governor's timelock matched whatever the address case",
			contracts: []scorers.ContractFacts{
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aMixed}, timelockFacts(aMixed, "timelock.min_delay", weekPlus))...)),
				cf("Governor", aGov, facts("code", codeHash, "governor.voting_period", "50400", "governor.timelock", strings.ToLower(aMixed))),
			},
			want: 3, rule: "upgrades.3", detail: []string{aMixed},
		},
		{
			name: "a governor's short timelock is still no delay",
			contracts: []scorers.ContractFacts{
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aTL}, timelockFacts(aTL, "timelock.min_delay", twoDays))...)),
				cf("Governor", aGov, facts("code", codeHash, "governor.voting_period", "50400", "governor.timelock", aTL)),
			},
			want: 1, rule: "upgrades.1", detail: []string{aTL},
		},
		{
			name:      "no proxy and no owner: immutable",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts("code", codeHash))},
			want:      4, rule: "upgrades.4", detail: []string{aToken},
		},
		{
			name:      "no proxy, no owner, an AccessControl admin that is an EOA: one key can grant minting",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts("code", codeHash, "access.control", "true", "access.admin_count", "1", "access.admins", aEOA, aEOA+".is_contract", "false"))},
			want:      0, rule: "upgrades.0", detail: []string{aToken, aEOA, "AccessControl admin"},
		},
		{
			name:      "no proxy, no owner, an AccessControl admin that is a 4-of-7 Safe",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts(join([]string{"code", codeHash, "access.control", "true", "access.admin_count", "1", "access.admins", aSafe}, safeFacts(aSafe, 7, 4))...))},
			want:      2, rule: "upgrades.2", detail: []string{aToken, aSafe},
		},

		{
			name: "UUPS proxy whose AccessControl admin is an EOA",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "access.control", "true",
				"access.admin_count", "1", "access.admins", aEOA, aEOA+".is_contract", "false"))},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, aEOA, "AccessControl admin"},
		},
		{
			name: "UUPS proxy: the weakest of its admins decides (a 4-of-7 Safe and an EOA)",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "access.control", "true",
				"access.admin_count", "2", "access.admins", aSafe + "," + aEOA, aEOA + ".is_contract", "false"}, safeFacts(aSafe, 7, 4))...))},
			want: 0, rule: "upgrades.0", detail: []string{aEOA},
		},
		{
			name: "UUPS proxy: an EOA admin decides even beside one that was not read",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "access.control", "true",
				"access.admin_count", "2", "access.admins", aEOA2+","+aEOA, aEOA+".is_contract", "false"))},
			want: 0, rule: "upgrades.0", detail: []string{aEOA},
		},
		{
			name: "UUPS proxy administered by a 4-of-7 Safe, all admins read",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "access.control", "true",
				"access.admin_count", "1", "access.admins", aSafe}, safeFacts(aSafe, 7, 4))...))},
			want: 2, rule: "upgrades.2", detail: []string{aSafe, "4-of-7", "AccessControl admin"},
		},
		{
			name: "UUPS proxy: an EOA among the admins read decides, though not all were read",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "access.control", "true",
				"access.admin_count", "6", "access.admins", aEOA, aEOA+".is_contract", "false"))},
			want: 0, rule: "upgrades.0", detail: []string{aEOA, "1 of 6 admins read"},
		},
		{
			name:      "renounced owner and no proxy: immutable",
			contracts: []scorers.ContractFacts{cf("Token", aToken, facts("code", codeHash, "owner", zeroAddr))},
			want:      4, rule: "upgrades.4", detail: []string{aToken},
		},
		{
			name: "beacon owned by an EOA",
			contracts: []scorers.ContractFacts{cf("BeaconProxy", aProxy, facts("code", codeHash, "beacon", aBeacon, "beacon.implementation", aImpl,
				aBeacon+".is_contract", "true", aBeacon+".owner", aEOA, aEOA+".is_contract", "false"))},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, aBeacon, aEOA, "beacon"},
		},
		{
			name: "weakest link: a 4-of-7 Safe owns one, an EOA administers the other",
			contracts: []scorers.ContractFacts{
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 7, 4))...)),
				cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "admin", aEOA, aEOA+".is_contract", "false")),
			},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, aEOA},
		},
		{
			name: "weakest link, other order",
			contracts: []scorers.ContractFacts{
				cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "admin", aEOA, aEOA+".is_contract", "false")),
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 7, 4))...)),
			},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, aEOA},
		},
		{
			name: "weakest link: immutable token, proxy behind an 8-day timelock",
			contracts: []scorers.ContractFacts{
				cf("Token", aToken, facts("code", codeHash)),
				cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "admin", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus))...)),
			},
			want: 2, rule: "upgrades.2", detail: []string{aProxy, aTL},
		},
		{
			name: "weakest link within one contract: Safe admin, EOA owner",
			contracts: []scorers.ContractFacts{cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "admin", aPA,
				aPA + ".is_contract", "true", aPA + ".owner", aSafe, "owner", aEOA, aEOA + ".is_contract", "false"}, safeFacts(aSafe, 7, 4))...))},
			want: 0, rule: "upgrades.0", detail: []string{aProxy, aEOA, "owner"},
		},
		{
			name: "no code: ignored",
			contracts: []scorers.ContractFacts{
				cf("Gone", aEOA2, facts("code", "none", "owner", aEOA, aEOA+".is_contract", "false")),
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 3, 2))...)),
			},
			want: 1, rule: "upgrades.1", detail: []string{aToken, aSafe},
		},
		{
			name: "the Safe and the timelock themselves are controllers, not assets",
			contracts: []scorers.ContractFacts{
				cf("Safe", aSafe, facts("code", codeHash, "safe.owners", aEOA+","+aEOA2, "safe.threshold", "1", aEOA+".is_contract", "false")),
				cf("Timelock", aTL, facts("code", codeHash, "timelock.min_delay", weekPlus)),
				cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe}, safeFacts(aSafe, 7, 5))...)),
			},
			want: 2, rule: "upgrades.2", detail: []string{aToken},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := scorers.SuggestUpgrades(tt.contracts)
			if !ok {
				t.Fatalf("no suggestion, want %d", tt.want)
			}
			if s.Level != tt.want || s.Axis != domain.AxisUpgrades {
				t.Errorf("%s %d (%s: %s), want %d", s.Axis, s.Level, s.Rule, s.Detail, tt.want)
			}
			if !strings.HasPrefix(s.Rule, tt.rule) {
				t.Errorf("rule %q, want %s", s.Rule, tt.rule)
			}
			for _, d := range tt.detail {
				if !strings.Contains(s.Detail, d) {
					t.Errorf("detail %q does not name %q", s.Detail, d)
				}
			}
			if s.Block != 123 || s.Chain != "eip155:1" {
				t.Errorf("block %d chain %q", s.Block, s.Chain)
			}
		})
	}
}

func TestSuggestUpgradesDecidesNothing(t *testing.T) {
	for name, cs := range map[string][]scorers.ContractFacts{
		"no contracts":         nil,
		"never read":           {cf("Token", aToken, nil)},
		"no facts":             {cf("Token", aToken, facts())},
		"only code none":       {cf("EOA", aEOA, facts("code", "none"))},
		"EOA with controllers": {cf("EOA", aEOA, facts("code", "none", "owner", aEOA2, aEOA2+".is_contract", "false"))},
		// An owner the reader could not classify decides nothing, and is not
		// taken for immutability either.
		"owner unread":             {cf("Token", aToken, facts("code", codeHash, "owner", aEOA))},
		"Safe without a threshold": {cf("Token", aToken, facts("code", codeHash, "owner", aSafe, aSafe+".is_contract", "true", aSafe+".safe.owners", aEOA))},
		"ProxyAdmin owner unknown": {cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "admin", aPA, aPA+".is_contract", "true"))},
		// A proxy with no admin slot and no owner (UUPS with roles) is not immutable.
		"implementation only": {cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl))},
		// AccessControl without a list of admins, or with one that was not read.
		"UUPS, roles not enumerable": {cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "access.control", "true"))},
		// Roles whose holders are unknown: not immutable either.
		// A Safe with a contract module: the module could do anything.
		"owner is a Safe with a contract module": {cf("Token", aToken, facts(join([]string{"code", codeHash, "owner", aSafe, aSafe + ".safe.modules", aGov,
			aGov + ".is_contract", "true"}, safeFacts(aSafe, 7, 4))...))},
		"token with roles, admins unknown": {cf("Token", aToken, facts("code", codeHash, "access.control", "true"))},
		// Every admin renounced: other roles (a minter) may still be held,
		// and they are not read, so not "no privileged role" either.
		"token with roles, admins renounced": {cf("Token", aToken, facts("code", codeHash, "access.control", "true", "access.admin_count", "0", "access.admins_source", "logs"))},
		"UUPS, a Safe among 6 admins, 5 not read": {cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "access.control", "true",
			"access.admin_count", "6", "access.admins", aSafe}, safeFacts(aSafe, 7, 4))...))},
		"UUPS, an admin unread beside a Safe": {cf("Proxy", aProxy, facts(join([]string{"code", codeHash, "implementation", aImpl, "access.control", "true",
			"access.admin_count", "2", "access.admins", aSafe + "," + aEOA2}, safeFacts(aSafe, 7, 4))...))},
		"a watched AccessManager alone (a controller, not an asset)": {cf("Manager", aPA, facts("code", codeHash, "access_manager", "true",
			"access_manager.admins", aEOA, "access_manager.admin_delays", "0", "access_manager.admin_count", "1", aEOA+".is_contract", "false"))},
		"AccessManaged, the manager's admins not all read": {cf("Vault", aToken, facts("code", codeHash, "authority", aPA, aPA+".is_contract", "true",
			aPA+".access_manager", "true", aPA+".access_manager.admins", aSafe, aPA+".access_manager.admin_delays", "0", aPA+".access_manager.admin_count", "6"))},
		"only controllers": {
			cf("Safe", aSafe, facts("code", codeHash, "safe.owners", aEOA, "safe.threshold", "1")),
			cf("Governor", aGov, facts("code", codeHash, "governor.voting_period", "5")),
		},
	} {
		if s, ok := scorers.SuggestUpgrades(cs); ok {
			t.Errorf("%s: suggested %d (%s: %s)", name, s.Level, s.Rule, s.Detail)
		}
	}
}

func TestSuggestGovernance(t *testing.T) {
	gov := func(kv ...string) scorers.ContractFacts {
		return cf("Governor", aGov, facts(append([]string{"code", codeHash, "governor.voting_period", "50400", "governor.voting_delay", "1"}, kv...)...))
	}
	tokenOwnedBy := func(owner string) scorers.ContractFacts {
		return cf("Token", aToken, facts("code", codeHash, "owner", owner, owner+".is_contract", "true"))
	}
	tests := []struct {
		name      string
		contracts []scorers.ContractFacts
		want      domain.Level // -1: no suggestion
		detail    []string
	}{
		{name: "no governor", want: -1, contracts: []scorers.ContractFacts{
			tokenOwnedBy(aTL),
			cf("Timelock", aTL, facts("code", codeHash, "timelock.min_delay", weekPlus)),
			cf("Safe", aSafe, facts("code", codeHash, "safe.owners", aEOA, "safe.threshold", "1")),
		}},
		{name: "no contracts", want: -1},
		{name: "governor without a timelock", want: 2, contracts: []scorers.ContractFacts{gov(), tokenOwnedBy(aSafe)},
			detail: []string{aGov, "50400"}},
		{name: "governor whose 8-day timelock owns a watched token", want: 3, contracts: []scorers.ContractFacts{
			tokenOwnedBy(aTL), gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus)...)...),
		}, detail: []string{aGov, aTL, weekPlus}},
		{name: "governor whose 7-day Compound timelock owns a watched token", want: 3, contracts: []scorers.ContractFacts{
			tokenOwnedBy(aTL), gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.delay", week)...)...),
		}, detail: []string{aTL}},
		{name: "governor whose timelock owns the ProxyAdmin of a watched proxy", want: 3, contracts: []scorers.ContractFacts{
			cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "admin", aPA, aPA+".is_contract", "true", aPA+".owner", aTL)),
			gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus)...)...),
		}, detail: []string{aTL}},
		{name: "governor whose timelock owns a watched ProxyAdmin", want: 3, contracts: []scorers.ContractFacts{
			cf("ProxyAdmin", aPA, facts("code", codeHash, "owner", aTL, aTL+".is_contract", "true")),
			gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus)...)...),
		}, detail: []string{aTL}},
		{name: "governor whose timelock is the admin of a watched proxy", want: 3, contracts: []scorers.ContractFacts{
			cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "admin", aTL)),
			gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus)...)...),
		}, detail: []string{aTL}},
		{name: "governor whose timelock is the AccessControl admin of a watched UUPS proxy", want: 3, contracts: []scorers.ContractFacts{
			cf("Proxy", aProxy, facts("code", codeHash, "implementation", aImpl, "access.control", "true", "access.admin_count", "1", "access.admins", aTL)),
			gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus)...)...),
		}, detail: []string{aTL}},
		{name: "governor whose timelock is the AccessControl admin of a watched token", want: 3, contracts: []scorers.ContractFacts{
			cf("Token", aToken, facts("code", codeHash, "access.control", "true", "access.admin_count", "1", "access.admins", aTL)),
			gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus)...)...),
		}, detail: []string{aTL}},
		{name: "GovernorBravo-style: the timelock is the admin() of a watched cToken", want: 3, contracts: []scorers.ContractFacts{
			cf("cToken", aToken, facts("code", codeHash, "implementation", aImpl, "compound.admin", aTL)),
			gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.delay", weekPlus)...)...),
		}, detail: []string{aTL}},
		{name: "governor whose timelock is an admin of a watched contract's AccessManager", want: 3, contracts: []scorers.ContractFacts{
			cf("Vault", aToken, facts("code", codeHash, "authority", aPA, aPA+".access_manager", "true", aPA+".access_manager.admins", aTL,
				aPA+".access_manager.admin_delays", "0", aPA+".access_manager.admin_count", "1")),
			gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus)...)...),
		}, detail: []string{aTL}},
		{name: "governor whose timelock is short", want: 2, contracts: []scorers.ContractFacts{
			tokenOwnedBy(aTL), gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", twoDays)...)...),
		}, detail: []string{aGov, aTL}},
		{name: "governor whose timelock is one second short", want: 2, contracts: []scorers.ContractFacts{
			tokenOwnedBy(aTL), gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", almostWk)...)...),
		}},
		{name: "governor whose long timelock controls nothing watched", want: 2, contracts: []scorers.ContractFacts{
			tokenOwnedBy(aSafe), gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus)...)...),
		}},
		{name: "governor whose timelock delay is unread", want: 2, contracts: []scorers.ContractFacts{
			tokenOwnedBy(aTL), gov("governor.timelock", aTL),
		}},
		{name: "the better of two governors", want: 3, contracts: []scorers.ContractFacts{
			cf("Old governor", aEOA2, facts("code", codeHash, "governor.voting_period", "100")),
			tokenOwnedBy(aTL), gov(append([]string{"governor.timelock", aTL}, timelockFacts(aTL, "timelock.min_delay", weekPlus)...)...),
		}, detail: []string{aGov}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := scorers.SuggestGovernance(tt.contracts)
			if tt.want < 0 {
				if ok {
					t.Fatalf("suggested %d (%s: %s), want nothing", s.Level, s.Rule, s.Detail)
				}
				return
			}
			if !ok {
				t.Fatalf("no suggestion, want %d", tt.want)
			}
			if s.Axis != domain.AxisGovernance || s.Level != tt.want || s.Rule != fmt.Sprintf("governance.%d", tt.want) {
				t.Errorf("%s %d %q (%s), want %d", s.Axis, s.Level, s.Rule, s.Detail, tt.want)
			}
			for _, d := range tt.detail {
				if !strings.Contains(s.Detail, d) {
					t.Errorf("detail %q does not name %q", s.Detail, d)
				}
			}
			if s.Block != 123 || s.Chain != "eip155:1" {
				t.Errorf("block %d chain %q", s.Block, s.Chain)
			}
		})
	}
}
