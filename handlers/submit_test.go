package handlers_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/store"
)

// subIP hands out a fresh client address per request, so tests that post
// many times stay under the per-IP limit (RealIP trusts X-Real-IP).
var subIP atomic.Int64

func subNextIP() string {
	n := subIP.Add(1)
	return fmt.Sprintf("198.51.%d.%d", n/250, n%250+1)
}

// subPost posts a form without following redirects. ip "" means the
// test client's own address (no X-Real-IP).
func subPost(t *testing.T, srv *httptest.Server, form url.Values, ip string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	return subPostBody(t, srv, form.Encode(), ip, header)
}

func subPostBody(t *testing.T, srv *httptest.Server, body, ip string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/submit", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if ip != "" {
		req.Header.Set("X-Real-IP", ip)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := *srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(b)
}

// subForm is a valid unsigned submission.
func subForm() url.Values {
	return url.Values{
		"project":   {"bittensor"},
		"axis":      {"training"},
		"kind":      {"doc"},
		"url":       {"https://example.org/docs/training?x=1&y=2"},
		"title":     {`Docs & "specs" <v2>`},
		"quote":     {"Anyone may train.\r\nNo permission is needed."},
		"finding":   {"Training is open to anyone; supports training ≥ 2."},
		"submitter": {"ada"},
		"address":   {""},
		"signature": {""},
		"website":   {""},
	}
}

