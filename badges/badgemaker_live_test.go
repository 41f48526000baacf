package badges

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// badgeMakerDir is where .ci/run installs the npm package badge-maker
// (BADGE_MAKER_DIR, else the cache folder badges/gen uses).
func badgeMakerDir() string {
	if d := os.Getenv("BADGE_MAKER_DIR"); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "deai-scorecard", "npm-badge", "node_modules", "badge-maker")
}

// liveScript reads [{label, message, style}] on stdin and prints the
// widths of the SVG badge-maker makes for each: root, label rect, message rect.
const liveScript = `
const path = require('path')
const chunks = [] // joined as bytes: a character may straddle two chunks
process.stdin.on('data', (d) => chunks.push(d))
process.stdin.on('end', async () => {
  const { makeBadge } = await import(path.join(process.argv[1], 'lib', 'index.js'))
  const out = JSON.parse(Buffer.concat(chunks).toString('utf8')).map(({ label, message, style }) => {
    const svg = makeBadge({ label, message, color: '#4b0', style })
    const num = (re) => Number((svg.match(re) || [])[1])
    return [num(/^<svg[^>]* width="([\d.]+)"/), num(/<rect width="([\d.]+)" height="\d+" fill="#555"/), num(/<rect x="[\d.]+" width="([\d.]+)"/)]
  })
  process.stdout.write(JSON.stringify(out))
})
`

// randomText draws a string of 1–40 characters from scripts a label or a
// message may use: ASCII, Latin with accents, Greek, Cyrillic, CJK,
// symbols and emoji (outside the BMP), spaces inside.
func randomText(rng *rand.Rand) string {
	ranges := [][2]rune{
		{0x20, 0x7e}, {0x20, 0x7e}, {0x20, 0x7e}, // mostly ASCII
		{0xa0, 0x17f},      // Latin-1, Latin Extended-A
		{0x370, 0x3ff},     // Greek
		{0x400, 0x4ff},     // Cyrillic
		{0x2000, 0x2bff},   // punctuation, arrows, symbols
		{0x4e00, 0x4fff},   // CJK
		{0x1f300, 0x1f5ff}, // emoji
	}
	n := 1 + rng.IntN(40)
	var sb strings.Builder
	for range n {
		r := ranges[rng.IntN(len(ranges))]
		sb.WriteRune(r[0] + rune(rng.IntN(int(r[1]-r[0]+1))))
	}
	return strings.TrimSpace(sb.String())
}

// TestWidthsMatchBadgeMakerLive runs badge-maker itself (npm badge-maker,
// installed by .ci/run) on random labels and messages in every style and
// checks our widths against its SVGs within ±1 px, as a new user comparing
// the two would. The seed is printed, so a failure can be replayed.
func TestWidthsMatchBadgeMakerLive(t *testing.T) {
	dir := badgeMakerDir()
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("badge-maker not installed at %s (BADGE_MAKER_DIR): %v", dir, err)
		}
		t.Skipf("badge-maker not installed at %s; bash .ci/run installs it", dir)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is not installed")
		}
		t.Skip("node not installed")
	}
	seed := rand.Uint64()
	if s, err := strconv.ParseUint(os.Getenv("BADGE_SEED"), 10, 64); err == nil {
		seed = s // replay a failure
	}
	t.Logf("seed %d (BADGE_SEED=%d replays it)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	type row struct {
		Label   string `json:"label"`
		Message string `json:"message"`
		Style   string `json:"style"`
	}
	var rows []row
	for len(rows) < 1500 {
		l, m := randomText(rng), randomText(rng)
		if l == "" || m == "" {
			continue
		}
		for _, st := range Styles {
			rows = append(rows, row{l, m, st.String()})
		}
	}
	in, _ := json.Marshal(rows)
	cmd := exec.Command(node, "-e", liveScript, dir)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var widths [][3]float64
	if err := json.Unmarshal(out, &widths); err != nil || len(widths) != len(rows) {
		t.Fatalf("%d answers for %d badges: %v", len(widths), len(rows), err)
	}
	bad := 0
	for i, r := range rows {
		st, _ := ParseStyle(r.Style)
		lay := Measure(r.Label, r.Message, st)
		w := widths[i]
		if math.Abs(lay.Width-w[0]) > 1 || math.Abs(lay.LabelRect-w[1]) > 1 || math.Abs(lay.MessageRect-w[2]) > 1 {
			if bad++; bad <= 10 {
				js, _ := json.Marshal(r)
				t.Logf("%s", js)
				t.Errorf("%s %q %q: ours %v (%v+%v), badge-maker %v (%v+%v)", r.Style, r.Label, r.Message,
					lay.Width, lay.LabelRect, lay.MessageRect, w[0], w[1], w[2])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d badges differ by more than 1 px (seed %d)", bad, len(rows), seed)
	}
}
