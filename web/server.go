// Package web is the HTTP server: the router (chi), middleware (security
// headers, request logging, panic recovery, CSRF protection), static files
// and the wiring of handlers. Every route is listed in routes.go.
//
// web imports handlers and static; handlers never import web.
package web

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/deai-scorecard/scorecard/auth"
	"github.com/deai-scorecard/scorecard/badges"
	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/onchain"
	"github.com/deai-scorecard/scorecard/static"
)

// Option changes how NewServer builds the site.
type Option func(*options)

type options struct {
	trustProxy bool
	baseURL    string
	checker    *onchain.Checker
	badgeAge   [2]int // max-age and s-maxage of badges, seconds; zero: the defaults
	badgeSet   bool
}

// BadgeCacheControl sets the max-age and s-maxage (in seconds) that badges
// and the shields endpoint JSON are served with; the defaults are 300 and
// 3600.
func BadgeCacheControl(maxAge, sMaxAge int) Option {
	return func(o *options) { o.badgeAge, o.badgeSet = [2]int{maxAge, sMaxAge}, true }
}

// BaseURL is the site's public address (checked by handlers.ParseBaseURL),
// which absolute links (permalinks, citations, embeds, oEmbed, the feed)
// start with; without it they use the request's Host header.
func BaseURL(u string) Option { return func(o *options) { o.baseURL = u } }

// CountRechecks counts the checker's runs in /metrics. Apply it before
// the checker's first run.
func CountRechecks(c *onchain.Checker) Option { return func(o *options) { o.checker = c } }

// TrustProxyHeaders takes the client address from X-Real-IP or
// X-Forwarded-For, and the scheme of absolute links from
// X-Forwarded-Proto. Use it only behind a proxy that sets those headers:
// otherwise any client could pick its own address and slip past the
// per-IP limits.
func TrustProxyHeaders() Option { return func(o *options) { o.trustProxy = true } }

// NewServer builds the whole site as one http.Handler.
func NewServer(logger *slog.Logger, s handlers.Store, site handlers.Site, opts ...Option) http.Handler {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	r := chi.NewRouter()
	m := newMetrics()
	if o.checker != nil {
		o.checker.OnRun = func(chain string, ok bool) {
			outcome := "ok"
			if !ok {
				outcome = "error"
			}
			m.RecheckRun(chain, outcome)
		}
	}
	if o.trustProxy {
		r.Use(middleware.RealIP)
	}
	if o.baseURL != "" || o.trustProxy {
		// Without either, links follow the request as they are (no
		// per-request work).
		r.Use(handlers.Origin(o.baseURL, o.trustProxy))
	}
	r.Use(m.observe(logger))
	r.Use(recoverer(logger))
	r.Use(securityHeaders)
	r.Use(cors)
	r.Use(http.NewCrossOriginProtection().Handler)
	r.Use(middleware.GetHead)
	r.Use(middleware.RedirectSlashes)
	if st, ok := s.(stamper); ok {
		r.Use(newPageCache(st, o.trustProxy).middleware)
	}
	r.Use(varyEncoding)
	r.Use(middleware.Compress(5, compressible...))
	r.Use(handlers.LoadUser(s))
	var badgeOpts []func(*badges.Cache)
	if o.badgeSet {
		badgeOpts = append(badgeOpts, func(c *badges.Cache) { c.MaxAge, c.SMaxAge = o.badgeAge[0], o.badgeAge[1] })
	}
	badgeCache := badges.New(s, badgeOpts...)
	routes(r, s, site, newLimiters(), badgeCache, m)

	// Badges are the hottest path (journalists' pages load them on every
	// view) and need none of the page machinery: no session, no CSRF check,
	// no compression middleware (the cache holds gzip copies), no log line.
	// The handler reads its path itself, so no router either. (net/http
	// recovers a panicking handler's connection.)
	fast := badgeHeaders(handlers.Badge(badgeCache, m.badgeDone))
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasPrefix(req.URL.Path, "/badge/") && (req.Method == http.MethodGet || req.Method == http.MethodHead) {
			fast.ServeHTTP(w, req)
			return
		}
		r.ServeHTTP(w, req)
	})
}

// compressible are the content types sent gzip-encoded to clients that
// take it.
var compressible = []string{"text/html", "text/css", "application/json", "image/svg+xml"}

