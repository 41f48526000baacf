package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/badges"
	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/store"
)

// badgeGet fetches path with extra headers given as name, value pairs;
// "Host" sets the request's host.
func badgeGet(t testing.TB, srv *httptest.Server, path string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestBadgeHeadersAndETag(t *testing.T) {
	srv, _ := newServer(t)
	res, body := badgeGet(t, srv, "/badge/bittensor.svg")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	h := res.Header
	for k, want := range map[string]string{
		"Content-Type":                 "image/svg+xml; charset=utf-8",
		"Cache-Control":                "public, max-age=300, s-maxage=3600",
		"Access-Control-Allow-Origin":  "*",
		"X-Content-Type-Options":       "nosniff",
		"Content-Security-Policy":      "default-src 'none'; frame-ancestors 'none'",
		"Cross-Origin-Resource-Policy": "cross-origin",
		"Vary":                         "Accept-Encoding",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	etag := h.Get("ETag")
	if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
		t.Fatalf("ETag %q is not a strong, quoted tag", etag)
	}
	mustContain(t, "stage badge", body, `role="img"`, `aria-label="DeAI stage: `, `<title>DeAI stage: `)
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		res, body := badgeGet(t, srv, "/badge/bittensor.svg", "If-None-Match", inm)
		if res.StatusCode != http.StatusNotModified || body != "" || res.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d %q", inm, res.StatusCode, body)
		}
		// A 304 repeats what RFC 9110 asks (ETag, Cache-Control, Vary) and keeps the security headers.
		for _, k := range []string{"Cache-Control", "Vary", "Content-Security-Policy", "X-Content-Type-Options", "Cross-Origin-Resource-Policy", "Access-Control-Allow-Origin"} {
			if res.Header.Get(k) != h.Get(k) {
				t.Errorf("304 %s = %q, the 200 had %q", k, res.Header.Get(k), h.Get(k))
			}
		}
	}
	if res, _ := badgeGet(t, srv, "/badge/bittensor.svg", "If-None-Match", `"stale"`); res.StatusCode != 200 {
		t.Errorf("stale tag: %d", res.StatusCode)
	}
	// gzip: precompressed, its own ETag, Vary set.
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/badge/bittensor/training.svg?style=for-the-badge", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	gres, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	gres.Body.Close()
	if gres.Header.Get("Content-Encoding") != "gzip" || gres.Header.Get("Vary") != "Accept-Encoding" || gres.Header.Get("ETag") == etag {
		t.Errorf("gzip: %v", gres.Header)
	}
}

func TestBadgeStylesAndLabel(t *testing.T) {
	srv, _ := newServer(t)
	bodies := map[string]string{}
	for _, st := range []string{"flat", "flat-square", "for-the-badge"} {
		_, b := badgeGet(t, srv, "/badge/bittensor.svg?style="+st)
		for o, ob := range bodies {
			if ob == b {
				t.Errorf("%s and %s are the same", st, o)
			}
		}
		bodies[st] = b
	}
	_, def := badgeGet(t, srv, "/badge/bittensor.svg")
	// An unknown style is not an error: it answers the default style, flat.
	res, bad := badgeGet(t, srv, "/badge/bittensor.svg?style=plastic")
	if res.StatusCode != 200 || bad != def || def != bodies["flat"] {
		t.Errorf("unknown style: %d, same as flat: %v", res.StatusCode, bad == def)
	}
	res, b := badgeGet(t, srv, "/badge/bittensor.svg?label=%3Cscript%3Ealert(1)%3C/script%3E")
	if res.StatusCode != 200 || strings.Contains(b, "<script>") {
		t.Fatalf("label not escaped: %s", b)
	}
	mustContain(t, "custom label", b, `aria-label="&lt;script&gt;alert(1)&lt;/script&gt;: `, `<title>&lt;script&gt;alert(1)&lt;/script&gt;: `)
	_, b = badgeGet(t, srv, "/badge/bittensor.svg?label="+strings.Repeat("x", 100))
	if strings.Contains(b, strings.Repeat("x", 41)) || !strings.Contains(b, strings.Repeat("x", 40)) {
		t.Error("label not limited to 40 characters")
	}
	_, b = badgeGet(t, srv, "/badge/bittensor/training.svg")
	mustContain(t, "axis badge", b, `aria-label="training: `)
}

func TestBadgeNotFound(t *testing.T) {
	srv, _ := newServer(t)
	for _, p := range []string{"/badge/no-such-project.svg", "/badge/bittensor/vibes.svg", "/badge/no-such/training.svg", "/badge/bittensor.png", "/badge/nope.svg?style=for-the-badge&label=x"} {
		res, b := badgeGet(t, srv, p)
		if res.StatusCode != 404 || res.Header.Get("Content-Type") != "image/svg+xml; charset=utf-8" || !strings.Contains(strings.ToLower(b), "not found") {
			t.Errorf("%s: %d %s %s", p, res.StatusCode, res.Header.Get("Content-Type"), b)
		}
	}
	for _, p := range []string{"/api/v1/badge/nope.json", "/api/v1/badge/bittensor/vibes.json"} {
		res, b := badgeGet(t, srv, p)
		var e map[string]string
		if res.StatusCode != 404 || json.Unmarshal([]byte(b), &e) != nil || e["error"] == "" {
			t.Errorf("%s: %d %s", p, res.StatusCode, b)
		}
	}
}

