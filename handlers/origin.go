package handlers

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// The site's origin (scheme and host) is what its absolute links start
// with: permalinks, citations, oEmbed answers, embed snippets, feed links
// and Atom ids. By default it is taken from the request: the scheme from
// TLS and the host from the Host header. A deployment sets its public
// address (--base-url) so that these never depend on what a client sends
// in its Host header, and, behind a TLS-terminating proxy it trusts
// (--trust-proxy), gets https links from X-Forwarded-Proto.

type originKey struct{}

type origin struct {
	scheme, host string // fixed by --base-url; "" to derive from the request
	trustProxy   bool   // honour X-Forwarded-Proto
}

// ParseBaseURL checks a public base URL: http or https, a host, and no
// path, query, fragment or user info. It returns it without a trailing
// slash.
func ParseBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return "", fmt.Errorf("%q is not an http(s) URL such as https://scorecard.example", raw)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("%q: give only the scheme and host (and port), with no path, query or user", raw)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// Origin is the middleware that fixes how absolute links are made: base
// is a URL checked by ParseBaseURL, or "" to take the request's host;
// trustProxy honours X-Forwarded-Proto from a proxy in front.
func Origin(base string, trustProxy bool) func(http.Handler) http.Handler {
	o := &origin{trustProxy: trustProxy}
	if base != "" {
		u, err := url.Parse(base)
		if err != nil {
			panic("handlers.Origin: " + err.Error()) // checked by ParseBaseURL at start-up
		}
		o.scheme, o.host = u.Scheme, u.Host
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), originKey{}, o)))
		})
	}
}

// requestOrigin is the scheme and host absolute links use for r: without
// the Origin middleware, the request's TLS state and Host header.
func requestOrigin(r *http.Request) (scheme, host string) {
	o, _ := r.Context().Value(originKey{}).(*origin)
	if o != nil && o.host != "" {
		return o.scheme, o.host
	}
	scheme = "http"
	if r.TLS != nil || (o != nil && o.trustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")) {
		scheme = "https"
	}
	return scheme, r.Host
}

// absoluteURL makes a link absolute (for citing, embedding and feeds).
func absoluteURL(r *http.Request, path string) string {
	scheme, host := requestOrigin(r)
	return scheme + "://" + host + path
}

// secureRequest says whether the site is reached over https, for the
// Secure flag of its cookies.
func secureRequest(r *http.Request) bool {
	scheme, _ := requestOrigin(r)
	return scheme == "https"
}

// siteHost is the host of the site's origin without a port, lower case.
func siteHost(r *http.Request) string {
	_, host := requestOrigin(r)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "" {
		host = "localhost"
	}
	return host
}