// varyEncoding adds "Vary: Accept-Encoding" to the identity responses of
// compressible types too (chi's Compress adds it only to the responses it
// encodes), so a shared cache never hands a stored identity copy of a
// page to a client that asked for gzip, or the reverse.
func varyEncoding(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&varyWriter{ResponseWriter: w}, r)
	})
}

type varyWriter struct {
	http.ResponseWriter
	wrote bool
}

func (v *varyWriter) WriteHeader(status int) {
	if !v.wrote {
		v.wrote = true
		h := v.Header()
		ct, _, _ := strings.Cut(h.Get("Content-Type"), ";")
		if slices.Contains(compressible, strings.TrimSpace(ct)) && !slices.ContainsFunc(h.Values("Vary"), func(s string) bool {
			return strings.Contains(strings.ToLower(s), "accept-encoding")
		}) {
			h.Add("Vary", "Accept-Encoding")
		}
	}
	v.ResponseWriter.WriteHeader(status)
}

func (v *varyWriter) Write(b []byte) (int, error) {
	if !v.wrote {
		v.WriteHeader(http.StatusOK)
	}
	return v.ResponseWriter.Write(b)
}

// Flush lets a streaming handler flush through the wrapper.
func (v *varyWriter) Flush() {
	if !v.wrote {
		v.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(v.ResponseWriter).Flush()
}

func (v *varyWriter) Unwrap() http.ResponseWriter { return v.ResponseWriter }

// limiters are the per-IP and per-account throttles, shared by all requests.
type limiters struct {
	submit       *auth.Limiter // evidence submissions per IP
	loginIP      *auth.Limiter // failed logins per IP
	loginAccount *auth.Limiter // failed logins per account
}

func newLimiters() limiters {
	return limiters{
		submit:       auth.NewLimiter(6*time.Second, 10), // bursts of 10, then 10 a minute
		loginIP:      auth.NewLimiter(time.Minute, 10),   // 10 failures, then one a minute
		loginAccount: auth.NewLimiter(time.Minute, 10),
	}
}

// Security header values, built once: the middleware puts these slices in
// each response's header map without allocating. Each slice is full, so
// an Add elsewhere copies rather than writes into it.
var (
	hCSP       = []string{"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"}
	hNosniff   = []string{"nosniff"}
	hReferrer  = []string{"strict-origin-when-cross-origin"}
	hFrameDeny = []string{"DENY"}
	hCOOP      = []string{"same-origin"}
	// hCORPCrossOrigin lets any site embed a badge, isolated or not.
	hCORPCrossOrigin = []string{"cross-origin"}
	hPermissions     = []string{"camera=(), microphone=(), geolocation=(), interest-cohort=()"}
)

// hBadgeCSP is the policy of an SVG badge: it loads nothing and runs
// nothing, and may not be framed.
var hBadgeCSP = []string{"default-src 'none'; frame-ancestors 'none'"}

// badgeHeaders are the security headers of a badge: the policy (an SVG
// that loads and runs nothing), nosniff, and Cross-Origin-Resource-Policy
// so that pages that are cross-origin isolated (COEP require-corp) can
// show it too. The document-only headers (X-Frame-Options, COOP,
// Permissions-Policy, and Referrer-Policy, which governs the requests a
// document makes: a badge makes none) would only add bytes, and header
// keys, to the hottest responses.
func badgeHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = hBadgeCSP
		h["Cross-Origin-Resource-Policy"] = hCORPCrossOrigin
		next.ServeHTTP(w, r) // badges.Serve sets nosniff itself
	})
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = hCSP
		h["X-Content-Type-Options"] = hNosniff
		h["Referrer-Policy"] = hReferrer
		h["X-Frame-Options"] = hFrameDeny
		h["Cross-Origin-Opener-Policy"] = hCOOP
		h["Permissions-Policy"] = hPermissions
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a logged 500 with no internals shown.
func recoverer(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					logger.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "panic", v)
					http.Error(w, "Internal error.", http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// staticFiles serves the embedded static tree with a cache lifetime.
func staticFiles() http.Handler {
	fs := http.StripPrefix("/static/", http.FileServerFS(static.Files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fs.ServeHTTP(w, r)
	})
}
