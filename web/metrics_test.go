package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/web"
)

// newTestServer serves a freshly seeded site; the database is closed
// after the test.
func newTestServer(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "site.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, _, err := db.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), db, handlers.Site{Methodology: "1.0"}))
	t.Cleanup(srv.Close)
	return srv, db
}

func fetch(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	res, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestMetricsLabelRoutePatterns(t *testing.T) {
	srv, _ := newTestServer(t)
	// A second server in the same process must not clash (private registries).
	_, _ = newTestServer(t)
	for _, p := range []string{"/p/bittensor", "/p/bittensor", "/p/olas", "/api/v1/projects/bittensor", "/no/such/page"} {
		fetch(t, srv, p)
	}
	res, body := fetch(t, srv, "/metrics")
	if res.StatusCode != 200 {
		t.Fatalf("/metrics: status %d", res.StatusCode)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("/metrics: Cache-Control %q", cc)
	}
	for _, want := range []string{
		`scorecard_http_requests_total{method="GET",route="/p/{slug}",status="2xx"} 3`,
		`scorecard_http_requests_total{method="GET",route="/api/v1/projects/{slug}",status="2xx"} 1`,
		`scorecard_http_requests_total{method="GET",route="unmatched",status="4xx"} 1`,
		`scorecard_http_request_duration_seconds_bucket{method="GET",route="/p/{slug}",status="2xx",le="+Inf"} 3`,
		`scorecard_badge_requests_total{result="hit"}`,
		`scorecard_badge_requests_total{result="miss"}`,
		`scorecard_badge_requests_total{result="not_modified"}`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics: missing %s", want)
		}
	}
	for _, raw := range []string{`"/p/bittensor"`, `"/p/olas"`, `"/no/such/page"`, `"/api/v1/projects/bittensor"`} {
		if strings.Contains(body, raw) {
			t.Errorf("/metrics: raw path %s used as a label value", raw)
		}
	}
}

// Badges bypass the router, yet count as requests of their route pattern
// and by cache outcome.
func TestMetricsCountBadges(t *testing.T) {
	srv, _ := newTestServer(t)
	res, _ := fetch(t, srv, "/badge/bittensor.svg")
	fetch(t, srv, "/badge/bittensor.svg?style=for-the-badge")
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/badge/bittensor.svg", nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	if r, err := srv.Client().Do(req); err != nil || r.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	fetch(t, srv, "/badge/bittensor/training.svg")
	fetch(t, srv, "/badge/no-such-project.svg")
	fetch(t, srv, "/badge/a/b/c.svg")
	head, _ := http.NewRequest(http.MethodHead, srv.URL+"/badge/olas.svg", nil)
	if r, err := srv.Client().Do(head); err != nil || r.StatusCode != 200 {
		t.Fatalf("HEAD: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	_, body := fetch(t, srv, "/metrics")
	for _, want := range []string{
		`scorecard_badge_requests_total{result="hit"} 4`,
		`scorecard_badge_requests_total{result="miss"} 2`,
		`scorecard_badge_requests_total{result="not_modified"} 1`,
		`scorecard_http_requests_total{method="GET",route="/badge/{slug}.svg",status="2xx"} 2`,
		`scorecard_http_requests_total{method="GET",route="/badge/{slug}.svg",status="3xx"} 1`,
		`scorecard_http_requests_total{method="GET",route="/badge/{slug}.svg",status="4xx"} 1`,
		`scorecard_http_requests_total{method="HEAD",route="/badge/{slug}.svg",status="2xx"} 1`,
		`scorecard_http_requests_total{method="GET",route="/badge/{slug}/{axis}.svg",status="2xx"} 1`,
		`scorecard_http_requests_total{method="GET",route="/badge/*",status="4xx"} 1`,
		`scorecard_http_request_duration_seconds_count{method="GET",route="/badge/{slug}.svg",status="2xx"} 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics: missing %s", want)
		}
	}
	if strings.Contains(body, `route="/badge/{slug}/{axis}.svg",status="4xx"`) {
		t.Error("a series that had no request is listed")
	}
}

func TestCORSOnPublicReads(t *testing.T) {
	srv, _ := newTestServer(t)
	for path, want := range map[string]string{
		"/api/v1/projects":              "*",
		"/api/v1/projects/no-such-slug": "*", // errors too
		"/api/v1/nothing-here":          "*",
		"/badge/bittensor.svg":          "*",
		"/p/bittensor":                  "",
		"/":                             "",
	} {
		res, body := fetch(t, srv, path)
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != want {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want %q", path, got, want)
		}
		if strings.HasPrefix(path, "/api/") && res.StatusCode >= 400 && !strings.Contains(body, `"error"`) {
			t.Errorf("%s: %d error is not JSON: %.100s", path, res.StatusCode, body)
		}
	}
	// A script's GET with a header of its own is preflighted: answered for
	// the API and badges, not for pages.
	preflight := func(path string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+path, nil)
		req.Header.Set("Origin", "https://news.example")
		req.Header.Set("Access-Control-Request-Method", "GET")
		req.Header.Set("Access-Control-Request-Headers", "x-requested-with")
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for _, path := range []string{"/api/v1/projects", "/api/v1/badge/bittensor.json", "/badge/bittensor.svg"} {
		res := preflight(path)
		h := res.Header
		if res.StatusCode != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Methods") != "GET, HEAD" ||
			h.Get("Access-Control-Allow-Headers") != "x-requested-with" || h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("preflight %s: %d %v", path, res.StatusCode, h)
		}
	}
	if res := preflight("/p/bittensor"); res.StatusCode == http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight of a page: %d, Access-Control-Allow-Origin %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}
