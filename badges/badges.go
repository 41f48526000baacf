// Package badges renders shields-style SVG badges for stages and axis
// levels and keeps them, rendered, in memory: a badge is rendered when a
// score changes, never per request.
package badges

import "net/http"

// Cache holds every rendered badge.
type Cache struct{}

// Handler is a placeholder until the badge renderer lands.
func (c *Cache) Handler() http.Handler { return http.NotFoundHandler() }