func TestBadgeJSON(t *testing.T) {
	srv, _ := newServer(t)
	for _, p := range []string{"/api/v1/badge/bittensor.json", "/api/v1/badge/bittensor/training.json"} {
		res, b := badgeGet(t, srv, p)
		var got map[string]any
		if err := json.Unmarshal([]byte(b), &got); err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", p, res.StatusCode, b)
		}
		if got["schemaVersion"] != float64(1) || got["label"] == "" || got["message"] == "" || got["color"] == "" || got["cacheSeconds"] != float64(300) || len(got) != 5 {
			t.Errorf("%s: %v", p, got)
		}
		if res.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s headers: %v", p, res.Header)
		}
	}
	_, b := badgeGet(t, srv, "/api/v1/badge/bittensor.json")
	if !strings.Contains(b, `"label":"DeAI stage"`) {
		t.Errorf("stage label: %s", b)
	}
}

// badgeRouter mounts the badge handlers on their routes over cache c.
func badgeRouter(c *badges.Cache) http.Handler {
	r := chi.NewRouter()
	r.Method(http.MethodGet, "/badge/{file}", handlers.Badge(c, nil))
	r.Method(http.MethodGet, "/badge/{slug}/{file}", handlers.Badge(c, nil))
	return r
}

func TestBadgeChangesWithScorecard(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "site.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, _, err := db.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	c := badges.New(db)
	h := badgeRouter(c)
	get := func() (string, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/badge/bittensor/training.svg", nil))
		return rec.Body.String(), rec.Header().Get("ETag")
	}
	before, tag := get()

	sc, err := db.Scorecard(ctx, "bittensor", 0)
	if err != nil {
		t.Fatal(err)
	}
	v := store.NewVersion{Methodology: "1.0", AssessedBy: "test", AssessedAt: "2026-11-25"}
	for _, a := range sc.Assessments {
		na := store.NewAssessment{Axis: a.Axis, Level: a.Level, Criterion: a.Criterion, Rationale: a.Rationale}
		for _, e := range a.Evidence {
			na.Evidence = append(na.Evidence, e.ID)
		}
		if a.Axis == domain.AxisTraining {
			na.Level, na.Criterion, na.Evidence = domain.Unknown, "", nil
		}
		v.Axes = append(v.Axes, na)
	}
	if strings.Contains(before, "training: unknown") {
		t.Skip("seed already has training unknown")
	}
	if _, created, err := db.SaveScorecard(ctx, "bittensor", v); err != nil || !created {
		t.Fatalf("save: %v %v", created, err)
	}
	// This process's commit: the very next request has the new badge.
	after, tag2 := get()
	if after == before || tag2 == tag || !strings.Contains(after, `aria-label="training: unknown"`) {
		t.Fatalf("badge not re-rendered after the commit: %s", after)
	}

	// Another process's commit (a second handle on the same file, as
	// `scorecard import` beside the server would be): seen within the
	// poll interval, and only after a request has started the check.
	other, err := store.Open(ctx, db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	v.Axes = v.Axes[:0]
	for _, a := range sc.Assessments {
		na := store.NewAssessment{Axis: a.Axis, Level: a.Level, Criterion: a.Criterion, Rationale: a.Rationale}
		for _, e := range a.Evidence {
			na.Evidence = append(na.Evidence, e.ID)
		}
		v.Axes = append(v.Axes, na)
	}
	if _, created, err := other.SaveScorecard(ctx, "bittensor", v); err != nil || !created {
		t.Fatalf("save from the other handle: %v %v", created, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		now, tag3 := get()
		if now == before && tag3 == tag {
			break // back to the seeded level, and to the very same bytes and ETag
		}
		if time.Now().After(deadline) {
			t.Fatalf("another process's commit not seen within 5s: %s", now)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func benchCache(b *testing.B) http.Handler {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "site.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, _, err := db.SeedIfEmpty(ctx); err != nil {
		b.Fatal(err)
	}
	c := badges.New(db)
	c.PollInterval = 1 << 62
	return badgeRouter(c)
}

func BenchmarkBadgeHandler(b *testing.B) {
	h := benchCache(b)
	req := httptest.NewRequest(http.MethodGet, "/badge/bittensor.svg", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	etag := rec.Header().Get("ETag")
	b.Run("200", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatal(rec.Code)
			}
		}
	})
	req304 := httptest.NewRequest(http.MethodGet, "/badge/bittensor.svg", nil)
	req304.Header.Set("If-None-Match", etag)
	b.Run("304", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req304)
			if rec.Code != 304 {
				b.Fatal(rec.Code)
			}
		}
	})
}
