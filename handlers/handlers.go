// Package handlers turns HTTP requests into pages and JSON: one file per
// area, each handler a constructor that takes its dependencies and returns
// an http.Handler. Handlers read the request, ask the store, build view
// models and render; scoring rules live in scorers, SQL in store.
//
// handlers imports domain, scorers, store (for its result types) and views;
// never web or cmd.
package handlers

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/seed"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/views"
	"github.com/go-chi/chi/v5"
)

// Store is what the handlers need from storage. *store.DB implements it;
// another database can, too.
type Store interface {
	Summaries(ctx context.Context) ([]domain.Summary, error)
	Project(ctx context.Context, slug string) (domain.Project, error)
	Scorecard(ctx context.Context, slug string, version int) (domain.Scorecard, error)
	Versions(ctx context.Context, projectID int64) ([]domain.ScorecardVersion, error)
	Count(ctx context.Context) (store.Counts, error)
	ContractFacts(ctx context.Context, projectID int64) ([]domain.ContractFacts, error)
	Changes(ctx context.Context, slug string, limit int) ([]domain.ChangeEvent, error)
	Ping(ctx context.Context) error

	// Contributions and moderation
	SubmitEvidence(ctx context.Context, slug string, e domain.Evidence) (domain.Evidence, error)
	EvidenceByID(ctx context.Context, id int64) (store.EvidenceItem, error)
	EvidenceHistory(ctx context.Context, id int64) ([]domain.ModerationEntry, error)
	PendingEvidence(ctx context.Context) ([]store.EvidenceItem, error)
	Decide(ctx context.Context, id int64, d domain.Decision, reviewer, note string, change *store.LevelChange) (int, error)
	ModerationLog(ctx context.Context, page, perPage int) ([]domain.ModerationEntry, int, error)
	VersionLevels(ctx context.Context, projectID int64) (map[int]map[domain.Axis]domain.MaybeLevel, error)

	// Reviewers and admins
	UserByName(ctx context.Context, name string) (domain.User, error)
	CreateSession(ctx context.Context, userID int64, tokenHash string, expires time.Time) error
	SessionUser(ctx context.Context, tokenHash string) (domain.User, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	SaveProject(ctx context.Context, p domain.Project) (domain.Project, error)
	CreateProject(ctx context.Context, p domain.Project) (domain.Project, error)
	AddContract(ctx context.Context, slug string, c domain.Contract) (domain.Contract, error)
}

type userKey struct{}

// WithUser returns a context carrying the signed-in user.
func WithUser(ctx context.Context, u domain.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the signed-in user, if any.
func UserFrom(ctx context.Context) (domain.User, bool) {
	u, ok := ctx.Value(userKey{}).(domain.User)
	return u, ok
}

var _ Store = (*store.DB)(nil)

// Site is what every page shows about the site itself.
type Site struct {
	Methodology string // methodology version in force
	SourcedAsOf string // when the seed dataset was sourced
	Paper       Paper
	DatasetNote string
	Audited     string
	// CheckedChains are the chains with a configured RPC endpoint; when
	// empty, pages say that on-chain checks are not configured.
	CheckedChains []string
}

// Paper is the paper the About page cites.
type Paper struct {
	Title, Author, URL, DOI string
	Year                    int
}

func (s Site) meta(r *http.Request, title, desc string) views.Meta {
	m := views.Meta{Title: title, Description: desc, Path: r.URL.Path, URL: absoluteURL(r, r.URL.Path), Methodology: s.Methodology, SourcedAsOf: s.SourcedAsOf}
	if u, ok := UserFrom(r.Context()); ok {
		m.User, m.Role = u.Name, string(u.Role)
	}
	return m
}

// render writes a templ component as an HTML page with the given status.
func render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := c.Render(r.Context(), w); err != nil {
		slog.ErrorContext(r.Context(), "render", "path", r.URL.Path, "err", err)
	}
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// statusOf maps an application error code to an HTTP status: the one
// place that does.
func statusOf(err error) int {
	switch domain.ErrorCode(err) {
	case domain.ENOTFOUND:
		return http.StatusNotFound
	case domain.EINVALID:
		return http.StatusBadRequest
	case domain.ECONFLICT:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// logIfInternal logs errors the user will only see as "Internal error.".
func logIfInternal(r *http.Request, err error) {
	if domain.ErrorCode(err) == domain.EINTERNAL {
		slog.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// pageError renders an error page for err.
func (s Site) pageError(w http.ResponseWriter, r *http.Request, err error) {
	logIfInternal(r, err)
	status := statusOf(err)
	title := "Something went wrong"
	switch status {
	case http.StatusNotFound:
		title = "Page not found"
	case http.StatusBadRequest:
		title = "Bad request"
	}
	render(w, r, status, views.Error(s.meta(r, title, ""), views.ErrorPage{Status: status, Title: title, Message: domain.ErrorMessage(err)}))
}

// apiError answers a JSON error: {"error": "..."}.
func apiError(w http.ResponseWriter, r *http.Request, err error) {
	logIfInternal(r, err)
	writeJSON(w, statusOf(err), map[string]string{"error": domain.ErrorMessage(err)})
}

// NotFound is the 404 page: JSON under /api/, HTML elsewhere.
func NotFound(site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := domain.Errorf(domain.ENOTFOUND, "There is nothing at %s.", r.URL.Path)
		if isAPI(r) {
			apiError(w, r, err)
			return
		}
		site.pageError(w, r, err)
	})
}

// MethodNotAllowed answers 405 in the same two forms, with the Allow
// header RFC 9110 asks for.
func MethodNotAllowed(site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if allow := allowedMethods(r); allow != "" {
			w.Header().Set("Allow", allow)
		}
		msg := "Method " + r.Method + " is not allowed here."
		if isAPI(r) {
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": msg})
			return
		}
		render(w, r, http.StatusMethodNotAllowed, views.Error(site.meta(r, "Method not allowed", ""), views.ErrorPage{Status: 405, Title: "Method not allowed", Message: msg}))
	})
}

// allowedMethods lists the methods the router has for the request's path
// (HEAD wherever GET is: GETs answer HEAD too).
func allowedMethods(r *http.Request) string {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.Routes == nil {
		return ""
	}
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if rctx.Routes.Match(chi.NewRouteContext(), m, r.URL.Path) || m == http.MethodHead && slices.Contains(allow, http.MethodGet) {
			allow = append(allow, m)
		}
	}
	return strings.Join(allow, ", ")
}

func isAPI(r *http.Request) bool {
	return len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/"
}

// Health answers 200 when the database answers.
func Health(s Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if err := s.Ping(r.Context()); err != nil {
			slog.ErrorContext(r.Context(), "health check", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "database unavailable"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// SiteFromSeed describes the site from the embedded dataset: the
// methodology in force, when the evidence was sourced, the paper.
func SiteFromSeed() (Site, error) {
	d, _, err := seed.Embedded()
	if err != nil {
		return Site{}, err
	}
	return Site{
		Methodology: scorers.MethodologyVersion, SourcedAsOf: d.SourcedAsOf, DatasetNote: d.About, Audited: d.Audited,
		Paper: Paper{Title: d.Paper.Title, Author: d.Paper.Author, Year: d.Paper.Year, URL: d.Paper.URL, DOI: d.Paper.DOI},
	}, nil
}
