package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/auth"
	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/views"
)

// Limits of a public submission. Lengths count characters (runes).
const (
	maxSubmitBody  = 64 << 10
	maxTitleLen    = 200
	maxURLLen      = 2000
	maxQuoteLen    = 500
	maxFindingLen  = 2000
	maxSubmitterLn = 80
)

// evidenceKinds are the kinds a submission may have, in form order, with
// their labels.
var evidenceKinds = []struct {
	Kind  domain.EvidenceKind
	Label string
}{
	{domain.KindDoc, "Documentation"},
	{domain.KindCode, "Code"},
	{domain.KindPaper, "Paper"},
	{domain.KindOnchain, "On-chain record (explorer, transaction, contract)"},
	{domain.KindData, "Data (dashboard, dataset)"},
	{domain.KindNews, "News or article"},
}

// SubmissionMessage is the text a contributor signs (EIP-191
// personal_sign) to tie a submission to an Ethereum address. It binds the
// project, the axis, the URL and the quote, so a signature cannot be moved
// to another claim; static/sign.js builds the same text in the browser.
func SubmissionMessage(project, axis, url, quote string) string {
	sum := sha256.Sum256([]byte(quote))
	return "DeAI Scorecard evidence submission\n" +
		"project: " + project + "\n" +
		"axis: " + axis + "\n" +
		"url: " + url + "\n" +
		"quote sha256: " + hex.EncodeToString(sum[:])
}

// submission is the form as posted, normalized: trimmed, newlines as \n.
type submission struct {
	Project, Axis, Kind, URL, Title, Quote, Finding, Submitter, Address, Signature, Website string
}

func readSubmission(r *http.Request) submission {
	f := func(name string) string { return strings.TrimSpace(r.PostForm.Get(name)) }
	return submission{
		Project: f("project"), Axis: f("axis"), Kind: f("kind"), URL: f("url"), Title: f("title"),
		Quote: normalizeText(r.PostForm.Get("quote")), Finding: normalizeText(r.PostForm.Get("finding")),
		Submitter: f("submitter"), Address: f("address"), Signature: f("signature"), Website: r.PostForm.Get("website"),
	}
}

// normalizeText makes line breaks \n (browsers send \r\n) and trims.
func normalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}

// fieldErrors are problems with a submission, in form order.
type fieldErrors []views.FieldError

func (fe *fieldErrors) add(field, msg string) {
	*fe = append(*fe, views.FieldError{Field: field, Message: msg})
}

func (fe fieldErrors) has(field string) bool {
	for _, e := range fe {
		if e.Field == field {
			return true
		}
	}
	return false
}

// checkText checks a text field's length and characters. It returns "" or
// what is wrong, said to the person who typed it.
func checkText(v string, max int, multiline bool) string {
	if !utf8.ValidString(v) {
		return "This is not valid text (it is not UTF-8)."
	}
	if n := utf8.RuneCountInString(v); n > max {
		return fmt.Sprintf("Use at most %s characters; this has %s.", thousands(max), thousands(n))
	}
	for _, c := range v {
		switch {
		case c == '\n' && multiline:
		case c == '\n':
			return "Use a single line."
		case c == '\t':
			return "Remove the tab characters."
		case unicode.IsControl(c):
			return fmt.Sprintf("Remove the control character U+%04X.", c)
		case (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069):
			return fmt.Sprintf("Remove the invisible text-direction character U+%04X.", c)
		}
	}
	return ""
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	if len(s) > 3 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}

// checkURL accepts an absolute http or https URL with a host.
func checkURL(v string) string {
	if msg := checkText(v, maxURLLen, false); msg != "" {
		return msg
	}
	if strings.ContainsFunc(v, unicode.IsSpace) {
		return "A URL has no spaces; write a space as %20."
	}
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return "This is not a URL the site can read. Copy it from the browser's address bar."
	case u.Scheme != "http" && u.Scheme != "https":
		return "Give a web address starting with https:// or http://."
	case u.Host == "" || u.Hostname() == "":
		return "Give a complete web address, with its host, like https://example.org/page."
	case u.User != nil:
		return "Remove the user name or password from the URL."
	}
	return ""
}

