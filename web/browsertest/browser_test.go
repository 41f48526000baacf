package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/web"
)

// page is one page the checks visit.
type page struct {
	name   string // file and subtest name
	path   string
	status int // the HTTP status the page must have
}

// pages are the pages that axe-core and vnu check.
var pages = []page{
	{"home", "/", http.StatusOK},
	{"project", "/p/bittensor", http.StatusOK},
	{"compare", "/compare?p=bittensor&p=gensyn&p=olas", http.StatusOK},
	{"project-onchain", "/p/olas", http.StatusOK},
	{"changes", "/changes", http.StatusOK},
	{"methodology", "/methodology", http.StatusOK},
	{"about", "/about", http.StatusOK},
	{"notfound", "/no-such-page", http.StatusNotFound},
	{"submit", "/submit", http.StatusOK},
	{"submit-prefilled", "/p/bittensor/submit?axis=training", http.StatusOK},
	{"moderation", "/moderation", http.StatusOK},
	{"login", "/login", http.StatusOK},
	{"embed", "/embed/bittensor", http.StatusOK},
	{"embed-frozen", "/embed/gensyn/v/1", http.StatusOK},
	{"embed-notfound", "/embed/no-such-project", http.StatusNotFound},
	{"project-frozen", "/p/gensyn/v/1", http.StatusOK},
}

// badgePages are badges, which vnu checks as SVG documents.
var badgePages = []page{
	{"badge.svg", "/badge/bittensor.svg", http.StatusOK},
	{"badge-square.svg", "/badge/olas/governance.svg?style=flat-square", http.StatusOK},
	{"badge-ftb.svg", "/badge/gensyn.svg?style=for-the-badge&label=" + url.QueryEscape(`<b>&"'ß`), http.StatusOK},
	{"badge-notfound.svg", "/badge/no-such-project.svg", http.StatusNotFound},
}

// ext is the file extension vnu goes by.
func (p page) ext() string {
	if strings.HasSuffix(p.name, ".svg") {
		return ""
	}
	return ".html"
}

// baseURL is the address of the test server that TestMain starts.
var baseURL string

// testDB is the database behind baseURL, for tests that set up accounts.
var testDB *store.DB

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "browsertest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)

	db, err := store.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "open database:", err)
		return 1
	}
	defer db.Close()
	testDB = db
	if _, _, err := db.SeedIfEmpty(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "seed database:", err)
		return 1
	}
	if err := recordChecks(ctx, db); err != nil {
		fmt.Fprintln(os.Stderr, "record on-chain checks:", err)
		return 1
	}
	site, err := handlers.SiteFromSeed()
	if err != nil {
		fmt.Fprintln(os.Stderr, "site info:", err)
		return 1
	}
	site.CheckedChains = []string{"eip155:1337"}
	srv := httptest.NewServer(web.NewServer(slog.New(slog.NewTextHandler(io.Discard, nil)), db, site))
	defer srv.Close()
	baseURL = srv.URL

	defer stopBrowser()
	return m.Run()
}

// The one browser of the package, started by the first test that needs it.
var (
	browserOnce    sync.Once
	browserCtx     context.Context
	browserErr     error // the browser could not start
	browserMissing error // no chromium binary: skip or fail as Need says
	browserStop    []func()
	browserOutput  lockedBuffer
)

// lockedBuffer collects the browser's output for error messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) tail() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}

func startBrowser() {
	path, err := ChromiumPath()
	if err != nil {
		browserMissing = err
		return
	}
	dir, err := os.MkdirTemp("", "browsertest-chromium-")
	if err != nil {
		browserErr = err
		return
	}
	browserStop = append(browserStop, func() { os.RemoveAll(dir) })
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(dir),
		chromedp.CombinedOutput(&browserOutput),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	// Stop in reverse order: the browser, then the allocator, then the folder.
	browserStop = append(browserStop, cancelAlloc, cancelBrowser)
	startCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// The first Do binds the browser's life to the context it gets, so start
	// it on ctx and only wait with the timeout.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err = <-done:
	case <-startCtx.Done():
		err = errors.New("timed out after 30s")
	}
	if err != nil {
		browserErr = fmt.Errorf("start %s: %w\nbrowser output:\n%s", path, err, browserOutput.tail())
		return
	}
	browserCtx = ctx
}

func stopBrowser() {
	for i := len(browserStop) - 1; i >= 0; i-- {
		browserStop[i]()
	}
}

