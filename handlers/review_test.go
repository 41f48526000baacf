package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/deai-scorecard/scorecard/auth"
	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/store"
)

const xss = `<script>alert(1)</script>`

// addUser creates a reviewer or admin directly in the store.
func addUser(t *testing.T, db *store.DB, name string, role domain.Role, password string) {
	t.Helper()
	h, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(context.Background(), name, role, h); err != nil {
		t.Fatal(err)
	}
}

// browser is a client with a cookie jar that does not follow redirects.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) location() string { return r.header.Get("Location") }

func do(t *testing.T, c *http.Client, method, u string, form url.Values, header map[string]string) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(b)}
}

func post(t *testing.T, c *http.Client, srv *httptest.Server, path string, form url.Values, header ...string) response {
	t.Helper()
	h := map[string]string{}
	for i := 0; i+1 < len(header); i += 2 {
		h[header[i]] = header[i+1]
	}
	return do(t, c, http.MethodPost, srv.URL+path, form, h)
}

func fetch(t *testing.T, c *http.Client, srv *httptest.Server, path string) response {
	t.Helper()
	return do(t, c, http.MethodGet, srv.URL+path, nil, nil)
}

// signIn logs in and returns the browser holding the session.
func signIn(t *testing.T, srv *httptest.Server, name, password string) *http.Client {
	t.Helper()
	c := browser(t)
	res := post(t, c, srv, "/login", url.Values{"name": {name}, "password": {password}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d\n%s", name, res.status, res.body)
	}
	return c
}

func sessionCookieOf(t *testing.T, res response) *http.Cookie {
	t.Helper()
	for _, line := range res.header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err == nil && c.Name == handlers.SessionCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie in %q", handlers.SessionCookie, res.header.Values("Set-Cookie"))
	return nil
}

func TestLoginSetsASafeSessionCookie(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	c := browser(t)

	form := fetch(t, c, srv, "/login?next=/review")
	mustContain(t, "/login", form.body, `name="name"`, `type="password"`, `name="next" value="/review"`, `autocomplete="current-password"`)

	res := post(t, c, srv, "/login", url.Values{"name": {"Rita"}, "password": {"rita's long password"}, "next": {"/moderation?page=1"}})
	if res.status != http.StatusSeeOther || res.location() != "/moderation?page=1" {
		t.Fatalf("status %d, location %q", res.status, res.location())
	}
	raw := strings.Join(res.header.Values("Set-Cookie"), "\n")
	ck := sessionCookieOf(t, res)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge != 12*3600 {
		t.Errorf("cookie %q", raw)
	}
	if ck.Secure {
		t.Errorf("Secure on a plain-HTTP request: %q", raw)
	}
	if len(ck.Value) < 40 {
		t.Errorf("token too short: %q", ck.Value)
	}
	// Only the hash is stored: the token itself is no session.
	if _, err := db.SessionUser(context.Background(), ck.Value); err == nil {
		t.Error("the raw token is stored")
	}
	if u, err := db.SessionUser(context.Background(), auth.HashToken(ck.Value)); err != nil || u.Name != "rita" {
		t.Errorf("session of the token's hash: %+v %v", u, err)
	}
	// Signed in: the layout names the user and offers to sign out; pages are private.
	page := fetch(t, c, srv, "/")
	mustContain(t, "/ signed in", page.body, `action="/logout"`, "Sign out rita", `href="/review"`)
	if cc := page.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("signed-in page Cache-Control %q", cc)
	}

	// Behind a TLS-terminating proxy the cookie is Secure.
	res = post(t, browser(t), srv, "/login", url.Values{"name": {"rita"}, "password": {"rita's long password"}}, "X-Forwarded-Proto", "https")
	if ck := sessionCookieOf(t, res); !ck.Secure {
		t.Errorf("no Secure behind https proxy: %q", res.header.Values("Set-Cookie"))
	}
	if res.location() != "/review" {
		t.Errorf("default next: %q", res.location())
	}
}

