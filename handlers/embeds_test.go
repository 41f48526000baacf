package handlers_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/deai-scorecard/scorecard/domain"
)

func TestEmbedCard(t *testing.T) {
	srv, _ := newServer(t)
	status, h, body := get(t, srv, "/embed/bittensor")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	mustContain(t, "/embed/bittensor", body,
		`<html lang="en">`, "<title>Bittensor (TAO): Stage", "<h1>", "Bittensor (TAO)",
		`class="levels"`, "Training: 2 · open but trusted", "Version 1, updated",
		`href="`+srv.URL+`/p/bittensor/v/1" target="_blank" rel="noopener"`)
	mustNotContain(t, "/embed/bittensor", body, "<script", `aria-label="Main"`, "Skip to content")
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || strings.Contains(csp, "'none'") {
		t.Errorf("embed CSP %q", csp)
	}
	if xfo := h.Values("X-Frame-Options"); len(xfo) != 0 {
		t.Errorf("embed X-Frame-Options %q", xfo)
	}
	if cc := h.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("embed Cache-Control %q", cc)
	}
	if h.Get("Cross-Origin-Resource-Policy") != "cross-origin" || h.Get("Cross-Origin-Embedder-Policy") != "require-corp" {
		t.Errorf("embed CORP %q, COEP %q: an isolated page could not frame it", h.Get("Cross-Origin-Resource-Policy"), h.Get("Cross-Origin-Embedder-Policy"))
	}

	status, h, body = get(t, srv, "/embed/no-such-project")
	if status != 404 {
		t.Errorf("unknown slug: status %d", status)
	}
	mustContain(t, "/embed/no-such-project", body, `<html lang="en">`, "<h1>Scorecard not found</h1>")
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors *") || h.Get("X-Frame-Options") != "" {
		t.Errorf("404 card headers: CSP %q, XFO %q", h.Get("Content-Security-Policy"), h.Get("X-Frame-Options"))
	}

	// A frozen version's card: that version, linking to it; bad or
	// unknown versions give the not-found card.
	status, h, body = get(t, srv, "/embed/bittensor/v/1")
	if status != 200 || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors *") {
		t.Fatalf("/embed/bittensor/v/1: status %d, CSP %q", status, h.Get("Content-Security-Policy"))
	}
	mustContain(t, "/embed/bittensor/v/1", body, "Version 1, updated", `href="`+srv.URL+`/p/bittensor/v/1"`)
	for _, path := range []string{"/embed/bittensor/v/0", "/embed/bittensor/v/01", "/embed/bittensor/v/x", "/embed/bittensor/v/99", "/embed/nope/v/1"} {
		status, _, body := get(t, srv, path)
		if status != 404 || !strings.Contains(body, "Scorecard not found") {
			t.Errorf("%s: status %d", path, status)
		}
	}

	// Every other page still refuses to be framed.
	for _, path := range []string{"/p/bittensor", "/", "/oembed?url=x"} {
		_, h, _ = get(t, srv, path)
		if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: XFO %q, CSP %q", path, h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"))
		}
	}
}

