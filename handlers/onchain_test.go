package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/web"
)

const (
	proxyAddr = "0x1111111111111111111111111111111111111111"
	adminAddr = "0x2222222222222222222222222222222222222222"
	eoaAddr   = "0x3333333333333333333333333333333333333333"
	implV1    = "0x4444444444444444444444444444444444444444"
	implV2    = "0x5555555555555555555555555555555555555555"
)

// recordTwoRuns watches a proxy for olas on chain 1337 and records two
// successful runs: the second upgrades the implementation.
func recordTwoRuns(t *testing.T, db *store.DB) domain.Contract {
	t.Helper()
	ctx := context.Background()
	c, err := db.AddContract(ctx, "olas", domain.Contract{Chain: "eip155:1337", Address: proxyAddr, Role: domain.RoleProxy, Label: "Test proxy"})
	if err != nil {
		t.Fatal(err)
	}
	facts := func(impl string) []domain.Fact {
		return []domain.Fact{
			{ContractID: c.ID, Key: "code", Value: "0xabc"},
			{ContractID: c.ID, Key: "implementation", Value: impl},
			{ContractID: c.ID, Key: "admin", Value: adminAddr},
			{ContractID: c.ID, Key: adminAddr + ".is_contract", Value: "true"},
			{ContractID: c.ID, Key: adminAddr + ".owner", Value: eoaAddr},
			{ContractID: c.ID, Key: eoaAddr + ".is_contract", Value: "false"},
		}
	}
	for i, impl := range []string{implV1, implV2} {
		at := time.Date(2026, 11, 25, 12, i, 0, 0, time.UTC)
		_, _, err := db.RecordRun(ctx, store.RunRecord{
			Run:     domain.CheckRun{Chain: "eip155:1337", OK: true, StartedAt: at, FinishedAt: at, RoundTrips: 3, Block: domain.BlockRef{Chain: "eip155:1337", Number: uint64(100 + i), Hash: "0xfeed", Time: at}},
			Covered: []int64{c.ID}, Facts: facts(impl),
		}, scorers.GradeChange)
		if err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func serverWithChecks(t *testing.T, db *store.DB, chains []string) *httptest.Server {
	site := handlers.Site{Methodology: "1.0", SourcedAsOf: "2026-07", CheckedChains: chains}
	srv := httptest.NewServer(web.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), db, site))
	t.Cleanup(srv.Close)
	return srv
}

func TestOnchainOnProjectPage(t *testing.T) {
	_, db := newServer(t)
	srv := serverWithChecks(t, db, []string{"eip155:1337"})
	recordTwoRuns(t, db)
	status, _, body := get(t, srv, "/p/olas")
	if status != 200 {
		t.Fatalf("%d", status)
	}
	mustContain(t, "/p/olas", body,
		"Checked on-chain", "Read at block", "101", "on-chain facts", implV2,
		"On-chain suggestion:", "upgrades.0", "externally owned account", // the proxy admin's owner is an EOA
		"On-chain changes", "implementation", implV1, "high")
	mustNotContain(t, "/p/olas", body, "On-chain checks are not configured")

	// Without endpoints the page says so plainly.
	srv2 := serverWithChecks(t, db, nil)
	_, _, body = get(t, srv2, "/p/bittensor")
	mustContain(t, "/p/bittensor", body, "On-chain checks are not configured", "no RPC endpoint configured for eip155:1")
	_, _, body = get(t, srv2, "/p/fetch-ai-asi")
	mustContain(t, "/p/fetch-ai-asi", body, "no reader for this chain family yet")
}

