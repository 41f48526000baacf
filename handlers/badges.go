package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/badges"
)

// Badge serves /badge/{slug}.svg and /badge/{slug}/{axis}.svg from memory:
// ?style=flat|flat-square|for-the-badge (anything else gives the default,
// flat) and an optional ?label= (cleaned, at most 40 characters).
func Badge(b *badges.Cache) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug, axis, ok := badgePath(r, ".svg")
		style, label := badges.Flat, ""
		if r.URL.RawQuery != "" {
			q, _ := url.ParseQuery(r.URL.RawQuery)
			style, _ = badges.ParseStyle(q.Get("style"))
			label = badges.CleanLabel(q.Get("label"))
		}
		if !ok {
			slug = "" // no project has an empty slug: a not-found badge
		}
		badges.Serve(w, r, b.SVG(slug, axis, style, label), false)
	})
}

// BadgeJSON is the shields.io endpoint JSON: /api/v1/badge/{slug}.json and /api/v1/badge/{slug}/{axis}.json.
func BadgeJSON(b *badges.Cache) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug, axis, ok := badgePath(r, ".json")
		if !ok {
			slug = ""
		}
		badges.Serve(w, r, b.JSON(slug, axis), true)
	})
}

// badgePath reads {slug}/{file} or {file} (slug + ext): the project and the
// axis ("" for the stage).
func badgePath(r *http.Request, ext string) (slug, axis string, ok bool) {
	file := chi.URLParam(r, "file")
	name, found := strings.CutSuffix(file, ext)
	if !found || name == "" {
		return "", "", false
	}
	if s := chi.URLParam(r, "slug"); s != "" {
		return s, name, true
	}
	return name, "", true
}
