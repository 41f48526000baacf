package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/auth"
	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/onchain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/views"
)

const (
	// SessionCookie names the cookie that holds a session token; the
	// database holds only the token's hash.
	SessionCookie = "scorecard_session"
	sessionTTL    = 12 * time.Hour

	defaultNext     = "/review" // where signing in leads without a usable next=
	maxLoginBody    = 8 << 10
	maxReviewBody   = 32 << 10
	maxAdminBody    = 32 << 10
	maxReviewText   = 2000 // note and rationale, in characters
	moderationPerPg = 25
	maxModerationPg = 1_000_000 // beyond this a page is certainly past the end
)

// ---- Sessions ----------------------------------------------------------------

// LoadUser puts the signed-in user (from the session cookie) in the request context.
// Responses to a signed-in user are never stored by shared caches.
func LoadUser(s Store) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, err := r.Cookie(SessionCookie)
			if err != nil || c.Value == "" || len(c.Value) > 128 || strings.HasPrefix(r.URL.Path, "/static/") {
				next.ServeHTTP(w, r)
				return
			}
			u, err := s.SessionUser(r.Context(), auth.HashToken(c.Value))
			if err != nil {
				if domain.ErrorCode(err) != domain.ENOTFOUND {
					slog.ErrorContext(r.Context(), "load session", "err", err)
				}
				next.ServeHTTP(w, r) // an expired or unknown session: a visitor
				return
			}
			next.ServeHTTP(&privateWriter{ResponseWriter: w}, r.WithContext(WithUser(r.Context(), u)))
		})
	}
}

// privateWriter marks a response as not storable, whatever the handler
// said: a page with a reviewer's name on it must not reach a CDN.
type privateWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *privateWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.Header().Set("Cache-Control", "private, no-store")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *privateWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *privateWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// hasRole reports whether a user may act as role: admins may do anything
// a reviewer may.
func hasRole(u domain.User, role domain.Role) bool {
	return u.Role == role || u.Role == domain.RoleAdmin
}

// RequireRole lets only signed-in users with the role (admins pass any) through.
// A visitor is sent to sign in (GET) or refused (other methods).
func RequireRole(role domain.Role, site Site) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, ok := UserFrom(r.Context())
			if !ok {
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					http.Redirect(w, r, "/login?next="+escapeNext(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				site.statusPage(w, r, http.StatusForbidden, "Sign in first", "Only signed-in "+string(role)+"s can do this. Sign in at /login and try again.")
				return
			}
			if !hasRole(u, role) {
				site.statusPage(w, r, http.StatusForbidden, "Not allowed",
					fmt.Sprintf("This is for %ss; %s is signed in as a %s.", role, u.Name, u.Role))
				return
			}
			w.Header().Set("Cache-Control", "private, no-store")
			next.ServeHTTP(w, r)
		})
	}
}

// escapeNext escapes a local URL for the next= parameter, keeping slashes
// readable.
func escapeNext(uri string) string {
	return strings.ReplaceAll(url.QueryEscape(uri), "%2F", "/")
}

// localPath returns raw as a path on this site, or false when it could
// lead elsewhere: it must start with one slash (not "//" nor "/\", which
// browsers read as another host), hold no control characters or
// backslashes, and parse without a scheme or host.
func localPath(raw string) (string, bool) {
	if raw == "" || len(raw) > 2000 || raw[0] != '/' || strings.HasPrefix(raw, "//") {
		return "", false
	}
	for _, r := range raw {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) {
			return "", false
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "", false
	}
	out := u.RequestURI()
	if strings.HasPrefix(out, "//") {
		return "", false
	}
	return out, true
}

func newSessionCookie(r *http.Request, value string, maxAge int, expires time.Time) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge, Expires: expires,
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteLaxMode}
}

// loginIP is the per-IP throttle key: the peer's address, or the
// forwarded one when the server trusts proxy headers (web.TrustProxyHeaders).
func loginIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// statusPage renders an error page with a status that has no error code
// of its own (401, 403, 409, 429).
func (s Site) statusPage(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	render(w, r, status, views.Error(s.meta(r, title, ""), views.ErrorPage{Status: status, Title: title, Message: msg}))
}

