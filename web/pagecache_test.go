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
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/onchain"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/web"
)

func fetchPage(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// Cached pages are never stale for this process's writes, and follow
// another process's writes within a few seconds.
func TestPageCacheFollowsWrites(t *testing.T) {
	ctx := context.Background()
	srv, db := newTestServer(t)
	path := db.Path()

	first := fetchPage(t, srv.URL+"/p/olas")
	if first != fetchPage(t, srv.URL+"/p/olas") {
		t.Fatal("two reads of an unchanged page differ")
	}
	// A write by this process shows at once.
	if _, err := db.SaveProject(ctx, domain.Project{Slug: "olas", Name: "Olas Renamed In Process"}); err != nil {
		t.Fatal(err)
	}
	if body := fetchPage(t, srv.URL+"/p/olas"); !strings.Contains(body, "Olas Renamed In Process") {
		t.Fatal("a cached page hid this process's write")
	}
	// A write by another process (another connection to the file) shows soon.
	other, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.SaveProject(ctx, domain.Project{Slug: "olas", Name: "Olas Renamed Elsewhere"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(fetchPage(t, srv.URL+"/p/olas"), "Olas Renamed Elsewhere") {
		if time.Now().After(deadline) {
			t.Fatal("another process's write never showed")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// A signed-in visitor is never served the anonymous copy (and the reverse).
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/p/olas", nil)
	req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: "bogus"})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("with a cookie: %d", res.StatusCode)
	}
}

// Re-check runs show in /metrics by chain and outcome.
func TestRecheckRunsInMetrics(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, _, err := db.SeedIfEmpty(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddContract(ctx, "olas", domain.Contract{Chain: "eip155:31337", Address: "0x1111111111111111111111111111111111111111", Role: domain.RoleToken}); err != nil {
		t.Fatal(err)
	}
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // nothing listens there any more
	r, err := onchain.DialEVM(ctx, onchain.EVMConfig{URL: dead.URL, ChainID: 31337, CallTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	checker := onchain.NewChecker(db, []*onchain.EVM{r}, nil)
	srv := httptest.NewServer(web.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), db, handlers.Site{}, web.CountRechecks(checker)))
	defer srv.Close()
	if _, err := checker.Recheck(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if body := fetchPage(t, srv.URL+"/metrics"); !strings.Contains(body, `scorecard_recheck_runs_total{chain="eip155:31337",outcome="error"} 1`) {
		t.Fatal("the failed run is not counted in /metrics")
	}
}

// A page served from the cache declares its length (it is not chunked) and
// says it varies by Accept-Encoding, in the identity and the gzip copy,
// the first time (rendered) and the second (from memory); HEAD gets the
// same headers and no body.
func TestCachedPageHeaders(t *testing.T) {
	srv, _ := newTestServer(t)
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	get := func(method, enc string) (*http.Response, []byte) {
		req, _ := http.NewRequest(method, srv.URL+"/p/bittensor", nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		res, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	for _, enc := range []string{"", "gzip"} {
		var bodies [2][]byte
		var tags [2]string
		for i := range 2 {
			res, body := get(http.MethodGet, enc)
			bodies[i] = body
			if res.StatusCode != 200 || res.Header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("enc %q, read %d: status %d, Vary %q", enc, i, res.StatusCode, res.Header.Values("Vary"))
			}
			if (res.Header.Get("Content-Encoding") == "gzip") != (enc == "gzip") {
				t.Errorf("enc %q, read %d: Content-Encoding %q", enc, i, res.Header.Get("Content-Encoding"))
			}
			// Rendered (i = 0) or from the cache (i = 1), a page goes out whole, with its tag.
			if res.ContentLength != int64(len(body)) || len(res.TransferEncoding) > 0 {
				t.Errorf("enc %q, read %d: Content-Length %d for %d bytes, Transfer-Encoding %v", enc, i, res.ContentLength, len(body), res.TransferEncoding)
			}
			if tags[i] = res.Header.Get("ETag"); tags[i] == "" {
				t.Errorf("enc %q, read %d: no ETag", enc, i)
			}
		}
		if string(bodies[0]) != string(bodies[1]) || tags[0] != tags[1] {
			t.Errorf("enc %q: the cached copy (tag %s) differs from the rendered one (tag %s)", enc, tags[1], tags[0])
		}
		res, body := get(http.MethodHead, enc)
		if res.StatusCode != 200 || len(body) != 0 || res.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("HEAD enc %q: %d, %d body bytes, Vary %q", enc, res.StatusCode, len(body), res.Header.Get("Vary"))
		}
	}

	// Revalidation: the cached page has a strong ETag per encoding, and a
	// matching If-None-Match gets 304 with no body.
	etags := map[string]string{}
	for _, enc := range []string{"", "gzip"} {
		res, _ := get(http.MethodGet, enc)
		tag := res.Header.Get("ETag")
		if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) {
			t.Fatalf("enc %q: ETag %q", enc, tag)
		}
		etags[enc] = tag
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/p/bittensor", nil)
		req.Header.Set("If-None-Match", tag)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		res, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusNotModified || len(b) != 0 || res.Header.Get("ETag") != tag || res.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("enc %q, If-None-Match %s: %d, %d bytes, ETag %q, Vary %q", enc, tag, res.StatusCode, len(b), res.Header.Get("ETag"), res.Header.Get("Vary"))
		}
		req.Header.Set("If-None-Match", `"stale"`)
		if res, err := tr.RoundTrip(req); err != nil || res.StatusCode != 200 {
			t.Errorf("enc %q, stale tag: %v %v", enc, res.StatusCode, err)
		} else {
			res.Body.Close()
		}
	}
	if etags[""] == etags["gzip"] {
		t.Error("the identity and gzip copies share an ETag")
	}
	// A signed-in visitor's request is never answered from the cache, so
	// never 304 on an anonymous tag.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/p/bittensor", nil)
	req.Header.Set("If-None-Match", etags[""])
	req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: "whatever"})
	if res, err := tr.RoundTrip(req); err != nil || res.StatusCode != 200 {
		t.Errorf("with a session cookie: %v %v", res.StatusCode, err)
	} else {
		res.Body.Close()
	}
}

