package badges

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
)

// TestWidthsMatchBadgeMaker compares our layout with badge-maker's.
// testdata/badge-maker.json was produced by badges/gen/reference.js, which
// calls makeBadge from the npm package badge-maker@6.0.0 (installed outside
// the repository) for each label/message pair in flat, flat-square and
// for-the-badge, and reads the root width and the label and message rect
// widths out of the SVG it returns.
func TestWidthsMatchBadgeMaker(t *testing.T) {
	raw, err := os.ReadFile("testdata/badge-maker.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Source string
		Rows   []struct {
			Label, Message, Style           string
			Width, LabelWidth, MessageWidth float64
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Rows) < 30 {
		t.Fatalf("only %d rows", len(ref.Rows))
	}
	for _, row := range ref.Rows {
		st, ok := ParseStyle(row.Style)
		if !ok {
			t.Fatalf("style %q", row.Style)
		}
		lay := Measure(row.Label, row.Message, st)
		if math.Abs(lay.Width-row.Width) > 1 || math.Abs(lay.LabelRect-row.LabelWidth) > 1 || math.Abs(lay.MessageRect-row.MessageWidth) > 1 {
			t.Errorf("%s %q %q: ours %v (%v+%v), badge-maker %v (%v+%v)", row.Style, row.Label, row.Message,
				lay.Width, lay.LabelRect, lay.MessageRect, row.Width, row.LabelWidth, row.MessageWidth)
		}
		svg := string(Render(Badge{row.Label, row.Message, "#4b0", st}))
		if !strings.Contains(svg, ` width="`+num(lay.Width)+`"`) {
			t.Errorf("svg width: %s", svg)
		}
	}
}

func TestRenderAccessible(t *testing.T) {
	svg := string(Render(Badge{"<script>", `a&b"c`, "#4b0", Flat}))
	if strings.Contains(svg, "<script>") {
		t.Fatalf("raw label: %s", svg)
	}
	for _, want := range []string{`role="img"`, `aria-label="&lt;script&gt;: a&amp;b&quot;c"`, `<title>&lt;script&gt;: a&amp;b&quot;c</title>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %s in %s", want, svg)
		}
	}
	ftb := string(Render(Badge{"DeAI stage", "C · coordination only", "#4b0", ForTheBadge}))
	if !strings.Contains(ftb, `aria-label="DEAI STAGE: C · COORDINATION ONLY"`) || !strings.Contains(ftb, `height="28"`) {
		t.Errorf("for-the-badge: %s", ftb)
	}
}

func TestStylesDiffer(t *testing.T) {
	seen := map[string]Style{}
	for _, st := range Styles {
		s := string(Render(Badge{"a", "b", "#4b0", st}))
		if o, dup := seen[s]; dup {
			t.Fatalf("%v and %v render the same", st, o)
		}
		seen[s] = st
	}
	if st, ok := ParseStyle("plastic"); ok || st != Flat {
		t.Fatal("unknown style should fall back to flat")
	}
}

func TestCleanLabel(t *testing.T) {
	long := strings.Repeat("é", 100)
	if got := CleanLabel(long); len([]rune(got)) != MaxLabel {
		t.Fatalf("%d runes", len([]rune(got)))
	}
	if got := CleanLabel("a\x00b\nc\xff"); got != "abc\uFFFD" {
		t.Fatalf("%q", got)
	}
}

func TestNoneMatch(t *testing.T) {
	tag := `"abc"`
	for _, tc := range []struct {
		h    []string
		want bool
	}{
		{[]string{`"abc"`}, true},
		{[]string{`W/"abc"`}, true},
		{[]string{`"x", W/"abc"`}, true},
		{[]string{`"x"`, `"abc"`}, true},
		{[]string{`*`}, true},
		{[]string{`"abcd"`}, false},
		{[]string{`abc`}, false},
		{[]string{``}, false},
		{[]string{`"x",,  "y"`}, false},
	} {
		if got := NoneMatch(tc.h, tag); got != tc.want {
			t.Errorf("%q: %v", tc.h, got)
		}
	}
}

type fakeSource struct {
	mu   sync.Mutex
	sums []domain.Summary
}

func (f *fakeSource) Summaries(context.Context) ([]domain.Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sums, nil
}

func TestCacheRefresh(t *testing.T) {
	src := &fakeSource{sums: []domain.Summary{{Project: domain.Project{Slug: "p"}, Version: domain.ScorecardVersion{ID: 1},
		Levels: map[domain.Axis]domain.MaybeLevel{domain.AxisTraining: domain.Known(2)}}}}
	c := New(src)
	e := c.SVG("p", "training", Flat, "")
	if e.Status != 200 || !strings.Contains(string(e.Body), "2 · open but trusted") {
		t.Fatalf("%d %s", e.Status, e.Body)
	}
	if e := c.SVG("p", "usage", Flat, ""); !strings.Contains(string(e.Body), "unknown") {
		t.Fatalf("%s", e.Body)
	}
	if e := c.SVG("q", "", Flat, ""); e.Status != 404 || !strings.Contains(string(e.Body), "not found") {
		t.Fatalf("%d %s", e.Status, e.Body)
	}
	if e := c.SVG("p", "nope", Flat, "x"); e.Status != 404 {
		t.Fatalf("%d", e.Status)
	}
	src.mu.Lock()
	src.sums = []domain.Summary{{Project: domain.Project{Slug: "p"}, Version: domain.ScorecardVersion{ID: 2},
		Levels: map[domain.Axis]domain.MaybeLevel{domain.AxisTraining: domain.Known(4)}}}
	src.mu.Unlock()
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	e2 := c.SVG("p", "training", Flat, "")
	if e2.ETag == e.ETag || !strings.Contains(string(e2.Body), "4 · open and verifiable") {
		t.Fatalf("not re-rendered: %s", e2.Body)
	}
	if a, b := c.SVG("p", "", Flat, "custom"), c.SVG("p", "", Flat, "custom"); a != b {
		t.Fatal("custom label not memoised")
	}
}

func BenchmarkRender(b *testing.B) {
	for _, st := range Styles {
		b.Run(st.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Render(Badge{"DeAI stage", "E · execution partly decentralized", "#95991a", st})
			}
		})
	}
}

func BenchmarkLookup(b *testing.B) {
	c := New(&fakeSource{sums: []domain.Summary{{Project: domain.Project{Slug: "p"}}}})
	b.ReportAllocs()
	for b.Loop() {
		c.SVG("p", "training", Flat, "")
	}
}

func TestOptions(t *testing.T) {
	c := New(&fakeSource{sums: []domain.Summary{{Project: domain.Project{Slug: "p"}}}}, func(c *Cache) { c.MaxAge, c.SMaxAge = 10, 20 })
	e := c.SVG("p", "", Flat, "")
	if e.cacheCtl[0] != "public, max-age=10, s-maxage=20" {
		t.Fatal(e.cacheCtl)
	}
	if j := string(c.JSON("p", "").Body); !strings.Contains(j, `"cacheSeconds":10`) {
		t.Fatal(j)
	}
}

// TestPoll: requests trigger a background refresh once PollInterval has
// passed; the change shows within a bound.
func TestPoll(t *testing.T) {
	src := &fakeSource{sums: []domain.Summary{{Project: domain.Project{Slug: "p"}}}}
	c := New(src, func(c *Cache) { c.PollInterval = 10 * time.Millisecond })
	src.mu.Lock()
	src.sums = []domain.Summary{{Project: domain.Project{Slug: "p"}, Version: domain.ScorecardVersion{ID: 9},
		Levels: map[domain.Axis]domain.MaybeLevel{domain.AxisTraining: domain.Known(4)}}}
	src.mu.Unlock()
	deadline := time.Now().Add(3 * time.Second)
	for c.SVG("p", "training", Flat, "").Text.Message != "4 · open and verifiable" {
		if time.Now().After(deadline) {
			t.Fatal("no refresh within 3s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stampSource is a Source that is also a Stamper, like *store.DB.
type stampSource struct {
	fakeSource
	stamp atomic.Int64
	reads atomic.Int64 // Summaries calls
	fail  atomic.Bool
}

func (s *stampSource) Summaries(ctx context.Context) ([]domain.Summary, error) {
	s.reads.Add(1)
	if s.fail.Load() {
		return nil, errors.New("disk on fire")
	}
	return s.fakeSource.Summaries(ctx)
}
func (s *stampSource) Stamp(context.Context) int64 { return s.stamp.Load() }

func (s *stampSource) set(level domain.Level) {
	s.mu.Lock()
	s.sums = []domain.Summary{
		{Project: domain.Project{Slug: "p"}, Levels: map[domain.Axis]domain.MaybeLevel{domain.AxisTraining: domain.Known(level)}},
		{Project: domain.Project{Slug: "q"}, Levels: map[domain.Axis]domain.MaybeLevel{domain.AxisTraining: domain.Known(1)}},
	}
	s.stamp.Add(1) // a commit
	s.mu.Unlock()
}

// TestStamperRefresh: a change shows on the very next request,
// re-rendering only what changed; with nothing committed, the data is not
// re-read; a failing store keeps the last good badges and is tried again
// after PollInterval, not by every request.
func TestStamperRefresh(t *testing.T) {
	src := &stampSource{}
	src.set(1)
	c := New(src, func(c *Cache) { c.PollInterval = time.Hour })
	p1, q1 := c.SVG("p", "training", Flat, ""), c.SVG("q", "training", Flat, "")
	reads := src.reads.Load()
	for range 100 {
		c.SVG("p", "training", Flat, "")
	}
	if src.reads.Load() != reads {
		t.Fatalf("summaries re-read %d times with nothing committed", src.reads.Load()-reads)
	}

	src.set(3)
	p2, q2 := c.SVG("p", "training", Flat, ""), c.SVG("q", "training", Flat, "")
	if p2.Text.Message != "3 · open and economically checked" || p2.ETag == p1.ETag {
		t.Fatalf("not refreshed on the next request: %q", p2.Text.Message)
	}
	if q2 != q1 {
		t.Fatal("an unchanged badge was rendered again instead of kept")
	}

	src.fail.Store(true)
	src.set(0)
	if e := c.SVG("p", "training", Flat, ""); e.Text.Message != "3 · open and economically checked" {
		t.Fatalf("lost the last good badge: %q", e.Text.Message)
	}
	reads = src.reads.Load()
	for range 10 {
		c.SVG("p", "training", Flat, "")
	}
	if src.reads.Load() != reads {
		t.Fatal("a failed refresh is retried by every request")
	}
	src.fail.Store(false)
	c.retryAt.Store(1) // PollInterval has passed
	if e := c.SVG("p", "training", Flat, ""); e.Text.Message != "0 · centralized" {
		t.Fatalf("no recovery once the retry was due: %q", e.Text.Message)
	}
	if c.retryAt.Load() != 0 {
		t.Error("a successful refresh left a retry pending")
	}
}

// TestServeLength: every answer with a body declares its length (net/http
// works it out for small bodies, Serve sets it for large ones and for
// HEAD), so no badge goes out chunked.
func TestServeLength(t *testing.T) {
	c := New(&fakeSource{sums: []domain.Summary{{Project: domain.Project{Slug: "p"}}}})
	small := c.SVG("p", "", Flat, "")
	large := c.entry(200, []byte("<svg>"+strings.Repeat("x", 5000)+"</svg>"), Text{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := small
		if r.URL.Path == "/large" {
			e = large
		}
		Serve(w, r, e, false)
	}))
	defer srv.Close()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/small", len(small.Body)},
		{http.MethodHead, "/small", len(small.Body)},
		{http.MethodGet, "/large", len(large.Body)},
		{http.MethodHead, "/large", len(large.Body)},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		res, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.ContentLength != int64(tc.want) || len(res.TransferEncoding) > 0 {
			t.Errorf("%s %s: Content-Length %d (want %d), Transfer-Encoding %v", tc.method, tc.path, res.ContentLength, tc.want, res.TransferEncoding)
		}
		if tc.method == http.MethodGet && len(body) != tc.want {
			t.Errorf("%s %s: body %d bytes", tc.method, tc.path, len(body))
		}
	}
}
