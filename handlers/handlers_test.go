package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/seed"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/web"
)

// newServer serves the site on a freshly seeded database file.
func newServer(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	// The tests pose as a proxy that sets X-Real-IP, to be many clients.
	return newServerWith(t, web.TrustProxyHeaders())
}

// newServerWith serves a freshly seeded site built with opts.
func newServerWith(t *testing.T, opts ...web.Option) (*httptest.Server, *store.DB) {
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
	site, err := handlers.SiteFromSeed()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), db, site, opts...))
	t.Cleanup(srv.Close)
	return srv, db
}

func get(t *testing.T, srv *httptest.Server, path string) (int, http.Header, string) {
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
	return res.StatusCode, res.Header, string(b)
}

func mustContain(t *testing.T, where, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", where, w)
		}
	}
}

func mustNotContain(t *testing.T, where, body string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(body, w) {
			t.Errorf("%s: unexpectedly contains %q", where, w)
		}
	}
}

func TestIndexListsEveryProject(t *testing.T) {
	srv, _ := newServer(t)
	status, h, body := get(t, srv, "/")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	d, _, _ := seed.Embedded()
	for _, p := range d.Projects {
		mustContain(t, "/", body, `href="/p/`+p.Slug+`"`)
	}
	mustContain(t, "/", body, "52 projects.", "Bittensor (TAO)", `class="levels"`, "Training: 2 · open but trusted")
	if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Errorf("content type %q", h.Get("Content-Type"))
	}
}

func TestIndexFilters(t *testing.T) {
	srv, _ := newServer(t)
	cases := []struct {
		query    string
		want     []string
		wantNot  []string
		problems []string
	}{
		{"q=bitt", []string{"/p/bittensor", "1 of 52 projects match"}, []string{"/p/gensyn"}, nil},
		{"q=BITTENSOR", []string{"/p/bittensor"}, nil, nil},
		{"stage=T", []string{"/p/gensyn"}, []string{"/p/bittensor\""}, nil},
		{"stage=e", []string{"/p/bittensor"}, []string{`href="/p/gensyn"`}, nil},
		// Bittensor has training 2; Gensyn's training is unknown, and unknown never passes "≥".
		{"axis=training&min=2", []string{"/p/bittensor"}, []string{`href="/p/gensyn"`}, nil},
		{"axis=upgrades&min=1", nil, []string{`href="/p/bittensor"`}, nil},
		{"stage=Z", []string{"/p/bittensor", "/p/gensyn"}, nil, []string{"is not one of T, C, E, V; showing every stage."}},
		{"axis=vibes&min=2", []string{"/p/gensyn"}, nil, []string{"There is no axis"}},
		{"axis=training&min=9", []string{"/p/gensyn"}, nil, []string{"is not a whole number from 0 to 4; the level filter is off."}},
		{"sort=price", []string{"/p/gensyn"}, nil, []string{"Cannot sort by"}},
		{"q=" + url.QueryEscape(`<script>alert(1)</script>`), []string{"No project matches", "&lt;script&gt;"}, []string{"<script>alert(1)"}, nil},
	}
	for _, c := range cases {
		status, _, body := get(t, srv, "/?"+c.query)
		if status != 200 {
			t.Errorf("%s: status %d", c.query, status)
		}
		mustContain(t, c.query, body, c.want...)
		mustContain(t, c.query, body, c.problems...)
		mustNotContain(t, c.query, body, c.wantNot...)
	}
}

func TestIndexSortByStage(t *testing.T) {
	srv, _ := newServer(t)
	_, _, body := get(t, srv, "/?sort=stage")
	// Every E project comes before every T project.
	lastE := strings.LastIndex(body, `<abbr title="Stage E`)
	firstT := strings.Index(body, `<abbr title="Stage T`)
	if lastE < 0 || firstT < 0 || lastE > firstT {
		t.Fatalf("stage sort: last E at %d, first T at %d", lastE, firstT)
	}
}

func TestProjectPage(t *testing.T) {
	srv, _ := newServer(t)
	status, _, body := get(t, srv, "/p/bittensor")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	mustContain(t, "/p/bittensor", body,
		"<h1>Bittensor (TAO)</h1>",
		"Miners train and periodically publish models to hugging face", // a verbatim quote
		"Stage E: execution partly decentralized",
		"governance ≥ 1, or upgrades ≥ 2", // the checklist
		"Not met",
		`role="img"`, "<title id=\"rosette-title\">", // the rosette and its text alternative
		"training.2", "upgrades.0",
		"project&#39;s own (self-reported)", "Sourced as of 2026-07",
		"0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44", "Not yet checked on-chain",
		"Version 1", "/p/bittensor/v/1",
	)
	// Stage undetermined is spelled out where unknown axes block a stage.
	_, _, body = get(t, srv, "/p/gensyn")
	mustContain(t, "/p/gensyn", body, "Stage C undetermined: upgrades unknown", "hatch", "Unknown: no accepted evidence supports a level yet.",
		"not cited for this level", "Judge: A verifiable evaluation framework built on Verde")
	// Context items are shown as background, never as a level's evidence.
	_, _, body = get(t, srv, "/p/ritual")
	mustContain(t, "/p/ritual", body, "Background", "It supports no level.")
}