// A page's tag comes from its bytes, so a client that kept a page from
// before a restart gets 304 on its first request to the new process; a
// page too large to hold streams whole, untagged; an error page is never
// kept.
func TestPageTagsSurviveARestart(t *testing.T) {
	ctx := context.Background()
	srv, db := newTestServer(t)
	// Pages hold absolute links from the Host: the same one for both processes.
	first, _ := http.NewRequest(http.MethodGet, srv.URL+"/p/olas", nil)
	first.Host = "scorecard.test"
	res, err := http.DefaultClient.Do(first)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	tag := res.Header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	srv.Close()

	again, err := store.Open(ctx, db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	srv2 := httptest.NewServer(web.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), again, handlers.Site{Methodology: "1.0"}))
	defer srv2.Close()
	req, _ := http.NewRequest(http.MethodGet, srv2.URL+"/p/olas", nil)
	req.Host = "scorecard.test"
	req.Header.Set("If-None-Match", tag)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified || len(b) != 0 || res.Header.Get("ETag") != tag || res.Header.Get("Content-Type") != "" {
		t.Fatalf("first request after a restart with the old tag: %d, %d bytes, ETag %q, Content-Type %q", res.StatusCode, len(b), res.Header.Get("ETag"), res.Header.Get("Content-Type"))
	}

	// Not found: the error page, whole, every time.
	for range 2 {
		res, body := fetch(t, srv2, "/p/no-such-project")
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "</html>") || res.Header.Get("ETag") != "" {
			t.Fatalf("unknown project: %d, ETag %q, body %.80q", res.StatusCode, res.Header.Get("ETag"), body)
		}
	}
}
