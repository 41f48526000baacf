package handlers

import "net/http"

// Embed is the iframe-able card: GET /embed/{slug}.
func Embed(s Store, site Site) http.Handler { return http.NotFoundHandler() }

// OEmbed answers oEmbed 1.0 discovery: GET /oembed?url=…&format=json.
func OEmbed(s Store, site Site) http.Handler { return http.NotFoundHandler() }

// Feed is the Atom feed of new versions and on-chain changes: GET /feed.atom.
func Feed(s Store, site Site) http.Handler { return http.NotFoundHandler() }
