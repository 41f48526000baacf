package handlers

import (
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/views"
)

// embedCSP replaces the site-wide policy on /embed/ pages: the only pages
// any site may frame.
const embedCSP = "default-src 'self'; img-src 'self' data:; frame-ancestors *"

// The embed card's default size in CSS pixels, and the taller size it
// needs once narrower than embedNarrowBelow (the text wraps).
const (
	embedWidth        = 480
	embedHeight       = 240
	embedNarrowBelow  = 400
	embedNarrowHeight = 280
	embedCacheSeconds = 300
)

// Embed is the iframe-able card: GET /embed/{slug}.
func Embed(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", embedCSP)
		h.Del("X-Frame-Options")
		// A page that is cross-origin isolated (COEP require-corp) frames
		// only documents that allow it (CORP) and are isolated themselves
		// (COEP); the card loads nothing from other origins, so it can be.
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Cross-Origin-Embedder-Policy", "require-corp")
		card := views.EmbedCard{SiteURL: absoluteURL(r, "/")}
		n := 0 // the latest version; /embed/{slug}/v/{n} is frozen at n
		var err error
		if chi.URLParam(r, "n") != "" {
			n, err = versionParam(r)
		}
		var sc domain.Scorecard
		if err == nil {
			sc, err = s.Scorecard(r.Context(), chi.URLParam(r, "slug"), n)
		}
		if err != nil {
			if statusOf(err) != http.StatusNotFound {
				logIfInternal(r, err)
				h.Set("Cache-Control", "no-store")
				http.Error(w, "Internal error.", http.StatusInternalServerError)
				return
			}
			h.Set("Cache-Control", "public, max-age="+strconv.Itoa(embedCacheSeconds))
			render(w, r, http.StatusNotFound, views.Embed(card))
			return
		}
		levels := sc.Levels()
		card.Found = true
		card.Slug, card.Name = sc.Project.Slug, sc.Project.Name
		card.Stage, card.Levels = stageVM(scorers.Stage(levels), levels), levelRow(levels)
		card.Version, card.AssessedAt, card.Methodology = sc.Version.Number, sc.Version.AssessedAt, sc.Version.Methodology
		card.Permalink = absoluteURL(r, "/p/"+sc.Project.Slug)
		if sc.Version.Number > 0 {
			card.Permalink = absoluteURL(r, fmt.Sprintf("/p/%s/v/%d", sc.Project.Slug, sc.Version.Number))
		}
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(embedCacheSeconds))
		render(w, r, http.StatusOK, views.Embed(card))
	})
}

// embedIframe is the HTML that frames the card of a project: the live
// card (it follows new versions), or with frozen set the card of sc's
// version, which never changes.
func embedIframe(r *http.Request, sc domain.Scorecard, width, height int, frozen bool) string {
	src, title := "/embed/"+sc.Project.Slug, "DeAI Scorecard: "+sc.Project.Name
	if frozen && sc.Version.Number > 0 {
		src += "/v/" + strconv.Itoa(sc.Version.Number)
		title += ", version " + strconv.Itoa(sc.Version.Number)
	}
	return fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" title="%s" loading="lazy"></iframe>`,
		html.EscapeString(absoluteURL(r, src)), width, height, html.EscapeString(title))
}

// embedSize is the card's size within the consumer's maxwidth and
// maxheight (0 for no limit): never larger than asked.
func embedSize(maxWidth, maxHeight int) (int, int) {
	w, h := embedWidth, embedHeight
	if maxWidth > 0 && maxWidth < w {
		w = maxWidth
	}
	if w < embedNarrowBelow {
		h = embedNarrowHeight
	}
	if maxHeight > 0 && maxHeight < h {
		h = maxHeight
	}
	return w, h
}

// projectURL reads a URL of this site's project pages, /p/{slug} or
// /p/{slug}/v/{n}, on the host the request came to.
func projectURL(r *http.Request, raw string) (slug string, n int, ok bool) {
	u, err := url.Parse(raw)
	_, host := requestOrigin(r)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || !strings.EqualFold(u.Host, host) {
		return "", 0, false
	}
	parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(u.Path, "/"), "/"), "/")
	if len(parts) < 2 || parts[0] != "p" || parts[1] == "" {
		return "", 0, false
	}
	switch len(parts) {
	case 2:
		return parts[1], 0, true
	case 4:
		n, err := strconv.Atoi(parts[3])
		if parts[2] != "v" || err != nil || n < 1 || strconv.Itoa(n) != parts[3] {
			return "", 0, false
		}
		return parts[1], n, true
	}
	return "", 0, false
}

