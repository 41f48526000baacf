// Package badges renders shields-style SVG badges for stages and axis
// levels and keeps them, rendered, in memory: a badge is rendered when a
// score changes, never per request.
//
// Text widths come from Verdana advance widths (verdana_widths.go, generated
// from the anafanafo font data by gen/widths.js); the layout (padding,
// rounding, for-the-badge capitals and letter spacing) was written from the
// geometry of badge-maker's SVGs, and testdata/badge-maker.json checks it
// within ±1 px.
package badges

//go:generate node gen/widths.js

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// Style is a badge style.
type Style uint8

const (
	Flat Style = iota
	FlatSquare
	ForTheBadge
	numStyles
)

// Styles lists every style, the default first.
var Styles = []Style{Flat, FlatSquare, ForTheBadge}

func (s Style) String() string {
	switch s {
	case FlatSquare:
		return "flat-square"
	case ForTheBadge:
		return "for-the-badge"
	}
	return "flat"
}

// ParseStyle returns the style named s; an empty or unknown name gives
// Flat, the default, and ok false.
func ParseStyle(s string) (st Style, ok bool) {
	switch s {
	case "flat":
		return Flat, true
	case "flat-square":
		return FlatSquare, true
	case "for-the-badge":
		return ForTheBadge, true
	}
	return Flat, false
}

// Badge is what a badge says.
type Badge struct {
	Label, Message string
	Color          string // CSS colour of the message side, e.g. "#4b0"
	Style          Style
}

// widthTable is a sorted list of code point ranges and their advance width.
type widthTable []struct {
	lo, hi rune
	w      float64
}

func (t widthTable) of(r rune) (float64, bool) {
	if r <= 31 || r == 127 {
		return 0, true // control characters take no space
	}
	i := sort.Search(len(t), func(i int) bool { return t[i].hi >= r })
	if i < len(t) && t[i].lo <= r {
		return t[i].w, true
	}
	return 0, false
}

// measure sums the advance widths of s; a character the table lacks counts
// as wide as "m".
func (t widthTable) measure(s string) float64 {
	em, _ := t.of('m')
	var sum float64
	for _, r := range s {
		w, ok := t.of(r)
		if !ok {
			w = em
		}
		sum += w
	}
	return sum
}

// utf16Len is the length of s in UTF-16 code units: letter spacing is
// added per code unit, as badge-maker does.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

func oddUp(v int) int {
	if v%2 == 0 {
		return v + 1
	}
	return v
}

// upper capitalises as JavaScript's toUpperCase does: with Unicode's full
// case mappings, where one character may become several (ß → SS,
// ŉ → ʼN, ΐ → Ϊ́, ﬃ → FFI), not rune by rune as strings.ToUpper does.
// No language rules: toUpperCase is not locale-aware. A Caser keeps
// state, so each call makes its own.
func upper(s string) string {
	return cases.Upper(language.Und).String(s)
}

const (
	flatPad      = 5    // flat: padding either side of a text
	ftbPad       = 12   // for-the-badge: padding either side of a text
	ftbSpacing   = 1.25 // for-the-badge: letter spacing per character
	flatHeight   = 20
	ftbHeight    = 28
	labelColor   = "#555"
	fontFamily   = "Verdana,Geneva,DejaVu Sans,sans-serif"
	shadowColour = "#010101"
)

// Layout is a badge's geometry in px.
type Layout struct {
	LabelText, MessageText float64 // text lengths
	LabelRect, MessageRect float64 // rectangle widths
	Width, Height          float64
}

// Measure lays out a badge. For-the-badge measures the capitalised texts.
func Measure(label, message string, style Style) Layout {
	if style == ForTheBadge {
		label, message = upper(label), upper(message)
		l := float64(int(verdana10.measure(label))) + ftbSpacing*float64(utf16Len(label))
		m := float64(int(verdana10Bold.measure(message))) + ftbSpacing*float64(utf16Len(message))
		return Layout{LabelText: l, MessageText: m, LabelRect: l + 2*ftbPad, MessageRect: m + 2*ftbPad,
			Width: l + m + 4*ftbPad, Height: ftbHeight}
	}
	l := float64(oddUp(int(verdana11.measure(label))))
	m := float64(oddUp(int(verdana11.measure(message))))
	return Layout{LabelText: l, MessageText: m, LabelRect: l + 2*flatPad, MessageRect: m + 2*flatPad,
		Width: l + m + 4*flatPad, Height: flatHeight}
}

