package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// unfurled is what unfurl.js reports for a URL: the page's own metadata
// and the oEmbed answer it discovered through the page's
// <link rel="alternate" type="application/json+oembed">.
type unfurled struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	OpenGraph   struct {
		Title string `json:"title"`
		URL   string `json:"url"`
	} `json:"open_graph"`
	OEmbed *struct {
		Version      string `json:"version"`
		Type         string `json:"type"`
		ProviderName string `json:"provider_name"`
		ProviderURL  string `json:"provider_url"`
		Title        string `json:"title"`
		HTML         string `json:"html"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		CacheAge     int    `json:"cache_age"`
	} `json:"oEmbed"`
}

// unfurl runs unfurl.js on url, as a chat app or a CMS would when an
// editor pastes the link.
func unfurl(t *testing.T, url string) unfurled {
	t.Helper()
	pkg, err := UnfurlJS()
	Need(t, "unfurl.js", err)
	node, err := NodePath()
	Need(t, "node", err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const script = `require(process.argv[1]).unfurl(process.argv[2], {oembed: true})
		.then(r => process.stdout.write(JSON.stringify(r)))
		.catch(e => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`
	out, err := exec.CommandContext(ctx, node, "-e", script, pkg, url).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("unfurl.js %s: %v\n%s", url, err, ee.Stderr)
		}
		t.Fatalf("unfurl.js %s: %v", url, err)
	}
	var u unfurled
	if err := json.Unmarshal(out, &u); err != nil {
		t.Fatalf("unfurl.js output: %v\n%s", err, out)
	}
	return u
}

var iframeSrc = regexp.MustCompile(`<iframe src="([^"]+)"`)

