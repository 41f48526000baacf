package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/store"
)

// Seeded projects without watched contracts, so every contract of theirs
// is one a test added.
const (
	projA = "akash"
	projB = "ritual"
)

const (
	addrA = "0x00000000000000000000000000000000000000A1"
	addrB = "0x00000000000000000000000000000000000000B2"
	addrC = "0x00000000000000000000000000000000000000C3"
)

func mustAdd(t *testing.T, db *store.DB, slug, chain, addr string) domain.Contract {
	t.Helper()
	c, err := db.AddContract(context.Background(), slug, domain.Contract{Chain: chain, Address: addr, Role: domain.RoleToken, Label: "L " + addr})
	if err != nil {
		t.Fatalf("add %s %s to %s: %v", chain, addr, slug, err)
	}
	if c.ID == 0 || c.ProjectID == 0 {
		t.Fatalf("added contract has no id: %+v", c)
	}
	return c
}

func contractsOf(t *testing.T, db *store.DB, slug string) []domain.Contract {
	t.Helper()
	p, err := db.Project(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := db.Contracts(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestAddContract(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	good := domain.Contract{Chain: "eip155:1", Address: addrA, Role: domain.RoleProxy, Label: "Proxy", SourceURL: "https://example.org/deploy", Note: "n"}
	c, err := db.AddContract(ctx, projA, good)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.Project(ctx, projA)
	if c.ProjectID != p.ID || c.ID == 0 {
		t.Fatalf("added %+v, project %d", c, p.ID)
	}
	cs := contractsOf(t, db, projA)
	if len(cs) != 1 || cs[0] != c {
		t.Fatalf("stored %+v, want %+v", cs, c)
	}

	cases := []struct {
		name string
		slug string
		c    domain.Contract
		code string
	}{
		{"unknown project", "no-such-project", good, domain.ENOTFOUND},
		{"empty role", projA, domain.Contract{Chain: "eip155:1", Address: addrB}, domain.EINVALID},
		{"unknown role", projA, domain.Contract{Chain: "eip155:1", Address: addrB, Role: "janitor"}, domain.EINVALID},
		{"chain not CAIP-2", projA, domain.Contract{Chain: "ethereum", Address: addrB, Role: domain.RoleToken}, domain.EINVALID},
		{"chain upper-case namespace", projA, domain.Contract{Chain: "EIP155:1", Address: addrB, Role: domain.RoleToken}, domain.EINVALID},
		{"chain without reference", projA, domain.Contract{Chain: "eip155:", Address: addrB, Role: domain.RoleToken}, domain.EINVALID},
		{"empty address", projA, domain.Contract{Chain: "eip155:1", Address: "  ", Role: domain.RoleToken}, domain.EINVALID},
		{"source not http", projA, domain.Contract{Chain: "eip155:1", Address: addrB, Role: domain.RoleToken, SourceURL: "javascript:alert(1)"}, domain.EINVALID},
		{"eip155 chain id not a number", projA, domain.Contract{Chain: "eip155:abc", Address: addrB, Role: domain.RoleToken}, domain.EINVALID},
		{"label too long", projA, domain.Contract{Chain: "eip155:1", Address: addrB, Role: domain.RoleToken, Label: strings.Repeat("x", domain.MaxContractLabel+1)}, domain.EINVALID},
		{"label of two lines", projA, domain.Contract{Chain: "eip155:1", Address: addrB, Role: domain.RoleToken, Label: "a\nb"}, domain.EINVALID},
		{"source relative", projA, domain.Contract{Chain: "eip155:1", Address: addrB, Role: domain.RoleToken, SourceURL: "/docs"}, domain.EINVALID},
		{"duplicate", projA, good, domain.ECONFLICT},
		{"duplicate in lower case", projA, domain.Contract{Chain: "eip155:1", Address: strings.ToLower(addrA), Role: domain.RoleToken}, domain.ECONFLICT},
		{"duplicate in upper case", projA, domain.Contract{Chain: "eip155:1", Address: "0x" + strings.ToUpper(addrA[2:]), Role: domain.RoleOther}, domain.ECONFLICT},
	}
	for _, tt := range cases {
		if _, err := db.AddContract(ctx, tt.slug, tt.c); domain.ErrorCode(err) != tt.code {
			t.Errorf("%s: got %v (%s), want %s", tt.name, err, domain.ErrorCode(err), tt.code)
		}
	}
	if cs := contractsOf(t, db, projA); len(cs) != 1 {
		t.Fatalf("rejected adds stored contracts: %+v", cs)
	}

	// The same address on another chain, or in another project, is another contract.
	mustAdd(t, db, projA, "eip155:8453", addrA)
	mustAdd(t, db, projB, "eip155:1", addrA)
	// No chain given is allowed (the source does not say).
	mustAdd(t, db, projA, "", addrB)
	if cs := contractsOf(t, db, projA); len(cs) != 3 {
		t.Fatalf("%d contracts, want 3", len(cs))
	}
}

func TestWatchedContracts(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	a1 := mustAdd(t, db, projA, "eip155:1", addrA)
	a2 := mustAdd(t, db, projA, "cosmos:fetchhub-4", "fetch1qxxlalvsdjd07p07y3rc5fu6ll8k4tmetpha8n")
	a3 := mustAdd(t, db, projA, "", addrB)
	a4 := mustAdd(t, db, projA, "eip155:8453", addrC)
	b1 := mustAdd(t, db, projB, "eip155:1", addrC)

	ids := func(ws []store.WatchedContract) []int64 {
		var out []int64
		for _, w := range ws {
			out = append(out, w.ID)
		}
		return out
	}
	got, err := db.WatchedContracts(ctx, projA, "eip155:")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{a1.ID, a4.ID}; !reflect.DeepEqual(ids(got), want) {
		t.Fatalf("eip155 contracts of %s: %v, want %v", projA, ids(got), want)
	}
	for _, w := range got {
		if w.ProjectSlug != projA || w.ProjectID != a1.ProjectID || w.Address == "" || w.Role != domain.RoleToken {
			t.Errorf("watched %+v", w)
		}
	}
	if got[0].Chain != "eip155:1" || got[0].Address != addrA || got[0].Label != "L "+addrA {
		t.Errorf("first watched %+v", got[0])
	}

	got, err = db.WatchedContracts(ctx, projA, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{a1.ID, a2.ID, a3.ID, a4.ID}; !reflect.DeepEqual(ids(got), want) {
		t.Fatalf("all contracts of %s: %v, want %v", projA, ids(got), want)
	}

	got, err = db.WatchedContracts(ctx, projA, "cosmos:")
	if err != nil || !reflect.DeepEqual(ids(got), []int64{a2.ID}) {
		t.Fatalf("cosmos contracts: %v %v", ids(got), err)
	}
	// The prefix is a prefix, not a pattern: LIKE wildcards are literal.
	for _, prefix := range []string{"eip155_", "%", "eip%", "_ip155:"} {
		if got, err := db.WatchedContracts(ctx, projA, prefix); err != nil || len(got) != 0 {
			t.Errorf("prefix %q matched %v (%v)", prefix, ids(got), err)
		}
	}

	// Every project: only eip155 rows, the seeded ones included, each
	// with its project's slug.
	all, err := db.WatchedContracts(ctx, "", "eip155:")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	slugs := map[string]bool{}
	for _, w := range all {
		if !strings.HasPrefix(w.Chain, "eip155:") {
			t.Errorf("non-eip155 contract %+v", w)
		}
		seen[w.ID] = true
		slugs[w.ProjectSlug] = true
	}
	for _, c := range []domain.Contract{a1, a4, b1} {
		if !seen[c.ID] {
			t.Errorf("contract %d missing from the listing of every project", c.ID)
		}
	}
	if seen[a2.ID] || seen[a3.ID] {
		t.Error("non-eip155 contracts listed")
	}
	if !slugs["olas"] || !slugs[projB] || len(all) < 10 {
		t.Errorf("listing of every project: %d contracts of %v", len(all), slugs)
	}
	// Ordered by project slug, then id.
	if !sort.SliceIsSorted(all, func(i, j int) bool {
		if all[i].ProjectSlug != all[j].ProjectSlug {
			return all[i].ProjectSlug < all[j].ProjectSlug
		}
		return all[i].ID < all[j].ID
	}) {
		t.Error("not ordered by project and id")
	}
	for _, w := range all {
		if w.ID == b1.ID && w.ProjectSlug != projB {
			t.Errorf("contract of %s listed under %s", projB, w.ProjectSlug)
		}
	}

	if _, err := db.WatchedContracts(ctx, "no-such-project", ""); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("unknown project: %v", err)
	}
	// A project without contracts: an empty list, not an error.
	if got, err := db.WatchedContracts(ctx, "io-net", "eip155:"); err != nil || len(got) != 0 {
		t.Fatalf("io-net: %v %v", got, err)
	}
}

// runs builds run records for one chain with increasing blocks and times.
type runs struct {
	chain string
	block uint64
	t0    time.Time
}

func (r *runs) ok(covered []int64, facts ...domain.Fact) store.RunRecord {
	r.block += 10
	at := r.t0.Add(time.Duration(r.block) * time.Minute)
	return store.RunRecord{
		Run: domain.CheckRun{Chain: r.chain, OK: true, StartedAt: at.Add(-time.Second), FinishedAt: at, RoundTrips: 3,
			Block: domain.BlockRef{Chain: r.chain, Number: r.block, Hash: fmt.Sprintf("0x%064x", r.block), Time: at.Add(-time.Minute)}},
		Covered: covered, Facts: facts,
	}
}

func (r *runs) failed(covered []int64, msg string) store.RunRecord {
	at := r.t0.Add(time.Duration(r.block+5) * time.Minute)
	return store.RunRecord{Run: domain.CheckRun{Chain: r.chain, StartedAt: at.Add(-time.Second), FinishedAt: at, Error: msg, RoundTrips: 1}, Covered: covered}
}

func fact(id int64, key, value string) domain.Fact {
	return domain.Fact{ContractID: id, Key: key, Value: value}
}

// grader grades "owner" high and everything else low, and remembers what
// it was asked, to show RecordRun grades with the grader it is given.
type grader struct{ calls []string }

func (g *grader) grade(key, old, new string) domain.Grade {
	g.calls = append(g.calls, key+":"+old+">"+new)
	if key == "owner" {
		return domain.GradeHigh
	}
	return domain.GradeLow
}

func noGrade(t *testing.T) store.Grader {
	return func(key, old, new string) domain.Grade {
		t.Errorf("graded %s %q -> %q: there is nothing to diff against", key, old, new)
		return domain.GradeLow
	}
}

type ev struct {
	contract int64
	key      string
	old, new string
	grade    domain.Grade
}

func evs(events []domain.ChangeEvent) []ev {
	out := make([]ev, len(events))
	for i, e := range events {
		out[i] = ev{e.ContractID, e.Key, e.Old, e.New, e.Grade}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].contract != out[j].contract {
			return out[i].contract < out[j].contract
		}
		return out[i].key < out[j].key
	})
	return out
}

func factMap(fs []domain.Fact) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		m[f.Key] = f.Value
	}
	return m
}