// LoginForm is GET /login.
func LoginForm(site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next, _ := localPath(r.URL.Query().Get("next"))
		p := views.LoginPage{Next: next}
		if u, ok := UserFrom(r.Context()); ok {
			p.SignedInAs = u.Name
		}
		w.Header().Set("Cache-Control", "no-store")
		render(w, r, http.StatusOK, views.Login(site.meta(r, "Sign in", "Sign in to review evidence or manage projects."), p))
	})
}

// loginFailed is the one message for an unknown name and a wrong
// password alike.
const loginFailed = "That name and password do not match an account. Check both and try again."

// Login is POST /login. Failures count against the client's IP and the
// account name; past the limit every attempt is refused, the right
// password included, until the throttle refills.
func Login(s Store, site Site, perIP, perAccount *auth.Limiter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
		if err := r.ParseForm(); err != nil {
			site.pageError(w, r, domain.Errorf(domain.EINVALID, "The sign-in form could not be read."))
			return
		}
		name := strings.TrimSpace(r.PostForm.Get("name"))
		password := r.PostForm.Get("password")
		next, _ := localPath(r.PostForm.Get("next"))
		page := views.LoginPage{Name: name, Next: next}
		meta := site.meta(r, "Sign in", "")
		if name == "" || password == "" {
			page.Error = "Enter your name and your password."
			render(w, r, http.StatusUnprocessableEntity, views.Login(meta, page))
			return
		}
		ipKey, accountKey := loginIP(r), strings.ToLower(name)
		if perIP.Blocked(ipKey) || perAccount.Blocked(accountKey) {
			wait := max(perIP.RetryAfter(ipKey), perAccount.RetryAfter(accountKey))
			secs := max(int(math.Ceil(wait.Seconds())), 1)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			site.statusPage(w, r, http.StatusTooManyRequests, "Too many attempts",
				fmt.Sprintf("Too many failed sign-ins from here or for this account. Try again in %d seconds.", secs))
			return
		}
		ok := false
		u, err := s.UserByName(r.Context(), name)
		switch {
		case err == nil:
			ok = auth.CheckPassword(u.PasswordHash, password)
		case domain.ErrorCode(err) == domain.ENOTFOUND:
			auth.CheckPassword(auth.DummyHash, password) // as slow as a known name
		default:
			site.pageError(w, r, err)
			return
		}
		if !ok {
			perIP.Allow(ipKey)
			perAccount.Allow(accountKey)
			page.Error = loginFailed
			render(w, r, http.StatusUnauthorized, views.Login(meta, page))
			return
		}
		// A new session every time, and the browser's old one ends.
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			if err := s.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil {
				site.pageError(w, r, err)
				return
			}
		}
		token, hash, err := auth.NewToken()
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		expires := time.Now().Add(sessionTTL)
		if err := s.CreateSession(r.Context(), u.ID, hash, expires); err != nil {
			site.pageError(w, r, err)
			return
		}
		http.SetCookie(w, newSessionCookie(r, token, int(sessionTTL/time.Second), expires))
		if next == "" {
			next = defaultNext
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

// Logout is POST /logout.
func Logout(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			if err := s.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil {
				site.pageError(w, r, err)
				return
			}
		}
		http.SetCookie(w, newSessionCookie(r, "", -1, time.Unix(0, 0)))
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
}

// ---- Review queue ------------------------------------------------------------

// levelOptions are the choices of the level select: none, or 0–4.
func levelOptions(selected string) []views.Option {
	values, labels := []string{""}, []string{"No new level"}
	for l := domain.MinLevel; l <= domain.MaxLevel; l++ {
		values = append(values, strconv.Itoa(int(l)))
		labels = append(labels, fmt.Sprintf("%d · %s", l, l.Name()))
	}
	return options(values, labels, selected)
}

