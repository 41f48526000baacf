package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/deai-scorecard/scorecard/badges"
)

// Badge serves /badge/{slug}.svg and /badge/{slug}/{axis}.svg from memory:
// ?style=flat|flat-square|for-the-badge (anything else gives the default,
// flat) and an optional ?label= (cleaned, at most 40 characters).
// done, when set, hears of every answer: the request, its route pattern
// (BadgeRoute, BadgeAxisRoute or BadgeOtherRoute), the status and when it
// started (for metrics).
func Badge(b *badges.Cache, done func(r *http.Request, route string, status int, start time.Time)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var start time.Time
		if done != nil {
			start = time.Now()
		}
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
		status := badges.Serve(w, r, b.SVG(slug, axis, style, label), false)
		if done != nil {
			route := BadgeOtherRoute
			switch {
			case ok && axis == "":
				route = BadgeRoute
			case ok:
				route = BadgeAxisRoute
			}
			done(r, route, status, start)
		}
	})
}

// The route patterns of badge requests, as metrics label them.
const (
	BadgeRoute      = "/badge/{slug}.svg"
	BadgeAxisRoute  = "/badge/{slug}/{axis}.svg"
	BadgeOtherRoute = "/badge/*" // a path that names no badge
)

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

// badgePath reads …/badge/{slug}{ext} or …/badge/{slug}/{axis}{ext} from
// the path itself (not from the router, so the badge fast path needs no
// router): the project and the axis ("" for the stage).
func badgePath(r *http.Request, ext string) (slug, axis string, ok bool) {
	_, rest, found := strings.Cut(r.URL.Path, "/badge/")
	if !found {
		return "", "", false
	}
	rest, found = strings.CutSuffix(rest, ext)
	if !found || rest == "" {
		return "", "", false
	}
	slug, axis, _ = strings.Cut(rest, "/")
	if slug == "" || strings.Contains(axis, "/") || (axis == "" && strings.HasSuffix(rest, "/")) {
		return "", "", false
	}
	return slug, axis, true
}