func TestLoginFailuresAreGeneric(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	wrongPw := post(t, browser(t), srv, "/login", url.Values{"name": {"rita"}, "password": {"not her password"}, "next": {"/review"}})
	unknown := post(t, browser(t), srv, "/login", url.Values{"name": {"nobody"}, "password": {"not her password"}})
	for what, res := range map[string]response{"wrong password": wrongPw, "unknown user": unknown} {
		if res.status != http.StatusUnauthorized {
			t.Errorf("%s: status %d", what, res.status)
		}
		mustContain(t, what, res.body, "That name and password do not match an account.", `aria-invalid="true"`)
		mustNotContain(t, what, res.body, "not her password", "no user", "wrong password")
		if len(res.header.Values("Set-Cookie")) != 0 {
			t.Errorf("%s set a cookie", what)
		}
	}
	mustContain(t, "wrong password", wrongPw.body, `value="rita"`, `name="next" value="/review"`)
	empty := post(t, browser(t), srv, "/login", url.Values{"name": {"rita"}})
	if empty.status != http.StatusUnprocessableEntity {
		t.Errorf("empty password: status %d", empty.status)
	}
}

func TestLoginThrottlePerAccount(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	addUser(t, db, "sam", domain.RoleReviewer, "sam's long password")
	// Ten failures for one account, each from another address.
	for i := range 10 {
		res := post(t, browser(t), srv, "/login", url.Values{"name": {"RITA"}, "password": {"guess " + strconv.Itoa(i)}}, "X-Real-IP", fmt.Sprintf("10.0.0.%d", i+1))
		if res.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, res.status)
		}
	}
	// Now even the right password is refused for that account, from a fresh address.
	res := post(t, browser(t), srv, "/login", url.Values{"name": {"rita"}, "password": {"rita's long password"}}, "X-Real-IP", "10.0.1.1")
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("11th attempt: status %d", res.status)
	}
	if ra, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Errorf("Retry-After %q", res.header.Get("Retry-After"))
	}
	if len(res.header.Values("Set-Cookie")) != 0 {
		t.Error("a blocked attempt got a cookie")
	}
	mustContain(t, "429", res.body, "Too many")
	// Another account from that address is unaffected.
	if res := post(t, browser(t), srv, "/login", url.Values{"name": {"sam"}, "password": {"sam's long password"}}, "X-Real-IP", "10.0.1.1"); res.status != http.StatusSeeOther {
		t.Errorf("other account: status %d", res.status)
	}
}

func TestLoginThrottlePerIP(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	for i := range 10 {
		res := post(t, browser(t), srv, "/login", url.Values{"name": {"user" + strconv.Itoa(i)}, "password": {"whatever it is"}}, "X-Real-IP", "192.0.2.7")
		if res.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, res.status)
		}
	}
	res := post(t, browser(t), srv, "/login", url.Values{"name": {"rita"}, "password": {"rita's long password"}}, "X-Real-IP", "192.0.2.7")
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("from the blocked address: status %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	// The same account from another address still signs in: only failures count.
	if res := post(t, browser(t), srv, "/login", url.Values{"name": {"rita"}, "password": {"rita's long password"}}, "X-Real-IP", "192.0.2.8"); res.status != http.StatusSeeOther {
		t.Errorf("from another address: status %d", res.status)
	}
	// Successful sign-ins never count.
	for range 12 {
		if res := post(t, browser(t), srv, "/login", url.Values{"name": {"rita"}, "password": {"rita's long password"}}, "X-Real-IP", "192.0.2.9"); res.status != http.StatusSeeOther {
			t.Fatalf("repeated success: status %d", res.status)
		}
	}
}