// reviewItemVM is a pending item beside its axis's current assessment.
func reviewItemVM(it store.EvidenceItem, sc domain.Scorecard, form views.ReviewForm) views.ReviewItem {
	e := it.Evidence
	v := views.ReviewItem{ID: e.ID, ProjectSlug: it.ProjectSlug, ProjectName: it.ProjectName, Axis: string(e.Axis),
		AxisTitle: axisTitle(e.Axis), Context: !e.Axis.Valid(), URL: e.URL, Title: e.Title, Quote: e.Quote, Finding: e.Finding,
		Kind: string(e.Kind), SourceLabel: e.SourceType.Label(), SourcedAsOf: e.SourcedAsOf, Submitter: e.Submitter, Signer: e.Signer,
		SubmittedAt: e.SubmittedAt.UTC().Format("2006-01-02 15:04 UTC"), Form: form}
	if v.Context {
		v.AxisTitle = "Context"
	} else {
		a := sc.Assessment(e.Axis)
		v.Current, v.Rationale = levelVM(a.Level), a.Rationale
		if a.Level.Known {
			info, _ := scorers.Info(e.Axis)
			v.Criterion, v.CritText = info.Criterion(a.Level.Level)
		}
	}
	v.Form.Levels = levelOptions(form.Level)
	return v
}

// renderQueue renders the queue; the item formID gets form (what the
// reviewer typed, with messages), the others empty forms.
func (site Site) renderQueue(w http.ResponseWriter, r *http.Request, s Store, status int, page views.ReviewPage, formID int64, form views.ReviewForm) {
	items, err := s.PendingEvidence(r.Context())
	if err != nil {
		site.pageError(w, r, err)
		return
	}
	cards := map[string]domain.Scorecard{}
	suggested := map[string]map[domain.Axis]*views.Suggestion{} // from on-chain facts, by project
	for _, it := range items {
		sc, ok := cards[it.ProjectSlug]
		if !ok {
			if sc, err = s.Scorecard(r.Context(), it.ProjectSlug, 0); err != nil {
				site.pageError(w, r, err)
				return
			}
			cards[it.ProjectSlug] = sc
			cfs, err := s.ContractFacts(r.Context(), sc.Project.ID)
			if err != nil {
				site.pageError(w, r, err)
				return
			}
			suggested[it.ProjectSlug] = suggestions(cfs)
		}
		f := views.ReviewForm{}
		if it.ID == formID {
			f = form
		}
		v := reviewItemVM(it, sc, f)
		if !v.Context {
			v.Suggestion = suggested[it.ProjectSlug][it.Evidence.Axis]
		}
		page.Items = append(page.Items, v)
	}
	title := "Review queue"
	if status != http.StatusOK {
		title = "Review queue: decision not recorded"
	}
	render(w, r, status, views.Review(site.meta(r, title, ""), page))
}

// decidedNotice confirms a decision from ?done={id}: what the log says,
// so the link can neither forge nor repeat anything.
func decidedNotice(ctx context.Context, s Store, raw string) *views.ReviewDone {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return nil
	}
	it, err := s.EvidenceByID(ctx, id)
	if err != nil || it.Status == domain.StatusPending {
		return nil
	}
	d := &views.ReviewDone{ID: id, Title: it.Title, Decision: string(it.Status), ProjectSlug: it.ProjectSlug, ProjectName: it.ProjectName}
	if hist, err := s.EvidenceHistory(ctx, id); err == nil {
		for _, h := range hist {
			if h.Decision != domain.DecisionSubmitted && h.Version > 0 {
				d.Version = h.Version
			}
		}
	}
	return d
}

// ReviewQueue is GET /review.
func ReviewQueue(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var page views.ReviewPage
		if raw := r.URL.Query().Get("done"); raw != "" {
			page.Done = decidedNotice(r.Context(), s, raw)
		}
		site.renderQueue(w, r, s, http.StatusOK, page, 0, views.ReviewForm{})
	})
}

// sentence capitalises a message from below and ends it with a period.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, ")") && !strings.HasSuffix(msg, "?") {
		msg += "."
	}
	return msg
}

// alreadyDecided is the 409 page for an item that is no longer pending.
func (site Site) alreadyDecided(w http.ResponseWriter, r *http.Request, it store.EvidenceItem) {
	by := ""
	if it.Reviewer != "" {
		by = " by " + it.Reviewer
	}
	site.statusPage(w, r, http.StatusConflict, "Already decided",
		fmt.Sprintf("Item #%d was already %s%s; nothing was changed. Its history is at /e/%d.", it.ID, it.Status, by, it.ID))
}

