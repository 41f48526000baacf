package onchain_test

import (
	"context"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/onchain"
	"github.com/deai-scorecard/scorecard/onchain/chaintest"
	"github.com/deai-scorecard/scorecard/store"
)

// The project the tests watch contracts for: a seeded one, whose own
// seeded contracts sit on eip155:1 (no reader in these tests unless said).
const slug = "olas"

const simChain = "eip155:1337"

func openSeeded(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "scorecard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if seeded, _, err := db.SeedIfEmpty(ctx); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	return db
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// watchedWorld is a deployed world whose contracts the seeded store watches.
type watchedWorld struct {
	*world
	db  *store.DB
	ids map[string]int64 // by name
}

func watchWorld(t *testing.T) *watchedWorld {
	t.Helper()
	w := &watchedWorld{world: deployWorld(t), db: openSeeded(t), ids: map[string]int64{}}
	for _, c := range []struct {
		name string
		addr common.Address
		role domain.ContractRole
	}{
		{"proxy", w.proxy, domain.RoleProxy},
		{"token", w.token, domain.RoleToken},
		{"safe", w.safe, domain.RoleSafe},
		{"proxyAdmin", w.proxyAdmin, domain.RoleProxyAdmin},
		{"timelock", w.timelock, domain.RoleTimelock},
		{"governor", w.governor, domain.RoleGovernor},
		{"beaconProxy", w.beaconProxy, domain.RoleProxy},
	} {
		added, err := w.db.AddContract(context.Background(), slug, domain.Contract{Chain: simChain, Address: c.addr.Hex(), Role: c.role, Label: c.name})
		if err != nil {
			t.Fatal(err)
		}
		w.ids[c.name] = added.ID
	}
	return w
}

// factsOf returns what ContractFacts shows for one contract.
func (w *watchedWorld) factsOf(t *testing.T, id int64) domain.ContractFacts {
	t.Helper()
	p, err := w.db.Project(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	all, err := w.db.ContractFacts(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, cf := range all {
		if cf.Contract.ID == id {
			return cf
		}
	}
	t.Fatalf("contract %d not listed", id)
	return domain.ContractFacts{}
}

func factValues(cf domain.ContractFacts) map[string]string {
	m := map[string]string{}
	for _, f := range cf.Facts {
		m[f.Key] = f.Value
	}
	return m
}

// seededElsewhere counts the project's watched eip155 contracts on chains
// other than the simulated one (slug "" for every project).
func seededElsewhere(t *testing.T, db *store.DB, slug string) int {
	t.Helper()
	ws, err := db.WatchedContracts(context.Background(), slug, "eip155:")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range ws {
		if w.Chain != simChain {
			n++
		}
	}
	return n
}

func dialReader(t *testing.T, url string, chainID uint64, multicall common.Address) *onchain.EVM {
	t.Helper()
	r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: url, ChainID: chainID, Multicall: multicall, CallTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

type change struct {
	contract string
	key      string
	grade    domain.Grade
}

func TestRecheckRecordsFactsThenExactlyTheChanges(t *testing.T) {
	ctx := context.Background()
	w := watchWorld(t)
	c := w.chain
	checker := onchain.NewChecker(w.db, []*onchain.EVM{dialReader(t, c.URL, 1337, w.multicall)}, quietLog())
	if !checker.Configured() || !reflect.DeepEqual(checker.Chains(), []string{simChain}) {
		t.Fatalf("configured %v chains %v", checker.Configured(), checker.Chains())
	}
	elsewhere := seededElsewhere(t, w.db, slug)
	if elsewhere == 0 {
		t.Fatal("the seeded project has no eip155 contracts on other chains; NotChecked would prove nothing")
	}

	// 1. The first re-check stores facts and no changes.
	sum, err := checker.Recheck(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Chains != 1 || sum.Contracts != len(w.ids) || sum.Facts == 0 || len(sum.Changes) != 0 || len(sum.Errors) != 0 ||
		sum.NotChecked != elsewhere || sum.RoundTrips < 1 || sum.Duration <= 0 {
		t.Fatalf("first re-check: %+v", sum)
	}
	proxy := w.factsOf(t, w.ids["proxy"])
	if proxy.Run == nil || !proxy.Run.OK || proxy.Run.Chain != simChain || proxy.Run.Block.Number == 0 || proxy.Run.Contracts != len(w.ids) {
		t.Fatalf("proxy's run %+v", proxy.Run)
	}
	firstBlock := proxy.Run.Block.Number
	stored := 0
	for name, id := range w.ids {
		cf := w.factsOf(t, id)
		if cf.Run == nil || cf.Run.ID != proxy.Run.ID || len(cf.Errors) != 0 || factValues(cf)["code"] == "" {
			t.Errorf("%s: run %+v errors %v", name, cf.Run, cf.Errors)
		}
		stored += len(cf.Facts)
	}
	if stored != sum.Facts {
		t.Errorf("%d facts stored, the summary says %d were read", stored, sum.Facts)
	}
	sf := w.safe.Hex() + "."
	signers := []string{w.signers[0].Hex(), w.signers[1].Hex(), w.signers[2].Hex()}
	expect(t, "proxy", factValues(proxy), map[string]string{
		"implementation": w.impl1.Hex(), "admin": w.proxyAdmin.Hex(), "owner": w.tokenOwnerEOA.Hex(),
		w.proxyAdmin.Hex() + ".owner": w.safe.Hex(), sf + "safe.threshold": "2", sf + "safe.owners": strings.Join(signers, ","),
	})
	expect(t, "token", factValues(w.factsOf(t, w.ids["token"])), map[string]string{"owner": c.From.Hex(), c.From.Hex() + ".is_contract": "false"})
	if changes, err := w.db.Changes(ctx, slug, 0); err != nil || len(changes) != 0 {
		t.Fatalf("changes after the first re-check: %v %v", changes, err)
	}

	// 2. Control moves on chain.
	newOwner := randomAddress()
	c.Transact(t, "OwnedToken", w.token, "transferOwnership", newOwner)
	c.Transact(t, "MiniSafe", w.safe, "changeThreshold", big.NewInt(1))
	c.Transact(t, "MiniSafe", w.safe, "removeOwner", w.signers[1], w.signers[2], big.NewInt(1))
	c.Transact(t, "MiniSafe", w.safe, "exec", w.proxyAdmin, big.NewInt(0), chaintest.Pack(t, "ProxyAdmin", "upgrade", w.proxy, w.impl2))

	sum, err = checker.Recheck(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Chains != 1 || sum.Contracts != len(w.ids) || len(sum.Errors) != 0 || sum.NotChecked != elsewhere {
		t.Fatalf("second re-check: %+v", sum)
	}
	names := map[int64]string{}
	for n, id := range w.ids {
		names[id] = n
	}
	removed := w.signers[2].Hex() + ".is_contract"
	want := []change{
		{"proxy", "implementation", domain.GradeHigh},
		{"proxy", sf + "safe.owners", domain.GradeHigh},
		{"proxy", sf + "safe.threshold", domain.GradeHigh},
		{"proxy", removed, domain.GradeLow},
		{"proxyAdmin", sf + "safe.owners", domain.GradeHigh},
		{"proxyAdmin", sf + "safe.threshold", domain.GradeHigh},
		{"proxyAdmin", removed, domain.GradeLow},
		{"safe", "safe.owners", domain.GradeHigh},
		{"safe", "safe.threshold", domain.GradeHigh},
		{"safe", removed, domain.GradeLow},
		{"token", "owner", domain.GradeHigh},
		{"token", c.From.Hex() + ".is_contract", domain.GradeLow},
		{"token", newOwner.Hex() + ".is_contract", domain.GradeLow},
	}
	sortChanges := func(cs []change) {
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].contract != cs[j].contract {
				return cs[i].contract < cs[j].contract
			}
			return cs[i].key < cs[j].key
		})
	}
	sortChanges(want)
	var got []change
	values := map[change][2]string{}
	for _, e := range sum.Changes {
		ch := change{names[e.ContractID], e.Key, e.Grade}
		got = append(got, ch)
		values[ch] = [2]string{e.Old, e.New}
		if e.OldBlock != firstBlock || e.NewBlock <= firstBlock {
			t.Errorf("%s %s: blocks %d -> %d, first run at %d", ch.contract, e.Key, e.OldBlock, e.NewBlock, firstBlock)
		}
	}
	sortChanges(got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("changes\n got %v\nwant %v", got, want)
	}
	for ch, ov := range map[change][2]string{
		{"proxy", "implementation", domain.GradeHigh}:               {w.impl1.Hex(), w.impl2.Hex()},
		{"token", "owner", domain.GradeHigh}:                        {c.From.Hex(), newOwner.Hex()},
		{"safe", "safe.threshold", domain.GradeHigh}:                {"2", "1"},
		{"safe", "safe.owners", domain.GradeHigh}:                   {strings.Join(signers, ","), strings.Join(signers[:2], ",")},
		{"proxyAdmin", sf + "safe.threshold", domain.GradeHigh}:     {"2", "1"},
		{"safe", removed, domain.GradeLow}:                          {"false", ""},
		{"token", newOwner.Hex() + ".is_contract", domain.GradeLow}: {"", "false"},
	} {
		if values[ch] != ov {
			t.Errorf("%v: %q -> %q, want %q -> %q", ch, values[ch][0], values[ch][1], ov[0], ov[1])
		}
	}
	// The store lists the same events for the project.
	storedChanges, err := w.db.Changes(ctx, slug, 0)
	if err != nil || len(storedChanges) != len(want) {
		t.Fatalf("stored changes: %d %v", len(storedChanges), err)
	}
	for _, e := range storedChanges {
		if e.ProjectSlug != slug || e.Chain != simChain || e.Address == "" {
			t.Errorf("stored change %+v", e)
		}
	}
	expect(t, "proxy after", factValues(w.factsOf(t, w.ids["proxy"])), map[string]string{"implementation": w.impl2.Hex(), sf + "safe.threshold": "1"})

	// 3. Nothing moved since: a third re-check finds no changes.
	sum, err = checker.Recheck(ctx, slug)
	if err != nil || len(sum.Changes) != 0 {
		t.Fatalf("third re-check: %v %v", sum.Changes, err)
	}
}

func TestRecheckDeadEndpointRecordsAFailedRun(t *testing.T) {
	ctx := context.Background()
	w := watchWorld(t)
	good := onchain.NewChecker(w.db, []*onchain.EVM{dialReader(t, w.chain.URL, 1337, w.multicall)}, nil)
	if _, err := good.Recheck(ctx, slug); err != nil {
		t.Fatal(err)
	}
	before := w.factsOf(t, w.ids["token"])
	if before.Run == nil || len(before.Facts) == 0 {
		t.Fatalf("no facts after a good re-check: %+v", before)
	}

	srv := httptest.NewServer(http.NotFoundHandler())
	deadURL := srv.URL
	srv.Close() // nothing listens there any more
	dead := onchain.NewChecker(w.db, []*onchain.EVM{dialReader(t, deadURL, 1337, w.multicall)}, quietLog())
	start := time.Now()
	sum, err := dead.Recheck(ctx, slug)
	if err != nil {
		t.Fatalf("a dead endpoint is a failed run, not an error of the re-check: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("a refused connection took %s", time.Since(start))
	}
	if sum.Chains != 1 || sum.Contracts != 0 || sum.Facts != 0 || len(sum.Changes) != 0 || len(sum.Errors) != 1 || sum.Failed != 1 ||
		!strings.HasPrefix(sum.Errors[0], simChain+": ") {
		t.Fatalf("summary %+v", sum)
	}
	for name, id := range w.ids {
		cf := w.factsOf(t, id)
		if cf.LastRun == nil || cf.LastRun.OK || cf.LastRun.Error == "" || cf.LastRun.ID == before.Run.ID {
			t.Fatalf("%s: last run %+v", name, cf.LastRun)
		}
		if len(cf.Errors) != 1 || cf.Errors[0] != cf.LastRun.Error {
			t.Errorf("%s: errors %v", name, cf.Errors)
		}
		// The facts of the last successful run are still there.
		if cf.Run == nil || cf.Run.ID != before.Run.ID || len(cf.Facts) == 0 {
			t.Errorf("%s: run %+v, %d facts", name, cf.Run, len(cf.Facts))
		}
	}
	if !reflect.DeepEqual(w.factsOf(t, w.ids["token"]).Facts, before.Facts) {
		t.Fatal("a failed run changed the facts shown")
	}

	// When the endpoint comes back, the next run diffs against the last
	// good one: nothing changed on chain, so nothing is reported.
	sum, err = good.Recheck(ctx, slug)
	if err != nil || len(sum.Changes) != 0 || len(sum.Errors) != 0 {
		t.Fatalf("after recovery: %+v %v", sum, err)
	}
}

func TestRecheckWrongChainIDStopsUsingTheEndpoint(t *testing.T) {
	ctx := context.Background()
	w := watchWorld(t)
	// A reader configured for chain 1 but pointed at the simulated chain
	// (1337): the seeded project's eip155:1 contracts are its to read.
	wrong := dialReader(t, w.chain.URL, 1, w.multicall)
	checker := onchain.NewChecker(w.db, []*onchain.EVM{dialReader(t, w.chain.URL, 1337, w.multicall), wrong}, quietLog())
	if !reflect.DeepEqual(checker.Chains(), []string{"eip155:1", simChain}) {
		t.Fatalf("chains %v", checker.Chains())
	}
	p, _ := w.db.Project(ctx, slug)
	onMainnet := func() []domain.ContractFacts {
		all, err := w.db.ContractFacts(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []domain.ContractFacts
		for _, cf := range all {
			if cf.Contract.Chain == "eip155:1" {
				out = append(out, cf)
			}
		}
		return out
	}
	mainnet := len(onMainnet())
	if mainnet == 0 {
		t.Fatal("no seeded eip155:1 contracts")
	}

	sum, err := checker.Recheck(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	// The simulated chain is read; the wrong endpoint is a failed run.
	if sum.Chains != 2 || sum.Contracts != len(w.ids) || len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0], "eip155:1: misconfigured endpoint") ||
		!strings.Contains(sum.Errors[0], "1337") {
		t.Fatalf("first re-check: %+v", sum)
	}
	failedRun := int64(0)
	for _, cf := range onMainnet() {
		if cf.LastRun == nil || cf.LastRun.OK || !strings.Contains(cf.LastRun.Error, "misconfigured endpoint") || cf.Run != nil || len(cf.Facts) != 0 {
			t.Fatalf("%s: last run %+v run %+v", cf.Contract.Address, cf.LastRun, cf.Run)
		}
		if failedRun == 0 {
			failedRun = cf.LastRun.ID
		} else if cf.LastRun.ID != failedRun {
			t.Errorf("one chain, two runs: %d and %d", failedRun, cf.LastRun.ID)
		}
	}
	simRun := w.factsOf(t, w.ids["token"]).LastRun.ID

	// The next re-check does not use the endpoint: no new run for its
	// contracts, which are counted as not checked, and it says why.
	tripsBefore := wrong.RoundTrips()
	sum, err = checker.Recheck(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Chains != 1 || sum.NotChecked != seededElsewhere(t, w.db, slug) || len(sum.Errors) != 1 ||
		!strings.Contains(sum.Errors[0], "eip155:1: endpoint not used") || !strings.Contains(sum.Errors[0], "1337") {
		t.Fatalf("second re-check: %+v", sum)
	}
	if wrong.RoundTrips() != tripsBefore {
		t.Errorf("the misconfigured endpoint was asked again (%d -> %d requests)", tripsBefore, wrong.RoundTrips())
	}
	for _, cf := range onMainnet() {
		if cf.LastRun == nil || cf.LastRun.ID != failedRun {
			t.Fatalf("%s: a new run %+v", cf.Contract.Address, cf.LastRun)
		}
	}
	if id := w.factsOf(t, w.ids["token"]).LastRun.ID; id <= simRun {
		t.Fatalf("the good chain was not re-checked (run %d, before %d)", id, simRun)
	}
}

func TestRecheckCountsContractsWithoutAReader(t *testing.T) {
	ctx := context.Background()
	w := watchWorld(t)
	checker := onchain.NewChecker(w.db, []*onchain.EVM{dialReader(t, w.chain.URL, 1337, w.multicall)}, nil)
	// Every project: every eip155 contract off the simulated chain is not
	// checked; cosmos, solana and chainless rows are not EVM contracts at all.
	all, err := w.db.WatchedContracts(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	evmElsewhere, other := 0, 0
	for _, c := range all {
		switch {
		case c.Chain == simChain:
		case strings.HasPrefix(c.Chain, "eip155:"):
			evmElsewhere++
		default:
			other++
		}
	}
	if evmElsewhere == 0 || other == 0 {
		t.Fatalf("seed has %d eip155 and %d other contracts", evmElsewhere, other)
	}
	sum, err := checker.Recheck(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.NotChecked != evmElsewhere || sum.Chains != 1 || sum.Contracts != len(w.ids) {
		t.Fatalf("summary %+v, want %d not checked", sum, evmElsewhere)
	}
	// No reader at all: nothing is read and everything is not checked.
	none := onchain.NewChecker(w.db, nil, nil)
	if none.Configured() || len(none.Chains()) != 0 {
		t.Fatal("a checker without readers says it is configured")
	}
	sum, err = none.Recheck(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Chains != 0 || sum.Contracts != 0 || sum.NotChecked != seededElsewhere(t, w.db, slug)+len(w.ids) {
		t.Fatalf("no readers: %+v", sum)
	}
	if _, err := checker.Recheck(ctx, "no-such-project"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("unknown project: %v", err)
	}
}

// scheduleReturns runs Schedule and fails the test unless it returns within limit.
func scheduleReturns(t *testing.T, c *onchain.Checker, ctx context.Context, interval time.Duration, limit time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Schedule(ctx, interval, 0)
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("Schedule did not return within %s", limit)
	}
}

func TestScheduleStopsAndIdles(t *testing.T) {
	w := watchWorld(t)
	token := w.ids["token"]

	// No reader: returns at once, even with a context that never ends, and reads nothing.
	scheduleReturns(t, onchain.NewChecker(w.db, nil, nil), context.Background(), time.Millisecond, time.Second)
	if cf := w.factsOf(t, token); cf.LastRun != nil {
		t.Fatalf("a checker without readers ran: %+v", cf.LastRun)
	}

	reader := dialReader(t, w.chain.URL, 1337, w.multicall)
	checker := onchain.NewChecker(w.db, []*onchain.EVM{reader}, nil)
	// No interval: nothing scheduled.
	scheduleReturns(t, checker, context.Background(), 0, time.Second)

	// Cancelled before it starts.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	scheduleReturns(t, checker, ctx, time.Hour, time.Second)
	if reader.RoundTrips() != 0 {
		t.Fatalf("%d requests without a scheduled run", reader.RoundTrips())
	}

	// Cancelled while waiting for its first run (which starts up to 5 s in).
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	scheduleReturns(t, checker, ctx, time.Hour, 2*time.Second)
}

func TestScheduleRechecks(t *testing.T) {
	w := watchWorld(t)
	checker := onchain.NewChecker(w.db, []*onchain.EVM{dialReader(t, w.chain.URL, 1337, w.multicall)}, quietLog())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		checker.Schedule(ctx, time.Hour, 0)
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Error("Schedule did not return after cancel")
		}
	}()
	// The first run starts within 5 s of start-up.
	deadline := time.Now().Add(8 * time.Second)
	for {
		if cf := w.factsOf(t, w.ids["token"]); cf.Run != nil {
			if !cf.Run.OK || len(cf.Facts) == 0 {
				t.Fatalf("scheduled run %+v", cf.Run)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no scheduled run within 8 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// With an hour's interval, no second run follows.
	first := w.factsOf(t, w.ids["token"]).LastRun.ID
	time.Sleep(100 * time.Millisecond)
	if id := w.factsOf(t, w.ids["token"]).LastRun.ID; id != first {
		t.Fatalf("a second run %d within the interval", id)
	}
}

// A contract that cannot be read whole is a contract error, not a failed
// chain: the schedule retries only failed chains sooner than the interval.
func TestRecheckContractErrorIsNotAFailedChain(t *testing.T) {
	ctx := context.Background()
	w := watchWorld(t)
	if _, err := w.db.AddContract(ctx, slug, domain.Contract{Chain: simChain, Address: "0x00000000000000000000000000000000000000zz", Role: domain.RoleOther}); err != nil {
		t.Skipf("the store refuses a malformed address itself: %v", err)
	}
	c := onchain.NewChecker(w.db, []*onchain.EVM{dialReader(t, w.chain.URL, 1337, w.multicall)}, nil)
	sum, err := c.Recheck(ctx, slug)
	if err != nil || len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0], "is not an EVM address") || sum.Failed != 0 || sum.Contracts == 0 {
		t.Fatalf("summary %+v, err %v: want one contract error and no failed chain", sum, err)
	}
}
