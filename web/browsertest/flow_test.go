package browsertest

// The contribution flow as a person meets it, in the browser with
// JavaScript on: the public submission form (bad and hostile input first),
// a reviewer signing in, accepting and rejecting, and what the scorecard,
// its versions, the moderation log and the item pages show afterwards.
// Every page is reached through links, fields and buttons, never a direct
// POST, and no page may open a JavaScript dialog or log an error.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/deai-scorecard/scorecard/auth"
	"github.com/deai-scorecard/scorecard/domain"
)

// Hostile text, typed into every field that takes text. None of it may run
// or become markup: the pages must show it as typed.
const (
	hostileTitle     = `<script>alert(1)</script>`
	hostileQuote     = `"><img src=x onerror=alert(2)>`
	hostileFinding   = `</textarea><script>alert(3)</script>`
	hostileSubmitter = `'"><svg onload=alert(4)>`
	hostileAddress   = `javascript:alert(5)`
	hostileSignature = `"><iframe src=javascript:alert(6)></iframe>`
	hostileNote      = `</p><img src=x onerror=alert(7)> looks fine`
	hostileRationale = `<b onmouseover=alert(8)>Operators</b> re-run each other's work & compare.`
)

// flowSeq makes URLs unique, so that -count=N does not trip the duplicate check.
var flowSeq atomic.Int64

func uniqueURL(what string) string {
	return fmt.Sprintf("https://example.org/%s/%d-%d", what, time.Now().UnixNano(), flowSeq.Add(1))
}

// js writes v as a JavaScript literal.
func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// flowTab is a tab that also fails on any JavaScript dialog.
type flowTab struct {
	*tab
	dmu     sync.Mutex
	dialogs []string
}

// newFlowTab opens a tab; a private one gets a browser context of its own,
// so that its session cookie does not reach the tabs of other tests.
func newFlowTab(t *testing.T, private bool) *flowTab {
	t.Helper()
	var tb *tab
	if !private {
		tb = newTab(t)
	} else {
		// newTab, in a fresh browser context.
		browserOnce.Do(startBrowser)
		Need(t, "chromium", browserMissing)
		if browserErr != nil {
			t.Fatal(browserErr)
		}
		ctx, cancel := context.WithTimeout(browserCtx, 60*time.Second)
		ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		t.Cleanup(func() { cancelTab(); cancel() })
		tb = &tab{ctx: ctx}
		if err := chromedp.Listen(ctx, tb.on); err != nil {
			t.Fatalf("listen: %v", err)
		}
		if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
			t.Fatalf("Log.enable: %v", err)
		}
	}
	ft := &flowTab{tab: tb}
	ctx := tb.ctx
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*cdppage.EventJavascriptDialogOpening); ok {
			ft.dmu.Lock()
			ft.dialogs = append(ft.dialogs, fmt.Sprintf("%s(%q) on %s", ev.Type, ev.Message, ev.URL))
			ft.dmu.Unlock()
			// A dialog blocks the page; dismiss it from outside the event loop.
			go chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		}
	}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { ft.noDialogs(t) })
	return ft
}

// noDialogs fails for every dialog that opened since the last call.
func (ft *flowTab) noDialogs(t *testing.T) {
	t.Helper()
	ft.dmu.Lock()
	defer ft.dmu.Unlock()
	for _, d := range ft.dialogs {
		t.Errorf("a JavaScript dialog opened: %s", d)
	}
	ft.dialogs = nil
}

// visit is open, then the dialog check.
func (ft *flowTab) visit(t *testing.T, path string, status int) {
	t.Helper()
	ft.open(t, path, status)
	ft.noDialogs(t)
}

