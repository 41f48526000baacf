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
	article := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>An article</title></head><body><h1>An article</h1>%s</body></html>`, imgs.String())
	}))
	defer article.Close()

	tb := newTab(t)
	if _, err := chromedp.Run(tb.ctx, chromedp.Navigate(article.URL)); err != nil {
		t.Fatal(err)
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