func subWith(f url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func subPending(t *testing.T, db *store.DB) int {
	t.Helper()
	items, err := db.PendingEvidence(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(items)
}

// countAll counts every evidence item, whatever its status.
func subCountAll(t *testing.T, db *store.DB) int {
	t.Helper()
	c, err := db.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c.Evidence
}

// signText signs msg as personal_sign does: v is 27 or 28.
func subSign(t *testing.T, key *ecdsa.PrivateKey, msg string) []byte {
	t.Helper()
	sig, err := crypto.Sign(accounts.TextHash([]byte(msg)), key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return sig
}

func subHex(b []byte) string { return "0x" + hex.EncodeToString(b) }

func subNewKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// messageFor is the canonical message of a form, normalized as the server does.
func subMessage(f url.Values) string {
	q := strings.TrimSpace(strings.ReplaceAll(f.Get("quote"), "\r\n", "\n"))
	return handlers.SubmissionMessage(f.Get("project"), f.Get("axis"), f.Get("url"), q)
}

// evidenceIDFrom returns N of a Location /e/N.
func subIDFrom(t *testing.T, h http.Header) int64 {
	t.Helper()
	loc := h.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/e/"), 10, 64)
	if !strings.HasPrefix(loc, "/e/") || err != nil {
		t.Fatalf("Location %q, want /e/{id}", loc)
	}
	return id
}

func subSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestSubmissionMessage(t *testing.T) {
	got := handlers.SubmissionMessage("bittensor", "training", "https://example.org/a", "abc")
	want := "DeAI Scorecard evidence submission\nproject: bittensor\naxis: training\nurl: https://example.org/a\n" +
		"quote sha256: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got != want {
		t.Errorf("SubmissionMessage:\n%s\nwant\n%s", got, want)
	}
}

func TestSubmitFormPages(t *testing.T) {
	srv, _ := newServer(t)
	status, h, body := get(t, srv, "/submit")
	if status != 200 {
		t.Fatalf("/submit: status %d", status)
	}
	for _, name := range []string{"project", "axis", "kind", "url", "title", "quote", "finding", "submitter", "address", "signature", "website"} {
		mustContain(t, "/submit", body, `name="`+name+`"`, `for="f-`+name+`"`, `id="f-`+name+`"`)
	}
	mustContain(t, "/submit", body,
		`<form id="submit-form" class="submit-form" method="post" action="/submit"`,
		"Leave this empty", `tabindex="-1"`, `autocomplete="off"`, `class="hp"`,
		`id="f-message"`, "DeAI Scorecard evidence submission\nproject: \naxis: ", "personal_sign",
		`<button type="button" id="sign-wallet" hidden>`, `<script src="/static/sign.js" defer></script>`,
		`<option value="bittensor">Bittensor (TAO)</option>`, `<option value="onchain">`, `href="/submit"`)
	mustNotContain(t, "/submit", body, "aria-invalid", "error-summary", " onclick=")
	if cc := h.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}

	status, _, body = get(t, srv, "/p/bittensor/submit?axis=training")
	if status != 200 {
		t.Fatalf("prefilled: status %d", status)
	}
	mustContain(t, "prefilled", body, "Submit evidence about Bittensor (TAO)",
		`<option value="bittensor" selected>`, `<option value="training" selected>`,
		"project: bittensor\naxis: training\n", `href="/p/bittensor"`)

	_, _, body = get(t, srv, "/p/bittensor/submit?axis=vibes")
	mustNotContain(t, "bad axis", body, `<option value="training" selected>`)
	mustContain(t, "bad axis", body, `<option value="" selected>Choose an axis</option>`)

	_, _, body = get(t, srv, "/submit?project=gensyn&axis=data")
	mustContain(t, "query prefill", body, `<option value="gensyn" selected>`, `<option value="data" selected>`)

	if status, _, body := get(t, srv, "/p/no-such-project/submit?axis=training"); status != 404 {
		t.Errorf("unknown slug: status %d", status)
	} else {
		mustContain(t, "unknown slug", body, "Page not found")
	}

	// Each axis card links to the form for its axis; the nav links to it.
	_, _, body = get(t, srv, "/p/bittensor")
	for _, a := range domain.Axes {
		mustContain(t, "/p/bittensor", body, `href="/p/bittensor/submit?axis=`+string(a)+`"`)
	}
	mustContain(t, "/p/bittensor", body, "Submit evidence for this axis")
}

func TestSubmitValidation(t *testing.T) {
	srv, db := newServer(t)
	key, other := subNewKey(t), subNewKey(t)
	addr := crypto.PubkeyToAddress(key.PublicKey).Hex()
	otherAddr := crypto.PubkeyToAddress(other.PublicKey).Hex()
	valid := subForm()
	good := subSign(t, key, subMessage(valid))

	// The same signature with s replaced by n - s: valid ECDSA, but malleable.
	high := append([]byte(nil), good...)
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(high[32:64])
	new(big.Int).Sub(n, s).FillBytes(high[32:64])
	high[64] = 27 + (1 - (high[64] - 27))

	badV := append([]byte(nil), good...)
	badV[64] = 29

	long := func(n int) string { return strings.Repeat("é", n) }
	cases := []struct {
		name  string
		field string // the field the message is beside
		set   []string
		want  string
	}{
		{"missing project", "project", []string{"project", ""}, "Choose the project"},
		{"unknown project", "project", []string{"project", "no-such-project"}, "There is no such project"},
		{"missing axis", "axis", []string{"axis", ""}, "Choose the axis"},
		{"unknown axis", "axis", []string{"axis", "vibes"}, "There is no such axis"},
		{"context is no axis", "axis", []string{"axis", "context"}, "There is no such axis"},
		{"missing kind", "kind", []string{"kind", ""}, "Choose what kind of source"},
		{"unknown kind", "kind", []string{"kind", "blog"}, "There is no such kind"},
		{"missing url", "url", []string{"url", ""}, "Give the address (URL)"},
		{"javascript url", "url", []string{"url", "javascript:alert(1)"}, "starting with https:// or http://"},
		{"data url", "url", []string{"url", "data:text/html,<script>alert(1)</script>"}, "starting with https:// or http://"},
		{"relative url", "url", []string{"url", "/p/bittensor"}, "starting with https:// or http://"},
		{"no scheme", "url", []string{"url", "example.org/page"}, "starting with https:// or http://"},
		{"ftp url", "url", []string{"url", "ftp://example.org/file"}, "starting with https:// or http://"},
		{"no host", "url", []string{"url", "https:///path"}, "with its host"},
		{"userinfo", "url", []string{"url", "https://bittensor.com@evil.example/"}, "user name or password"},
		{"space in url", "url", []string{"url", "https://example.org/a b"}, "no spaces"},
		{"url too long", "url", []string{"url", "https://example.org/" + strings.Repeat("a", 1981)}, "at most 2,000 characters"},
		{"missing title", "title", []string{"title", "  "}, "Give the source"},
		{"title too long", "title", []string{"title", long(201)}, "at most 200 characters; this has 201"},
		{"title control", "title", []string{"title", "bell\x07"}, "control character U+0007"},
		{"title newline", "title", []string{"title", "two\nlines"}, "single line"},
		{"missing quote", "quote", []string{"quote", "\r\n"}, "word for word"},
		{"quote too long", "quote", []string{"quote", long(501)}, "at most 500 characters; this has 501"},
		{"quote tab", "quote", []string{"quote", "a\tb"}, "tab"},
		{"quote escape", "quote", []string{"quote", "a\x1b[31mb"}, "control character U+001B"},
		{"missing finding", "finding", []string{"finding", ""}, "Say what the passage shows"},
		{"finding too long", "finding", []string{"finding", long(2001)}, "at most 2,000 characters; this has 2,001"},
		{"finding bidi", "finding", []string{"finding", "abc\u202edef"}, "text-direction character U+202E"},
		{"submitter too long", "submitter", []string{"submitter", long(81)}, "at most 80 characters"},
		{"submitter control", "submitter", []string{"submitter", "ada\x00"}, "control character U+0000"},
		{"bad address", "address", []string{"address", "0x123", "signature", subHex(good)}, "0x followed by 40 hexadecimal digits"},
		{"address not hex", "address", []string{"address", "0x" + strings.Repeat("g", 40), "signature", subHex(good)}, "0x followed by 40 hexadecimal digits"},
		{"address without signature", "signature", []string{"address", addr}, "Paste the signature"},
		{"signature without address", "address", []string{"signature", subHex(good)}, "Give the address that made the signature"},
		{"signature not hex", "signature", []string{"address", addr, "signature", "0x" + strings.Repeat("zz", 65)}, "130 hexadecimal digits"},
		{"signature too short", "signature", []string{"address", addr, "signature", subHex(good[:64])}, "130 hexadecimal digits"},
		{"signature bad v", "signature", []string{"address", addr, "signature", subHex(badV)}, "must be 27 or 28"},
		{"signature high s", "signature", []string{"address", addr, "signature", subHex(high)}, "low s"},
		{"signed by another address", "signature", []string{"address", otherAddr, "signature", subHex(good)}, "signed by " + addr + ", not by " + otherAddr},
		{"signed another message", "signature", []string{"address", addr, "signature", subHex(good), "url", "https://example.org/other"}, "not by " + addr},
	}
	pending, all := subPending(t, db), subCountAll(t, db)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := subWith(valid, c.set...)
			status, _, body := subPost(t, srv, f, subNextIP(), nil)
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", status)
			}
			mustContain(t, c.name, body, html.EscapeString(c.want),
				`id="error-summary"`, `href="#f-`+c.field+`"`, `id="f-`+c.field+`-error"`, `aria-invalid="true"`,
				"Nothing was stored")
			// Every value comes back, escaped.
			for _, name := range []string{"url", "title", "quote", "finding", "submitter", "address", "signature"} {
				v := f.Get(name)
				if name == "quote" || name == "finding" {
					v = strings.ReplaceAll(v, "\r\n", "\n")
				}
				if v = strings.TrimSpace(v); v != "" {
					mustContain(t, c.name+": echo of "+name, body, html.EscapeString(v))
				}
			}
			mustNotContain(t, c.name, body, "<script>alert(1)", `<v2>`)
		})
	}
	if got := subPending(t, db); got != pending {
		t.Errorf("pending items: %d, want %d: a rejected form stored something", got, pending)
	}
	if got := subCountAll(t, db); got != all {
		t.Errorf("evidence items: %d, want %d", got, all)
	}

	// Several problems at once: each beside its field, all in the summary.
	status, _, body := subPost(t, srv, url.Values{"url": {"javascript:alert(1)"}}, subNextIP(), nil)
	if status != 422 {
		t.Fatalf("empty form: status %d", status)
	}
	mustContain(t, "empty form", body, "There are 7 problems with your submission")
	for _, f := range []string{"project", "axis", "kind", "url", "title", "quote", "finding"} {
		mustContain(t, "empty form", body, `href="#f-`+f+`"`, `aria-describedby="f-`+f)
	}
}

