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
		// A miss is rendered into memory first, so that even the first
		// answer carries its ETag (a browser can revalidate it, and a
		// client that kept the page from before a restart gets 304).
		rec := &recorder{w: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.streaming {
			return // too large to hold: it went out as written
		}
		h := w.Header()
		keep := rec.status == http.StatusOK && len(h.Values("Set-Cookie")) == 0
		if cc := h.Get("Cache-Control"); strings.Contains(cc, "no-store") || strings.Contains(cc, "private") {
			keep = false
		}
		if !keep {
			rec.send()
			return
		}
		var patterns []string
		if rc := chi.RouteContext(r.Context()); rc != nil {
			patterns = slices.Clone(rc.RoutePatterns)
		}
		// The stored body is whole: declare its length, so that it goes
		// out in one piece rather than chunked (fewer writes for both ends).
		body := rec.buf.Bytes()
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
		etag := h.Get("Etag") // the handler's own, else one from the body
		if etag == "" {
			sum := sha256.Sum256(body)
			etag = `"p-` + hex.EncodeToString(sum[:12]) + `"`
			h["Etag"] = []string{etag}
		}
		c.store(key, version, &cachedPage{status: rec.status, header: h.Clone(), body: bytes.Clone(body), etag: etag, patterns: patterns})
		if inm := r.Header["If-None-Match"]; len(inm) > 0 && badges.NoneMatch(inm, etag) {
			// As from the cache: no header that describes a body.
			for _, k := range []string{"Content-Length", "Content-Type", "Content-Encoding"} {
				delete(h, k)
			}
			w.WriteHeader(http.StatusNotModified)
			return
		}
		rec.send()
	})
}

// store keeps a rendered page, unless the data changed while it was
// rendered.
func (c *pageCache) store(key string, version int64, e *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return
	}
	if len(c.entries) >= maxCachedPages || c.bytes+len(e.body) > maxCacheBytes {
		c.entries, c.bytes = map[string]*cachedPage{}, 0
	}
	c.entries[key] = e
	c.bytes += len(e.body)
}

// recorder holds a response in memory (status and body; the headers are
// the real writer's) until the cache has looked at it. A body past
// maxCachedPage turns it into a pass-through: what it holds goes out, and
// the rest streams.
type recorder struct {
	w         http.ResponseWriter
	status    int
	wrote     bool
	buf       bytes.Buffer
	streaming bool
}

func (r *recorder) Header() http.Header { return r.w.Header() }

func (r *recorder) WriteHeader(status int) {
	if r.streaming || r.wrote {
		return
	}
	if status >= 100 && status < 200 {
		r.w.WriteHeader(status) // informational: goes out at once, the final status comes later
		return
	}
	r.status, r.wrote = status, true
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.streaming {
		return r.w.Write(b)
	}
	r.wrote = true
	if r.buf.Len()+len(b) > maxCachedPage {
		if err := r.stream(); err != nil {
			return 0, err
		}
		return r.w.Write(b)
	}
	return r.buf.Write(b)
}

// stream sends what is held and passes the rest through.
func (r *recorder) stream() error {
	if r.streaming {
		return nil
	}
	r.streaming = true
	r.w.WriteHeader(r.status)
	_, err := r.w.Write(r.buf.Bytes())
	r.buf = bytes.Buffer{}
	return err
}

// send writes the held response.
func (r *recorder) send() {
	r.streaming = true
	r.w.WriteHeader(r.status)
	r.w.Write(r.buf.Bytes())
}

// Flush passes through once the response streams; while it is held, a
// flush is a no-op (templ flushes at the end of every render, and a page
// held whole goes out at once anyway).
func (r *recorder) Flush() {
	if r.streaming {
		http.NewResponseController(r.w).Flush()
	}
}