// DecideEvidence is POST /review/{id}: accept or reject with a note, and,
// when accepting, optionally set the axis's level (a new version).
func DecideEvidence(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := chi.URLParam(r, "id")
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id < 1 {
			site.pageError(w, r, domain.Errorf(domain.ENOTFOUND, "There is no evidence item %q.", raw))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxReviewBody)
		if err := r.ParseForm(); err != nil {
			site.pageError(w, r, domain.Errorf(domain.EINVALID, "The decision form could not be read (at most %d KB).", maxReviewBody>>10))
			return
		}
		it, err := s.EvidenceByID(r.Context(), id)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		if it.Status != domain.StatusPending {
			site.alreadyDecided(w, r, it)
			return
		}
		form := views.ReviewForm{Decision: r.PostForm.Get("decision"), Note: r.PostForm.Get("note"),
			Level: strings.TrimSpace(r.PostForm.Get("level")), Rationale: r.PostForm.Get("rationale"), Errors: views.FieldErrors{}}
		d, change := validateDecision(it, &form)
		if len(form.Errors) > 0 {
			form.Errors[""] = "Nothing was recorded: see the marked fields."
			site.renderQueue(w, r, s, http.StatusUnprocessableEntity, views.ReviewPage{}, id, form)
			return
		}
		u, _ := UserFrom(r.Context()) // RequireRole let only signed-in reviewers here
		if _, err := s.Decide(r.Context(), id, d, u.Name, strings.TrimSpace(form.Note), change); err != nil {
			switch domain.ErrorCode(err) {
			case domain.EINVALID:
				form.Errors[""] = "Nothing was recorded: " + sentence(domain.ErrorMessage(err))
				site.renderQueue(w, r, s, http.StatusUnprocessableEntity, views.ReviewPage{}, id, form)
			case domain.ECONFLICT: // decided by someone else in the meantime
				if now, err2 := s.EvidenceByID(r.Context(), id); err2 == nil {
					site.alreadyDecided(w, r, now)
				} else {
					site.pageError(w, r, err)
				}
			default:
				site.pageError(w, r, err)
			}
			return
		}
		http.Redirect(w, r, "/review?done="+strconv.FormatInt(id, 10)+"#done", http.StatusSeeOther)
	})
}

// validateDecision checks the form, recording messages by field, and
// returns the decision and the level change, if any.
func validateDecision(it store.EvidenceItem, f *views.ReviewForm) (domain.Decision, *store.LevelChange) {
	var d domain.Decision
	switch f.Decision {
	case "accept":
		d = domain.DecisionAccepted
	case "reject":
		d = domain.DecisionRejected
	default:
		f.Decision = ""
		f.Errors["decision"] = "Choose accept or reject."
	}
	note := strings.TrimSpace(f.Note)
	switch n := utf8.RuneCountInString(note); {
	case note == "":
		f.Errors["note"] = "Write a note: it is published with the decision in the moderation log."
	case n > maxReviewText:
		f.Errors["note"] = fmt.Sprintf("The note is at most %d characters; this one has %d.", maxReviewText, n)
	}
	rationale := strings.TrimSpace(f.Rationale)
	if !it.Axis.Valid() {
		if f.Level != "" {
			f.Errors[""] = "Context items support no level."
			f.Level = ""
		}
		return d, nil
	}
	if f.Level == "" {
		if rationale != "" {
			f.Errors["rationale"] = "A rationale goes with a new level: choose a level, or clear the rationale."
		}
		return d, nil
	}
	n, err := strconv.Atoi(f.Level)
	switch {
	case err != nil || !domain.Level(n).Valid():
		f.Errors["level"] = "Choose a level from 0 to 4, or no new level."
		f.Level = ""
	case d == domain.DecisionRejected:
		f.Errors["level"] = "A level can be set only when accepting: choose no new level to reject."
	}
	switch c := utf8.RuneCountInString(rationale); {
	case rationale == "":
		f.Errors["rationale"] = "Explain the new level: the rationale is shown on the scorecard beside it."
	case c > maxReviewText:
		f.Errors["rationale"] = fmt.Sprintf("The rationale is at most %d characters; this one has %d.", maxReviewText, c)
	}
	if len(f.Errors) > 0 {
		return d, nil
	}
	return d, &store.LevelChange{Level: domain.Level(n), Rationale: rationale}
}

