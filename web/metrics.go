package web

import (
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/deai-scorecard/scorecard/handlers"
)

// Badge cache results, the values of the result label of
// scorecard_badge_requests_total.
const (
	BadgeHit         = "hit"
	BadgeMiss        = "miss"
	BadgeNotModified = "not_modified"
)

// BadgeRecorder is what the badge handlers may call to count cache hits.
// The badges package cannot import web, so it declares the same one-method
// interface itself; the server's metrics satisfy it.
type BadgeRecorder interface {
	BadgeRequest(result string) // BadgeHit, BadgeMiss or BadgeNotModified
}

// metrics are one server's Prometheus metrics, in a private registry so
// that many servers (tests) can live in one process.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	badges   *prometheus.CounterVec
	rechecks *prometheus.CounterVec

	badgeHit, badgeMiss, badgeNotModified prometheus.Counter
	badgeObs                              [3 * 2 * 5]atomic.Pointer[badgeObservers] // route × method × status class
}

var _ BadgeRecorder = (*metrics)(nil)

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scorecard_http_requests_total",
			Help: "HTTP requests by route pattern, method and status class.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "scorecard_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern, method and status class.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method", "status"}),
		badges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scorecard_badge_requests_total",
			Help: "Badge requests by cache result: hit, miss or not_modified.",
		}, []string{"result"}),
		rechecks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scorecard_recheck_runs_total",
			Help: "On-chain re-check runs by chain and outcome.",
		}, []string{"chain", "outcome"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.badges, m.rechecks,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.badgeHit = m.badges.WithLabelValues(BadgeHit)
	m.badgeMiss = m.badges.WithLabelValues(BadgeMiss)
	m.badgeNotModified = m.badges.WithLabelValues(BadgeNotModified)
	return m
}

// BadgeRequest counts one badge request by its cache result.
func (m *metrics) BadgeRequest(result string) {
	switch result {
	case BadgeHit, BadgeMiss, BadgeNotModified:
	default:
		result = "other"
	}
	m.badges.WithLabelValues(result).Inc()
}

// RecheckRun counts one on-chain re-check run of a chain; outcome is e.g.
// "ok" or "error".
func (m *metrics) RecheckRun(chain, outcome string) {
	m.rechecks.WithLabelValues(chain, outcome).Inc()
}

// observe counts every request by chi route pattern, never the raw path
// (so that label values stay few), times it, and logs a line for it: one
// response wrapper for both. It must run inside the chi router.
func (m *metrics) observe(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			defer func() {
				took := time.Since(start)
				route := "unmatched"
				if rc := chi.RouteContext(r.Context()); rc != nil {
					if p := rc.RoutePattern(); p != "" {
						route = p
					}
				}
				status := ww.Status()
				if status == 0 {
					status = http.StatusOK
				}
				labels := []string{route, methodLabel(r.Method), strconv.Itoa(status/100) + "xx"}
				m.requests.WithLabelValues(labels...).Inc()
				m.latency.WithLabelValues(labels...).Observe(took.Seconds())
				logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
					slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.Int("status", status), slog.Int("bytes", ww.BytesWritten()),
					slog.Duration("took", took), slog.String("remote", r.RemoteAddr))
			}()
			next.ServeHTTP(ww, r)
		})
	}
}

func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// handler serves /metrics from this server's registry.
func (m *metrics) handler() http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// cors lets any origin read the public API and badges: simple GETs get
// Access-Control-Allow-Origin: *, and a preflight (a script's GET with
// headers of its own) is answered for GET and HEAD. No credentials are
// ever allowed, so echoing the requested headers is safe.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isPublicReadPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		switch {
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			w.Header().Set("Access-Control-Allow-Origin", "*")
		case r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "":
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Allow-Methods", "GET, HEAD")
			if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" && len(rh) <= 1024 {
				h.Set("Access-Control-Allow-Headers", rh)
			}
			h.Set("Access-Control-Max-Age", "86400")
			h.Add("Vary", "Access-Control-Request-Headers")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func isPublicReadPath(p string) bool {
	return len(p) >= 5 && p[:5] == "/api/" || len(p) >= 7 && p[:7] == "/badge/"
}

// badgeObservers are the request counter and latency histogram of one
// badge route, method and status class. Badges skip the router and its
// metrics middleware and must stay cheap, so each is looked up once, on
// its first request (a series appears when it has something to show).
type badgeObservers struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

var (
	badgeRoutes  = []string{handlers.BadgeRoute, handlers.BadgeAxisRoute, handlers.BadgeOtherRoute}
	badgeMethods = []string{http.MethodGet, http.MethodHead}
	badgeClasses = []string{"1xx", "2xx", "3xx", "4xx", "5xx"}
)

func (m *metrics) badgeObservers(route, method, class int) *badgeObservers {
	slot := &m.badgeObs[(route*len(badgeMethods)+method)*len(badgeClasses)+class]
	if o := slot.Load(); o != nil {
		return o
	}
	labels := []string{badgeRoutes[route], badgeMethods[method], badgeClasses[class]}
	o := &badgeObservers{m.requests.WithLabelValues(labels...), m.latency.WithLabelValues(labels...)}
	slot.Store(o) // a racing request stores the same series
	return o
}

// badgeDone records a badge answer: as a request of its route pattern,
// and by cache outcome: served from the cache (hit), not found (miss) or
// not modified.
func (m *metrics) badgeDone(r *http.Request, route string, status int, start time.Time) {
	switch status {
	case http.StatusNotModified:
		m.badgeNotModified.Inc()
	case http.StatusOK:
		m.badgeHit.Inc()
	default:
		m.badgeMiss.Inc()
	}
	i := 2
	switch route {
	case handlers.BadgeRoute:
		i = 0
	case handlers.BadgeAxisRoute:
		i = 1
	}
	j := 0
	if r.Method == http.MethodHead {
		j = 1
	}
	k := min(max(status/100, 1), 5) - 1
	o := m.badgeObservers(i, j, k)
	o.requests.Inc()
	o.latency.Observe(time.Since(start).Seconds())
}
