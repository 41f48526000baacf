package handlers

import (
	"net/http"

	"github.com/deai-scorecard/scorecard/auth"
	"github.com/deai-scorecard/scorecard/domain"
)

// LoadUser puts the signed-in user (from the session cookie) in the request context.
func LoadUser(s Store) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler { return next }
}

// RequireRole lets only signed-in users with the role (admins pass any) through.
func RequireRole(role domain.Role, site Site) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler { return notYet(site) }
}

// LoginForm is GET /login.
func LoginForm(site Site) http.Handler { return notYet(site) }

// Login is POST /login.
func Login(s Store, site Site, perIP, perAccount *auth.Limiter) http.Handler { return notYet(site) }

// Logout is POST /logout.
func Logout(s Store, site Site) http.Handler { return notYet(site) }

// ReviewQueue is GET /review.
func ReviewQueue(s Store, site Site) http.Handler { return notYet(site) }

// DecideEvidence is POST /review/{id}.
func DecideEvidence(s Store, site Site) http.Handler { return notYet(site) }

// Moderation is the public log: GET /moderation?page=N.
func Moderation(s Store, site Site) http.Handler { return notYet(site) }

// AdminProjectForm is GET /admin/projects/new and /admin/projects/{slug}.
func AdminProjectForm(s Store, site Site) http.Handler { return notYet(site) }

// AdminSaveProject is POST /admin/projects/new and /admin/projects/{slug}.
func AdminSaveProject(s Store, site Site) http.Handler { return notYet(site) }

// AdminAddContract is POST /admin/projects/{slug}/contracts.
func AdminAddContract(s Store, site Site) http.Handler { return notYet(site) }