// ---- Moderation log --------------------------------------------------------

func moderationLink(page int) string {
	if page <= 1 {
		return "/moderation"
	}
	return "/moderation?page=" + strconv.Itoa(page)
}

// Moderation is the public log: GET /moderation?page=N.
func Moderation(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := 1
		if q := r.URL.Query(); q.Has("page") {
			raw := q.Get("page")
			n, err := strconv.Atoi(raw)
			if err != nil || n < 1 || strconv.Itoa(n) != raw {
				site.pageError(w, r, domain.Errorf(domain.EINVALID, "Page %q is not a page number: use a whole number from 1.", raw))
				return
			}
			page = n
		}
		query := page
		if page > maxModerationPg {
			query = 1 // only for the total; the page itself is empty
		}
		entries, total, err := s.ModerationLog(r.Context(), query, moderationPerPg)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		if query != page {
			entries = nil
		}
		pages := max(1, (total+moderationPerPg-1)/moderationPerPg)
		vm := views.ModerationPage{Page: page, Pages: pages, Total: total}
		for _, e := range entries {
			vm.Rows = append(vm.Rows, views.ModerationLogRow{EvidenceID: e.EvidenceID, ProjectSlug: e.ProjectSlug, ProjectName: e.ProjectName,
				Axis: string(e.Axis), AxisTitle: axisTitle(e.Axis), Title: e.Title, Decision: string(e.Decision), Actor: e.Actor, Note: e.Note,
				Version: e.Version, At: e.At.UTC().Format("2006-01-02 15:04 UTC"), AtISO: e.At.UTC().Format(time.RFC3339)})
		}
		if page > 1 && total > 0 {
			vm.Newer = moderationLink(min(page-1, pages))
		}
		if page < pages {
			vm.Older = moderationLink(page + 1)
		}
		title := "Moderation log"
		if page > 1 {
			title = fmt.Sprintf("Moderation log, page %d", page)
		}
		render(w, r, http.StatusOK, views.Moderation(site.meta(r, title, "Every decision reviewers take on submitted evidence: who, when and why."), vm))
	})
}

// ---- Admin: projects and watched contracts ----------------------------------

var adminSlugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// roleOptions are the choices of a contract's role.
func roleOptions(selected string) []views.Option {
	values, labels := []string{""}, []string{"Choose a role"}
	for _, r := range domain.ContractRoles {
		values = append(values, string(r))
		labels = append(labels, string(r))
	}
	return options(values, labels, selected)
}

// adminPage is the edit page of an existing project.
func adminPage(sc domain.Scorecard, pf views.AdminProjectForm, cf views.AdminContractForm) views.AdminProjectPage {
	p := views.AdminProjectPage{Slug: sc.Project.Slug, Name: sc.Project.Name, Form: pf, ContractForm: cf}
	p.ContractForm.Roles = roleOptions(cf.Role)
	for _, c := range sc.Contracts {
		p.Contracts = append(p.Contracts, views.AdminContractRow{Chain: c.Chain, Address: c.Address, Role: string(c.Role), Label: c.Label})
	}
	return p
}

func projectForm(p domain.Project) views.AdminProjectForm {
	return views.AdminProjectForm{Slug: p.Slug, Name: p.Name, Website: p.Website, Summary: p.Summary}
}

func (site Site) renderAdmin(w http.ResponseWriter, r *http.Request, status int, p views.AdminProjectPage) {
	title := "New project"
	if !p.New {
		title = "Edit " + p.Name
	}
	render(w, r, status, views.AdminProject(site.meta(r, title, ""), p))
}