// subAPILevels returns each project's levels from the API.
func subAPILevels(t *testing.T, srv *httptest.Server) map[string]map[string]*int {
	t.Helper()
	_, _, body := get(t, srv, "/api/v1/projects")
	var out struct {
		Projects []struct {
			Slug   string          `json:"slug"`
			Levels map[string]*int `json:"levels"`
		} `json:"projects"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	m := map[string]map[string]*int{}
	for _, p := range out.Projects {
		m[p.Slug] = p.Levels
	}
	return m
}

func TestSubmitValid(t *testing.T) {
	srv, db := newServer(t)
	before := subAPILevels(t, srv)
	pending := subPending(t, db)

	// Unsigned.
	f := subForm()
	status, h, body := subPost(t, srv, f, subNextIP(), nil)
	if status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%s", status, body)
	}
	id := subIDFrom(t, h)
	if got := subPending(t, db); got != pending+1 {
		t.Fatalf("pending %d, want %d", got, pending+1)
	}
	it, err := db.EvidenceByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if it.Status != domain.StatusPending || it.Quote != "Anyone may train.\nNo permission is needed." || it.Kind != domain.KindDoc ||
		it.Submitter != "ada" || it.Signer != "" || it.SourceType != "" || it.ProjectSlug != "bittensor" || it.Axis != domain.AxisTraining {
		t.Errorf("stored %+v", it)
	}
	status, _, body = get(t, srv, h.Get("Location"))
	if status != 200 {
		t.Fatalf("%s: status %d", h.Get("Location"), status)
	}
	mustContain(t, "/e/{id}", body, "Pending review", "does not count toward any level",
		html.EscapeString(`Docs & "specs" <v2>`), "Anyone may train.\nNo permission is needed.", "supports training ≥ 2",
		"submitted by the public", "ada", `href="/p/bittensor"`, `href="/p/bittensor#training"`, "documentation",
		`rel="noopener noreferrer external nofollow ugc"`, html.EscapeString(f.Get("url")), "Submitted</strong> by ada")
	mustNotContain(t, "/e/{id}", body, "signed by", "Accepted by editors with the seed dataset")

	// Signed, with the address in lower case and a quote that needs trimming.
	key := subNewKey(t)
	addr := crypto.PubkeyToAddress(key.PublicKey)
	g := subWith(subForm(), "url", "https://example.org/signed", "submitter", "", "quote", "  Signed quote.\r\n")
	sig := subSign(t, key, subMessage(g))
	g.Set("address", strings.ToLower(addr.Hex()))
	g.Set("signature", subHex(sig))
	status, h, body = subPost(t, srv, g, subNextIP(), nil)
	if status != http.StatusSeeOther {
		t.Fatalf("signed: status %d, want 303\n%s", status, body)
	}
	sid := subIDFrom(t, h)
	it, err = db.EvidenceByID(context.Background(), sid)
	if err != nil {
		t.Fatal(err)
	}
	if it.Signer != addr.Hex() || it.Signature != subHex(sig) {
		t.Errorf("stored signer %q signature %q, want %q %q", it.Signer, it.Signature, addr.Hex(), subHex(sig))
	}
	_, _, body = get(t, srv, h.Get("Location"))
	mustContain(t, "signed /e/{id}", body, "Pending review", "signed by <code>"+addr.Hex()+"</code>", "anonymous",
		"project: bittensor\naxis: training\nurl: https://example.org/signed\nquote sha256: "+subSHA256("Signed quote."), subHex(sig))

	// v as 0/1 (some signers) is accepted too.
	k := subWith(subForm(), "url", "https://example.org/v01")
	sig = subSign(t, key, subMessage(k))
	sig[64] -= 27
	k.Set("address", addr.Hex())
	k.Set("signature", subHex(sig))
	if status, _, body := subPost(t, srv, k, subNextIP(), nil); status != http.StatusSeeOther {
		t.Fatalf("v=0/1: status %d\n%s", status, body)
	}

	// Pending items are neither cited nor counted.
	_, _, body = get(t, srv, "/p/bittensor")
	mustNotContain(t, "/p/bittensor", body, "example.org/docs/training", "example.org/signed", "Anyone may train.")
	_, _, body = get(t, srv, "/api/v1/projects/bittensor")
	mustNotContain(t, "/api/v1/projects/bittensor", body, "example.org/docs/training", "example.org/signed")
	if after := subAPILevels(t, srv); !reflect.DeepEqual(before, after) {
		t.Error("levels changed after pending submissions")
	}
}

func TestSubmitHoneypot(t *testing.T) {
	srv, db := newServer(t)
	all := subCountAll(t, db)
	status, _, body := subPost(t, srv, subWith(subForm(), "website", "https://spam.example"), subNextIP(), nil)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", status)
	}
	mustContain(t, "honeypot", body, "could not be accepted", "Nothing was stored", html.EscapeString(subForm().Get("title")))
	mustNotContain(t, "honeypot", body, "spam.example")
	if got := subCountAll(t, db); got != all {
		t.Errorf("evidence items: %d, want %d", got, all)
	}
}

func TestSubmitDuplicate(t *testing.T) {
	srv, db := newServer(t)
	status, h, _ := subPost(t, srv, subForm(), subNextIP(), nil)
	if status != http.StatusSeeOther {
		t.Fatalf("first: status %d", status)
	}
	id := subIDFrom(t, h)
	all := subCountAll(t, db)
	status, _, body := subPost(t, srv, subForm(), subNextIP(), nil)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("duplicate: status %d, want 422", status)
	}
	mustContain(t, "duplicate", body, "already on file", fmt.Sprintf(`href="/e/%d"`, id), `href="#f-url"`, "pending")

	// A seeded (accepted) item's URL is a duplicate too; the same URL on another axis is not.
	sc, err := db.Scorecard(context.Background(), "bittensor", 0)
	if err != nil {
		t.Fatal(err)
	}
	seeded := sc.Assessment(domain.AxisTraining).Evidence[0]
	status, _, body = subPost(t, srv, subWith(subForm(), "url", seeded.URL), subNextIP(), nil)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("seeded duplicate: status %d, want 422", status)
	}
	mustContain(t, "seeded duplicate", body, fmt.Sprintf(`href="/e/%d"`, seeded.ID), "accepted")
	if got := subCountAll(t, db); got != all {
		t.Errorf("evidence items: %d, want %d", got, all)
	}
	if status, _, _ := subPost(t, srv, subWith(subForm(), "axis", "inference"), subNextIP(), nil); status != http.StatusSeeOther {
		t.Errorf("same URL, other axis: status %d, want 303", status)
	}
}

func TestSubmitRateLimit(t *testing.T) {
	srv, db := newServer(t) // a fresh server: a fresh limiter
	all := subCountAll(t, db)
	bad := url.Values{"title": {"x"}}
	for i := 1; i <= 10; i++ {
		if status, _, _ := subPost(t, srv, bad, "", nil); status != http.StatusUnprocessableEntity {
			t.Fatalf("post %d: status %d, want 422", i, status)
		}
	}
	for i := 11; i <= 12; i++ {
		status, h, body := subPost(t, srv, subForm(), "", nil)
		if status != http.StatusTooManyRequests {
			t.Fatalf("post %d: status %d, want 429", i, status)
		}
		ra, err := strconv.Atoi(h.Get("Retry-After"))
		if err != nil || ra < 1 || ra > 60 {
			t.Errorf("Retry-After %q", h.Get("Retry-After"))
		}
		mustContain(t, "429", body, "Too many submissions", "Nothing from this request was stored", "<html")
	}
	// Another address is not held back.
	if status, _, _ := subPost(t, srv, subForm(), subNextIP(), nil); status != http.StatusSeeOther {
		t.Errorf("another IP: status %d, want 303", status)
	}
	if got := subCountAll(t, db); got != all+1 {
		t.Errorf("evidence items: %d, want %d", got, all+1)
	}
}

func TestSubmitCrossOrigin(t *testing.T) {
	srv, db := newServer(t)
	all := subCountAll(t, db)
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		if status, _, _ := subPost(t, srv, subForm(), subNextIP(), h); status != http.StatusForbidden {
			t.Errorf("%v: status %d, want 403", h, status)
		}
	}
	if got := subCountAll(t, db); got != all {
		t.Errorf("evidence items: %d, want %d", got, all)
	}
	// The same form from the site itself goes through.
	if status, _, _ := subPost(t, srv, subForm(), subNextIP(), map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": srv.URL}); status != http.StatusSeeOther {
		t.Errorf("same origin: status %d, want 303", status)
	}
}

func TestSubmitTooLarge(t *testing.T) {
	srv, db := newServer(t)
	all := subCountAll(t, db)
	body := subWith(subForm(), "quote", strings.Repeat("a", 70<<10)).Encode()
	status, _, page := subPostBody(t, srv, body, subNextIP(), nil)
	if status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", status)
	}
	mustContain(t, "413", page, "Submission too large", "64 KiB")
	if got := subCountAll(t, db); got != all {
		t.Errorf("evidence items: %d, want %d", got, all)
	}
}

func TestSubmitEscapesEverything(t *testing.T) {
	srv, db := newServer(t)
	const x = `<script>alert(1)</script>`
	f := subWith(subForm(), "url", "https://example.org/?q="+x, "title", x, "quote", x, "finding", x, "submitter", x)

	// The failed form echoes it escaped.
	status, _, body := subPost(t, srv, subWith(f, "kind", ""), subNextIP(), nil)
	if status != 422 {
		t.Fatalf("status %d", status)
	}
	mustNotContain(t, "failed form", body, x, "<script>alert")
	mustContain(t, "failed form", body, html.EscapeString(x))

	status, h, _ := subPost(t, srv, f, subNextIP(), nil)
	if status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303", status)
	}
	it, err := db.EvidenceByID(context.Background(), subIDFrom(t, h))
	if err != nil {
		t.Fatal(err)
	}
	if it.Title != x || it.Quote != x || it.Finding != x || it.Submitter != x {
		t.Errorf("stored %+v, want the text as typed", it.Evidence)
	}
	_, _, body = get(t, srv, h.Get("Location"))
	mustNotContain(t, "/e/{id}", body, x, "<script>alert")
	mustContain(t, "/e/{id}", body, "&lt;script&gt;alert(1)&lt;/script&gt;")
}

func TestEvidencePage(t *testing.T) {
	srv, db := newServer(t)
	ctx := context.Background()
	for _, bad := range []string{"/e/0", "/e/-1", "/e/abc", "/e/01", "/e/+1", "/e/1.0", "/e/99999999999999999999", "/e/999999"} {
		if status, _, _ := get(t, srv, bad); status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", bad, status)
		}
	}

	// A seeded item has no history rows.
	sc, err := db.Scorecard(ctx, "bittensor", 0)
	if err != nil {
		t.Fatal(err)
	}
	seeded := sc.Assessment(domain.AxisTraining).Evidence[0]
	status, _, body := get(t, srv, fmt.Sprintf("/e/%d", seeded.ID))
	if status != 200 {
		t.Fatalf("seeded: status %d", status)
	}
	mustContain(t, "seeded", body, "Accepted by editors with the seed dataset (sourced as of "+seeded.SourcedAsOf+")",
		html.EscapeString(seeded.Quote), html.EscapeString(seeded.SourceType.Label()), "Accepted</strong>")
	mustNotContain(t, "seeded", body, "Pending review", "does not count toward any level")

	// Rejected: says so, with the reviewer's note, and the history.
	status, h, _ := subPost(t, srv, subForm(), subNextIP(), nil)
	if status != 303 {
		t.Fatalf("submit: %d", status)
	}
	rid := subIDFrom(t, h)
	if _, err := db.Decide(ctx, rid, domain.DecisionRejected, "rita", "Marketing copy, not a fact.", nil); err != nil {
		t.Fatal(err)
	}
	_, _, body = get(t, srv, h.Get("Location"))
	mustContain(t, "rejected", body, "Rejected</strong> by rita on ", "does not count toward any level", "Marketing copy, not a fact.",
		"Submitted</strong> by ada", "Rejected</strong> by rita,")

	// Accepted with a new level: links the version it created.
	status, h, _ = subPost(t, srv, subWith(subForm(), "url", "https://example.org/accept", "submitter", ""), subNextIP(), nil)
	if status != 303 {
		t.Fatalf("submit: %d", status)
	}
	aid := subIDFrom(t, h)
	v, err := db.Decide(ctx, aid, domain.DecisionAccepted, "alice", "Checked the docs.", &store.LevelChange{Level: 3, Rationale: "Open and checked."})
	if err != nil || v < 2 {
		t.Fatalf("decide: version %d, %v", v, err)
	}
	_, _, body = get(t, srv, h.Get("Location"))
	mustContain(t, "accepted", body, "Accepted</strong> by alice", "Checked the docs.", "Submitted</strong> by anonymous",
		fmt.Sprintf(`href="/p/bittensor/v/%d"`, v), fmt.Sprintf("created version %d", v))
	mustNotContain(t, "accepted", body, "Pending review", "does not count toward any level")
}
