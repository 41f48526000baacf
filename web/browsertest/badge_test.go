package browsertest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

var svgWidth = regexp.MustCompile(`<svg[^>]* width="([0-9.]+)"`)

// Badges as journalists use them: <img> tags on another site's page. Each
// must load as an image (the not-found one too, never a broken image) at
// the width its SVG declares.
func TestBadgesInAnotherSitesPage(t *testing.T) {
	t.Parallel()
	paths := []string{
		"/badge/bittensor.svg",
		"/badge/bittensor.svg?style=flat-square",
		"/badge/gensyn.svg?style=for-the-badge",
		"/badge/olas/governance.svg",
		"/badge/gensyn/training.svg?style=for-the-badge",
		"/badge/no-such-project.svg",
	}
	want := map[string]float64{}
	var imgs strings.Builder
	for i, p := range paths {
		res, err := http.Get(baseURL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := svgWidth.FindSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no width in %q", p, body)
		}
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		want[p] = w
		fmt.Fprintf(&imgs, `<p><img id="b%d" src="%s%s" alt="badge %d"></p>`, i, baseURL, p, i)
	}
	// The same article twice: as most sites serve it, and cross-origin
	// isolated (COEP require-corp), where the browser shows only what
	// allows it (CORP); the isolated one frames the card too.
	for _, isolated := range []bool{false, true} {
		t.Run(fmt.Sprintf("isolated=%v", isolated), func(t *testing.T) {
			articleWithBadges(t, paths, want, imgs.String(), isolated)
		})
	}
}

func articleWithBadges(t *testing.T, paths []string, want map[string]float64, imgs string, isolated bool) {
	article := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		frame := ""
		if isolated {
			w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
			w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
			frame = `<iframe id="card" src="` + baseURL + `/embed/bittensor" width="480" height="240" title="scorecard"></iframe>`
		}
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>An article</title></head><body><h1>An article</h1>%s%s</body></html>`, imgs, frame)
	}))
	defer article.Close()

	tb := newTab(t)
	if _, err := chromedp.Run(tb.ctx, chromedp.Navigate(article.URL)); err != nil {
		t.Fatal(err)
	}
	if !isolated {
		// The other site's script reads the API, with a header of its own
		// (so the browser sends a preflight first).
		type answer struct {
			Status   int    `json:"status"`
			Projects int    `json:"projects"`
			Error    string `json:"error"`
		}
		got := eval[answer](t, tb, `fetch(`+strconv.Quote(baseURL+"/api/v1/projects")+`, {headers: {'X-Requested-With': 'article'}})
			.then(r => r.json().then(j => ({status: r.status, projects: j.projects.length})))
			.catch(e => ({error: String(e)}))`, chromedp.EvalAwaitPromise)
		if got.Status != 200 || got.Projects == 0 {
			t.Errorf("another site's script reading the API with its own header: %+v", got)
		}
	}
	if isolated {
		if !eval[bool](t, tb, `window.crossOriginIsolated`) {
			t.Fatal("the article is not cross-origin isolated: the test tests nothing")
		}
		// The card's frame: loaded from the site, not replaced by the
		// browser's error page (what COEP does to a frame that does not allow it).
		var tree *cdppage.FrameTree
		deadline := time.Now().Add(10 * time.Second)
		for {
			res, err := chromedp.Call(tb.ctx, cdppage.GetFrameTree, cdp.Empty{})
			if err != nil {
				t.Fatal(err)
			}
			tree = res.FrameTree
			if len(tree.ChildFrames) == 1 && tree.ChildFrames[0].Frame.URL != "about:blank" || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if len(tree.ChildFrames) != 1 {
			t.Fatalf("%d frames in the article", len(tree.ChildFrames))
		}
		f := tree.ChildFrames[0].Frame
		if f.URL != baseURL+"/embed/bittensor" || f.UnreachableURL != "" {
			t.Errorf("the card's frame shows %q (unreachable %q): blocked in an isolated page", f.URL, f.UnreachableURL)
		}
	}
	type img struct {
		Complete bool    `json:"complete"`
		Natural  float64 `json:"natural"`
		Shown    float64 `json:"shown"`
	}
	for i, p := range paths {
		// Wait for the image, bounded by the tab's timeout.
		expr := fmt.Sprintf(`new Promise(r => { const i = document.getElementById('b%d'); const done = () => r({complete: i.complete, natural: i.naturalWidth, shown: i.getBoundingClientRect().width}); if (i.complete) done(); else { i.onload = done; i.onerror = done; } })`, i)
		got := eval[img](t, tb, expr, chromedp.EvalAwaitPromise)
		if !got.Complete || got.Natural == 0 {
			t.Errorf("%s: a broken image in another site's page (%+v)", p, got)
			continue
		}
		if d := got.Shown - want[p]; d > 1 || d < -1 {
			t.Errorf("%s: shown %.2f px wide, the SVG says %.2f", p, got.Shown, want[p])
		}
	}
}