// AdminProjectForm is GET /admin/projects/new and /admin/projects/{slug}.
func AdminProjectForm(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug := chi.URLParam(r, "slug")
		if slug == "" {
			site.renderAdmin(w, r, http.StatusOK, views.AdminProjectPage{New: true})
			return
		}
		sc, err := s.Scorecard(r.Context(), slug, 0)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		p := adminPage(sc, projectForm(sc.Project), views.AdminContractForm{})
		if id, err := strconv.ParseInt(r.URL.Query().Get("added"), 10, 64); err == nil {
			for _, c := range sc.Contracts {
				if c.ID == id {
					p.Added = fmt.Sprintf("Now watching %s %s on %s.", c.Role, c.Address, c.Chain)
				}
			}
		}
		site.renderAdmin(w, r, http.StatusOK, p)
	})
}

// checkWebURL says what is wrong with an optional http(s) URL, or "".
func checkWebURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	switch {
	case len(raw) > 2000:
		return "The URL is at most 2,000 characters."
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "Give a full http:// or https:// address."
	}
	return ""
}

// readAdminForm parses an admin form of at most maxAdminBody bytes, or
// answers with an error page and returns false.
func (site Site) readAdminForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxAdminBody)
	if err := r.ParseForm(); err != nil {
		site.pageError(w, r, domain.Errorf(domain.EINVALID, "The form could not be read (at most %d KB).", maxAdminBody>>10))
		return false
	}
	return true
}

// AdminSaveProject is POST /admin/projects/new and /admin/projects/{slug}.
func AdminSaveProject(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug := chi.URLParam(r, "slug")
		isNew := slug == ""
		var existing domain.Scorecard
		if !isNew {
			var err error
			if existing, err = s.Scorecard(r.Context(), slug, 0); err != nil {
				site.pageError(w, r, err)
				return
			}
		}
		if !site.readAdminForm(w, r) {
			return
		}
		f := views.AdminProjectForm{Slug: slug, Name: strings.TrimSpace(r.PostForm.Get("name")),
			Website: strings.TrimSpace(r.PostForm.Get("website")), Summary: strings.TrimSpace(r.PostForm.Get("summary")), Errors: views.FieldErrors{}}
		if isNew {
			f.Slug = strings.TrimSpace(r.PostForm.Get("slug"))
			switch {
			case f.Slug == "":
				f.Errors["slug"] = "Give a slug: it is the project's address, /p/slug."
			case !adminSlugPattern.MatchString(f.Slug):
				f.Errors["slug"] = "A slug is lowercase letters, digits and dashes (up to 63), starting with a letter or digit."
			case f.Slug == "new":
				f.Errors["slug"] = "“new” is reserved; choose another slug."
			default:
				sc, err := s.Scorecard(r.Context(), f.Slug, 0)
				switch {
				case err == nil:
					f.Errors["slug"] = fmt.Sprintf("The slug is taken by %s.", sc.Project.Name)
				case domain.ErrorCode(err) != domain.ENOTFOUND:
					site.pageError(w, r, err)
					return
				}
			}
		}
		switch n := utf8.RuneCountInString(f.Name); {
		case n == 0:
			f.Errors["name"] = "Give the project's name."
		case len(f.Name) > 120 || strings.ContainsAny(f.Name, "\r\n"):
			f.Errors["name"] = "A name is one line of at most 120 characters."
		}
		if msg := checkWebURL(f.Website); msg != "" {
			f.Errors["website"] = msg
		}
		if n := len(f.Summary); n > 2000 {
			f.Errors["summary"] = fmt.Sprintf("The summary is at most 2,000 characters; this one has %d.", utf8.RuneCountInString(f.Summary))
		}
		page := views.AdminProjectPage{New: true, Form: f}
		if !isNew {
			page = adminPage(existing, f, views.AdminContractForm{})
		}
		if len(f.Errors) > 0 {
			page.Form.Errors[""] = "Nothing was saved: see the marked fields."
			site.renderAdmin(w, r, http.StatusUnprocessableEntity, page)
			return
		}
		save := s.SaveProject
		if isNew {
			save = s.CreateProject // a slug taken meanwhile is refused, not overwritten
		}
		saved, err := save(r.Context(), domain.Project{Slug: f.Slug, Name: f.Name, Website: f.Website, Summary: f.Summary})
		if err != nil {
			if isNew && domain.ErrorCode(err) == domain.ECONFLICT {
				page.Form.Errors["slug"] = "Taken a moment ago: " + domain.ErrorMessage(err) + "."
				page.Form.Errors[""] = "Nothing was saved: see the marked fields."
				site.renderAdmin(w, r, http.StatusUnprocessableEntity, page)
				return
			}
			if domain.ErrorCode(err) == domain.EINVALID {
				page.Form.Errors[""] = "Nothing was saved: " + sentence(domain.ErrorMessage(err))
				site.renderAdmin(w, r, http.StatusUnprocessableEntity, page)
				return
			}
			site.pageError(w, r, err)
			return
		}
		http.Redirect(w, r, "/p/"+saved.Slug, http.StatusSeeOther)
	})
}