func factsOfContract(t *testing.T, db *store.DB, c domain.Contract) domain.ContractFacts {
	t.Helper()
	all, err := db.ContractFacts(context.Background(), c.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	for _, cf := range all {
		if cf.Contract.ID == c.ID {
			return cf
		}
	}
	t.Fatalf("contract %d not in ContractFacts", c.ID)
	return domain.ContractFacts{}
}

func TestRecordRunDiffsAgainstLastSuccessfulRun(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	a := mustAdd(t, db, projA, "eip155:1", addrA)
	b := mustAdd(t, db, projA, "eip155:1", addrB)
	r := &runs{chain: "eip155:1", block: 100, t0: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}

	// Never checked: no run, no facts.
	if cf := factsOfContract(t, db, a); cf.Run != nil || cf.LastRun != nil || cf.Facts != nil || cf.Errors != nil {
		t.Fatalf("unchecked contract: %+v", cf)
	}

	// 1. The first successful run is the baseline: facts, no events.
	rec1 := r.ok([]int64{a.ID, b.ID},
		fact(a.ID, "owner", addrC), fact(a.ID, "code", "0xc0de"), fact(a.ID, "safe.threshold", "2"),
		fact(b.ID, "code", "0xbeef"), fact(b.ID, "admin", addrC))
	run1, events, err := db.RecordRun(ctx, rec1, noGrade(t))
	if err != nil || run1 == 0 || len(events) != 0 {
		t.Fatalf("first run: id %d events %v err %v", run1, events, err)
	}
	cf := factsOfContract(t, db, a)
	if cf.Run == nil || cf.Run.ID != run1 || !cf.Run.OK || cf.Run.Block.Number != 110 || cf.Run.Block.Hash != rec1.Run.Block.Hash ||
		!cf.Run.Block.Time.Equal(rec1.Run.Block.Time) || cf.Run.Chain != "eip155:1" || cf.Run.RoundTrips != 3 || cf.Run.Contracts != 2 ||
		!cf.Run.FinishedAt.Equal(rec1.Run.FinishedAt) || !cf.Run.StartedAt.Equal(rec1.Run.StartedAt) {
		t.Fatalf("first run as stored: %+v", cf.Run)
	}
	if cf.LastRun == nil || cf.LastRun.ID != run1 || len(cf.Errors) != 0 {
		t.Fatalf("last run %+v errors %v", cf.LastRun, cf.Errors)
	}
	if want := map[string]string{"owner": addrC, "code": "0xc0de", "safe.threshold": "2"}; !reflect.DeepEqual(factMap(cf.Facts), want) {
		t.Fatalf("facts %v, want %v", factMap(cf.Facts), want)
	}
	for _, f := range cf.Facts {
		if f.ContractID != a.ID {
			t.Errorf("fact of contract %d listed under %d", f.ContractID, a.ID)
		}
	}

	// 2. A second run with a changed, an added and a removed fact of a; b unchanged.
	g := &grader{}
	rec2 := r.ok([]int64{a.ID, b.ID},
		fact(a.ID, "owner", addrB), fact(a.ID, "code", "0xc0de"), fact(a.ID, "timelock.delay", "86400"),
		fact(b.ID, "code", "0xbeef"), fact(b.ID, "admin", addrC))
	run2, events, err := db.RecordRun(ctx, rec2, g.grade)
	if err != nil || run2 <= run1 {
		t.Fatalf("second run: %d %v", run2, err)
	}
	want := []ev{
		{a.ID, "owner", addrC, addrB, domain.GradeHigh},
		{a.ID, "safe.threshold", "2", "", domain.GradeLow},
		{a.ID, "timelock.delay", "", "86400", domain.GradeLow},
	}
	if got := evs(events); !reflect.DeepEqual(got, want) {
		t.Fatalf("events\n got %v\nwant %v", got, want)
	}
	sort.Strings(g.calls)
	if want := []string{"owner:" + addrC + ">" + addrB, "safe.threshold:2>", "timelock.delay:>86400"}; !reflect.DeepEqual(g.calls, want) {
		t.Fatalf("grader asked %v, want %v", g.calls, want)
	}
	for _, e := range events {
		if e.ID == 0 || e.OldBlock != 110 || e.NewBlock != 120 || !e.At.Equal(rec2.Run.FinishedAt) {
			t.Errorf("event %+v: want an id, blocks 110 -> 120, at %v", e, rec2.Run.FinishedAt)
		}
	}

	// 3. A failed run stores its error and no facts ...
	run3, events, err := db.RecordRun(ctx, r.failed([]int64{a.ID, b.ID}, "RPC request failed: connection refused"), noGrade(t))
	if err != nil || run3 <= run2 || len(events) != 0 {
		t.Fatalf("failed run: %d %v %v", run3, events, err)
	}
	cf = factsOfContract(t, db, a)
	if cf.LastRun == nil || cf.LastRun.ID != run3 || cf.LastRun.OK || cf.LastRun.Error != "RPC request failed: connection refused" ||
		cf.LastRun.Block.Number != 0 || cf.LastRun.Block.Hash != "" || !cf.LastRun.Block.Time.IsZero() {
		t.Fatalf("last run after a failure: %+v", cf.LastRun)
	}
	if !reflect.DeepEqual(cf.Errors, []string{"RPC request failed: connection refused"}) {
		t.Fatalf("errors after a failure: %v", cf.Errors)
	}
	// ... and keeps showing the facts of the last successful run.
	if cf.Run == nil || cf.Run.ID != run2 {
		t.Fatalf("successful run after a failure: %+v", cf.Run)
	}
	if want := map[string]string{"owner": addrB, "code": "0xc0de", "timelock.delay": "86400"}; !reflect.DeepEqual(factMap(cf.Facts), want) {
		t.Fatalf("facts after a failure %v, want %v", factMap(cf.Facts), want)
	}

	// 4. The next successful run diffs against run 2, not the failed run 3.
	g = &grader{}
	rec4 := r.ok([]int64{a.ID, b.ID},
		fact(a.ID, "owner", addrB), fact(a.ID, "code", "0xc0de"), fact(a.ID, "timelock.delay", "3600"),
		fact(b.ID, "code", "0xbeef"), fact(b.ID, "admin", addrA))
	run4, events, err := db.RecordRun(ctx, rec4, g.grade)
	if err != nil {
		t.Fatal(err)
	}
	want = []ev{
		{a.ID, "timelock.delay", "86400", "3600", domain.GradeLow},
		{b.ID, "admin", addrC, addrA, domain.GradeLow},
	}
	if got := evs(events); !reflect.DeepEqual(got, want) {
		t.Fatalf("events after a failure\n got %v\nwant %v", got, want)
	}
	for _, e := range events {
		if e.OldBlock != 120 || e.NewBlock != 130 {
			t.Errorf("event %s: blocks %d -> %d, want 120 -> 130", e.Key, e.OldBlock, e.NewBlock)
		}
	}
	cf = factsOfContract(t, db, a)
	if cf.Run == nil || cf.Run.ID != run4 || cf.LastRun == nil || cf.LastRun.ID != run4 || len(cf.Errors) != 0 {
		t.Fatalf("after recovery: run %+v last %+v errors %v", cf.Run, cf.LastRun, cf.Errors)
	}

	// 5. The same facts again: no events at all.
	_, events, err = db.RecordRun(ctx, r.ok([]int64{a.ID, b.ID}, rec4.Facts...), noGrade(t))
	if err != nil || len(events) != 0 {
		t.Fatalf("unchanged run: %v %v", events, err)
	}
}

// A contract with an error in a successful run was read in part: its
// facts are stored and shown with the error, but what is missing is not a
// change; the next complete read is compared with the last complete one.
func TestRecordRunIncompleteReadIsNoChange(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	a := mustAdd(t, db, projA, "eip155:1", addrA)
	b := mustAdd(t, db, projA, "eip155:1", addrB)
	r := &runs{chain: "eip155:1", block: 100}
	if _, _, err := db.RecordRun(ctx, r.ok([]int64{a.ID, b.ID},
		fact(a.ID, "access.admins", addrB), fact(a.ID, "code", "0xc0de"), fact(b.ID, "owner", addrC)), noGrade(t)); err != nil {
		t.Fatal(err)
	}
	// 2. a's admins were not read (the node refused the event query); b's owner changed.
	g := &grader{}
	rec2 := r.ok([]int64{a.ID, b.ID}, fact(a.ID, "code", "0xc0de"), fact(b.ID, "owner", addrA))
	rec2.Errors = []domain.ContractError{{ContractID: a.ID, Message: "incomplete read: the AccessControl admins were not read"}}
	run2, events, err := db.RecordRun(ctx, rec2, g.grade)
	if err != nil {
		t.Fatal(err)
	}
	if want := []ev{{b.ID, "owner", addrC, addrA, domain.GradeHigh}}; !reflect.DeepEqual(evs(events), want) {
		t.Fatalf("events with an incomplete read\n got %v\nwant %v", evs(events), want)
	}
	cf := factsOfContract(t, db, a)
	if cf.Run == nil || cf.Run.ID != run2 || !reflect.DeepEqual(cf.Errors, []string{"incomplete read: the AccessControl admins were not read"}) ||
		!reflect.DeepEqual(factMap(cf.Facts), map[string]string{"code": "0xc0de"}) {
		t.Fatalf("after an incomplete read: run %+v errors %v facts %v", cf.Run, cf.Errors, factMap(cf.Facts))
	}
	// 3. Read whole again, unchanged since run 1: no event (run 2 is not the baseline).
	if _, events, err := db.RecordRun(ctx, r.ok([]int64{a.ID, b.ID},
		fact(a.ID, "access.admins", addrB), fact(a.ID, "code", "0xc0de"), fact(b.ID, "owner", addrA)), noGrade(t)); err != nil || len(events) != 0 {
		t.Fatalf("complete read after an incomplete one: %v %v", evs(events), err)
	}
	// 4. A real change after that is an event against run 3.
	_, events, err = db.RecordRun(ctx, r.ok([]int64{a.ID, b.ID},
		fact(a.ID, "access.admins", addrC), fact(a.ID, "code", "0xc0de"), fact(b.ID, "owner", addrA)), g.grade)
	if want := []ev{{a.ID, "access.admins", addrB, addrC, domain.GradeLow}}; err != nil || !reflect.DeepEqual(evs(events), want) {
		t.Fatalf("change after recovery\n got %v %v\nwant %v", evs(events), err, want)
	}
	if events[0].OldBlock != 130 {
		t.Errorf("old block %d, want 130 (run 3)", events[0].OldBlock)
	}
}

// A newer reader that reads more facts (or fewer) does not make the facts
// it alone reads into changes; a value both read that differs still is one,
// and between runs of the same reader every difference is.
func TestRecordRunNewReaderIsNoChange(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	a := mustAdd(t, db, projA, "eip155:1", addrA)
	r := &runs{chain: "eip155:1", block: 100}
	old := r.ok([]int64{a.ID}, fact(a.ID, "owner", addrB), fact(a.ID, "retired", "x"))
	old.Run.Reader = 1
	if _, _, err := db.RecordRun(ctx, old, noGrade(t)); err != nil {
		t.Fatal(err)
	}
	// Reader 2 reads compound.admin too and no longer reads "retired"; the owner changed.
	g := &grader{}
	newer := r.ok([]int64{a.ID}, fact(a.ID, "owner", addrC), fact(a.ID, "compound.admin", addrA))
	newer.Run.Reader = 2
	_, events, err := db.RecordRun(ctx, newer, g.grade)
	if want := []ev{{a.ID, "owner", addrB, addrC, domain.GradeHigh}}; err != nil || !reflect.DeepEqual(evs(events), want) {
		t.Fatalf("first run of a newer reader\n got %v %v\nwant %v", evs(events), err, want)
	}
	// Reader 2 again: the new fact is compared like any other.
	again := r.ok([]int64{a.ID}, fact(a.ID, "owner", addrC))
	again.Run.Reader = 2
	_, events, err = db.RecordRun(ctx, again, g.grade)
	if want := []ev{{a.ID, "compound.admin", addrA, "", domain.GradeLow}}; err != nil || !reflect.DeepEqual(evs(events), want) {
		t.Fatalf("same reader\n got %v %v\nwant %v", evs(events), err, want)
	}
}

func TestRecordRunRejectsAFailedRunWithFacts(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	a := mustAdd(t, db, projA, "eip155:1", addrA)
	r := &runs{chain: "eip155:1", block: 100}
	run1, _, err := db.RecordRun(ctx, r.ok([]int64{a.ID}, fact(a.ID, "owner", addrB)), noGrade(t))
	if err != nil {
		t.Fatal(err)
	}
	bad := r.failed([]int64{a.ID}, "boom")
	bad.Facts = []domain.Fact{fact(a.ID, "owner", addrC)}
	if id, events, err := db.RecordRun(ctx, bad, noGrade(t)); domain.ErrorCode(err) != domain.EINVALID || id != 0 || events != nil {
		t.Fatalf("failed run with facts: %d %v %v", id, events, err)
	}
	// Nothing of it was stored.
	cf := factsOfContract(t, db, a)
	if cf.LastRun == nil || cf.LastRun.ID != run1 || !cf.LastRun.OK || len(cf.Errors) != 0 {
		t.Fatalf("rejected run was stored: %+v %v", cf.LastRun, cf.Errors)
	}
	if !reflect.DeepEqual(factMap(cf.Facts), map[string]string{"owner": addrB}) {
		t.Fatalf("facts %v", factMap(cf.Facts))
	}
	// A run that cannot be stored whole is not stored at all: a fact of a
	// contract that does not exist fails the transaction.
	broken := r.ok([]int64{a.ID}, fact(a.ID, "owner", addrC), fact(999999, "owner", addrC))
	if _, _, err := db.RecordRun(ctx, broken, noGrade(t)); err == nil {
		t.Fatal("a fact of a missing contract was accepted")
	}
	if cf := factsOfContract(t, db, a); cf.LastRun.ID != run1 || factMap(cf.Facts)["owner"] != addrB {
		t.Fatalf("a failed transaction left a run: %+v %v", cf.LastRun, cf.Facts)
	}
}

func TestRecordRunOnlyDiffsCoveredContracts(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	a := mustAdd(t, db, projA, "eip155:1", addrA)
	b := mustAdd(t, db, projB, "eip155:1", addrB)
	r := &runs{chain: "eip155:1", block: 100}
	g := (&grader{}).grade

	if _, _, err := db.RecordRun(ctx, r.ok([]int64{a.ID, b.ID}, fact(a.ID, "owner", addrC), fact(b.ID, "owner", addrC)), g); err != nil {
		t.Fatal(err)
	}
	// A re-check of project A only: b has no facts in it and no events.
	_, events, err := db.RecordRun(ctx, r.ok([]int64{a.ID}, fact(a.ID, "owner", addrB)), g)
	if err != nil {
		t.Fatal(err)
	}
	if want := []ev{{a.ID, "owner", addrC, addrB, domain.GradeHigh}}; !reflect.DeepEqual(evs(events), want) {
		t.Fatalf("events %v, want %v", evs(events), want)
	}
	if cf := factsOfContract(t, db, b); factMap(cf.Facts)["owner"] != addrC || cf.Run.Block.Number != 110 || cf.LastRun.Block.Number != 110 {
		t.Fatalf("b after a run that did not cover it: %+v", cf)
	}
	// A failed run of project A only leaves b's last run alone.
	if _, _, err := db.RecordRun(ctx, r.failed([]int64{a.ID}, "boom"), g); err != nil {
		t.Fatal(err)
	}
	if cf := factsOfContract(t, db, b); !cf.LastRun.OK || len(cf.Errors) != 0 {
		t.Fatalf("b after a failed run that did not cover it: %+v %v", cf.LastRun, cf.Errors)
	}
	// The next run of both: b diffs against the first run (the last one
	// that covered it), a against the second.
	_, events, err = db.RecordRun(ctx, r.ok([]int64{a.ID, b.ID}, fact(a.ID, "owner", addrB), fact(b.ID, "owner", addrA)), g)
	if err != nil {
		t.Fatal(err)
	}
	if want := []ev{{b.ID, "owner", addrC, addrA, domain.GradeHigh}}; !reflect.DeepEqual(evs(events), want) {
		t.Fatalf("events %v, want %v", evs(events), want)
	}
	if events[0].OldBlock != 110 || events[0].NewBlock != 130 {
		t.Fatalf("b's event spans blocks %d -> %d, want 110 -> 130", events[0].OldBlock, events[0].NewBlock)
	}
}

func TestContractFactsShowsPerContractErrors(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	a := mustAdd(t, db, projA, "eip155:1", addrA)
	b := mustAdd(t, db, projA, "eip155:1", addrB)
	r := &runs{chain: "eip155:1", block: 100}
	rec := r.ok([]int64{a.ID, b.ID}, fact(a.ID, "code", "0xc0de"))
	rec.Errors = []domain.ContractError{{ContractID: b.ID, Message: "not an EVM address"}, {ContractID: b.ID, Message: "second problem"}}
	if _, _, err := db.RecordRun(ctx, rec, noGrade(t)); err != nil {
		t.Fatal(err)
	}
	if cf := factsOfContract(t, db, a); len(cf.Errors) != 0 || len(cf.Facts) != 1 {
		t.Fatalf("a: %+v", cf)
	}
	cf := factsOfContract(t, db, b)
	if !reflect.DeepEqual(cf.Errors, []string{"not an EVM address; second problem"}) || len(cf.Facts) != 0 || cf.Run == nil || !cf.Run.OK {
		t.Fatalf("b: errors %q facts %v run %+v", cf.Errors, cf.Facts, cf.Run)
	}
	// Once a later run reads b cleanly its old error is no longer shown.
	if _, _, err := db.RecordRun(ctx, r.ok([]int64{a.ID, b.ID}, fact(a.ID, "code", "0xc0de"), fact(b.ID, "code", "none")), (&grader{}).grade); err != nil {
		t.Fatal(err)
	}
	if cf := factsOfContract(t, db, b); len(cf.Errors) != 0 {
		t.Fatalf("b after a clean run: %v", cf.Errors)
	}
}

func TestChanges(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	a := mustAdd(t, db, projA, "eip155:1", addrA)
	b := mustAdd(t, db, projB, "eip155:8453", addrB)
	g := (&grader{}).grade
	ra := &runs{chain: "eip155:1", block: 100, t0: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	rb := &runs{chain: "eip155:8453", block: 5000, t0: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	record := func(rec store.RunRecord) {
		t.Helper()
		if _, _, err := db.RecordRun(ctx, rec, g); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := db.Changes(ctx, "", 0); err != nil || len(got) != 0 {
		t.Fatalf("changes before any run: %v %v", got, err)
	}
	record(ra.ok([]int64{a.ID}, fact(a.ID, "owner", addrB)))
	record(rb.ok([]int64{b.ID}, fact(b.ID, "owner", addrB)))
	record(ra.ok([]int64{a.ID}, fact(a.ID, "owner", addrC)))                       // a: owner B -> C
	record(rb.ok([]int64{b.ID}, fact(b.ID, "owner", addrC), fact(b.ID, "x", "1"))) // b: owner B -> C, x added
	record(ra.ok([]int64{a.ID}, fact(a.ID, "owner", addrA)))                       // a: owner C -> A
	record(rb.failed([]int64{b.ID}, "boom"))                                       // nothing
	record(rb.ok([]int64{b.ID}, fact(b.ID, "owner", addrC), fact(b.ID, "x", "1"))) // nothing

	all, err := db.Changes(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		slug, key, old, new string
	}
	var got []row
	for i, e := range all {
		got = append(got, row{e.ProjectSlug, e.Key, e.Old, e.New})
		if i > 0 && e.ID >= all[i-1].ID {
			t.Errorf("not newest first: %d after %d", e.ID, all[i-1].ID)
		}
	}
	want := []row{
		{projA, "owner", addrC, addrA},
		{projB, "x", "", "1"},
		{projB, "owner", addrB, addrC},
		{projA, "owner", addrB, addrC},
	}
	// Events of one run come in key order; the two of b's run are newest-first by id.
	if len(got) != 4 || got[0] != want[0] || got[3] != want[3] ||
		!(got[1] == want[1] && got[2] == want[2] || got[1] == want[2] && got[2] == want[1]) {
		t.Fatalf("changes\n got %v\nwant %v", got, want)
	}
	pa, _ := db.Project(ctx, projA)
	first := all[0]
	if first.ContractID != a.ID || first.ProjectName != pa.Name || first.Chain != "eip155:1" || first.Address != addrA ||
		first.OldBlock != 120 || first.NewBlock != 130 || first.Grade != domain.GradeHigh ||
		!first.At.Equal(ra.t0.Add(130*time.Minute)) {
		t.Fatalf("newest change %+v", first)
	}
	for _, e := range all {
		if e.Key == "x" && e.Grade != domain.GradeLow {
			t.Errorf("x graded %s, want the grader's low", e.Grade)
		}
		if e.ProjectSlug == projB && (e.Chain != "eip155:8453" || e.Address != addrB || e.OldBlock != 5010 || e.NewBlock != 5020) {
			t.Errorf("b's change %+v", e)
		}
	}

	onlyA, err := db.Changes(ctx, projA, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(onlyA) != 2 || onlyA[0].ID != all[0].ID || onlyA[1].ID != all[3].ID {
		t.Fatalf("changes of %s: %+v", projA, onlyA)
	}
	for _, e := range onlyA {
		if e.ProjectSlug != projA {
			t.Errorf("change of %s listed for %s", e.ProjectSlug, projA)
		}
	}
	if limited, err := db.Changes(ctx, "", 2); err != nil || len(limited) != 2 || limited[0].ID != all[0].ID || limited[1].ID != all[1].ID {
		t.Fatalf("limit 2: %+v %v", limited, err)
	}
	if none, err := db.Changes(ctx, "io-net", 0); err != nil || len(none) != 0 {
		t.Fatalf("project without changes: %v %v", none, err)
	}
}

func TestRunsFactsAndChangesAreAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	a := mustAdd(t, db, projA, "eip155:1", addrA)
	r := &runs{chain: "eip155:1", block: 100}
	g := (&grader{}).grade
	for _, owner := range []string{addrB, addrC} {
		if _, _, err := db.RecordRun(ctx, r.ok([]int64{a.ID}, fact(a.ID, "owner", owner)), g); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.RecordRun(ctx, r.failed([]int64{a.ID}, "boom"), g); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Changes(ctx, projA, 0)
	if len(before) != 1 {
		t.Fatalf("%d changes, want 1", len(before))
	}
	for _, q := range []string{
		`UPDATE check_runs SET error = 'rewritten'`,
		`UPDATE check_runs SET ok = 1 WHERE ok = 0`,
		`DELETE FROM check_runs WHERE ok = 0`,
		`UPDATE facts SET value = 'rewritten'`,
		`DELETE FROM facts`,
		`UPDATE change_events SET grade = 'low'`,
		`DELETE FROM change_events`,
		`UPDATE check_run_contracts SET error = 'rewritten'`,
		`DELETE FROM check_run_contracts`,
	} {
		if err := db.ExecForTest(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want an append-only error", q, err)
		}
	}
	after, _ := db.Changes(ctx, projA, 0)
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("changes rewritten: %+v -> %+v", before, after)
	}
	cf := factsOfContract(t, db, a)
	if factMap(cf.Facts)["owner"] != addrC || cf.LastRun.OK || cf.LastRun.Error != "boom" {
		t.Fatalf("history rewritten: %+v %+v", cf.Facts, cf.LastRun)
	}
}
