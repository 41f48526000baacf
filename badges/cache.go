package badges

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
)

// Source is where badges come from: every project's latest levels.
// handlers.Store and *store.DB satisfy it.
type Source interface {
	Summaries(ctx context.Context) ([]domain.Summary, error)
}

// Stamper is a Source that can tell cheaply whether its data changed
// (*store.DB is one): Stamp grows with every change, at once for this
// process's commits and within a second for other processes'. It is read
// on every request. A Source that is no Stamper is re-read whole once per
// PollInterval instead, in the background.
type Stamper interface {
	Stamp(ctx context.Context) int64
}

// Default labels.
const (
	StageLabel    = "DeAI stage"
	notFoundLabel = "DeAI"
	notFoundMsg   = "not found"
	maxCustom     = 1024 // memoised ?label= badges per snapshot
)

// Colours of the message side (badge-maker's named colours) and their
// names, which the shields endpoint JSON uses.
var (
	stageColors = map[domain.StageCode]color{
		domain.StageT: {"red", "#dd4343"}, domain.StageC: {"orange", "#ea7233"},
		domain.StageE: {"yellowgreen", "#95991a"}, domain.StageV: {"brightgreen", "#4b0"},
	}
	levelColors = [...]color{{"red", "#dd4343"}, {"orange", "#ea7233"}, {"yellow", "#d8b800"}, {"yellowgreen", "#95991a"}, {"brightgreen", "#4b0"}}
	grey        = color{"lightgrey", "#939393"}
)

type color struct{ name, hex string }

// Entry is one rendered response, with its headers worked out in advance.
type Entry struct {
	Status   int
	Body     []byte
	ETag     string // strong, quoted
	GzBody   []byte // gzip-encoded Body; nil when it would not be smaller
	GzETag   string
	Text     Text
	etag     []string
	gzETag   []string
	cacheCtl []string
}

// Text is what a badge says: its label, message and colour.
type Text struct {
	Label, Message string
	color          color
}

// Key names a badge: a project, an axis ("" for the stage) and a style.
type key struct {
	slug, axis string
	style      Style
}

type customKey struct {
	key
	label string
}

// snapshot is every badge for one state of the data; it is replaced whole.
type snapshot struct {
	fingerprint [32]byte
	svg         map[key]*Entry // slug × {stage, axes} × styles
	json        map[key]*Entry // style is Flat
	texts       map[key]Text   // style is Flat

	mu     sync.Mutex
	custom map[customKey]*Entry
}

// Cache holds every rendered badge and re-renders them when the data
// changes. With a Stamper source, the first request that sees the stamp
// move brings the badges up to date before it is answered (the others
// wait for it). A refresh re-renders only the badges whose text changed.
type Cache struct {
	// Cache-Control of found and not-found badges, in seconds.
	MaxAge, SMaxAge, NotFoundMaxAge int
	// PollInterval is how often a Source that is no Stamper is re-read,
	// and how soon a failed refresh is tried again.
	PollInterval time.Duration

	src        Source
	stamper    Stamper // src, when it is one
	snap       atomic.Pointer[snapshot]
	refreshMu  sync.Mutex   // one Refresh at a time
	seen       atomic.Int64 // the Stamp the badges were rendered from
	retryAt    atomic.Int64 // unix nanoseconds; set after a failed refresh
	nextPoll   atomic.Int64 // unix nanoseconds (sources that are no Stamper)
	polling    atomic.Bool
	headerOnce sync.Once
	found      []string
	notFound   []string
	nfSVG      map[key]*Entry // not-found badges: axis ("" or a valid axis or "?") × style
	nfJSON     *Entry
}

