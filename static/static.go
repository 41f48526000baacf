// Package static holds the site's CSS, icons and the little JavaScript
// there is, embedded in the binary. Pages work without any of the JavaScript.
package static

import "embed"

// Files is the static tree, served under /static/.
//
//go:embed *.css *.svg *.js
var Files embed.FS