// contractChain reads the chain field: an EVM chain id ("1") or a CAIP-2 id.
func contractChain(raw string) (string, string) {
	switch {
	case raw == "":
		return "", "Give the chain: an EVM chain id such as 1, or a CAIP-2 id such as eip155:1."
	case strings.Trim(raw, "0123456789") == "":
		n, err := strconv.ParseUint(raw, 10, 64)
		if err != nil || n == 0 {
			return "", "An EVM chain id is a positive whole number, such as 1."
		}
		return "eip155:" + strconv.FormatUint(n, 10), ""
	case !domain.ValidCAIP2(raw):
		return "", "Give an EVM chain id (1) or a CAIP-2 id (eip155:1, cosmos:fetchhub-4)."
	}
	return raw, ""
}

// AdminAddContract is POST /admin/projects/{slug}/contracts.
func AdminAddContract(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug := chi.URLParam(r, "slug")
		sc, err := s.Scorecard(r.Context(), slug, 0)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		if !site.readAdminForm(w, r) {
			return
		}
		get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
		cf := views.AdminContractForm{Chain: get("chain"), Address: get("address"), Role: get("role"), Label: get("label"),
			Source: get("source"), Errors: views.FieldErrors{}}
		c := domain.Contract{Role: domain.ContractRole(cf.Role), Label: cf.Label, SourceURL: cf.Source}
		var msg string
		if c.Chain, msg = contractChain(cf.Chain); msg != "" {
			cf.Errors["chain"] = msg
		}
		switch {
		case cf.Address == "":
			cf.Errors["address"] = "Give the address."
		case c.Chain != "":
			addr, err := onchain.NormalizeAddress(c.Chain, cf.Address)
			if err != nil {
				cf.Errors["address"] = sentence(domain.ErrorMessage(err))
			}
			c.Address = addr
		}
		if !c.Role.Valid() {
			cf.Errors["role"] = "Choose what the contract does."
			cf.Role = ""
		}
		if n := utf8.RuneCountInString(cf.Label); n > domain.MaxContractLabel || strings.ContainsAny(cf.Label, "\r\n") {
			cf.Errors["label"] = fmt.Sprintf("A label is one line of at most %d characters.", domain.MaxContractLabel)
		}
		if msg := checkWebURL(cf.Source); msg != "" {
			cf.Errors["source"] = msg
		}
		fail := func(general string) {
			cf.Errors[""] = general
			site.renderAdmin(w, r, http.StatusUnprocessableEntity, adminPage(sc, projectForm(sc.Project), cf))
		}
		if len(cf.Errors) > 0 {
			fail("No contract was added: see the marked fields.")
			return
		}
		added, err := s.AddContract(r.Context(), slug, c)
		if err != nil {
			switch domain.ErrorCode(err) {
			case domain.ECONFLICT:
				cf.Errors["address"] = sentence(domain.ErrorMessage(err))
				fail("No contract was added: it is already watched.")
			case domain.EINVALID:
				fail("No contract was added: " + sentence(domain.ErrorMessage(err)))
			default:
				site.pageError(w, r, err)
			}
			return
		}
		http.Redirect(w, r, "/admin/projects/"+slug+"?added="+strconv.FormatInt(added.ID, 10)+"#contracts-h", http.StatusSeeOther)
	})
}