// New returns a cache over src with every badge rendered. The options
// may change the exported fields (defaults: MaxAge 300, SMaxAge 3600,
// NotFoundMaxAge 60, PollInterval 1s) before anything is rendered; the
// Cache-Control values are fixed from then on. A failure to read src is
// logged; the cache then serves not-found badges until the next
// successful refresh.
func New(src Source, opts ...func(*Cache)) *Cache {
	c := &Cache{MaxAge: 300, SMaxAge: 3600, NotFoundMaxAge: 60, PollInterval: time.Second, src: src}
	c.stamper, _ = src.(Stamper)
	for _, o := range opts {
		o(c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Refresh(ctx); err != nil {
		slog.Error("badges: first render", "err", err)
	}
	c.nextPoll.Store(time.Now().Add(c.PollInterval).UnixNano())
	return c
}

func (c *Cache) headers() {
	c.headerOnce.Do(func() {
		c.found = []string{"public, max-age=" + strconv.Itoa(c.MaxAge) + ", s-maxage=" + strconv.Itoa(c.SMaxAge)}
		c.notFound = []string{"public, max-age=" + strconv.Itoa(c.NotFoundMaxAge)}
		c.nfSVG = map[key]*Entry{}
		for _, st := range Styles {
			c.nfSVG[key{style: st}] = c.entry(404, Render(Badge{StageLabel, notFoundMsg, grey.hex, st}), Text{StageLabel, notFoundMsg, grey})
			c.nfSVG[key{axis: "?", style: st}] = c.entry(404, Render(Badge{notFoundLabel, notFoundMsg, grey.hex, st}), Text{notFoundLabel, notFoundMsg, grey})
			for _, a := range domain.Axes {
				c.nfSVG[key{axis: string(a), style: st}] = c.entry(404, Render(Badge{string(a), notFoundMsg, grey.hex, st}), Text{string(a), notFoundMsg, grey})
			}
		}
		body, _ := json.Marshal(map[string]string{"error": "No such project or axis."})
		c.nfJSON = c.entry(404, append(body, '\n'), Text{})
	})
}

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestCompression)
	return zw
}}

// entry builds an Entry: ETag from the body's hash, gzip when it helps.
func (c *Cache) entry(status int, body []byte, t Text) *Entry {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	e := &Entry{Status: status, Body: body, ETag: `"` + tag + `"`, Text: t}
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer) // a new writer costs about a megabyte of tables
	zw.Reset(&buf)
	_, _ = zw.Write(body)
	_ = zw.Close()
	gzipWriters.Put(zw)
	if buf.Len() < len(body) {
		e.GzBody, e.GzETag = buf.Bytes(), `"`+tag+`-gz"`
		e.gzETag = []string{e.GzETag}
	}
	e.etag = []string{e.ETag}
	e.cacheCtl = c.found
	if status != 200 {
		e.cacheCtl = c.notFound
	}
	return e
}

