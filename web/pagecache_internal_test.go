package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

type fixedStamp int64

func (s fixedStamp) Stamp(context.Context) int64 { return int64(s) }

// A response larger than a page the cache holds goes out whole and in
// order, streamed (no Content-Length, no tag), and is not kept; one that
// fits is held, tagged and kept, flushes or not.
func TestPageCacheLargeAndFlushedResponses(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), (maxCachedPage+maxCachedPage/2)/16)
	renders := 0
	h := newPageCache(fixedStamp(1), false).middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders++
		w.Header().Set("Content-Type", "text/plain")
		body := []byte("small page")
		if r.URL.Path == "/big" {
			body = big
		}
		for len(body) > 0 {
			n := min(len(body), 100_000)
			w.Write(body[:n])
			http.NewResponseController(w).Flush()
			body = body[n:]
		}
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(path string) (*http.Response, []byte) {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}
	for i := range 2 {
		res, b := get("/big")
		if res.StatusCode != 200 || !bytes.Equal(b, big) || res.Header.Get("ETag") != "" || res.ContentLength != -1 {
			t.Fatalf("big, read %d: %d, %d bytes (want %d), equal %v, ETag %q, Content-Length %d",
				i, res.StatusCode, len(b), len(big), bytes.Equal(b, big), res.Header.Get("ETag"), res.ContentLength)
		}
	}
	if renders != 2 {
		t.Fatalf("the big response was rendered %d times for 2 requests; it must not be kept", renders)
	}
	for i := range 2 {
		res, b := get("/small")
		if res.StatusCode != 200 || string(b) != "small page" || res.Header.Get("ETag") == "" || res.ContentLength != int64(len(b)) {
			t.Fatalf("small, read %d: %d %q ETag %q Content-Length %d", i, res.StatusCode, b, res.Header.Get("ETag"), res.ContentLength)
		}
	}
	if renders != 3 {
		t.Fatalf("%d renders; the small page should have been served from memory the second time", renders)
	}
}