// oembed is an oEmbed 1.0 "rich" response.
type oembed struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	Title        string `json:"title"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	CacheAge     int    `json:"cache_age"`
}

// positiveParam reads an optional size: absent or empty is 0 (no limit);
// anything but a positive whole number is an error.
func positiveParam(v url.Values, name string) (int, error) {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s must be a positive whole number of pixels, not %q", name, truncate(raw, 40))
	}
	return n, nil
}

// OEmbed answers oEmbed 1.0 discovery: GET /oembed?url=…&format=json.
func OEmbed(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		q := r.URL.Query()
		raw := q.Get("url")
		if raw == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "The url parameter is required."})
			return
		}
		if f := q.Get("format"); f != "" && f != "json" {
			writeJSON(w, http.StatusNotImplemented, map[string]string{"error": "Only format=json is supported."})
			return
		}
		slug, n, ok := projectURL(r, raw)
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "The url is not a project page of this site."})
			return
		}
		sc, err := s.Scorecard(r.Context(), slug, n)
		if err != nil {
			apiError(w, r, err)
			return
		}
		maxWidth, err := positiveParam(q, "maxwidth")
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		maxHeight, err := positiveParam(q, "maxheight")
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		width, height := embedSize(maxWidth, maxHeight)
		title := sc.Project.Name + " scorecard"
		if sc.Version.Number > 0 {
			levels := sc.Levels()
			st := scorers.Stage(levels).Stage
			title = fmt.Sprintf("%s: Stage %s (%s), scorecard version %d", sc.Project.Name, st, st.Name(), sc.Version.Number)
		}
		w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(embedCacheSeconds))
		writeJSON(w, http.StatusOK, oembed{
			Version: "1.0", Type: "rich", ProviderName: "DeAI Scorecard", ProviderURL: absoluteURL(r, "/"),
			Title: title, HTML: embedIframe(r, sc, width, height, n > 0), Width: width, Height: height, CacheAge: embedCacheSeconds,
		})
	})
}

// oembedDiscovery is the oEmbed link of a project page, and its title.
func oembedDiscovery(r *http.Request, sc domain.Scorecard) (string, string) {
	page := absoluteURL(r, r.URL.Path)
	return absoluteURL(r, "/oembed?url="+url.QueryEscape(page)+"&format=json"), sc.Project.Name + " on DeAI Scorecard"
}

// addEmbedCite fills the "Embed / cite" box of a project page.
func addEmbedCite(p *views.ProjectPage, r *http.Request, sc domain.Scorecard) {
	if sc.Version.Number == 0 {
		return
	}
	slug := sc.Project.Slug
	p.EmbedMarkdown = fmt.Sprintf("[![DeAI stage](%s)](%s)", absoluteURL(r, "/badge/"+slug+".svg"), absoluteURL(r, "/p/"+slug))
	p.EmbedHTML = embedIframe(r, sc, embedWidth, embedHeight, false)
	p.EmbedFrozenHTML = embedIframe(r, sc, embedWidth, embedHeight, true)
	p.Citation = fmt.Sprintf("DeAI Scorecard. %s scorecard, version %d (assessed %s, methodology %s). %s. Accessed %s.",
		sc.Project.Name, sc.Version.Number, sc.Version.AssessedAt, sc.Version.Methodology,
		absoluteURL(r, fmt.Sprintf("/p/%s/v/%d", slug, sc.Version.Number)), time.Now().UTC().Format("2006-01-02"))
}

// Atom 1.0 (RFC 4287), written with encoding/xml.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Sub     string      `xml:"subtitle,omitempty"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID       string         `xml:"id"`
	Title    string         `xml:"title"`
	Updated  string         `xml:"updated"`
	Links    []atomLink     `xml:"link"`
	Category []atomCategory `xml:"category,omitempty"`
	Summary  atomText       `xml:"summary"`

	at time.Time // for sorting
}

// maxFeedVersions and maxFeedChanges cap each kind of entry.
const (
	maxFeedVersions = 200
	maxFeedChanges  = 200
)

// tagAuthority is the authority of the feed's tag: URIs: the site's host
// without a port.
func tagAuthority(r *http.Request) string { return siteHost(r) }

func versionTime(v domain.ScorecardVersion) time.Time {
	if !v.CreatedAt.IsZero() {
		return v.CreatedAt.UTC()
	}
	t, _ := time.Parse("2006-01-02", v.AssessedAt)
	return t
}

