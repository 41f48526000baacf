package handlers

import (
	"net/http"

	"github.com/deai-scorecard/scorecard/badges"
)

// Badge serves /badge/{slug}.svg and /badge/{slug}/{axis}.svg from memory.
func Badge(b *badges.Cache) http.Handler { return b.Handler() }

// BadgeJSON is the shields.io endpoint JSON: /api/v1/badge/{slug}.json and /api/v1/badge/{slug}/{axis}.json.
func BadgeJSON(b *badges.Cache) http.Handler { return http.NotFoundHandler() }