// hexAddress reports whether s is 0x and 40 hex digits, in any case.
func hexAddress(s string) bool {
	return len(s) == 42 && (s[:2] == "0x" || s[:2] == "0X") && isHex(s[2:])
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// verifySignature checks an EIP-191 personal_sign signature of msg by
// address. It returns the signer (EIP-55) and the signature as 0x-hex, or
// the field and message of what is wrong.
func verifySignature(msg, address, signature string) (signer, sig string, field, problem string) {
	raw := strings.TrimPrefix(strings.TrimPrefix(signature, "0x"), "0X")
	if len(raw) != 130 || !isHex(raw) {
		return "", "", "signature", "A signature is 0x followed by 130 hexadecimal digits (65 bytes), as the wallet gives it."
	}
	b, _ := hex.DecodeString(raw)
	rs := make([]byte, 65)
	copy(rs, b)
	if rs[64] >= 27 {
		rs[64] -= 27
	}
	r, s := new(big.Int).SetBytes(rs[:32]), new(big.Int).SetBytes(rs[32:64])
	if !crypto.ValidateSignatureValues(rs[64], r, s, true) {
		return "", "", "signature", "This is not a valid signature: its last byte must be 27 or 28 (or 0 or 1), and its values in range (low s)."
	}
	pub, err := crypto.SigToPub(accounts.TextHash([]byte(msg)), rs)
	if err != nil {
		return "", "", "signature", "This signature does not match any address."
	}
	got, want := crypto.PubkeyToAddress(*pub), common.HexToAddress(address)
	if got != want {
		return "", "", "signature", fmt.Sprintf("The message below was signed by %s, not by %s. Sign the message exactly as it reads now, with the account whose address you gave (changing the project, axis, URL or quote changes the message).", got.Hex(), want.Hex())
	}
	return got.Hex(), "0x" + hex.EncodeToString(b), "", ""
}

// validate checks every field, in form order.
func (sub submission) validate(projects map[string]string) (domain.Evidence, fieldErrors) {
	var fe fieldErrors
	e := domain.Evidence{Axis: domain.Axis(sub.Axis), Kind: domain.EvidenceKind(sub.Kind), URL: sub.URL, Title: sub.Title,
		Quote: sub.Quote, Finding: sub.Finding, Submitter: sub.Submitter}
	switch {
	case sub.Project == "":
		fe.add("project", "Choose the project this evidence is about.")
	case projects[sub.Project] == "":
		fe.add("project", "There is no such project; choose one from the list.")
	}
	switch {
	case sub.Axis == "":
		fe.add("axis", "Choose the axis this evidence is about.")
	case !e.Axis.Valid():
		fe.add("axis", "There is no such axis; choose one of the seven.")
	}
	switch {
	case sub.Kind == "":
		fe.add("kind", "Choose what kind of source this is.")
	case !validKind(e.Kind):
		fe.add("kind", "There is no such kind of source; choose one from the list.")
	}
	if sub.URL == "" {
		fe.add("url", "Give the address (URL) of the source.")
	} else if msg := checkURL(sub.URL); msg != "" {
		fe.add("url", msg)
	}
	required := []struct {
		field, value, missing string
		max                   int
		multiline             bool
	}{
		{"title", sub.Title, "Give the source's title.", maxTitleLen, false},
		{"quote", sub.Quote, "Copy a short passage from the source, word for word.", maxQuoteLen, true},
		{"finding", sub.Finding, "Say what the passage shows.", maxFindingLen, true},
	}
	for _, f := range required {
		if f.value == "" {
			fe.add(f.field, f.missing)
		} else if msg := checkText(f.value, f.max, f.multiline); msg != "" {
			fe.add(f.field, msg)
		}
	}
	if msg := checkText(sub.Submitter, maxSubmitterLn, false); msg != "" {
		fe.add("submitter", msg)
	}
	switch {
	case sub.Address == "" && sub.Signature == "":
	case sub.Address == "":
		fe.add("address", "Give the address that made the signature, or clear the signature to submit unsigned.")
	case !hexAddress(sub.Address):
		fe.add("address", "An Ethereum address is 0x followed by 40 hexadecimal digits.")
	case sub.Signature == "":
		fe.add("signature", "Paste the signature of the message below, or clear the address to submit unsigned.")
	default:
		signer, sig, field, problem := verifySignature(SubmissionMessage(sub.Project, sub.Axis, sub.URL, sub.Quote), sub.Address, sub.Signature)
		if problem != "" {
			fe.add(field, problem)
		}
		e.Signer, e.Signature = signer, sig
	}
	return e, fe
}

func validKind(k domain.EvidenceKind) bool {
	for _, x := range evidenceKinds {
		if x.Kind == k {
			return true
		}
	}
	return false
}

// formPage builds the form's view model for the values in sub.
func formPage(sums []domain.Summary, sub submission) views.SubmitPage {
	p := views.SubmitPage{
		Values: views.SubmitValues{Project: sub.Project, Axis: sub.Axis, Kind: sub.Kind, URL: sub.URL, Title: sub.Title, Quote: sub.Quote,
			Finding: sub.Finding, Submitter: sub.Submitter, Address: sub.Address, Signature: sub.Signature},
		Message: SubmissionMessage(sub.Project, sub.Axis, sub.URL, sub.Quote),
		Limits:  views.SubmitLimits{Title: maxTitleLen, URL: maxURLLen, Quote: maxQuoteLen, Finding: maxFindingLen, Submitter: maxSubmitterLn},
	}
	p.Projects = append(p.Projects, views.Option{Value: "", Label: "Choose a project", Selected: sub.Project == ""})
	for _, s := range sums {
		p.Projects = append(p.Projects, views.Option{Value: s.Project.Slug, Label: s.Project.Name, Selected: s.Project.Slug == sub.Project})
		if s.Project.Slug == sub.Project {
			p.ProjectName = s.Project.Name
		}
	}
	p.Axes = append(p.Axes, views.Option{Value: "", Label: "Choose an axis", Selected: sub.Axis == ""})
	for _, a := range domain.Axes {
		p.Axes = append(p.Axes, views.Option{Value: string(a), Label: axisTitle(a), Selected: string(a) == sub.Axis})
	}
	p.Kinds = append(p.Kinds, views.Option{Value: "", Label: "Choose a kind", Selected: sub.Kind == ""})
	for _, k := range evidenceKinds {
		p.Kinds = append(p.Kinds, views.Option{Value: string(k.Kind), Label: k.Label, Selected: string(k.Kind) == sub.Kind})
	}
	return p
}

const submitDesc = "Send a source that shows how decentralized a project is. Editors review every submission in public."

// SubmitForm is the evidence form: GET /submit and /p/{slug}/submit?axis=….
func SubmitForm(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sums, err := s.Summaries(r.Context())
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		known := map[string]bool{}
		for _, x := range sums {
			known[x.Project.Slug] = true
		}
		var sub submission
		q := r.URL.Query()
		if slug := chi.URLParam(r, "slug"); slug != "" {
			if !known[slug] {
				site.pageError(w, r, domain.Errorf(domain.ENOTFOUND, "There is no project %q.", slug))
				return
			}
			sub.Project = slug
		} else if slug := q.Get("project"); known[slug] {
			sub.Project = slug
		}
		if a := domain.Axis(q.Get("axis")); a.Valid() {
			sub.Axis = string(a)
		}
		page := formPage(sums, sub)
		page.Prefilled = chi.URLParam(r, "slug") != ""
		title := "Submit evidence"
		if page.Prefilled {
			title = "Submit evidence about " + page.ProjectName
		}
		w.Header().Set("Cache-Control", "no-store")
		render(w, r, http.StatusOK, views.Submit(site.meta(r, title, submitDesc), page))
	})
}