// Render writes the badge as an SVG document. Label and message are
// escaped; the label must not be empty (use a default).
func Render(b Badge) []byte {
	label, message := b.Label, b.Message
	if b.Style == ForTheBadge {
		label, message = upper(label), upper(message)
	}
	lay := Measure(b.Label, b.Message, b.Style)
	el, em := escape(label), escape(message)
	color := escape(b.Color)

	var sb strings.Builder
	sb.Grow(1200 + 3*(len(el)+len(em)))
	w := func(ss ...string) {
		for _, s := range ss {
			sb.WriteString(s)
		}
	}
	width, height := num(lay.Width), num(lay.Height)
	lr, mr := num(lay.LabelRect), num(lay.MessageRect)
	w(`<svg xmlns="http://www.w3.org/2000/svg" width="`, width, `" height="`, height,
		`" role="img" aria-label="`, el, `: `, em, `"><title>`, el, `: `, em, `</title>`)

	switch b.Style {
	case ForTheBadge:
		lx, mx := num(10*lay.LabelRect/2), num(10*(lay.LabelRect+lay.MessageRect/2))
		w(`<g shape-rendering="crispEdges"><rect width="`, lr, `" height="`, height, `" fill="`, labelColor,
			`"/><rect x="`, lr, `" width="`, mr, `" height="`, height, `" fill="`, color, `"/></g>`,
			`<g fill="#fff" text-anchor="middle" font-family="`, fontFamily, `" text-rendering="geometricPrecision" font-size="100">`,
			`<text transform="scale(.1)" x="`, lx, `" y="175" textLength="`, num(10*lay.LabelText), `">`, el, `</text>`,
			`<text transform="scale(.1)" x="`, mx, `" y="175" textLength="`, num(10*lay.MessageText), `" font-weight="bold">`, em, `</text></g></svg>`)
	case FlatSquare:
		lx, mx := num(10*(lay.LabelRect/2+1)), num(10*(lay.LabelRect+lay.MessageRect/2-1))
		w(`<g shape-rendering="crispEdges"><rect width="`, lr, `" height="`, height, `" fill="`, labelColor,
			`"/><rect x="`, lr, `" width="`, mr, `" height="`, height, `" fill="`, color, `"/></g>`,
			`<g fill="#fff" text-anchor="middle" font-family="`, fontFamily, `" text-rendering="geometricPrecision" font-size="110">`,
			`<text x="`, lx, `" y="140" textLength="`, num(10*lay.LabelText), `" transform="scale(.1)">`, el, `</text>`,
			`<text x="`, mx, `" y="140" textLength="`, num(10*lay.MessageText), `" transform="scale(.1)">`, em, `</text></g></svg>`)
	default:
		lx, mx := num(10*(lay.LabelRect/2+1)), num(10*(lay.LabelRect+lay.MessageRect/2-1))
		w(`<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
			`<clipPath id="r"><rect width="`, width, `" height="`, height, `" rx="3" fill="#fff"/></clipPath>`,
			`<g clip-path="url(#r)"><rect width="`, lr, `" height="`, height, `" fill="`, labelColor,
			`"/><rect x="`, lr, `" width="`, mr, `" height="`, height, `" fill="`, color,
			`"/><rect width="`, width, `" height="`, height, `" fill="url(#s)"/></g>`,
			`<g fill="#fff" text-anchor="middle" font-family="`, fontFamily, `" text-rendering="geometricPrecision" font-size="110">`)
		for _, t := range [2]struct{ x, length, text string }{{lx, num(10 * lay.LabelText), el}, {mx, num(10 * lay.MessageText), em}} {
			w(`<text aria-hidden="true" x="`, t.x, `" y="150" fill="`, shadowColour, `" fill-opacity=".3" transform="scale(.1)" textLength="`, t.length, `">`, t.text, `</text>`,
				`<text x="`, t.x, `" y="140" transform="scale(.1)" fill="#fff" textLength="`, t.length, `">`, t.text, `</text>`)
		}
		w(`</g></svg>`)
	}
	return []byte(sb.String())
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// escape makes s safe as XML text and attribute value.
func escape(s string) string {
	if !strings.ContainsAny(s, `&<>"'`) {
		return s
	}
	return xmlEscaper.Replace(s)
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// MaxLabel is the longest custom label, in characters.
const MaxLabel = 40

// CleanLabel makes a user-supplied label fit for a badge: valid UTF-8, no
// control characters, trimmed and at most MaxLabel characters.
func CleanLabel(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var sb strings.Builder
	n := 0
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xFFFE || r == 0xFFFF {
			continue
		}
		if n == MaxLabel {
			break
		}
		sb.WriteRune(r)
		n++
	}
	out := strings.TrimSpace(sb.String())
	if !utf8.ValidString(out) {
		return ""
	}
	return out
}