// tab is a browser tab that records what a page must not do: write errors
// to the console, throw, or load something that fails.
type tab struct {
	ctx context.Context

	mu        sync.Mutex
	problems  []string
	responses []response
}

type response struct {
	url    string
	status int64
	typ    network.ResourceType
}

// newTab opens a tab in the package's browser; the test skips or fails as
// Need says when there is no chromium.
func newTab(t *testing.T) *tab {
	t.Helper()
	browserOnce.Do(startBrowser)
	Need(t, "chromium", browserMissing)
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	ctx, cancel := context.WithTimeout(browserCtx, 60*time.Second)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(func() { cancelTab(); cancel() })
	tb := &tab{ctx: ctx}
	if err := chromedp.Listen(ctx, tb.on); err != nil {
		t.Fatalf("listen: %v", err)
	}
	// chromedp enables the Log domain when it attaches; be explicit, since
	// CSP violations only show up there.
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("Log.enable: %v", err)
	}
	return tb
}

// on runs in the tab's event loop: it must return fast and send no command.
func (tb *tab) on(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				if a.Value != nil {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			tb.problems = append(tb.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		tb.problems = append(tb.problems, fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
	case *cdplog.EventEntryAdded:
		if e := ev.Entry; e.Level == cdplog.EntryLevelError {
			tb.problems = append(tb.problems, fmt.Sprintf("log error [%s] %s (%s)", e.Source, e.Text, e.URL))
		}
	case *network.EventResponseReceived:
		tb.responses = append(tb.responses, response{ev.Response.URL, ev.Response.Status, ev.Type})
	}
}

// open loads path, checks its status, and checks that loading it wrote no
// error to the console and that everything it loaded answered below 400.
func (tb *tab) open(t *testing.T, path string, status int) {
	t.Helper()
	tb.mu.Lock()
	tb.problems, tb.responses = nil, nil
	tb.mu.Unlock()

	url := baseURL + path
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Navigate(url))
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	if resp.Status != int64(status) {
		t.Errorf("load %s: status %d, want %d", path, resp.Status, status)
	}
	// A round trip, so that every event of the load has been seen.
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.readyState`)); err != nil {
		t.Fatalf("%s: %v", path, err)
	}

	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		// The browser logs the expected status of a 404 page as an error.
		if status >= 400 && strings.Contains(p, "log error [network]") && strings.HasSuffix(p, "("+url+")") {
			continue
		}
		t.Errorf("%s: %s", path, p)
	}
	for _, r := range tb.responses {
		if r.url == url && r.typ == network.ResourceTypeDocument {
			continue // checked above
		}
		if r.status >= 400 {
			t.Errorf("%s: %s %s answered %d", path, r.typ, r.url, r.status)
		}
	}
}

// eval evaluates expr in the page and decodes its value into T.
func eval[T any](t *testing.T, tb *tab, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return v
}

func TestProjectPage(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.open(t, "/p/bittensor", http.StatusOK)

	type rosetteInfo struct {
		Found  bool   `json:"found"`
		Title  string `json:"title"`
		Slices int    `json:"slices"`
	}
	r := eval[rosetteInfo](t, tb, `(() => {
		const svg = document.querySelector('figure.rosette svg[role=img]');
		if (!svg) return {found: false, title: '', slices: 0};
		const title = svg.querySelector(':scope > title');
		const slices = [...svg.querySelectorAll('path')].filter(p => !p.closest('defs'));
		return {found: true, title: title ? title.textContent.trim() : '', slices: slices.length};
	})()`)
	switch {
	case !r.Found:
		t.Error("no rosette: figure.rosette svg[role=img] is missing")
	default:
		if r.Title == "" {
			t.Error("the rosette svg has no <title> (or an empty one)")
		}
		if r.Slices != 7 {
			t.Errorf("the rosette has %d slice paths, want 7 (one per axis)", r.Slices)
		}
	}

	evidence := eval[[]string](t, tb, `[...document.querySelectorAll('article.evidence')].map(a => a.textContent)`)
	if len(evidence) == 0 {
		t.Fatal("no evidence: article.evidence is missing")
	}
	const quote = "Miners train and periodically publish models"
	found := false
	for _, e := range evidence {
		if strings.Contains(strings.Join(strings.Fields(e), " "), quote) {
			found = true
		}
	}
	if !found {
		t.Errorf("no article.evidence of %d quotes %q", len(evidence), quote)
	}
}

// axeViolation is what the axe-core run returns for one rule.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
		HTML   string   `json:"html"`
	} `json:"nodes"`
}

type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Incomplete []string       `json:"incomplete"`
}

const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => ({
	violations: r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html})),
	})),
	incomplete: r.incomplete.map(v => v.id + ' on ' + v.nodes.length + ' element(s), e.g. ' +
		v.nodes.slice(0, 2).map(n => n.target.join(' ') + ': ' + ((n.any[0] || n.all[0] || n.none[0] || {}).message || '?')).join('; ')),
}))`

func TestAccessibility(t *testing.T) {
	t.Parallel()
	axePath, err := AxePath()
	Need(t, "axe-core", err)
	src, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	tb := newTab(t)
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			tb.open(t, p.path, p.status)
			eval[chromedp.Void](t, tb, string(src))
			res := eval[axeResult](t, tb, axeRun, chromedp.EvalAwaitPromise)
			for _, v := range res.Violations {
				var where []string
				for i, n := range v.Nodes {
					if i == 3 {
						where = append(where, fmt.Sprintf("… %d more", len(v.Nodes)-3))
						break
					}
					where = append(where, fmt.Sprintf("%s  %s", strings.Join(n.Target, " "), short(n.HTML, 160)))
				}
				t.Errorf("%s: axe %s (%s): %s; %d element(s):\n\t%s", p.path, v.ID, v.Impact, v.Help, len(v.Nodes), strings.Join(where, "\n\t"))
			}
			if len(res.Incomplete) > 0 {
				t.Logf("%s: axe could not decide (needs review, not a failure):\n\t%s", p.path, strings.Join(res.Incomplete, "\n\t"))
			}
		})
	}
}

