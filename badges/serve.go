package badges

import (
	"net/http"
	"strconv"
	"strings"
)

// Header values shared by every response; never appended to in place
// (each slice is full, so an Add elsewhere copies it).
var (
	hSVG   = []string{"image/svg+xml; charset=utf-8"}
	hJSON  = []string{"application/json; charset=utf-8"}
	hStar  = []string{"*"}
	hVary  = []string{"Accept-Encoding"}
	hGzip  = []string{"gzip"}
	hNoCT  = []string{"nosniff"}
	lenStr lengthTable
)

// inlineBody is the most net/http buffers before it would send a body
// chunked (its bufferBeforeChunkingSize).
const inlineBody = 2048

// lengthTable caches Content-Length strings for small bodies.
type lengthTable [4096][]string

func init() {
	for i := range lenStr {
		lenStr[i] = []string{strconv.Itoa(i)}
	}
}

func contentLength(n int) []string {
	if n < len(lenStr) {
		return lenStr[n]
	}
	return []string{strconv.Itoa(n)}
}

// Serve writes e as an SVG (json false) or JSON response: the gzip body
// when the client takes it, 304 when If-None-Match matches, CORS open. It
// returns the status it answered with.
func Serve(w http.ResponseWriter, r *http.Request, e *Entry, json bool) int {
	h := w.Header()
	body, etag := e.Body, e.etag
	if e.GzBody != nil {
		h["Vary"] = hVary
		if acceptsGzip(r.Header["Accept-Encoding"]) {
			body, etag = e.GzBody, e.gzETag
		}
	}
	h["Etag"] = etag
	h["Cache-Control"] = e.cacheCtl
	h["Access-Control-Allow-Origin"] = hStar
	h["X-Content-Type-Options"] = hNoCT
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && e.Status == http.StatusOK && NoneMatch(inm, etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	if json {
		h["Content-Type"] = hJSON
	} else {
		h["Content-Type"] = hSVG
	}
	if len(body) != len(e.Body) {
		h["Content-Encoding"] = hGzip
	}
	// net/http works out Content-Length itself for a body it holds whole
	// (up to 2 KiB) when the handler returns; setting it here only for
	// HEAD and larger bodies keeps the header map within 8 keys, which
	// Go keeps in one small group rather than a grown table.
	if r.Method == http.MethodHead || len(body) > inlineBody {
		h["Content-Length"] = contentLength(len(body))
	}
	w.WriteHeader(e.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return e.Status
}

// NoneMatch reports whether any If-None-Match header value matches etag:
// "*" or an entity tag equal under the weak comparison of RFC 9110
// §8.8.3.2 (a W/ prefix on either side is ignored).
func NoneMatch(values []string, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for _, v := range values {
		for v != "" {
			v = strings.TrimLeft(v, " \t,")
			if v == "" {
				break
			}
			if v[0] == '*' {
				return true
			}
			v = strings.TrimPrefix(v, "W/")
			if v == "" || v[0] != '"' {
				// Not an entity tag: skip to the next comma.
				i := strings.IndexByte(v, ',')
				if i < 0 {
					break
				}
				v = v[i:]
				continue
			}
			end := strings.IndexByte(v[1:], '"')
			if end < 0 {
				break
			}
			if v[:end+2] == etag {
				return true
			}
			v = v[end+2:]
		}
	}
	return false
}

// acceptsGzip reports whether Accept-Encoding lists gzip (or *) with a
// non-zero quality.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.TrimSpace(name)
			if !strings.EqualFold(name, "gzip") && name != "*" {
				continue
			}
			q := strings.TrimSpace(params)
			if q, ok := strings.CutPrefix(q, "q="); ok {
				if f, err := strconv.ParseFloat(strings.TrimSpace(q), 64); err == nil && f == 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}