// fingerprint hashes what the badges depend on: slugs and levels.
func fingerprint(sums []domain.Summary) [32]byte {
	h := sha256.New()
	var b [8]byte
	for _, s := range sums {
		h.Write([]byte(s.Project.Slug))
		h.Write([]byte{0})
		binary.LittleEndian.PutUint64(b[:], uint64(s.Version.ID))
		h.Write(b[:])
		for _, a := range domain.Axes {
			l := s.Levels[a]
			v := byte(255)
			if l.Known {
				v = byte(l.Level)
			}
			h.Write([]byte{v})
		}
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Refresh reads the summaries and, if anything changed, renders again
// the badges whose text changed and swaps in the new set.
func (c *Cache) Refresh(ctx context.Context) error {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	return c.refreshLocked(ctx)
}

func (c *Cache) refreshLocked(ctx context.Context) error {
	c.headers()
	var stamp int64
	if c.stamper != nil {
		// Read before the data: a commit in between moves the stamp again,
		// so the next request refreshes rather than misses it.
		stamp = c.stamper.Stamp(ctx)
	}
	sums, err := c.src.Summaries(ctx)
	c.seen.Store(stamp)
	if err != nil {
		// Keep the last good badges; try again after PollInterval, not on
		// every request.
		c.retryAt.Store(time.Now().Add(c.PollInterval).UnixNano())
		return err
	}
	c.retryAt.Store(0)
	fp := fingerprint(sums)
	old := c.snap.Load()
	if old != nil && old.fingerprint == fp {
		return nil
	}
	s := &snapshot{fingerprint: fp, svg: map[key]*Entry{}, json: map[key]*Entry{}, texts: map[key]Text{}, custom: map[customKey]*Entry{}}
	for _, sum := range sums {
		slug := sum.Project.Slug
		st := scorers.Stage(sum.Levels).Stage
		s.texts[key{slug: slug}] = Text{StageLabel, string(st) + " · " + st.Name(), stageColors[st]}
		for _, a := range domain.Axes {
			t := Text{Label: string(a), Message: "unknown", color: grey}
			if l := sum.Levels[a]; l.Known && l.Level.Valid() {
				t.Message = strconv.Itoa(int(l.Level)) + " · " + l.Level.Name()
				t.color = levelColors[l.Level]
			}
			s.texts[key{slug: slug, axis: string(a)}] = t
		}
	}
	for k, t := range s.texts {
		if old != nil {
			if ot, ok := old.texts[k]; ok && ot == t {
				for _, st := range Styles { // unchanged: keep its bodies and ETags
					s.svg[key{k.slug, k.axis, st}] = old.svg[key{k.slug, k.axis, st}]
				}
				s.json[k] = old.json[k]
				continue
			}
		}
		for _, st := range Styles {
			s.svg[key{k.slug, k.axis, st}] = c.entry(200, Render(Badge{t.Label, t.Message, t.color.hex, st}), t)
		}
		s.json[k] = c.entry(200, c.endpointJSON(t), t)
	}
	c.snap.Store(s)
	return nil
}

// check brings the badges up to date before a request is answered: with a
// Stamper when its stamp has moved (or a failed refresh is due again),
// else through the background poll.
func (c *Cache) check() {
	if c.stamper == nil {
		c.maybePoll()
		return
	}
	if !c.due() {
		return
	}
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	if !c.due() { // done meanwhile by another request
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.refreshLocked(ctx); err != nil {
		slog.Error("badges: refresh", "err", err)
	}
}

// due says whether the badges need a refresh: the stamp moved since they
// were rendered, or a failed refresh is due for another try.
func (c *Cache) due() bool {
	if c.stamper.Stamp(context.Background()) != c.seen.Load() {
		return true
	}
	r := c.retryAt.Load()
	return r != 0 && time.Now().UnixNano() >= r
}

func (c *Cache) endpointJSON(t Text) []byte {
	b, _ := json.Marshal(struct {
		SchemaVersion int    `json:"schemaVersion"`
		Label         string `json:"label"`
		Message       string `json:"message"`
		Color         string `json:"color"`
		CacheSeconds  int    `json:"cacheSeconds"`
	}{1, t.Label, t.Message, t.color.name, c.MaxAge})
	return append(b, '\n')
}

// maybePoll starts a background refresh when the last one is older than
// PollInterval; only one runs at a time.
func (c *Cache) maybePoll() {
	now := time.Now().UnixNano()
	if now < c.nextPoll.Load() || !c.polling.CompareAndSwap(false, true) {
		return
	}
	c.nextPoll.Store(now + int64(c.PollInterval))
	go func() {
		defer c.polling.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := c.Refresh(ctx); err != nil {
			slog.Error("badges: refresh", "err", err)
		}
	}()
}

// SVG returns the badge for slug, axis ("" for the stage), style and
// custom label ("" for the default). Unknown projects or axes give a
// not-found badge with status 404.
func (c *Cache) SVG(slug, axis string, style Style, label string) *Entry {
	c.check()
	s := c.snap.Load()
	if s != nil {
		if label == "" {
			if e := s.svg[key{slug, axis, style}]; e != nil {
				return e
			}
		} else if t, ok := s.texts[key{slug: slug, axis: axis}]; ok {
			return c.custom(s, customKey{key{slug, axis, style}, label}, t)
		}
	}
	k := key{axis: axis, style: style}
	if axis != "" && !domain.Axis(axis).Valid() {
		k.axis = "?"
	}
	if label == "" {
		return c.nfSVG[k]
	}
	return c.custom(nil, customKey{k, label}, Text{label, notFoundMsg, grey})
}

// custom renders a badge with a custom label, memoised in s (bounded).
func (c *Cache) custom(s *snapshot, k customKey, t Text) *Entry {
	status := 200
	if s == nil {
		status = 404
		if s = c.snap.Load(); s == nil {
			return c.entry(status, Render(Badge{k.label, t.Message, t.color.hex, k.style}), t)
		}
		k.slug = "\x00" // not-found memo keys cannot clash with a slug
	}
	s.mu.Lock()
	e := s.custom[k]
	s.mu.Unlock()
	if e != nil {
		return e
	}
	t.Label = k.label
	e = c.entry(status, Render(Badge{k.label, t.Message, t.color.hex, k.style}), t)
	s.mu.Lock()
	if len(s.custom) >= maxCustom {
		clear(s.custom)
	}
	s.custom[k] = e
	s.mu.Unlock()
	return e
}

// JSON returns the shields endpoint JSON for slug and axis ("" for the
// stage), or a 404 {"error": ...} entry.
func (c *Cache) JSON(slug, axis string) *Entry {
	c.check()
	if s := c.snap.Load(); s != nil {
		if e := s.json[key{slug: slug, axis: axis}]; e != nil {
			return e
		}
	}
	c.headers()
	return c.nfJSON
}
