package handlers_test

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/web"
)

func TestParseBaseURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://scorecard.example":         "https://scorecard.example",
		"https://Scorecard.Example/":        "https://scorecard.example",
		"http://127.0.0.1:8080":             "http://127.0.0.1:8080",
		"https://[2001:db8::1]:8443":        "https://[2001:db8::1]:8443",
		"":                                  "",
		"scorecard.example":                 "",
		"ftp://scorecard.example":           "",
		"https://":                          "",
		"https://scorecard.example/site":    "",
		"https://scorecard.example/?a=1":    "",
		"https://scorecard.example/#x":      "",
		"https://user@scorecard.example":    "",
		"javascript:alert(1)":               "",
		"https://scorecard.example:badport": "",
	} {
		got, err := handlers.ParseBaseURL(raw)
		if want == "" {
			if err == nil {
				t.Errorf("%q: accepted as %q", raw, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", raw, got, err, want)
		}
	}
}

// siteWith serves the seeded site with the given options.
func siteWith(t *testing.T, opts ...web.Option) *httptest.Server {
	t.Helper()
	srv, _ := newServerWith(t, opts...)
	return srv
}

// getWith fetches path with a Host header and extra headers.
func getWith(t *testing.T, srv *httptest.Server, path, host string, hdr ...string) (int, string) {
	t.Helper()
	res, body := badgeGet(t, srv, path, append([]string{"Host", host}, hdr...)...)
	return res.StatusCode, body
}

// With --base-url, every absolute link (page, embed snippet, oEmbed,
// feed) starts with it, whatever Host header the client sends; oEmbed
// takes page URLs of the public address.
func TestBaseURLFixesAbsoluteLinks(t *testing.T) {
	srv := siteWith(t, web.BaseURL("https://scorecard.example"))
	const evil = "evil.example"
	_, page := getWith(t, srv, "/p/bittensor", evil, "X-Forwarded-Proto", "http")
	mustContain(t, "page", page,
		`<meta property="og:url" content="https://scorecard.example/p/bittensor">`,
		"https://scorecard.example/oembed?url="+url.QueryEscape("https://scorecard.example/p/bittensor"),
		"&lt;iframe src=&#34;https://scorecard.example/embed/bittensor&#34;",
		"https://scorecard.example/p/bittensor/v/1. Accessed")
	mustNotContain(t, "page", page, evil)

	_, feed := getWith(t, srv, "/feed.atom", evil)
	mustContain(t, "feed", feed, "<id>tag:scorecard.example,2026:feed</id>", `href="https://scorecard.example/feed.atom"`)
	mustNotContain(t, "feed", feed, evil)

	status, body := getWith(t, srv, "/oembed?format=json&url="+url.QueryEscape("https://scorecard.example/p/bittensor"), evil)
	var a oembedAnswer
	if err := json.Unmarshal([]byte(body), &a); status != 200 || err != nil {
		t.Fatalf("oEmbed of the public URL: %d %s", status, body)
	}
	if a.ProviderURL != "https://scorecard.example/" || !strings.Contains(a.HTML, `src="https://scorecard.example/embed/bittensor"`) {
		t.Errorf("oEmbed answer %+v", a)
	}
	if status, _ := getWith(t, srv, "/oembed?format=json&url="+url.QueryEscape("http://"+evil+"/p/bittensor"), evil); status != 404 {
		t.Errorf("oEmbed of another host's URL: %d, want 404", status)
	}
	_, card := getWith(t, srv, "/embed/bittensor", evil)
	mustContain(t, "card", card, `href="https://scorecard.example/p/bittensor/v/1"`)
	mustNotContain(t, "card", card, evil)
}

// Without --base-url, links follow the Host header; X-Forwarded-Proto is
// believed only with --trust-proxy.
func TestForwardedProtoNeedsTrust(t *testing.T) {
	plain := siteWith(t)
	_, page := getWith(t, plain, "/p/bittensor", "a.example", "X-Forwarded-Proto", "https")
	mustContain(t, "untrusted", page, `<meta property="og:url" content="http://a.example/p/bittensor">`)

	trusted := siteWith(t, web.TrustProxyHeaders())
	_, page = getWith(t, trusted, "/p/bittensor", "a.example", "X-Forwarded-Proto", "https")
	mustContain(t, "trusted", page, `<meta property="og:url" content="https://a.example/p/bittensor">`)
	// The cached copy of the https page is not handed to a plain request.
	_, page = getWith(t, trusted, "/p/bittensor", "a.example")
	mustContain(t, "trusted, plain", page, `<meta property="og:url" content="http://a.example/p/bittensor">`)
}