// The oEmbed URL pasted into a real consumer: unfurl.js finds the oEmbed
// link on a project page (current and frozen version), reads the answer,
// and the HTML it hands back, put into another site's article as a CMS
// would, shows the scorecard card in a working frame, within the size the
// answer declares.
//
// Not parallel: the frames load lazily (loading="lazy"), and Chromium
// does not lay out a background tab, so the article's tab must be the
// only one.
func TestOEmbedInARealConsumer(t *testing.T) {
	type embedCase struct {
		page, card, name, permalink string
	}
	cases := []embedCase{
		// The live card links to the version it shows.
		{"/p/bittensor", "/embed/bittensor", "bittensor", "/p/bittensor/v/1"},
		{"/p/gensyn/v/1", "/embed/gensyn/v/1", "gensyn", "/p/gensyn/v/1"},
	}
	var html []string
	for _, c := range cases {
		u := unfurl(t, baseURL+c.page)
		if u.OEmbed == nil {
			t.Fatalf("%s: unfurl.js found no oEmbed (title %q)", c.page, u.Title)
		}
		o := u.OEmbed
		if o.Version != "1.0" || o.Type != "rich" || o.ProviderName != "DeAI Scorecard" || o.ProviderURL != baseURL+"/" {
			t.Errorf("%s: oEmbed %+v", c.page, o)
		}
		if o.Width <= 0 || o.Height <= 0 || o.CacheAge <= 0 || !strings.Contains(o.Title, "Stage ") {
			t.Errorf("%s: size %d×%d, cache_age %d, title %q", c.page, o.Width, o.Height, o.CacheAge, o.Title)
		}
		m := iframeSrc.FindStringSubmatch(o.HTML)
		if m == nil || m[1] != baseURL+c.card {
			t.Fatalf("%s: oEmbed html %q, want an iframe of %s", c.page, o.HTML, baseURL+c.card)
		}
		if !strings.Contains(o.HTML, `width="`+strconv.Itoa(o.Width)+`"`) || !strings.Contains(o.HTML, `height="`+strconv.Itoa(o.Height)+`"`) {
			t.Errorf("%s: the iframe's size differs from the answer's %d×%d: %s", c.page, o.Width, o.Height, o.HTML)
		}
		// The link preview a chat app shows without oEmbed.
		if u.OpenGraph.Title == "" || u.OpenGraph.URL != baseURL+c.page {
			t.Errorf("%s: Open Graph title %q, url %q", c.page, u.OpenGraph.Title, u.OpenGraph.URL)
		}
		html = append(html, o.HTML)
	}

	// Another site's article, with the html dropped in as it came.
	article := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>A story</title></head><body><h1>A story</h1>`)
		for i, h := range html {
			fmt.Fprintf(w, `<figure id="f%d">%s</figure>`, i, h)
		}
		fmt.Fprint(w, `</body></html>`)
	}))
	defer article.Close()

	tb := newTab(t)
	if _, err := chromedp.Run(tb.ctx, chromedp.Navigate(article.URL)); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		// Wait until the frame holds the card: while it loads it holds
		// the parent's about:blank (readable from the article); once the
		// card from the other origin is in, contentDocument is null. Only
		// then is the frame's document node worth querying.
		eval[bool](t, tb, fmt.Sprintf(`new Promise(r => { const f = document.querySelector('#f%d iframe');
			const poll = () => f.contentDocument === null ? r(true) : setTimeout(poll, 20); poll(); })`, i), chromedp.EvalAwaitPromise)
		frames, err := chromedp.Run(tb.ctx, chromedp.Nodes(chromedp.CSS(fmt.Sprintf("#f%d iframe", i))))
		if err != nil || len(frames) != 1 {
			t.Fatalf("%s: the iframe in the article: %d nodes, %v", c.card, len(frames), err)
		}
		// The card inside the frame: its heading names the project, and
		// it links to the scorecard (a blocked frame would hold
		// Chromium's error page instead).
		heading, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("h1"), chromedp.FromNode(frames[0])))
		if err != nil {
			t.Fatalf("%s: reading the framed card: %v", c.card, err)
		}
		link, err := chromedp.Run(tb.ctx, chromedp.AttributeValue(chromedp.CSS("h1 a"), "href", chromedp.FromNode(frames[0])))
		if err != nil {
			t.Fatalf("%s: reading the framed card's link: %v", c.card, err)
		}
		if !strings.Contains(strings.ToLower(heading), c.name) {
			t.Errorf("%s: framed card heading %q, want it to name %q", c.card, heading, c.name)
		}
		if !link.Exists || link.Value != baseURL+c.permalink {
			t.Errorf("%s: framed card links to %+v, want %s", c.card, link, baseURL+c.permalink)
		}
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		t.Errorf("the article with the cards: %s", p)
	}
}

// The card fits the frame the oEmbed answer declares, at the default size
// and scaled down by a consumer's maxwidth/maxheight: nothing is cut off
// and nothing scrolls, for every project.
func TestEmbedCardFitsItsFrame(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	type size struct {
		W int `json:"width"`
		H int `json:"height"`
	}
	type overflow struct {
		ScrollW int `json:"sw"`
		ScrollH int `json:"sh"`
	}
	projects, err := testDB.Projects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	longest := longestNameSlug(t)
	for _, p := range projects {
		slug := p.Slug
		limitSet := []string{"", "&maxwidth=300"} // every project at the default and the narrowest size
		if slug == "bittensor" || slug == longest {
			limitSet = append(limitSet, "&maxwidth=360", "&maxwidth=300&maxheight=400", "&maxwidth=640&maxheight=260",
				"&maxheight=180", "&maxwidth=300&maxheight=150", "&maxheight=100")
		}
		for _, limits := range limitSet {
			res, err := http.Get(baseURL + "/oembed?format=json&url=" + baseURL + "/p/" + slug + limits)
			if err != nil {
				t.Fatal(err)
			}
			var sz size
			err = json.NewDecoder(res.Body).Decode(&sz)
			res.Body.Close()
			if err != nil || sz.W <= 0 || sz.H <= 0 {
				t.Fatalf("%s%s: oEmbed size %+v, %v", slug, limits, sz, err)
			}
			if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(int64(sz.W), int64(sz.H))); err != nil {
				t.Fatal(err)
			}
			tb.open(t, "/embed/"+slug, http.StatusOK)
			o := eval[overflow](t, tb, `({sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight})`)
			if o.ScrollW > sz.W || o.ScrollH > sz.H {
				t.Errorf("%s%s: the card needs %d×%d in a %d×%d frame", slug, limits, o.ScrollW, o.ScrollH, sz.W, sz.H)
			}
		}
	}
}

// longestNameSlug is the project whose name is longest: the hardest card
// to fit.
func longestNameSlug(t *testing.T) string {
	t.Helper()
	projects, err := testDB.Projects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	best, name := "", ""
	for _, p := range projects {
		if len(p.Name) > len(name) {
			best, name = p.Slug, p.Name
		}
	}
	return best
}