// versionEntries are the feed entries of every version of every project.
func versionEntries(ctx context.Context, s Store, r *http.Request, tag string) ([]atomEntry, error) {
	sums, err := s.Summaries(ctx)
	if err != nil {
		return nil, err
	}
	var out []atomEntry
	for _, sum := range sums {
		p := sum.Project
		versions, err := s.Versions(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		if len(versions) == 0 {
			continue
		}
		history, err := s.VersionLevels(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, v := range versions {
			levels := history[v.Number]
			st := scorers.Stage(levels).Stage
			what := "first assessment"
			if prev, ok := history[v.Number-1]; ok {
				what = levelDiff(prev, levels)
			}
			summary := fmt.Sprintf("Stage %s (%s). Assessed %s by %s under methodology %s.", st, st.Name(), v.AssessedAt, v.AssessedBy, v.Methodology)
			if v.Note != "" {
				summary += " " + v.Note
			}
			at := versionTime(v)
			out = append(out, atomEntry{
				ID:       fmt.Sprintf("tag:%s,2026:version/%s/%d", tag, p.Slug, v.Number),
				Title:    fmt.Sprintf("%s: version %d (%s)", p.Name, v.Number, what),
				Updated:  at.Format(time.RFC3339),
				Links:    []atomLink{{Rel: "alternate", Type: "text/html", Href: absoluteURL(r, fmt.Sprintf("/p/%s/v/%d", p.Slug, v.Number))}},
				Category: []atomCategory{{Term: "version"}},
				Summary:  atomText{Type: "text", Body: summary},
				at:       at,
			})
		}
	}
	sortEntries(out)
	if len(out) > maxFeedVersions {
		out = out[:maxFeedVersions]
	}
	return out, nil
}

// levelDiff is "verification 1 → 3, stage E → V", or "levels unchanged".
func levelDiff(before, after map[domain.Axis]domain.MaybeLevel) string {
	var parts []string
	for _, a := range domain.Axes {
		if before[a] != after[a] {
			parts = append(parts, fmt.Sprintf("%s %s → %s", a, before[a], after[a]))
		}
	}
	if s0, s1 := scorers.Stage(before).Stage, scorers.Stage(after).Stage; s0 != s1 {
		parts = append(parts, fmt.Sprintf("stage %s → %s", s0, s1))
	}
	if len(parts) == 0 {
		return "levels unchanged"
	}
	return strings.Join(parts, ", ")
}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

// changeEntry is the feed entry of an on-chain change event.
func changeEntry(r *http.Request, tag string, e domain.ChangeEvent) atomEntry {
	at := e.At.UTC()
	summary := fmt.Sprintf("%s of %s on %s changed from %s (block %d) to %s (block %d). Grade: %s.",
		e.Key, e.Address, e.Chain, orNone(e.Old), e.OldBlock, orNone(e.New), e.NewBlock, e.Grade)
	return atomEntry{
		ID:       fmt.Sprintf("tag:%s,2026:change/%d", tag, e.ID),
		Title:    fmt.Sprintf("%s: on-chain change, %s of %s (%s)", e.ProjectName, e.Key, e.Address, e.Grade),
		Updated:  at.Format(time.RFC3339),
		Links:    []atomLink{{Rel: "alternate", Type: "text/html", Href: absoluteURL(r, "/p/"+e.ProjectSlug+"#contracts-h")}},
		Category: []atomCategory{{Term: "onchain-change"}},
		Summary:  atomText{Type: "text", Body: summary},
		at:       at,
	}
}

// sortEntries puts the newest first; ties keep a stable order by id.
func sortEntries(es []atomEntry) {
	slices.SortStableFunc(es, func(a, b atomEntry) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// Feed is the Atom feed of new versions and on-chain changes: GET /feed.atom.
func Feed(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		tag := tagAuthority(r)
		entries, err := versionEntries(ctx, s, r, tag)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		changes, err := s.Changes(ctx, "", maxFeedChanges)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		for _, e := range changes {
			entries = append(entries, changeEntry(r, tag, e))
		}
		sortEntries(entries)
		feed := atomFeed{
			ID:    "tag:" + tag + ",2026:feed",
			Title: "DeAI Scorecard changes",
			Sub:   "New scorecard versions and on-chain change events of decentralized-AI projects.",
			Links: []atomLink{
				{Rel: "self", Type: "application/atom+xml", Href: absoluteURL(r, "/feed.atom")},
				{Rel: "alternate", Type: "text/html", Href: absoluteURL(r, "/changes")},
			},
			Author:  atomPerson{Name: "DeAI Scorecard", URI: absoluteURL(r, "/")},
			Entries: entries,
		}
		updated := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if len(entries) > 0 && !entries[0].at.IsZero() {
			updated = entries[0].at
		}
		feed.Updated = updated.Format(time.RFC3339)
		out, err := xml.MarshalIndent(feed, "", "  ")
		if err != nil {
			site.pageError(w, r, domain.Errorf(domain.EINTERNAL, "feed: %v", err))
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write([]byte(xml.Header))
		_, _ = w.Write(out)
		_, _ = w.Write([]byte("\n"))
	})
}