func TestChangesPageAndAPI(t *testing.T) {
	_, db := newServer(t)
	srv := serverWithChecks(t, db, []string{"eip155:1337"})
	_, _, body := get(t, srv, "/changes")
	mustContain(t, "/changes empty", body, "No change has been recorded yet.")
	recordTwoRuns(t, db)
	_, _, body = get(t, srv, "/changes")
	mustContain(t, "/changes", body, `href="/p/olas#contracts-h"`, "implementation", implV2, "Blocks 100 → 101")

	status, _, body := get(t, srv, "/api/v1/changes")
	var out struct {
		Changes []struct {
			Project  string `json:"project"`
			ChainID  *int64 `json:"chain_id"`
			Address  string `json:"address"`
			Fact     string `json:"fact"`
			Old, New string
			Grade    string `json:"grade"`
			OldBlock uint64 `json:"old_block"`
			NewBlock uint64 `json:"new_block"`
			Time     string `json:"time"`
		} `json:"changes"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("%d %s", status, body)
	}
	if len(out.Changes) != 1 {
		t.Fatalf("%d changes: %s", len(out.Changes), body)
	}
	c := out.Changes[0]
	if c.Project != "olas" || c.ChainID == nil || *c.ChainID != 1337 || c.Address != proxyAddr || c.Fact != "implementation" ||
		c.Old != implV1 || c.New != implV2 || c.Grade != "high" || c.OldBlock != 100 || c.NewBlock != 101 || c.Time == "" {
		t.Fatalf("change %+v", c)
	}
	for q, want := range map[string]int{"?project=olas": 200, "?project=nope": 404, "?limit=0": 400, "?limit=x": 400} {
		if status, _, _ := get(t, srv, "/api/v1/changes"+q); status != want {
			t.Errorf("%s: %d, want %d", q, status, want)
		}
	}
}

func TestAPIContracts(t *testing.T) {
	_, db := newServer(t)
	srv := serverWithChecks(t, db, []string{"eip155:1337"})
	recordTwoRuns(t, db)
	status, _, body := get(t, srv, "/api/v1/projects/olas/contracts")
	var out struct {
		Configured bool `json:"checks_configured"`
		Contracts  []struct {
			ChainID *int64            `json:"chain_id"`
			Address string            `json:"address"`
			Role    string            `json:"role"`
			Label   string            `json:"label"`
			Facts   map[string]string `json:"facts"`
			Block   *struct {
				Number uint64 `json:"number"`
				Hash   string `json:"hash"`
				Time   string `json:"time"`
			} `json:"block"`
			Errors []string `json:"errors"`
		} `json:"contracts"`
		Suggestions []struct {
			Axis  string `json:"axis"`
			Level int    `json:"level"`
			Rule  string `json:"rule"`
		} `json:"suggestions"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("%d %s", status, body)
	}
	if !out.Configured || len(out.Contracts) < 2 {
		t.Fatalf("%+v", out)
	}
	found := false
	for _, c := range out.Contracts {
		if c.Address == proxyAddr {
			found = true
			if c.Facts["implementation"] != implV2 || c.Block == nil || c.Block.Number != 101 || c.Block.Hash == "" || c.ChainID == nil || *c.ChainID != 1337 || c.Errors == nil {
				t.Errorf("proxy: %+v", c)
			}
		} else if c.Block != nil || len(c.Facts) != 0 {
			t.Errorf("unchecked contract %s has facts", c.Address)
		}
	}
	if !found {
		t.Fatal("proxy missing")
	}
	if len(out.Suggestions) != 1 || out.Suggestions[0].Axis != "upgrades" || out.Suggestions[0].Level != 0 || !strings.HasPrefix(out.Suggestions[0].Rule, "upgrades.0") {
		t.Errorf("suggestions %+v", out.Suggestions)
	}
	if status, _, _ := get(t, srv, "/api/v1/projects/nope/contracts"); status != 404 {
		t.Errorf("unknown project: %d", status)
	}
}

// Without a trusted proxy in front, X-Real-IP is the client's own claim
// and must not give it a fresh rate-limit bucket.
func TestClientCannotPickItsIP(t *testing.T) {
	_, db := newServer(t)
	srv := serverWithChecks(t, db, nil) // no TrustProxyHeaders
	last := 0
	for i := range 15 {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/submit", strings.NewReader("project=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Real-IP", fmt.Sprintf("10.9.0.%d", i+1))
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		last = res.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("15 quick submissions with forged X-Real-IP: last status %d, want 429", last)
	}
}

// A reviewer sees what the chain suggests for the axis of an item beside
// the submission (upgrades and governance), and nothing for other axes.
func TestReviewShowsTheOnchainSuggestion(t *testing.T) {
	srv, db := newServer(t)
	recordTwoRuns(t, db)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	upg := submit(t, db, "olas", domain.AxisUpgrades, "Upgrade keys", "https://example.org/olas-upgrades")
	ver := submit(t, db, "olas", domain.AxisVerification, "Proofs", "https://example.org/olas-proofs")
	rita := signIn(t, srv, "rita", "rita's long password")
	q := fetch(t, rita, srv, "/review")
	mustContain(t, "upgrades item", section(t, q.body, fmt.Sprintf("item-%d", upg)),
		"On-chain suggestion:", "upgrades.0", "externally owned account", "at block 101")
	mustNotContain(t, "verification item", section(t, q.body, fmt.Sprintf("item-%d", ver)), "On-chain suggestion:")
}
