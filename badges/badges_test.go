package badges

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strings"
	"sync"
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