func TestLoginNextStaysOnSite(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	cases := map[string]string{
		"//evil.example":            "/review",
		"https://evil.example":      "/review",
		"http://evil.example/x":     "/review",
		`/\evil.example`:            "/review",
		`/\/evil.example`:           "/review",
		"javascript:alert(1)":       "/review",
		"/%0d%0aSet-Cookie:x=1":     "/%0d%0aSet-Cookie:x=1",
		"evil.example":              "/review",
		"/\t/evil.example":          "/review",
		"///evil.example":           "/review",
		"":                          "/review",
		"/p/bittensor?x=1":          "/p/bittensor?x=1",
		"/moderation?page=2#latest": "/moderation?page=2",
	}
	for next, want := range cases {
		res := post(t, browser(t), srv, "/login", url.Values{"name": {"rita"}, "password": {"rita's long password"}, "next": {next}})
		loc := res.location()
		if res.status != http.StatusSeeOther {
			t.Errorf("next=%q: status %d", next, res.status)
			continue
		}
		u, err := url.Parse(loc)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.Contains(loc, `\`) {
			t.Errorf("next=%q: redirected off-site to %q", next, loc)
		}
		if loc != want {
			t.Errorf("next=%q: location %q, want %q", next, loc, want)
		}
	}
	// The form carries only a local next=.
	form := fetch(t, browser(t), srv, "/login?next="+url.QueryEscape("//evil.example"))
	mustNotContain(t, "login form", form.body, "evil.example")
}

func TestLogoutEndsTheSession(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	c := browser(t)
	res := post(t, c, srv, "/login", url.Values{"name": {"rita"}, "password": {"rita's long password"}})
	old := sessionCookieOf(t, res)
	if r := fetch(t, c, srv, "/review"); r.status != http.StatusOK {
		t.Fatalf("/review signed in: %d", r.status)
	}
	out := post(t, c, srv, "/logout", url.Values{})
	if out.status != http.StatusSeeOther || out.location() != "/" {
		t.Fatalf("logout: %d %q", out.status, out.location())
	}
	if ck := sessionCookieOf(t, out); ck.MaxAge >= 0 || ck.Value != "" {
		t.Errorf("logout did not clear the cookie: %+v", ck)
	}
	// The old cookie, replayed, no longer works.
	replay := browser(t)
	u, _ := url.Parse(srv.URL)
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: old.Name, Value: old.Value, Path: "/"}})
	if r := fetch(t, replay, srv, "/review"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login") {
		t.Errorf("old cookie after logout: %d %q", r.status, r.location())
	}
	if r := fetch(t, replay, srv, "/"); strings.Contains(r.body, "Sign out") {
		t.Error("old cookie still shows a signed-in layout")
	}
	// Logging out twice, or signed out, is harmless.
	if r := post(t, browser(t), srv, "/logout", url.Values{}); r.status != http.StatusSeeOther {
		t.Errorf("logout signed out: %d", r.status)
	}
	// A forged cookie is just a visitor.
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: handlers.SessionCookie, Value: "forged", Path: "/"}})
	if r := fetch(t, replay, srv, "/review"); r.status != http.StatusSeeOther {
		t.Errorf("forged cookie: %d", r.status)
	}
}

func TestReviewNeedsSignInAndRole(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	addUser(t, db, "ada", domain.RoleAdmin, "ada's long password")
	visitor := browser(t)
	r := fetch(t, visitor, srv, "/review")
	if r.status != http.StatusSeeOther || r.location() != "/login?next=/review" {
		t.Errorf("visitor GET /review: %d %q", r.status, r.location())
	}
	r = fetch(t, visitor, srv, "/admin/projects/new?x=1")
	if r.status != http.StatusSeeOther || r.location() != "/login?next=/admin/projects/new%3Fx%3D1" {
		t.Errorf("visitor GET admin: %d %q", r.status, r.location())
	}
	// The login page carries that next= through.
	if f := fetch(t, visitor, srv, r.location()); !strings.Contains(f.body, `name="next" value="/admin/projects/new?x=1"`) {
		t.Errorf("login form lost next=")
	}
	if r := post(t, visitor, srv, "/review/1", url.Values{"decision": {"accept"}, "note": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("visitor POST /review/1: %d", r.status)
	}
	rita := signIn(t, srv, "rita", "rita's long password")
	if r := fetch(t, rita, srv, "/review"); r.status != http.StatusOK {
		t.Errorf("reviewer /review: %d", r.status)
	}
	if r := fetch(t, rita, srv, "/admin/projects/new"); r.status != http.StatusForbidden {
		t.Errorf("reviewer admin page: %d", r.status)
	}
	// Admins pass reviewer checks.
	ada := signIn(t, srv, "ada", "ada's long password")
	if r := fetch(t, ada, srv, "/review"); r.status != http.StatusOK {
		t.Errorf("admin /review: %d", r.status)
	}
}

// submit files a pending item through the store, as the public form does.
func submit(t *testing.T, db *store.DB, slug string, axis domain.Axis, title, url string) int64 {
	t.Helper()
	e, err := db.SubmitEvidence(context.Background(), slug, domain.Evidence{Axis: axis, Kind: domain.KindDoc, SourceType: domain.SourceSecondary,
		URL: url, Title: title, Quote: "Proofs are verified on-chain by the settlement contract.", Finding: "Supports verification 3.", Submitter: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// section returns the part of body from the element with id to the end of that section.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no element with id %q", id)
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

type versionsJSON struct {
	Latest   int `json:"latest_version"`
	Versions []struct {
		Version int             `json:"version"`
		Levels  map[string]*int `json:"levels"`
	} `json:"versions"`
}

func versionsOf(t *testing.T, srv *httptest.Server, slug string) versionsJSON {
	t.Helper()
	status, _, body := get(t, srv, "/api/v1/projects/"+slug+"/versions")
	if status != http.StatusOK {
		t.Fatalf("versions: %d", status)
	}
	var v versionsJSON
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReviewAcceptWithLevelCreatesAVersion(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	before := versionsOf(t, srv, "bittensor")
	n := before.Latest
	oldLevel := before.Versions[len(before.Versions)-1].Levels["verification"]
	if oldLevel == nil || *oldLevel == 3 {
		t.Fatalf("test assumes bittensor's verification is known and not 3: %v", oldLevel)
	}
	id := submit(t, db, "bittensor", domain.AxisVerification, "Settlement proofs", "https://example.org/bittensor-proofs")
	rita := signIn(t, srv, "rita", "rita's long password")

	q := fetch(t, rita, srv, "/review")
	item := section(t, q.body, fmt.Sprintf("item-%d", id))
	mustContain(t, "/review item", item, "Bittensor (TAO)", "Settlement proofs", "https://example.org/bittensor-proofs",
		"Proofs are verified on-chain", fmt.Sprintf(`href="/e/%d"`, id), fmt.Sprintf(`action="/review/%d`, id),
		fmt.Sprintf(`<span class="n">%d</span>`, *oldLevel), "verification."+strconv.Itoa(*oldLevel), `name="level"`, `name="rationale"`)

	res := post(t, rita, srv, fmt.Sprintf("/review/%d", id), url.Values{"decision": {"accept"}, "note": {"Checked the contract source."},
		"level": {"3"}, "rationale": {"Proofs are checked by a settlement contract anyone can call."}})
	if res.status != http.StatusSeeOther || res.location() != fmt.Sprintf("/review?done=%d#done", id) {
		t.Fatalf("accept: %d %q\n%s", res.status, res.location(), res.body)
	}
	done := fetch(t, rita, srv, res.location())
	mustContain(t, "confirmation", done.body, fmt.Sprintf(`href="/e/%d"`, id), "was accepted",
		fmt.Sprintf(`href="/p/bittensor/v/%d"`, n+1), fmt.Sprintf("version %d of Bittensor (TAO)", n+1))
	mustNotContain(t, "queue after", done.body, fmt.Sprintf(`id="item-%d"`, id))

	// The live page is version n+1, with the new level citing the item.
	_, _, live := get(t, srv, "/p/bittensor")
	mustContain(t, "/p/bittensor", live, fmt.Sprintf("Version %d,", n+1))
	card := section(t, live, "verification")
	mustContain(t, "verification card", card, `<span class="n">3</span>`, "Proofs are checked by a settlement contract",
		fmt.Sprintf(`id="e%d"`, id), "https://example.org/bittensor-proofs")
	// The old version is unchanged.
	_, _, frozen := get(t, srv, fmt.Sprintf("/p/bittensor/v/%d", n))
	old := section(t, frozen, "verification")
	mustContain(t, "frozen card", old, fmt.Sprintf(`<span class="n">%d</span>`, *oldLevel))
	mustNotContain(t, "frozen card", old, "settlement contract anyone")
	// The old version does not cite the item. (It may list it among other
	// accepted evidence: the store filters those by time, to the second.)
	if cited, _, _ := strings.Cut(old, `class="other-evidence"`); strings.Contains(cited, "https://example.org/bittensor-proofs") {
		t.Error("the frozen version cites the new item")
	}
	// The API lists both versions with their levels.
	after := versionsOf(t, srv, "bittensor")
	if after.Latest != n+1 || len(after.Versions) != len(before.Versions)+1 {
		t.Fatalf("versions after: %+v", after)
	}
	levels := map[int]int{}
	for _, v := range after.Versions {
		if l := v.Levels["verification"]; l != nil {
			levels[v.Version] = *l
		}
	}
	if levels[n] != *oldLevel || levels[n+1] != 3 {
		t.Errorf("verification by version: %v", levels)
	}
	// The moderation log names the reviewer, the note and the version.
	_, _, log := get(t, srv, "/moderation")
	mustContain(t, "/moderation", log, "rita", "Checked the contract source.", fmt.Sprintf(`href="/p/bittensor/v/%d"`, n+1), "accepted")

	// Deciding again is a conflict, and changes nothing.
	again := post(t, rita, srv, fmt.Sprintf("/review/%d", id), url.Values{"decision": {"reject"}, "note": {"Second thoughts."}})
	if again.status != http.StatusConflict {
		t.Errorf("second decision: %d", again.status)
	}
	if v := versionsOf(t, srv, "bittensor"); v.Latest != n+1 {
		t.Errorf("second decision made version %d", v.Latest)
	}
	if it, _ := db.EvidenceByID(context.Background(), id); it.Status != domain.StatusAccepted {
		t.Errorf("status after conflict: %s", it.Status)
	}
}

func TestReviewRejectAndValidation(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	n := versionsOf(t, srv, "gensyn").Latest
	id := submit(t, db, "gensyn", domain.AxisTraining, "A blog post", "https://example.org/gensyn-post")
	ctxID := submit(t, db, "gensyn", domain.AxisContext, "Background piece", "https://example.org/gensyn-bg")
	rita := signIn(t, srv, "rita", "rita's long password")
	path := fmt.Sprintf("/review/%d", id)

	bad := []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"no note", url.Values{"decision": {"reject"}, "note": {"  "}}, "note", "Write a note"},
		{"long note", url.Values{"decision": {"reject"}, "note": {strings.Repeat("n", 2001)}}, "note", "at most 2000"},
		{"no decision", url.Values{"note": {"kept note"}}, "decision", "Choose accept or reject"},
		{"bad decision", url.Values{"decision": {"maybe"}, "note": {"kept note"}}, "decision", "Choose accept or reject"},
		{"level on reject", url.Values{"decision": {"reject"}, "note": {"kept note"}, "level": {"2"}, "rationale": {"kept rationale"}}, "level", "only when accepting"},
		{"level without rationale", url.Values{"decision": {"accept"}, "note": {"kept note"}, "level": {"2"}}, "rationale", "Explain the new level"},
		{"level out of range", url.Values{"decision": {"accept"}, "note": {"kept note"}, "level": {"5"}, "rationale": {"kept rationale"}}, "level", "from 0 to 4"},
		{"rationale without level", url.Values{"decision": {"accept"}, "note": {"kept note"}, "rationale": {"kept rationale"}}, "rationale", "goes with a new level"},
	}
	for _, c := range bad {
		res := post(t, rita, srv, path, c.form)
		if res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", c.name, res.status)
			continue
		}
		item := section(t, res.body, fmt.Sprintf("item-%d", id))
		mustContain(t, c.name, item, c.msg, "Nothing was recorded", fmt.Sprintf(`id="item-%d-%s-err"`, id, c.field))
		if note := c.form.Get("note"); note == "kept note" {
			mustContain(t, c.name, item, ">kept note</textarea>")
		}
		if c.form.Get("rationale") != "" {
			mustContain(t, c.name, item, ">kept rationale</textarea>")
		}
		// Other items' forms carry no message.
		mustNotContain(t, c.name, section(t, res.body, fmt.Sprintf("item-%d", ctxID)), "Nothing was recorded")
	}
	// A context item takes no level.
	res := post(t, rita, srv, fmt.Sprintf("/review/%d", ctxID), url.Values{"decision": {"accept"}, "note": {"fine"}, "level": {"2"}, "rationale": {"r"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Context items support no level") {
		t.Errorf("level on context item: %d", res.status)
	}
	if it, _ := db.EvidenceByID(context.Background(), id); it.Status != domain.StatusPending {
		t.Fatalf("a bad form changed the item: %s", it.Status)
	}
	if entries, total, _ := db.ModerationLog(context.Background(), 1, 25); total != 0 {
		t.Fatalf("a bad form logged a decision: %+v", entries)
	}

	// Unknown items.
	for _, p := range []string{"/review/999999", "/review/abc", "/review/0"} {
		if r := post(t, rita, srv, p, url.Values{"decision": {"reject"}, "note": {"x"}}); r.status != http.StatusNotFound {
			t.Errorf("%s: %d", p, r.status)
		}
	}

	// A cross-origin POST is refused before it reaches the handler.
	res = post(t, rita, srv, path, url.Values{"decision": {"reject"}, "note": {"forged"}}, "Sec-Fetch-Site", "cross-site")
	if res.status != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", res.status)
	}
	res = post(t, rita, srv, path, url.Values{"decision": {"reject"}, "note": {"forged"}}, "Origin", "https://evil.example")
	if res.status != http.StatusForbidden {
		t.Errorf("cross-origin POST: %d", res.status)
	}
	if it, _ := db.EvidenceByID(context.Background(), id); it.Status != domain.StatusPending {
		t.Fatalf("a cross-origin POST changed the item: %s", it.Status)
	}

	// Reject: no new version, the decision is public.
	res = post(t, rita, srv, path, url.Values{"decision": {"reject"}, "note": {"Marketing copy, not evidence."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("reject: %d\n%s", res.status, res.body)
	}
	done := fetch(t, rita, srv, res.location())
	mustContain(t, "reject confirmation", done.body, "was rejected", fmt.Sprintf(`href="/e/%d"`, id))
	mustNotContain(t, "reject confirmation", done.body, "Created version")
	if v := versionsOf(t, srv, "gensyn"); v.Latest != n {
		t.Errorf("reject made version %d (was %d)", v.Latest, n)
	}
	if it, _ := db.EvidenceByID(context.Background(), id); it.Status != domain.StatusRejected || it.Reviewer != "rita" || it.ReviewNote != "Marketing copy, not evidence." {
		t.Errorf("after reject: %+v", it.Evidence)
	}
	_, _, log := get(t, srv, "/moderation")
	mustContain(t, "/moderation", log, "rejected", "Marketing copy, not evidence.", "rita", "A blog post", "Gensyn")
	if r := post(t, rita, srv, path, url.Values{"decision": {"accept"}, "note": {"again"}}); r.status != http.StatusConflict {
		t.Errorf("decide rejected item: %d", r.status)
	}
}

func TestModerationLogPages(t *testing.T) {
	srv, db := newServer(t)
	ctx := context.Background()
	status, _, body := get(t, srv, "/moderation")
	if status != http.StatusOK {
		t.Fatalf("/moderation: %d", status)
	}
	mustContain(t, "empty log", body, "No decision has been taken yet.")
	const total = 27
	for i := 1; i <= total; i++ {
		id := submit(t, db, "olas", domain.AxisData, fmt.Sprintf("Item number %02d", i), fmt.Sprintf("https://example.org/olas/%d", i))
		d := domain.DecisionRejected
		if i%2 == 0 {
			d = domain.DecisionAccepted
		}
		if _, err := db.Decide(ctx, id, d, fmt.Sprintf("reviewer%02d", i), fmt.Sprintf("note %02d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	entry := regexp.MustCompile(`Item number (\d\d)`)
	numbers := func(body string) []string {
		var out []string
		for _, m := range entry.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	_, _, p1 := get(t, srv, "/moderation")
	got := numbers(p1)
	if len(got) != 25 || got[0] != "27" || got[24] != "03" {
		t.Errorf("page 1: %v", got)
	}
	mustContain(t, "page 1", p1, "27 decisions; page 1 of 2.", "reviewer27", "note 27", `href="/moderation?page=2"`, "Older")
	mustNotContain(t, "page 1", p1, "Newer")
	_, _, p2 := get(t, srv, "/moderation?page=2")
	if got := numbers(p2); len(got) != 2 || got[0] != "02" || got[1] != "01" {
		t.Errorf("page 2: %v", got)
	}
	mustContain(t, "page 2", p2, `href="/moderation"`, "Newer", "reviewer01", "note 01")
	mustNotContain(t, "page 2", p2, "Older →")
	status, _, p9 := get(t, srv, "/moderation?page=9")
	if status != http.StatusOK || len(numbers(p9)) != 0 {
		t.Errorf("page 9: %d %v", status, numbers(p9))
	}
	mustContain(t, "page 9", p9, "past the end", `href="/moderation?page=2"`)
	for _, bad := range []string{"abc", "0", "-1", "1.5", "01", "", "99999999999999999999"} {
		if status, _, _ := get(t, srv, "/moderation?page="+url.QueryEscape(bad)); status != http.StatusBadRequest {
			t.Errorf("page=%q: %d", bad, status)
		}
	}
	if status, _, body := get(t, srv, "/moderation?page=5000000"); status != http.StatusOK || !strings.Contains(body, "past the end") {
		t.Errorf("huge page: %d", status)
	}
}

func TestScriptIsEscapedEverywhere(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "ada", domain.RoleAdmin, "ada's long password")
	ada := signIn(t, srv, "ada", "ada's long password")
	res := post(t, ada, srv, "/admin/projects/new", url.Values{"slug": {"xss-test"}, "name": {xss}, "summary": {xss}, "website": {"https://example.org"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.status, res.body)
	}
	id := submit(t, db, "xss-test", domain.AxisInference, xss, "https://example.org/"+url.PathEscape(xss))
	const escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
	check := func(where, body string) {
		t.Helper()
		mustContain(t, where, body, escaped)
		mustNotContain(t, where, body, xss)
	}
	check("/review", fetch(t, ada, srv, "/review").body)
	res = post(t, ada, srv, fmt.Sprintf("/review/%d", id), url.Values{"decision": {"accept"}, "note": {xss}, "level": {"2"}, "rationale": {xss}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	check("/review?done", fetch(t, ada, srv, res.location()).body)
	for _, p := range []string{"/moderation", "/p/xss-test", "/p/xss-test/v/1", "/", "/admin/projects/xss-test"} {
		r := fetch(t, ada, srv, p)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d", p, r.status)
			continue
		}
		check(p, r.body)
	}
	if r := fetch(t, ada, srv, fmt.Sprintf("/e/%d", id)); r.status == http.StatusOK {
		check("/e/{id}", r.body)
	}
	// A 422 echoes input escaped too.
	r := post(t, ada, srv, "/admin/projects/new", url.Values{"slug": {xss}, "name": {xss}})
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("bad slug: %d", r.status)
	}
	check("admin 422", r.body)
	// And the login form keeps a name escaped.
	r = post(t, browser(t), srv, "/login", url.Values{"name": {xss}, "password": {"whatever it is"}})
	check("login 401", r.body)
}

func TestAdminProjectsAndContracts(t *testing.T) {
	srv, db := newServer(t)
	addUser(t, db, "rita", domain.RoleReviewer, "rita's long password")
	addUser(t, db, "ada", domain.RoleAdmin, "ada's long password")
	rita := signIn(t, srv, "rita", "rita's long password")
	for _, p := range []string{"/admin/projects/new", "/admin/projects/bittensor"} {
		if r := fetch(t, rita, srv, p); r.status != http.StatusForbidden {
			t.Errorf("reviewer GET %s: %d", p, r.status)
		}
	}
	if r := post(t, rita, srv, "/admin/projects/new", url.Values{"slug": {"sneaky"}, "name": {"Sneaky"}}); r.status != http.StatusForbidden {
		t.Errorf("reviewer POST: %d", r.status)
	}
	if r := post(t, rita, srv, "/admin/projects/bittensor/contracts", url.Values{"chain": {"1"}}); r.status != http.StatusForbidden {
		t.Errorf("reviewer POST contract: %d", r.status)
	}

	ada := signIn(t, srv, "ada", "ada's long password")
	form := fetch(t, ada, srv, "/admin/projects/new")
	mustContain(t, "new form", form.body, `name="slug"`, `name="name"`, `name="website"`, `name="summary"`, `action="/admin/projects/new"`)

	for _, c := range []struct {
		form  url.Values
		field string
		msg   string
	}{
		{url.Values{"slug": {"Bad Slug"}, "name": {"Kept name"}}, "slug", "lowercase letters"},
		{url.Values{"slug": {"bittensor"}, "name": {"Kept name"}}, "slug", "taken by Bittensor (TAO)"},
		{url.Values{"slug": {"new"}, "name": {"Kept name"}}, "slug", "reserved"},
		{url.Values{"slug": {"fine-slug"}, "name": {""}}, "name", "Give the project"},
		{url.Values{"slug": {"fine-slug"}, "name": {"Kept name"}, "website": {"ftp://x.example"}}, "website", "http"},
	} {
		r := post(t, ada, srv, "/admin/projects/new", c.form)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%v: status %d", c.form, r.status)
			continue
		}
		mustContain(t, fmt.Sprint(c.form), r.body, c.msg, `id="p-`+c.field+`-err"`, "Nothing was saved", `value="`+c.form.Get("slug")+`"`)
	}
	if _, err := db.Project(context.Background(), "fine-slug"); err == nil {
		t.Fatal("a rejected form stored a project")
	}

	r := post(t, ada, srv, "/admin/projects/new", url.Values{"slug": {"new-project"}, "name": {"Brand New Project"},
		"website": {"https://new.example"}, "summary": {"A project added by an admin."}})
	if r.status != http.StatusSeeOther || r.location() != "/p/new-project" {
		t.Fatalf("create: %d %q\n%s", r.status, r.location(), r.body)
	}
	_, _, index := get(t, srv, "/")
	mustContain(t, "/", index, `href="/p/new-project"`, "Brand New Project")
	status, _, page := get(t, srv, "/p/new-project")
	if status != http.StatusOK {
		t.Fatalf("/p/new-project: %d", status)
	}
	mustContain(t, "/p/new-project", page, "A project added by an admin.")

	// Edit: name and summary change, the slug does not.
	edit := fetch(t, ada, srv, "/admin/projects/new-project")
	mustContain(t, "edit form", edit.body, `value="Brand New Project"`, `action="/admin/projects/new-project"`, `action="/admin/projects/new-project/contracts"`)
	mustNotContain(t, "edit form", edit.body, `name="slug"`)
	r = post(t, ada, srv, "/admin/projects/new-project", url.Values{"name": {"Renamed Project"}, "summary": {"Now renamed."}, "slug": {"other-slug"}})
	if r.status != http.StatusSeeOther || r.location() != "/p/new-project" {
		t.Fatalf("edit: %d %q", r.status, r.location())
	}
	if p, err := db.Project(context.Background(), "new-project"); err != nil || p.Name != "Renamed Project" || p.Website != "" {
		t.Errorf("after edit: %+v %v", p, err)
	}
	if r := post(t, ada, srv, "/admin/projects/new-project", url.Values{"name": {""}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("edit with empty name: %d", r.status)
	}
	if r := fetch(t, ada, srv, "/admin/projects/no-such"); r.status != http.StatusNotFound {
		t.Errorf("edit unknown: %d", r.status)
	}
	if r := post(t, ada, srv, "/admin/projects/no-such", url.Values{"name": {"X"}}); r.status != http.StatusNotFound {
		t.Errorf("save unknown: %d", r.status)
	}
	if _, err := db.Project(context.Background(), "no-such"); err == nil {
		t.Error("saving an unknown slug created it")
	}

	// Contracts.
	const lower = "0x77e06c9eccf2e797fd462a92b6d7642ef85b0a44"
	const checksummed = "0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44"
	for _, c := range []struct {
		form  url.Values
		field string
		msg   string
	}{
		{url.Values{"chain": {"1"}, "address": {"0x1234"}, "role": {"token"}}, "address", "20-byte"},
		{url.Values{"chain": {"1"}, "address": {"0x77E06c9eCCf2E797fd462A92B6D7642EF85b0a44"}, "role": {"token"}}, "address", "checksum"},
		{url.Values{"chain": {"ethereum"}, "address": {lower}, "role": {"token"}}, "chain", "CAIP-2"},
		{url.Values{"chain": {"0"}, "address": {lower}, "role": {"token"}}, "chain", "positive"},
		{url.Values{"chain": {"1"}, "address": {lower}, "role": {"king"}}, "role", "Choose what"},
		{url.Values{"chain": {"1"}, "address": {lower}, "role": {"token"}, "source": {"javascript:alert(1)"}}, "source", "http"},
	} {
		r := post(t, ada, srv, "/admin/projects/new-project/contracts", c.form)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%v: status %d", c.form, r.status)
			continue
		}
		mustContain(t, fmt.Sprint(c.form), r.body, c.msg, `id="c-`+c.field+`-err"`, "No contract was added", `value="`+c.form.Get("address")+`"`)
	}
	r = post(t, ada, srv, "/admin/projects/new-project/contracts", url.Values{"chain": {"1"}, "address": {lower}, "role": {"token"},
		"label": {"NEW token"}, "source": {"https://new.example/docs"}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/admin/projects/new-project?added=") {
		t.Fatalf("add contract: %d %q\n%s", r.status, r.location(), r.body)
	}
	back := fetch(t, ada, srv, r.location())
	mustContain(t, "after add", back.body, "Now watching token "+checksummed+" on eip155:1.", checksummed)
	_, _, page = get(t, srv, "/p/new-project")
	mustContain(t, "/p/new-project contracts", page, checksummed, "NEW token")
	// The same contract twice is refused.
	r = post(t, ada, srv, "/admin/projects/new-project/contracts", url.Values{"chain": {"eip155:1"}, "address": {checksummed}, "role": {"proxy"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "already watched") {
		t.Errorf("duplicate contract: %d", r.status)
	}
	if r := post(t, ada, srv, "/admin/projects/no-such/contracts", url.Values{"chain": {"1"}, "address": {lower}, "role": {"token"}}); r.status != http.StatusNotFound {
		t.Errorf("contract for unknown project: %d", r.status)
	}
}
