package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/badges"
	"github.com/deai-scorecard/scorecard/handlers"
)

// pageCache keeps the pages anonymous visitors get, rendered and
// compressed, until the database changes: a scorecard is read far more
// often than it changes. A page is served from memory when no session
// cookie is sent. The store's stamp, read on every request, drops every
// entry at once after this process's commits, and within a second after
// other processes' (such as a `scorecard import` beside the server).
type pageCache struct {
	stamp      func(context.Context) int64
	trustProto bool // links follow X-Forwarded-Proto (--trust-proxy)
	mu         sync.RWMutex
	version    int64
	entries    map[string]*cachedPage
	bytes      int
}

type cachedPage struct {
	status   int
	header   http.Header
	body     []byte
	etag     string   // strong, from the body: a revalidating client gets 304
	patterns []string // chi's route patterns, so metrics label a hit by its route
}

const (
	maxCachedPage  = 2 << 20  // larger pages are not kept
	maxCacheBytes  = 64 << 20 // the whole cache; past it, start over
	maxCachedPages = 5000
)

// stamper is what the page cache needs from the store (*store.DB).
type stamper interface {
	Stamp(ctx context.Context) int64
}

func newPageCache(s stamper, trustProto bool) *pageCache {
	return &pageCache{stamp: s.Stamp, trustProto: trustProto, entries: map[string]*cachedPage{}}
}

// cacheable says whether a request may be answered from the cache.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if _, err := r.Cookie(handlers.SessionCookie); err == nil {
		return false // a signed-in page shows who is signed in
	}
	p := r.URL.Path
	return !strings.HasPrefix(p, "/static/") && !strings.HasPrefix(p, "/badge/") && p != "/healthz" && p != "/metrics"
}

func (c *pageCache) reset(version int64) {
	c.mu.Lock()
	c.entries = map[string]*cachedPage{}
	c.bytes = 0
	c.version = version
	c.mu.Unlock()
}

// current returns the stamp of the data the cache holds pages for,
// dropping them all when the store's stamp has moved.
func (c *pageCache) current(ctx context.Context) int64 {
	v := c.stamp(ctx)
	c.mu.RLock()
	same := v == c.version
	c.mu.RUnlock()
	if !same {
		c.reset(v)
	}
	return v
}

func (c *pageCache) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		version := c.current(r.Context())
		// Pages hold absolute links made from the host (and, behind a
		// trusted proxy, the forwarded scheme): both are in the key.
		proto := ""
		if c.trustProto {
			proto = r.Header.Get("X-Forwarded-Proto")
		}
		key := r.Method + " " + r.Host + " " + proto + " " + r.URL.RequestURI() + " " + r.Header.Get("Accept-Encoding")
		c.mu.RLock()
		e := c.entries[key]
		c.mu.RUnlock()
		if e != nil {
			if rc := chi.RouteContext(r.Context()); rc != nil {
				rc.RoutePatterns = e.patterns
			}
			h := w.Header()
			if inm := r.Header["If-None-Match"]; len(inm) > 0 && badges.NoneMatch(inm, e.etag) {
				// What a 304 must repeat of the 200 (RFC 9110 §15.4.5).
				h["Etag"] = e.header["Etag"]
				h["Vary"] = e.header["Vary"]
				if cc, ok := e.header["Cache-Control"]; ok {
					h["Cache-Control"] = cc
				}
				w.WriteHeader(http.StatusNotModified)
				return
			}
			for k, v := range e.header {
				h[k] = v
			}
			w.WriteHeader(e.status)
			w.Write(e.body)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status != http.StatusOK || rec.overflow || len(rec.Header().Values("Set-Cookie")) > 0 {
			return
		}
		if cc := rec.Header().Get("Cache-Control"); strings.Contains(cc, "no-store") || strings.Contains(cc, "private") {
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.version != version {
			return // the data changed while this page was rendered
		}
		if len(c.entries) >= maxCachedPages || c.bytes+rec.buf.Len() > maxCacheBytes {
			c.entries, c.bytes = map[string]*cachedPage{}, 0
		}
		var patterns []string
		if rc := chi.RouteContext(r.Context()); rc != nil {
			patterns = slices.Clone(rc.RoutePatterns)
		}
		header := rec.Header().Clone()
		// The stored body is whole: declare its length, so a hit goes out
		// in one piece rather than chunked (fewer writes for both ends).
		header["Content-Length"] = []string{strconv.Itoa(rec.buf.Len())}
		sum := sha256.Sum256(rec.buf.Bytes())
		etag := `"p-` + hex.EncodeToString(sum[:12]) + `"`
		if header.Get("Etag") == "" {
			header["Etag"] = []string{etag}
		} else {
			etag = header.Get("Etag") // the handler's own
		}
		c.entries[key] = &cachedPage{status: rec.status, header: header, body: bytes.Clone(rec.buf.Bytes()), etag: etag, patterns: patterns}
		c.bytes += rec.buf.Len()
	})
}

// recorder passes a response through and keeps a copy of its body.
type recorder struct {
	http.ResponseWriter
	status   int
	wrote    bool
	buf      bytes.Buffer
	overflow bool
}

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	if !r.overflow {
		if r.buf.Len()+len(b) > maxCachedPage {
			r.overflow = true
			r.buf.Reset()
		} else {
			r.buf.Write(b)
		}
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