// clientKey is the rate limit key: the client's IP (RealIP has already
// replaced RemoteAddr with the forwarded address where there is one).
func clientKey(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// Submit stores a submission: POST /submit.
func Submit(s Store, site Site, perIP *auth.Limiter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if key := clientKey(r); !perIP.Allow(key) {
			wait := max(1, int((perIP.RetryAfter(key)+time.Second-1)/time.Second))
			w.Header().Set("Retry-After", strconv.Itoa(wait))
			msg := fmt.Sprintf("This address has sent several submissions in a short time. Wait %d seconds, then go back and send the form again; your browser keeps what you typed. Nothing from this request was stored.", wait)
			render(w, r, http.StatusTooManyRequests, views.Error(site.meta(r, "Too many submissions", ""),
				views.ErrorPage{Status: http.StatusTooManyRequests, Title: "Too many submissions", Message: msg}))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxSubmitBody)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				msg := "The form sent more than 64 KiB, far more than its limits allow (a quote is at most 500 characters). Go back, shorten it and send it again. Nothing was stored."
				render(w, r, http.StatusRequestEntityTooLarge, views.Error(site.meta(r, "Submission too large", ""),
					views.ErrorPage{Status: http.StatusRequestEntityTooLarge, Title: "Submission too large", Message: msg}))
				return
			}
			site.pageError(w, r, domain.Errorf(domain.EINVALID, "The form could not be read."))
			return
		}
		sums, err := s.Summaries(r.Context())
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		projects := map[string]string{}
		for _, x := range sums {
			projects[x.Project.Slug] = x.Project.Name
		}
		sub := readSubmission(r)
		reject := func(page views.SubmitPage) {
			render(w, r, http.StatusUnprocessableEntity, views.Submit(site.meta(r, "Check your submission", submitDesc), page))
		}
		if sub.Website != "" {
			// The honeypot: people do not see it, some robots fill it in.
			sub.Website = ""
			page := formPage(sums, sub)
			page.Problem = "The submission could not be accepted. Nothing was stored."
			reject(page)
			return
		}
		e, fe := sub.validate(projects)
		if len(fe) == 0 {
			saved, err := s.SubmitEvidence(r.Context(), sub.Project, e)
			var dup *store.DuplicateError
			switch {
			case err == nil:
				http.Redirect(w, r, "/e/"+strconv.FormatInt(saved.ID, 10), http.StatusSeeOther)
				return
			case errors.As(err, &dup):
				fe = append(fe, views.FieldError{Field: "url",
					Message:  fmt.Sprintf("This URL is already on file for %s, %s (%s): ", projects[sub.Project], axisTitle(e.Axis), dup.Status),
					LinkHref: "/e/" + strconv.FormatInt(dup.ExistingID, 10), LinkText: "see item #" + strconv.FormatInt(dup.ExistingID, 10)})
			case domain.ErrorCode(err) == domain.ENOTFOUND:
				fe.add("project", "There is no such project; choose one from the list.")
			default:
				site.pageError(w, r, err)
				return
			}
		}
		page := formPage(sums, sub)
		page.Errors = fe
		reject(page)
	})
}