func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// narrowPages are the pages that must not scroll sideways on a phone.
var narrowPages = []page{pages[0], pages[1], pages[2]}

func TestNoHorizontalScrollAt390(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	type widths struct {
		ScrollWidth int      `json:"scrollWidth"`
		InnerWidth  int      `json:"innerWidth"`
		Offenders   []string `json:"offenders"`
	}
	for _, p := range narrowPages {
		t.Run(p.name, func(t *testing.T) {
			tb.open(t, p.path, p.status)
			w := eval[widths](t, tb, `(() => {
				const vw = window.innerWidth;
				const describe = el => {
					const parts = [];
					for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
						let s = e.localName;
						if (e.id) s += '#' + e.id;
						for (const c of [...e.classList].slice(0, 2)) s += '.' + c;
						parts.unshift(s);
					}
					return parts.join(' > ');
				};
				const clipped = el => {
					for (let e = el.parentElement; e && e !== document.body && e !== document.documentElement; e = e.parentElement) {
						if (getComputedStyle(e).overflowX !== 'visible') return true;
					}
					return false;
				};
				const out = [];
				for (const el of document.body.querySelectorAll('*')) {
					const r = el.getBoundingClientRect();
					if (r.width === 0 || (r.right <= vw + 0.5 && r.left >= -0.5)) continue;
					if (out.some(o => o.el.contains(el)) || clipped(el)) continue;
					out.push({el, r});
				}
				return {
					scrollWidth: document.documentElement.scrollWidth,
					innerWidth: vw,
					offenders: out.slice(0, 8).map(o => describe(o.el) + ' (left ' + Math.round(o.r.left) + ', right ' + Math.round(o.r.right) + ')'),
				};
			})()`)
			if w.ScrollWidth > w.InnerWidth {
				t.Errorf("%s at 390px scrolls sideways: scrollWidth %d > innerWidth %d; elements past the edge:\n\t%s",
					p.path, w.ScrollWidth, w.InnerWidth, strings.Join(w.Offenders, "\n\t"))
			}
		})
	}
}