func TestProjectVersions(t *testing.T) {
	srv, _ := newServer(t)
	status, h, body := get(t, srv, "/p/bittensor/v/1")
	if status != 200 {
		t.Fatalf("v1: %d", status)
	}
	mustContain(t, "v1", body, "This is version 1 of Bittensor (TAO)")
	if !strings.Contains(h.Get("Cache-Control"), "max-age") {
		t.Errorf("frozen version cache-control %q", h.Get("Cache-Control"))
	}
	for _, p := range []string{"/p/bittensor/v/2", "/p/bittensor/v/0", "/p/bittensor/v/01", "/p/bittensor/v/x", "/p/nope", "/p/nope/v/1"} {
		if status, _, body := get(t, srv, p); status != 404 || !strings.Contains(body, "<h1>Page not found</h1>") {
			t.Errorf("%s: status %d", p, status)
		}
	}
}

func TestCompare(t *testing.T) {
	srv, _ := newServer(t)
	status, _, body := get(t, srv, "/compare?p=bittensor&p=gensyn&p=olas")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	mustContain(t, "compare", body, `<th scope="col"><a href="/p/bittensor">`, `<a href="/p/gensyn">Gensyn</a>`, "/p/olas", `href="/p/bittensor#training"`, "Verification")
	// Bad and surplus input: said plainly, the rest still compared.
	_, _, body = get(t, srv, "/compare?p=bittensor&p=nope&p=gensyn&p=olas&p=render&p=akash&p=bittensor")
	mustContain(t, "compare bad", body, "There is no project &#34;nope&#34;", "At most 4 projects", `href="/p/render#training"`)
	mustNotContain(t, "compare bad", body, `href="/p/akash#training"`)
	_, _, body = get(t, srv, "/compare")
	mustContain(t, "compare empty", body, "Choose two or more projects")
}

func TestStaticPages(t *testing.T) {
	srv, _ := newServer(t)
	_, _, body := get(t, srv, "/methodology")
	mustContain(t, "methodology", body, "Methodology 1.0", `id="upgrades.0"`, `id="usage.4"`,
		"A multisig that meets the security-council bar", "What “unknown” means", "Stage V", "How evidence is accepted", "Changelog")
	_, _, body = get(t, srv, "/about")
	mustContain(t, "about", body, "Mafrur", "arXiv:2505.07828", "https://arxiv.org/abs/2505.07828", "Caveats", "52 projects, 773 evidence items")
}

func TestNotFoundAndHeaders(t *testing.T) {
	srv, _ := newServer(t)
	status, h, body := get(t, srv, "/no/such/page")
	if status != 404 || !strings.Contains(body, "Page not found") {
		t.Fatalf("404 page: %d", status)
	}
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	} {
		if !strings.Contains(h.Get(k), want) {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("CSP lacks frame-ancestors: %q", h.Get("Content-Security-Policy"))
	}
	res, err := srv.Client().Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /: %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	// The Allow header lists what the path has (RFC 9110 §15.5.6), for pages and the API.
	for path, want := range map[string]string{"/submit": "GET, HEAD, POST", "/api/v1/projects": "GET, HEAD", "/login": "GET, HEAD, POST"} {
		req, _ := http.NewRequest(http.MethodDelete, srv.URL+path, nil)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != want {
			t.Errorf("DELETE %s: %d, Allow %q, want %q", path, res.StatusCode, res.Header.Get("Allow"), want)
		}
	}
	// HEAD works like GET.
	res, err = srv.Client().Head(srv.URL + "/p/bittensor")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("HEAD: %d", res.StatusCode)
	}
	if status, _, body := get(t, srv, "/healthz"); status != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("healthz: %d %s", status, body)
	}
	if status, h, _ := get(t, srv, "/static/style.css"); status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/css") {
		t.Errorf("style.css: %d %s", status, h.Get("Content-Type"))
	}
	if status, _, _ := get(t, srv, "/static/"); status != 404 {
		t.Errorf("static dir listing: %d", status)
	}
}