// evidenceID parses {id} of /e/{id}: a positive integer, written plainly.
func evidenceID(r *http.Request) (int64, error) {
	raw := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != raw {
		return 0, domain.Errorf(domain.ENOTFOUND, "There is no evidence item %q.", raw)
	}
	return id, nil
}

func sourceLabel(e domain.Evidence) string {
	if e.SourceType == "" {
		return "submitted by the public"
	}
	return e.SourceType.Label()
}

func formatWhen(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// EvidencePage shows one item and its history: GET /e/{id}.
func EvidencePage(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := evidenceID(r)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		it, err := s.EvidenceByID(r.Context(), id)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		hist, err := s.EvidenceHistory(r.Context(), id)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		e := it.Evidence
		p := views.EvidencePage{
			ID: e.ID, ProjectSlug: it.ProjectSlug, ProjectName: it.ProjectName, Axis: string(e.Axis), AxisTitle: axisTitle(e.Axis),
			Context: e.Axis == domain.AxisContext, Kind: string(e.Kind), SourceType: string(e.SourceType), SourceLabel: sourceLabel(e),
			Title: e.Title, URL: e.URL, Quote: e.Quote, Finding: e.Finding, Submitter: e.Submitter,
			Signer: e.Signer, Signature: e.Signature, Status: string(e.Status), Reviewer: e.Reviewer, ReviewNote: e.ReviewNote,
			ReviewedAt: formatWhen(e.ReviewedAt), SubmittedAt: formatWhen(e.SubmittedAt), SourcedAsOf: e.SourcedAsOf, Seeded: len(hist) == 0,
		}
		if checkURL(e.URL) == "" {
			p.Linkable = true
		}
		if e.Signer != "" {
			p.SignedMessage = SubmissionMessage(it.ProjectSlug, string(e.Axis), e.URL, e.Quote)
		}
		if p.SourcedAsOf == "" {
			p.SourcedAsOf = site.SourcedAsOf
		}
		for _, h := range hist {
			p.History = append(p.History, views.HistoryEntry{Decision: string(h.Decision), Actor: h.Actor, Note: h.Note, Version: h.Version, At: formatWhen(h.At)})
		}
		title := fmt.Sprintf("Evidence #%d: %s", e.ID, e.Title)
		desc := fmt.Sprintf("Evidence about %s (%s), %s, and its review history.", it.ProjectName, axisTitle(e.Axis), e.Status)
		render(w, r, http.StatusOK, views.EvidenceItem(site.meta(r, title, desc), p))
	})
}
