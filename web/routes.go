package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/badges"
	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/handlers"
)

// routes lists every route of the site: the whole HTTP surface in one place.
func routes(r chi.Router, s handlers.Store, site handlers.Site, lim limiters, badgeCache *badges.Cache, m *metrics) {
	// Pages
	r.Method(http.MethodGet, "/", handlers.Index(s, site))
	r.Method(http.MethodGet, "/p/{slug}", handlers.Project(s, site))
	r.Method(http.MethodGet, "/p/{slug}/v/{n}", handlers.Project(s, site))
	r.Method(http.MethodGet, "/compare", handlers.Compare(s, site))
	r.Method(http.MethodGet, "/changes", handlers.ChangesPage(s, site))
	r.Method(http.MethodGet, "/methodology", handlers.Methodology(site))
	r.Method(http.MethodGet, "/about", handlers.About(s, site))

	// Contributions, open to anyone; moderation in public
	r.Method(http.MethodGet, "/submit", handlers.SubmitForm(s, site))
	r.Method(http.MethodGet, "/p/{slug}/submit", handlers.SubmitForm(s, site))
	r.Method(http.MethodPost, "/submit", handlers.Submit(s, site, lim.submit))
	r.Method(http.MethodGet, "/e/{id}", handlers.EvidencePage(s, site))
	r.Method(http.MethodGet, "/moderation", handlers.Moderation(s, site))

	// Reviewers and admins
	r.Method(http.MethodGet, "/login", handlers.LoginForm(site))
	r.Method(http.MethodPost, "/login", handlers.Login(s, site, lim.loginIP, lim.loginAccount))
	r.Method(http.MethodPost, "/logout", handlers.Logout(s, site))
	r.Group(func(r chi.Router) {
		r.Use(handlers.RequireRole(domain.RoleReviewer, site))
		r.Method(http.MethodGet, "/review", handlers.ReviewQueue(s, site))
		r.Method(http.MethodPost, "/review/{id}", handlers.DecideEvidence(s, site))
	})
	r.Group(func(r chi.Router) {
		r.Use(handlers.RequireRole(domain.RoleAdmin, site))
		r.Method(http.MethodGet, "/admin/projects/new", handlers.AdminProjectForm(s, site))
		r.Method(http.MethodPost, "/admin/projects/new", handlers.AdminSaveProject(s, site))
		r.Method(http.MethodGet, "/admin/projects/{slug}", handlers.AdminProjectForm(s, site))
		r.Method(http.MethodPost, "/admin/projects/{slug}", handlers.AdminSaveProject(s, site))
		r.Method(http.MethodPost, "/admin/projects/{slug}/contracts", handlers.AdminAddContract(s, site))
	})

	// For journalists and tools: badges, embeds, feeds
	// Badges: NewServer answers /badge/ on a lean path of its own before this
	// router; the routes stay here so the list is complete and correct.
	r.Method(http.MethodGet, "/badge/{file}", handlers.Badge(badgeCache, nil))
	r.Method(http.MethodGet, "/badge/{slug}/{file}", handlers.Badge(badgeCache, nil))
	r.Method(http.MethodGet, "/embed/{slug}", handlers.Embed(s, site))
	r.Method(http.MethodGet, "/embed/{slug}/v/{n}", handlers.Embed(s, site))
	r.Method(http.MethodGet, "/oembed", handlers.OEmbed(s, site))
	r.Method(http.MethodGet, "/feed.atom", handlers.Feed(s, site))

	// JSON API
	r.Method(http.MethodGet, "/api/v1/projects", handlers.APIProjects(s))
	r.Method(http.MethodGet, "/api/v1/projects/{slug}", handlers.APIProject(s))
	r.Method(http.MethodGet, "/api/v1/projects/{slug}/versions", handlers.APIVersions(s))
	r.Method(http.MethodGet, "/api/v1/projects/{slug}/versions/{n}", handlers.APIProject(s))
	r.Method(http.MethodGet, "/api/v1/projects/{slug}/contracts", handlers.APIContracts(s, site))
	r.Method(http.MethodGet, "/api/v1/changes", handlers.APIChanges(s))
	r.Method(http.MethodGet, "/api/v1/badge/{file}", handlers.BadgeJSON(badgeCache))
	r.Method(http.MethodGet, "/api/v1/badge/{slug}/{file}", handlers.BadgeJSON(badgeCache))
	r.Method(http.MethodGet, "/api/v1/dataset.json", handlers.DatasetJSON(s, site))
	r.Method(http.MethodGet, "/api/v1/dataset.csv", handlers.DatasetCSV(s, site))
	r.Method(http.MethodGet, "/api/v1/openapi.json", handlers.OpenAPI())

	// Operations and assets
	r.Method(http.MethodGet, "/healthz", handlers.Health(s))
	r.Method(http.MethodGet, "/metrics", m.handler())
	r.Method(http.MethodGet, "/static/*", staticFiles())
	r.Method(http.MethodGet, "/favicon.ico", http.RedirectHandler("/static/favicon.svg", http.StatusMovedPermanently))

	r.NotFound(handlers.NotFound(site).ServeHTTP)
	r.MethodNotAllowed(handlers.MethodNotAllowed(site).ServeHTTP)
}