func TestAPIProjects(t *testing.T) {
	srv, _ := newServer(t)
	status, h, body := get(t, srv, "/api/v1/projects")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s", status, h.Get("Content-Type"))
	}
	var out struct {
		Projects []struct {
			Slug    string          `json:"slug"`
			Name    string          `json:"name"`
			Stage   string          `json:"stage"`
			Version int             `json:"version"`
			Levels  map[string]*int `json:"levels"`
		} `json:"projects"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Projects) != 52 {
		t.Fatalf("%d projects", len(out.Projects))
	}
	found := false
	for _, p := range out.Projects {
		if len(p.Levels) != 7 || p.Version != 1 || p.Stage == "" {
			t.Errorf("%s: %d levels, version %d, stage %q", p.Slug, len(p.Levels), p.Version, p.Stage)
		}
		if p.Slug == "bittensor" {
			found = true
			if p.Levels["training"] == nil || *p.Levels["training"] != 2 || p.Stage != "E" {
				t.Errorf("bittensor: %+v", p)
			}
		}
		if p.Slug == "gensyn" && p.Levels["training"] != nil {
			t.Errorf("gensyn training should be null (unknown)")
		}
	}
	if !found {
		t.Fatal("no bittensor")
	}
	// Filters apply; bad filters are a 400 with a message.
	_, _, body = get(t, srv, "/api/v1/projects?stage=V")
	if !strings.Contains(body, `"projects": [`) {
		t.Errorf("stage=V: %s", body)
	}
	status, _, body = get(t, srv, "/api/v1/projects?stage=Q")
	if status != 400 || !strings.Contains(body, `"error"`) {
		t.Errorf("bad stage: %d %s", status, body)
	}
	// The API says what is wrong, every problem, and nothing of what the
	// HTML list would do instead (it answers nothing).
	status, _, body = get(t, srv, "/api/v1/projects?stage=Q&sort=price&q="+strings.Repeat("a", 101))
	var e struct{ Error string }
	json.Unmarshal([]byte(body), &e)
	if status != 400 || e.Error != `The search (q) is longer than 100 characters. Stage "Q" is not one of T, C, E, V. Cannot sort by "price" (sort is name or stage).` {
		t.Errorf("several bad filters: %d %q", status, e.Error)
	}
}

func TestAPIProject(t *testing.T) {
	srv, _ := newServer(t)
	status, _, body := get(t, srv, "/api/v1/projects/bittensor")
	if status != 200 {
		t.Fatalf("%d", status)
	}
	var p struct {
		Slug      string `json:"slug"`
		Name      string `json:"name"`
		Version   int    `json:"version"`
		UpdatedAt string `json:"updated_at"`
		Stage     struct {
			Code         string `json:"code"`
			Name         string `json:"name"`
			Requirements []struct {
				Text   string `json:"text"`
				Status string `json:"status"`
			} `json:"requirements"`
		} `json:"stage"`
		Axes []struct {
			Key       string `json:"key"`
			Level     *int   `json:"level"`
			Rationale string `json:"rationale"`
			Evidence  []struct {
				URL, Title, Quote, Kind, Status string
			} `json:"evidence"`
		} `json:"axes"`
		Contracts []struct {
			ChainID *int64 `json:"chain_id"`
			Address string `json:"address"`
			Role    string `json:"role"`
			Source  string `json:"source"`
		} `json:"contracts"`
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if p.Slug != "bittensor" || p.Version != 1 || p.UpdatedAt == "" || p.Stage.Code != "E" || p.Stage.Name == "" || len(p.Stage.Requirements) == 0 {
		t.Fatalf("header fields: %+v", p)
	}
	if len(p.Axes) != 7 || p.Axes[0].Key != "training" || p.Axes[0].Level == nil || *p.Axes[0].Level != 2 {
		t.Fatalf("axes: %+v", p.Axes)
	}
	for _, a := range p.Axes {
		if a.Level != nil && len(a.Evidence) == 0 {
			t.Errorf("%s: level without evidence", a.Key)
		}
		for _, e := range a.Evidence {
			if e.Status != "accepted" || e.URL == "" || e.Quote == "" {
				t.Errorf("%s evidence: %+v", a.Key, e)
			}
		}
	}
	if len(p.Contracts) != 1 || p.Contracts[0].ChainID == nil || *p.Contracts[0].ChainID != 1 || p.Contracts[0].Role != "token" {
		t.Errorf("contracts: %+v", p.Contracts)
	}
	// An unknown level is null, not 0.
	_, _, body = get(t, srv, "/api/v1/projects/gensyn")
	if !strings.Contains(body, `"level": null`) {
		t.Error("gensyn: no null level")
	}
	for _, path := range []string{"/api/v1/projects/nope", "/api/v1/projects/bittensor/versions/9", "/api/v1/nothing"} {
		status, h, body := get(t, srv, path)
		var e struct{ Error string }
		if status != 404 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || json.Unmarshal([]byte(body), &e) != nil || e.Error == "" {
			t.Errorf("%s: %d %q", path, status, body)
		}
	}
	if status, _, _ := get(t, srv, "/api/v1/projects/bittensor/versions/1"); status != 200 {
		t.Errorf("version 1: %d", status)
	}
}