func TestSkipLinkIsFirstFocus(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.open(t, "/", http.StatusOK)
	if err := chromedp.Do(tb.ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	type focus struct {
		Skip bool   `json:"skip"`
		What string `json:"what"`
	}
	f := eval[focus](t, tb, `(() => {
		const a = document.activeElement;
		if (!a) return {skip: false, what: 'nothing'};
		return {skip: a.classList.contains('skip'), what: a.outerHTML.slice(0, 200)};
	})()`)
	if !f.Skip {
		t.Errorf("the first Tab focuses %s, want the skip link (class \"skip\")", f.What)
	}
}

func TestScreenshots(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		t.Skip("SCREENSHOT_DIR is not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t)
	for _, size := range [][2]int64{{390, 844}, {1280, 900}} {
		if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(size[0], size[1])); err != nil {
			t.Fatal(err)
		}
		for _, p := range []page{pages[0], pages[1]} {
			tb.open(t, p.path, p.status)
			png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(dir, fmt.Sprintf("%s-%dx%d.png", p.name, size[0], size[1]))
			if err := os.WriteFile(name, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", name)
		}
	}
}

// vnuMessage is one message of vnu's JSON output.
type vnuMessage struct {
	Type      string `json:"type"`
	SubType   string `json:"subType"`
	URL       string `json:"url"`
	FirstLine int    `json:"firstLine"`
	LastLine  int    `json:"lastLine"`
	FirstCol  int    `json:"firstColumn"`
	LastCol   int    `json:"lastColumn"`
	Message   string `json:"message"`
	Extract   string `json:"extract"`
}

func TestHTMLIsValid(t *testing.T) {
	t.Parallel()
	jar, err := VNUJar()
	Need(t, "vnu.jar", err)
	java, err := JavaPath()
	Need(t, "java", err)

	dir := t.TempDir()
	var files []string
	validated := append(slices.Clone(pages), badgePages...)
	for _, p := range validated {
		resp, err := http.Get(baseURL + p.path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != p.status {
			t.Errorf("GET %s: status %d, want %d", p.path, resp.StatusCode, p.status)
		}
		name := filepath.Join(dir, p.name+p.ext())
		if err := os.WriteFile(name, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}

	// One run for all files: the JVM starts slowly. vnu writes its report to
	// stderr and exits 1 when it finds errors. Badges are checked as SVG.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, append([]string{"-jar", jar, "--errors-only", "--also-check-svg", "--format", "json"}, files...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var exit *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exit) {
		t.Fatalf("run vnu: %v", runErr)
	}
	out := stderr.Bytes()
	if len(bytes.TrimSpace(out)) == 0 {
		out = stdout.Bytes()
	}
	var report struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu (%v) printed no JSON report: %v\nstdout:\n%s\nstderr:\n%s", runErr, err, stdout.String(), stderr.String())
	}
	byPath := map[string]string{}
	for _, p := range validated {
		byPath[p.name+p.ext()] = p.path
	}
	for _, m := range report.Messages {
		file := filepath.Base(strings.TrimPrefix(m.URL, "file:"))
		where := file
		if path, ok := byPath[file]; ok {
			where = fmt.Sprintf("%s (%s)", file, path)
		}
		t.Errorf("%s:%d:%d: vnu %s: %s\n\t%s", where, m.LastLine, m.FirstCol, m.Type, m.Message, short(m.Extract, 160))
	}
	if len(report.Messages) == 0 && runErr != nil {
		t.Errorf("vnu reported no message but failed: %v\n%s", runErr, stderr.String())
	}
}

// recordChecks gives /p/olas and /changes on-chain content: a watched
// proxy read twice, the second time upgraded, so facts, a suggestion and
// a change event all render.
func recordChecks(ctx context.Context, db *store.DB) error {
	const (
		proxy = "0x1111111111111111111111111111111111111111"
		admin = "0x2222222222222222222222222222222222222222"
		owner = "0x3333333333333333333333333333333333333333"
	)
	c, err := db.AddContract(ctx, "olas", domain.Contract{Chain: "eip155:1337", Address: proxy, Role: domain.RoleProxy, Label: "Test proxy"})
	if err != nil {
		return err
	}
	for i, impl := range []string{"0x4444444444444444444444444444444444444444", "0x5555555555555555555555555555555555555555"} {
		at := time.Date(2026, 11, 25, 12, i, 0, 0, time.UTC)
		_, _, err := db.RecordRun(ctx, store.RunRecord{
			Run: domain.CheckRun{Chain: "eip155:1337", OK: true, StartedAt: at, FinishedAt: at,
				Block: domain.BlockRef{Chain: "eip155:1337", Number: uint64(100 + i), Hash: "0xfeed", Time: at}},
			Covered: []int64{c.ID},
			Facts: []domain.Fact{
				{ContractID: c.ID, Key: "code", Value: "0xabc"},
				{ContractID: c.ID, Key: "implementation", Value: impl},
				{ContractID: c.ID, Key: "admin", Value: admin},
				{ContractID: c.ID, Key: admin + ".is_contract", Value: "true"},
				{ContractID: c.ID, Key: admin + ".owner", Value: owner},
				{ContractID: c.ID, Key: owner + ".is_contract", Value: "false"},
			},
		}, scorers.GradeChange)
		if err != nil {
			return err
		}
	}
	return nil
}
