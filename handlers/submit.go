package handlers

import (
	"net/http"

	"github.com/deai-scorecard/scorecard/auth"
	"github.com/deai-scorecard/scorecard/domain"
)

// SubmitForm is the evidence form: GET /submit and /p/{slug}/submit?axis=….
func SubmitForm(s Store, site Site) http.Handler {
	return notYet(site)
}

// Submit stores a submission: POST /submit.
func Submit(s Store, site Site, perIP *auth.Limiter) http.Handler {
	return notYet(site)
}

// EvidencePage shows one item and its history: GET /e/{id}.
func EvidencePage(s Store, site Site) http.Handler {
	return notYet(site)
}

func notYet(site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		site.pageError(w, r, domain.Errorf(domain.ENOTFOUND, "Not built yet."))
	})
}