type oembedAnswer struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	Title        string `json:"title"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	CacheAge     int    `json:"cache_age"`
}

func oembedPath(pageURL, extra string) string {
	return "/oembed?url=" + url.QueryEscape(pageURL) + "&format=json" + extra
}

func TestOEmbed(t *testing.T) {
	srv, _ := newServer(t)
	fetch := func(path string) oembedAnswer {
		t.Helper()
		status, h, body := get(t, srv, path)
		if status != 200 {
			t.Fatalf("%s: status %d: %s", path, status, body)
		}
		if !strings.HasPrefix(h.Get("Content-Type"), "application/json") || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: Content-Type %q, ACAO %q", path, h.Get("Content-Type"), h.Get("Access-Control-Allow-Origin"))
		}
		var a oembedAnswer
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return a
	}
	a := fetch(oembedPath(srv.URL+"/p/bittensor", ""))
	if a.Version != "1.0" || a.Type != "rich" || a.ProviderName != "DeAI Scorecard" || a.ProviderURL != srv.URL+"/" || a.CacheAge <= 0 {
		t.Errorf("answer %+v", a)
	}
	if !strings.HasPrefix(a.Title, "Bittensor (TAO): Stage") {
		t.Errorf("title %q", a.Title)
	}
	if a.Width <= 0 || a.Height <= 0 {
		t.Errorf("size %d×%d", a.Width, a.Height)
	}
	mustContain(t, "oembed html", a.HTML, `<iframe src="`+srv.URL+`/embed/bittensor"`, `loading="lazy"`, `title="DeAI Scorecard: Bittensor (TAO)"`)
	mustContain(t, "oembed html", a.HTML, ` width="`+strconv.Itoa(a.Width)+`"`, ` height="`+strconv.Itoa(a.Height)+`"`)

	// A frozen version's page and a trailing slash are project URLs, too;
	// the frozen page's card is frozen as well.
	frozen := fetch(oembedPath(srv.URL+"/p/bittensor/v/1", ""))
	mustContain(t, "frozen oembed html", frozen.HTML, `<iframe src="`+srv.URL+`/embed/bittensor/v/1"`, `title="DeAI Scorecard: Bittensor (TAO), version 1"`)
	fetch("/oembed?url=" + url.QueryEscape(srv.URL+"/p/bittensor/"))

	// maxwidth and maxheight scale the card down, never up.
	small := fetch(oembedPath(srv.URL+"/p/bittensor", "&maxwidth=300&maxheight=150"))
	if small.Width != 300 || small.Height != 150 {
		t.Errorf("maxwidth=300&maxheight=150: %d×%d", small.Width, small.Height)
	}
	mustContain(t, "small html", small.HTML, `width="300"`, `height="150"`)
	if empty := fetch(oembedPath(srv.URL+"/p/bittensor", "&maxwidth=&maxheight=")); empty.Width != a.Width || empty.Height != a.Height {
		t.Errorf("empty maxwidth/maxheight (no limit): %d×%d", empty.Width, empty.Height)
	}
	big := fetch(oembedPath(srv.URL+"/p/bittensor", "&maxwidth=5000&maxheight=5000"))
	if big.Width != a.Width || big.Height != a.Height {
		t.Errorf("maxwidth=5000: %d×%d, want %d×%d", big.Width, big.Height, a.Width, a.Height)
	}

	errs := []struct {
		path   string
		status int
	}{
		{oembedPath(srv.URL+"/p/no-such-project", ""), 404},
		{oembedPath(srv.URL+"/p/bittensor/v/99", ""), 404},
		{oembedPath("https://example.com/p/bittensor", ""), 404},
		{oembedPath(srv.URL+"/about", ""), 404},
		{oembedPath("javascript:alert(1)", ""), 404},
		{"/oembed?url=" + url.QueryEscape(srv.URL+"/p/bittensor") + "&format=xml", 501},
		{"/oembed?format=json", 400},
		{"/oembed", 400},
		{oembedPath(srv.URL+"/p/bittensor", "&maxwidth=abc"), 400},
		{oembedPath(srv.URL+"/p/bittensor", "&maxwidth=-5"), 400},
		{oembedPath(srv.URL+"/p/bittensor", "&maxheight=0"), 400},
		{oembedPath(srv.URL+"/p/bittensor", "&maxheight=12.5"), 400},
	}
	for _, e := range errs {
		status, h, body := get(t, srv, e.path)
		if status != e.status {
			t.Errorf("%s: status %d, want %d", e.path, status, e.status)
		}
		var msg struct{ Error string }
		if err := json.Unmarshal([]byte(body), &msg); err != nil || msg.Error == "" {
			t.Errorf("%s: not a JSON error: %.100q", e.path, body)
		}
		if e.status == 400 && strings.Contains(e.path, "max") && !strings.Contains(msg.Error, "must be a positive whole number") {
			t.Errorf("%s: error %q does not say what is wrong", e.path, msg.Error)
		}
		if h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: no CORS header", e.path)
		}
	}
}

func TestFeed(t *testing.T) {
	srv, db := newServer(t)
	recordTwoRuns(t, db)
	changes, err := db.Changes(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) == 0 {
		t.Fatal("recordTwoRuns recorded no change event")
	}
	parse := func() *gofeed.Feed {
		t.Helper()
		status, h, body := get(t, srv, "/feed.atom")
		if status != 200 {
			t.Fatalf("status %d", status)
		}
		if ct := h.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		feed, err := gofeed.NewParser().ParseString(body)
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		if feed.FeedType != "atom" {
			t.Errorf("feed type %q", feed.FeedType)
		}
		return feed
	}
	feed := parse()
	if feed.Title != "DeAI Scorecard changes" || feed.UpdatedParsed == nil || len(feed.Authors) == 0 || feed.FeedLink != srv.URL+"/feed.atom" {
		t.Errorf("feed head: title %q, updated %v, authors %v, self %q", feed.Title, feed.UpdatedParsed, feed.Authors, feed.FeedLink)
	}
	versions, changeEntries := 0, 0
	seen := map[string]bool{}
	for i, it := range feed.Items {
		if seen[it.GUID] {
			t.Errorf("duplicate id %q", it.GUID)
		}
		seen[it.GUID] = true
		if it.UpdatedParsed == nil {
			t.Errorf("%s: no updated time", it.GUID)
		} else if i > 0 && feed.Items[i-1].UpdatedParsed != nil && it.UpdatedParsed.After(*feed.Items[i-1].UpdatedParsed) {
			t.Errorf("%s: not newest first", it.GUID)
		}
		switch {
		case strings.Contains(it.GUID, ",2026:version/"):
			versions++
		case strings.Contains(it.GUID, ",2026:change/"):
			changeEntries++
			if !strings.HasSuffix(it.Link, "/p/olas#contracts-h") {
				t.Errorf("change link %q", it.Link)
			}
		default:
			t.Errorf("unexpected id %q", it.GUID)
		}
		if !strings.HasPrefix(it.GUID, "tag:127.0.0.1,2026:") {
			t.Errorf("id %q", it.GUID)
		}
	}
	if versions != 52 || changeEntries != len(changes) {
		t.Errorf("%d version entries, %d change entries; want 52 and %d", versions, changeEntries, len(changes))
	}
	if !seen["tag:127.0.0.1,2026:version/bittensor/1"] {
		t.Error("no entry for Bittensor version 1")
	}
	for _, it := range feed.Items {
		if it.GUID == "tag:127.0.0.1,2026:version/bittensor/1" {
			if it.Title != "Bittensor (TAO): version 1 (first assessment)" || it.Link != srv.URL+"/p/bittensor/v/1" {
				t.Errorf("bittensor entry: %q %q", it.Title, it.Link)
			}
		}
	}
	if feed.Items[0].UpdatedParsed != nil && !feed.UpdatedParsed.Equal(*feed.Items[0].UpdatedParsed) {
		t.Errorf("feed updated %v, newest entry %v", feed.UpdatedParsed, feed.Items[0].UpdatedParsed)
	}

	// Ids are stable from one fetch to the next.
	again := parse()
	if len(again.Items) != len(feed.Items) {
		t.Fatalf("second fetch: %d entries, first %d", len(again.Items), len(feed.Items))
	}
	for i := range feed.Items {
		if again.Items[i].GUID != feed.Items[i].GUID {
			t.Errorf("entry %d: id %q then %q", i, feed.Items[i].GUID, again.Items[i].GUID)
		}
	}
}

func TestProjectPageEmbedCite(t *testing.T) {
	srv, _ := newServer(t)
	status, _, body := get(t, srv, "/p/bittensor")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	mustContain(t, "/p/bittensor", body,
		`<link rel="alternate" type="application/json+oembed" href="`+srv.URL+"/oembed?url="+url.QueryEscape(srv.URL+"/p/bittensor")+`&amp;format=json"`,
		`<link rel="alternate" type="application/atom+xml" href="/feed.atom" title="DeAI Scorecard changes">`,
		`<h2 id="embed-h">Embed / cite</h2>`,
		`<label for="embed-md">`, `<label for="embed-html">`, `<label for="embed-frozen">`, `<label for="embed-cite">`,
		"&lt;iframe src=&#34;"+srv.URL+"/embed/bittensor/v/1&#34;",
		`<meta property="og:title" content="Bittensor (TAO)">`, `<meta property="og:url" content="`+srv.URL+`/p/bittensor">`,
		`<meta property="og:description" content="Bittensor (TAO): Stage`, `<meta name="twitter:card" content="summary">`,
		"[![DeAI stage]("+srv.URL+"/badge/bittensor.svg)]("+srv.URL+"/p/bittensor)",
		"&lt;iframe src=&#34;"+srv.URL+"/embed/bittensor&#34;",
		"DeAI Scorecard. Bittensor (TAO) scorecard, version 1 (assessed ", "). "+srv.URL+"/p/bittensor/v/1. Accessed ")

	mustContain(t, "/p/bittensor", body, `<link rel="canonical" href="`+srv.URL+`/p/bittensor">`)

	// The frozen page offers its own oEmbed URL; other pages have none.
	_, h, body := get(t, srv, "/p/bittensor/v/1")
	mustContain(t, "/p/bittensor/v/1", body, "/oembed?url="+url.QueryEscape(srv.URL+"/p/bittensor/v/1"), "Embed / cite",
		`<link rel="canonical" href="`+srv.URL+`/p/bittensor/v/1">`)
	if cc := h.Get("Cache-Control"); cc != "public, max-age=86400" {
		t.Errorf("frozen page, anonymous: Cache-Control %q", cc)
	}
	_, _, body = get(t, srv, "/")
	mustContain(t, "/", body, `type="application/atom+xml"`)
	mustNotContain(t, "/", body, "json+oembed")
}

// A frozen page that names the signed-in reviewer is never cacheable by a
// shared cache.
func TestFrozenPageSignedInIsPrivate(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	c := signIn(t, srv, "rita", "rita's long password")
	res := fetch(t, c, srv, "/p/bittensor/v/1")
	if res.status != 200 || !strings.Contains(res.body, "rita") {
		t.Fatalf("signed-in frozen page: %d, names the reviewer: %v", res.status, strings.Contains(res.body, "rita"))
	}
	if cc := res.header.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
		t.Errorf("signed-in frozen page: Cache-Control %q, want private", cc)
	}
}