// do runs steps that stay on the page: typing, choosing.
func (ft *flowTab) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ft.ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// act runs steps that load a new page (a click on a submit button) and
// checks that page as open does: its status, after redirects, and no
// console error, exception, failed load or dialog.
func (ft *flowTab) act(t *testing.T, what string, status int, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ft.mu.Lock()
	ft.problems, ft.responses = nil, nil
	ft.mu.Unlock()
	resp, err := chromedp.RunResponse(ft.ctx, steps...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		t.Fatalf("%s: no page loaded", what)
	}
	if resp.Status != int64(status) {
		t.Errorf("%s: %s answered %d, want %d", what, resp.URL, resp.Status, status)
	}
	// A round trip, so that every event of the load has been seen.
	if _, err := chromedp.Run(ft.ctx, chromedp.Evaluate[string](`document.readyState`)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	ft.mu.Lock()
	for _, p := range ft.problems {
		// The browser logs the status of an error page as an error.
		if status >= 400 && strings.Contains(p, "log error [network]") &&
			(strings.HasSuffix(p, "("+resp.URL+")") || strings.Contains(p, "("+resp.URL+"#")) {
			continue
		}
		t.Errorf("%s: %s", what, p)
	}
	for _, r := range ft.responses {
		if r.url != resp.URL && r.status >= 400 {
			t.Errorf("%s: %s %s answered %d", what, r.typ, r.url, r.status)
		}
	}
	ft.mu.Unlock()
	ft.noDialogs(t)
}

// clearField empties a field as select-all and delete would, with the events
// that typing sends. (chromedp.SetValue(sel, "") cannot: chromedp v0.23.0
// drops an empty string argument, and the field gets "undefined".)
func clearField(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById(` + js(id) + `);
		e.focus(); e.value = ''; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })()`)
}

// location is the page's path and query (and fragment).
func (ft *flowTab) location(t *testing.T) string {
	t.Helper()
	loc, err := chromedp.Run(ft.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(loc, baseURL)
}

func (ft *flowTab) value(t *testing.T, id string) string {
	t.Helper()
	v, err := chromedp.Run(ft.ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		t.Fatalf("value of #%s: %v", id, err)
	}
	return v
}

// text is the whitespace-collapsed textContent of the first match of a CSS
// selector, or "<none>".
func (ft *flowTab) text(t *testing.T, sel string) string {
	t.Helper()
	return eval[string](t, ft.tab, `(() => { const e = document.querySelector(`+js(sel)+`);
		return e ? e.textContent.replace(/\s+/g, ' ').trim() : '<none>'; })()`)
}

func (ft *flowTab) exists(t *testing.T, sel string) bool {
	t.Helper()
	return eval[bool](t, ft.tab, `!!document.querySelector(`+js(sel)+`)`)
}

// noInjectedMarkup fails when hostile input became an element or a handler.
func (ft *flowTab) noInjectedMarkup(t *testing.T, where string) {
	t.Helper()
	bad := eval[[]string](t, ft.tab, `[...document.querySelectorAll(
		'script:not([src]), img[src="x"], iframe, [onerror], [onload], [onmouseover]')].map(e => e.outerHTML.slice(0, 120))`)
	for _, b := range bad {
		t.Errorf("%s: hostile input became markup: %s", where, b)
	}
}

var axeSource = sync.OnceValues(func() ([]byte, error) {
	p, err := AxePath()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
})

// axe runs axe-core on the page as it is, as TestAccessibility does.
func (ft *flowTab) axe(t *testing.T, what string) {
	t.Helper()
	src, err := axeSource()
	Need(t, "axe-core", err)
	eval[chromedp.Void](t, ft.tab, string(src))
	res := eval[axeResult](t, ft.tab, axeRun, chromedp.EvalAwaitPromise)
	for _, v := range res.Violations {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, fmt.Sprintf("… %d more", len(v.Nodes)-3))
				break
			}
			where = append(where, fmt.Sprintf("%s  %s", strings.Join(n.Target, " "), short(n.HTML, 160)))
		}
		t.Errorf("%s: axe %s (%s): %s; %d element(s):\n\t%s", what, v.ID, v.Impact, v.Help, len(v.Nodes), strings.Join(where, "\n\t"))
	}
	if len(res.Incomplete) > 0 {
		t.Logf("%s: axe could not decide (needs review, not a failure):\n\t%s", what, strings.Join(res.Incomplete, "\n\t"))
	}
}

// fieldError is the message shown in the same field box as the control
// #f-{field}, or "".
func (ft *flowTab) fieldError(t *testing.T, field string) string {
	t.Helper()
	return eval[string](t, ft.tab, `(() => {
		const c = document.getElementById(`+js("f-"+field)+`);
		const e = c && c.closest('.field') && c.closest('.field').querySelector('.field-error');
		if (!e) return '';
		const described = (c.getAttribute('aria-describedby') || '').split(' ').includes(e.id);
		return (c.getAttribute('aria-invalid') === 'true' && described ? '' : '[not tied to the control] ') + e.textContent.replace(/\s+/g, ' ').trim();
	})()`)
}

var evidencePath = regexp.MustCompile(`^/e/([0-9]+)$`)

// submitEvidence fills the form at /p/olas/submit?axis=verification with
// good values and sends it; it returns the new item's id.
func (ft *flowTab) submitEvidence(t *testing.T, title, srcURL, quote, finding string) int64 {
	t.Helper()
	ft.visit(t, "/p/olas/submit?axis=verification", http.StatusOK)
	ft.do(t, "fill the form",
		chromedp.SetValue(chromedp.ID("f-kind"), "doc"),
		chromedp.SendKeys(chromedp.ID("f-url"), srcURL),
		chromedp.SendKeys(chromedp.ID("f-title"), title),
		chromedp.SendKeys(chromedp.ID("f-quote"), quote),
		chromedp.SendKeys(chromedp.ID("f-finding"), finding),
	)
	ft.act(t, "send the form", http.StatusOK, chromedp.Click(chromedp.CSS(`#submit-form button[type=submit]`)))
	m := evidencePath.FindStringSubmatch(ft.location(t))
	if m == nil {
		t.Fatalf("sending the form led to %s, want /e/{id}", ft.location(t))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestSubmitThroughTheForm(t *testing.T) {
	t.Parallel()
	start := time.Now()
	ft := newFlowTab(t, false)

	// From the "Submit evidence for this axis" link of a project page.
	ft.visit(t, "/p/olas/submit?axis=verification", http.StatusOK)
	if got := ft.value(t, "f-project"); got != "olas" {
		t.Errorf("project is %q, want olas preselected", got)
	}
	if got := ft.value(t, "f-axis"); got != "verification" {
		t.Errorf("axis is %q, want verification preselected", got)
	}
	olas := ft.text(t, "#f-project option:checked")

	// Bad and hostile input: a javascript: URL, a quote of 600 characters
	// (set at once: typing it key by key takes seconds), an address that is
	// not one, and markup everywhere else.
	longQuote := hostileQuote + " "
	for utf8.RuneCountInString(longQuote) < 600 {
		longQuote += "Operators é check each other. "
	}
	longQuote = string([]rune(longQuote)[:599]) + "."
	ft.do(t, "fill the form with bad input",
		chromedp.SetValue(chromedp.ID("f-kind"), "doc"),
		chromedp.SendKeys(chromedp.ID("f-url"), "javascript:alert(1)"),
		chromedp.SendKeys(chromedp.ID("f-title"), hostileTitle),
		chromedp.SetValue(chromedp.ID("f-quote"), longQuote),
		chromedp.SendKeys(chromedp.ID("f-finding"), hostileFinding),
		chromedp.SendKeys(chromedp.ID("f-submitter"), hostileSubmitter),
		chromedp.SendKeys(chromedp.ID("f-address"), hostileAddress),
		chromedp.SendKeys(chromedp.ID("f-signature"), hostileSignature),
	)
	ft.act(t, "send bad input", http.StatusUnprocessableEntity, chromedp.Click(chromedp.CSS(`#submit-form button[type=submit]`)))

	if got := ft.text(t, "#error-summary h2"); got != "There are 3 problems with your submission" {
		t.Errorf("error summary heading %q, want 3 problems (url, quote, address)", got)
	}
	if got := eval[string](t, ft.tab, `document.activeElement ? document.activeElement.id : ''`); got != "error-summary" {
		t.Errorf("after a failed submission focus is on #%s, want #error-summary", got)
	}
	for field, want := range map[string]string{
		"url":     "Give a web address starting with https:// or http://.",
		"quote":   "Use at most 500 characters; this has 600.",
		"address": "An Ethereum address is 0x followed by 40 hexadecimal digits.",
		"title":   "", "finding": "", "submitter": "", "signature": "", "project": "", "axis": "", "kind": "",
	} {
		got := strings.TrimPrefix(ft.fieldError(t, field), "Error: ")
		if got != want {
			t.Errorf("error beside %s: %q, want %q", field, got, want)
		}
	}
	for id, want := range map[string]string{
		"f-project": "olas", "f-axis": "verification", "f-kind": "doc", "f-url": "javascript:alert(1)",
		"f-title": hostileTitle, "f-quote": longQuote, "f-finding": hostileFinding, "f-submitter": hostileSubmitter,
		"f-address": hostileAddress, "f-signature": hostileSignature,
	} {
		if got := ft.value(t, id); got != want {
			t.Errorf("#%s after the error is %q, want what was typed, %q", id, short(got, 80), short(want, 80))
		}
	}
	// sign.js rebuilds the message to sign from the fields; it must agree
	// with the one the server wrote.
	if same := eval[bool](t, ft.tab, `(() => { const m = document.getElementById('f-message'); return m.value === m.defaultValue; })()`); !same {
		t.Error("the message to sign that sign.js builds differs from the server's (handlers.SubmissionMessage)")
	}
	ft.noInjectedMarkup(t, "422 page")
	ft.axe(t, "the 422 submit page")

	// Correct what was wrong, as a person would: replace the URL and the
	// quote, clear the signing fields. The rest stays hostile.
	srcURL := uniqueURL("olas-consensus") + `?q="><script>alert(9)</script>`
	quote := `Operators ` + hostileQuote + ` check each other.`
	ft.do(t, "correct the form",
		clearField("f-url"),
		chromedp.SendKeys(chromedp.ID("f-url"), srcURL),
		clearField("f-quote"),
		chromedp.SendKeys(chromedp.ID("f-quote"), quote),
		clearField("f-address"),
		clearField("f-signature"),
	)
	ft.act(t, "send corrected input", http.StatusOK, chromedp.Click(chromedp.CSS(`#submit-form button[type=submit]`)))
	loc := ft.location(t)
	if !evidencePath.MatchString(loc) {
		t.Fatalf("the corrected submission led to %s, want /e/{id}", loc)
	}
	if got := ft.text(t, ".ev-status"); !strings.HasPrefix(got, "Pending review.") || !strings.Contains(got, "does not count toward any level") {
		t.Errorf("%s status: %q, want pending and not counting", loc, got)
	}
	for sel, want := range map[string]string{
		"h1.ev-title":  "Evidence #" + strings.TrimPrefix(loc, "/e/") + " " + hostileTitle,
		".ev-quote":    quote,
		".ev-finding":  hostileFinding,
		".ev-url a":    srcURL,
		".ev-facts dd": olas,
	} {
		if got := ft.text(t, sel); got != want {
			t.Errorf("%s %s: %q, want %q", loc, sel, got, want)
		}
	}
	if got := eval[string](t, ft.tab, `document.querySelector('.ev-url a').getAttribute('href')`); got != srcURL {
		t.Errorf("%s source link href %q, want %q", loc, got, srcURL)
	}
	if got := eval[string](t, ft.tab, `document.title`); !strings.Contains(got, hostileTitle) {
		t.Errorf("%s <title> %q does not show the title as text", loc, got)
	}
	submitter := eval[string](t, ft.tab, `(() => { const dt = [...document.querySelectorAll('.ev-facts dt')].find(d => d.textContent.trim() === 'Submitted by');
		return dt ? dt.nextElementSibling.textContent.replace(/\s+/g, ' ').trim() : '<none>'; })()`)
	if got := submitter; !strings.HasPrefix(got, hostileSubmitter+" on ") {
		t.Errorf("%s does not show the submitter as typed: %q", loc, got)
	}
	ft.noInjectedMarkup(t, loc)
	ft.axe(t, loc+" (pending)")
	t.Logf("took %v", time.Since(start).Round(time.Millisecond))
}

func TestReviewerAcceptsAndRejects(t *testing.T) {
	t.Parallel()
	start := time.Now()
	if testDB == nil {
		t.Fatal("no test database")
	}
	ft := newFlowTab(t, true)

	// A reviewer, named with markup too.
	name := fmt.Sprintf(`Rita "<i>%d</i>"`, flowSeq.Add(1))
	const password = "correct horse battery staple"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testDB.CreateUser(context.Background(), name, domain.RoleReviewer, hash); err != nil {
		t.Fatal(err)
	}

	// Something to accept, sent through the form.
	a := ft.submitEvidence(t, "Open Autonomy: operators re-execute", uniqueURL("olas-verification"),
		"Each agent's output is re-executed and checked by the other operators.", "Shows replicated verification.")

	// The scorecard as it is now.
	ft.visit(t, "/p/olas", http.StatusOK)
	olas := ft.text(t, "main h1")
	versionRe := regexp.MustCompile(`Version ([0-9]+), updated`)
	m := versionRe.FindStringSubmatch(ft.text(t, "main"))
	if m == nil {
		t.Fatalf("/p/olas shows no \"Version N, updated\": %q", short(ft.text(t, "main"), 300))
	}
	before, _ := strconv.Atoi(m[1])
	const levelSel = "#verification .axis-head .lvl"
	oldLevel := eval[string](t, ft.tab, `document.querySelector(`+js(levelSel)+`).className`)
	newLevel := "3"
	if oldLevel == "lvl lvl-3" { // a second run (-count=2): still make a change
		newLevel = "2"
	}

	// The queue asks a visitor to sign in, and comes back after.
	ft.visit(t, "/review", http.StatusOK)
	if loc := ft.location(t); loc != "/login?next=/review" {
		t.Fatalf("/review for a visitor led to %s, want /login?next=/review", loc)
	}
	ft.do(t, "type a wrong password",
		chromedp.SendKeys(chromedp.ID("login-name"), name),
		chromedp.SendKeys(chromedp.ID("login-password"), "not the password at all"),
	)
	ft.act(t, "sign in with a wrong password", http.StatusUnauthorized, chromedp.Click(chromedp.CSS(`form.stacked button[type=submit]`)))
	if got := ft.text(t, "#login-error"); got != "That name and password do not match an account. Check both and try again." {
		t.Errorf("wrong password: message %q", got)
	}
	if got := ft.value(t, "login-name"); got != name {
		t.Errorf("wrong password: name field %q, want it kept, %q", got, name)
	}
	if got := ft.value(t, "login-password"); got != "" {
		t.Errorf("wrong password: the password field came back filled")
	}
	ft.do(t, "type the right password", chromedp.SendKeys(chromedp.ID("login-password"), password))
	ft.act(t, "sign in", http.StatusOK, chromedp.Click(chromedp.CSS(`form.stacked button[type=submit]`)))
	if loc := ft.location(t); loc != "/review" {
		t.Fatalf("signing in led to %s, want /review", loc)
	}
	if got := ft.text(t, "form.logout button"); got != "Sign out "+name {
		t.Errorf("header sign-out button %q, want %q", got, "Sign out "+name)
	}
	item := func(id int64, suffix string) string { return fmt.Sprintf("item-%d%s", id, suffix) }
	if got := ft.text(t, "#"+item(a, "")+" .review-fields dd"); got != "Open Autonomy: operators re-execute" {
		t.Fatalf("/review: item #%d shows title %q", a, got)
	}
	ft.noInjectedMarkup(t, "/review")
	ft.axe(t, "/review with items")

	// Accept with a note and a new level.
	ft.do(t, "fill the accept form",
		chromedp.Click(chromedp.CSS("#"+item(a, "")+` input[name=decision][value=accept]`)),
		chromedp.SendKeys(chromedp.ID(item(a, "-note")), hostileNote),
		chromedp.SetValue(chromedp.ID(item(a, "-level")), newLevel),
		chromedp.SendKeys(chromedp.ID(item(a, "-rationale")), hostileRationale),
	)
	ft.act(t, "accept", http.StatusOK, chromedp.Click(chromedp.CSS("#"+item(a, "")+` button[type=submit]`)))
	want := before + 1
	if loc := ft.location(t); loc != fmt.Sprintf("/review?done=%d#done", a) {
		t.Errorf("accepting led to %s", loc)
	}
	if got := ft.text(t, "#done"); !strings.Contains(got, fmt.Sprintf("Item #%d (Open Autonomy: operators re-execute) was accepted.", a)) ||
		!strings.Contains(got, fmt.Sprintf("Created version %d of %s.", want, olas)) {
		t.Errorf("confirmation %q, want item #%d accepted and version %d named", got, a, want)
	}
	if !ft.exists(t, fmt.Sprintf(`#done a[href="/p/olas/v/%d"]`, want)) {
		t.Errorf("confirmation does not link /p/olas/v/%d", want)
	}
	if ft.exists(t, "#"+item(a, "")) {
		t.Errorf("item #%d is still in the queue after being accepted", a)
	}

	// The scorecard has a new version with the level, citing the item.
	ft.visit(t, "/p/olas", http.StatusOK)
	if got := ft.text(t, "main"); !strings.Contains(got, fmt.Sprintf("Version %d, updated", want)) {
		t.Errorf("/p/olas does not say \"Version %d, updated\"", want)
	}
	if got := eval[string](t, ft.tab, `document.querySelector(`+js(levelSel)+`).className`); got != "lvl lvl-"+newLevel {
		t.Errorf("/p/olas verification level class %q, want lvl lvl-%s", got, newLevel)
	}
	if got := ft.text(t, "#verification .rationale"); got != hostileRationale {
		t.Errorf("/p/olas verification rationale %q, want %q", got, hostileRationale)
	}
	if !ft.exists(t, fmt.Sprintf("#verification article#e%d", a)) {
		t.Errorf("/p/olas verification does not cite item #%d (article#e%d)", a, a)
	}
	ft.noInjectedMarkup(t, "/p/olas")

	// The version before keeps the old level.
	old := fmt.Sprintf("/p/olas/v/%d", before)
	ft.visit(t, old, http.StatusOK)
	if got := eval[string](t, ft.tab, `document.querySelector(`+js(levelSel)+`).className`); got != oldLevel {
		t.Errorf("%s verification level class %q, want the old %q", old, got, oldLevel)
	}
	if ft.exists(t, fmt.Sprintf("#verification article#e%d", a)) {
		t.Errorf("%s cites item #%d, accepted after it", old, a)
	}
	if got := ft.text(t, "main"); !strings.Contains(got, fmt.Sprintf("This is version %d of", before)) ||
		!strings.Contains(got, fmt.Sprintf("The current version is %d", want)) {
		t.Errorf("%s does not say it is version %d with %d current: %q", old, before, want, short(got, 300))
	}

	// Something to reject.
	rejectTitle := "Olas is fully verified " + hostileTitle
	b := ft.submitEvidence(t, rejectTitle, uniqueURL("olas-claim"), "Trust us.", "Claims full verification.")
	ft.visit(t, "/review", http.StatusOK)
	// A level with a rejection is refused, and what was typed is kept.
	const rejectNote = "A marketing claim, not evidence."
	ft.do(t, "fill the reject form with a level",
		chromedp.Click(chromedp.CSS("#"+item(b, "")+` input[name=decision][value=reject]`)),
		chromedp.SendKeys(chromedp.ID(item(b, "-note")), rejectNote),
		chromedp.SetValue(chromedp.ID(item(b, "-level")), "3"),
	)
	ft.act(t, "reject with a level", http.StatusUnprocessableEntity, chromedp.Click(chromedp.CSS("#"+item(b, "")+` button[type=submit]`)))
	if got := ft.text(t, "#"+item(b, "-level-err")); !strings.Contains(got, "A level can be set only when accepting") {
		t.Errorf("reject with a level: message beside the level %q", got)
	}
	if got := ft.value(t, item(b, "-note")); got != rejectNote {
		t.Errorf("reject with a level: note %q, want it kept", got)
	}
	if !ft.exists(t, "#"+item(b, "")+` input[value=reject]:checked`) {
		t.Errorf("reject with a level: the reject choice was not kept")
	}
	ft.do(t, "choose no new level", clearField(item(b, "-level")))
	ft.act(t, "reject", http.StatusOK, chromedp.Click(chromedp.CSS("#"+item(b, "")+` button[type=submit]`)))
	if got := ft.text(t, "#done"); !strings.Contains(got, fmt.Sprintf("Item #%d (%s) was rejected.", b, rejectTitle)) || strings.Contains(got, "Created version") {
		t.Errorf("confirmation %q, want item #%d rejected and no version", got, b)
	}

	// The public log, newest first.
	ft.visit(t, "/moderation", http.StatusOK)
	type entry struct {
		Decision string `json:"decision"` // the class

		Href  string `json:"href"`
		Title string `json:"title"`
		Meta  string `json:"meta"`
		Note  string `json:"note"`
	}
	entries := eval[[]entry](t, ft.tab, `[...document.querySelectorAll('.modlog > li')].slice(0, 2).map(li => {
		const t = s => { const e = li.querySelector(s); return e ? e.textContent.replace(/\s+/g, ' ').trim() : ''; };
		const a = li.querySelector('.mod-head a');
		const d = li.querySelector('.decision');
		return {decision: d ? d.className + ': ' + [...d.childNodes].filter(n => !(n.getAttribute && n.getAttribute('aria-hidden'))).map(n => n.textContent).join('').trim() : '', href: a ? a.getAttribute('href') : '', title: a ? a.textContent.trim() : '', meta: t('.meta'), note: t('.mod-note')};
	})`)
	if len(entries) < 2 {
		t.Fatalf("/moderation lists %d decisions, want at least 2", len(entries))
	}
	if e := entries[0]; e.Decision != "decision decision-rejected: rejected" || e.Href != fmt.Sprintf("/e/%d", b) || e.Note != "Note: "+rejectNote ||
		e.Title != fmt.Sprintf("#%d %s", b, rejectTitle) || !strings.Contains(e.Meta, "by "+name) || strings.Contains(e.Meta, "created version") {
		t.Errorf("/moderation newest entry %+v, want #%d rejected by %s with its note", e, b, name)
	}
	if e := entries[1]; e.Decision != "decision decision-accepted: accepted" || e.Href != fmt.Sprintf("/e/%d", a) || e.Note != "Note: "+hostileNote ||
		!strings.Contains(e.Meta, "by "+name) || !strings.Contains(e.Meta, fmt.Sprintf("created version %d", want)) {
		t.Errorf("/moderation second entry %+v, want #%d accepted by %s, version %d, with its note", e, a, name, want)
	}
	ft.noInjectedMarkup(t, "/moderation")
	ft.axe(t, "/moderation with decisions")

	// The rejected item says so, and counts for nothing.
	eb := fmt.Sprintf("/e/%d", b)
	ft.visit(t, eb, http.StatusOK)
	if got := ft.text(t, ".ev-status"); !strings.HasPrefix(got, "Rejected by "+name) || !strings.Contains(got, "It does not count toward any level.") ||
		!strings.Contains(got, "Reviewer’s note: "+rejectNote) {
		t.Errorf("%s status %q, want rejected by %s, not counting, with the note", eb, got, name)
	}
	if got := ft.text(t, ".ev-history"); !strings.Contains(got, "Submitted by") || !strings.Contains(got, "Rejected by "+name) {
		t.Errorf("%s history %q, want submitted then rejected", eb, got)
	}
	ft.noInjectedMarkup(t, eb)
	ft.axe(t, eb+" (rejected)")
	// And the accepted one links the version it created.
	ea := fmt.Sprintf("/e/%d", a)
	ft.visit(t, ea, http.StatusOK)
	if !ft.exists(t, fmt.Sprintf(`.ev-history a[href="/p/olas/v/%d"]`, want)) {
		t.Errorf("%s history does not link the version it created, %d", ea, want)
	}
	if got := ft.text(t, ".ev-status"); !strings.HasPrefix(got, "Accepted by "+name) {
		t.Errorf("%s status %q, want accepted by %s", ea, got, name)
	}

	// Sign out from the header; the queue is closed again.
	ft.act(t, "sign out", http.StatusOK, chromedp.Click(chromedp.CSS(`form.logout button`)))
	if loc := ft.location(t); loc != "/" {
		t.Errorf("signing out led to %s, want /", loc)
	}
	if ft.exists(t, "form.logout") {
		t.Error("after signing out the header still has a sign-out button")
	}
	ft.visit(t, "/review", http.StatusOK)
	if loc := ft.location(t); loc != "/login?next=/review" {
		t.Errorf("/review after signing out led to %s, want /login?next=/review", loc)
	}
	t.Logf("took %v", time.Since(start).Round(time.Millisecond))
}
