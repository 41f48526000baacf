package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/handlers"
)

// routes lists every route of the site: the whole HTTP surface in one place.
func routes(r chi.Router, s handlers.Store, site handlers.Site) {
	// Pages
	r.Method(http.MethodGet, "/", handlers.Index(s, site))
	r.Method(http.MethodGet, "/p/{slug}", handlers.Project(s, site))
	r.Method(http.MethodGet, "/p/{slug}/v/{n}", handlers.Project(s, site))
	r.Method(http.MethodGet, "/compare", handlers.Compare(s, site))
	r.Method(http.MethodGet, "/changes", handlers.ChangesPage(s, site))
	r.Method(http.MethodGet, "/methodology", handlers.Methodology(site))
	r.Method(http.MethodGet, "/about", handlers.About(s, site))

	// JSON API
	r.Method(http.MethodGet, "/api/v1/projects", handlers.APIProjects(s))
	r.Method(http.MethodGet, "/api/v1/projects/{slug}", handlers.APIProject(s))
	r.Method(http.MethodGet, "/api/v1/projects/{slug}/versions/{n}", handlers.APIProject(s))
	r.Method(http.MethodGet, "/api/v1/projects/{slug}/contracts", handlers.APIContracts(s, site))
	r.Method(http.MethodGet, "/api/v1/changes", handlers.APIChanges(s))

	// Operations and assets
	r.Method(http.MethodGet, "/healthz", handlers.Health(s))
	r.Method(http.MethodGet, "/static/*", staticFiles())
	r.Method(http.MethodGet, "/favicon.ico", http.RedirectHandler("/static/favicon.svg", http.StatusMovedPermanently))

	r.NotFound(handlers.NotFound(site).ServeHTTP)
	r.MethodNotAllowed(handlers.MethodNotAllowed(site).ServeHTTP)
}
