package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/seed"
	"github.com/deai-scorecard/scorecard/store"
)

// ---- helpers ---------------------------------------------------------------

var (
	buildOnce sync.Once
	binDir    string // temporary directory holding the built binary; removed by TestMain
	binPath   string
	binErr    error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds the scorecard command once per test run (with the normal
// Go build cache) and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "scorecard-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "scorecard")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = "." // go test runs in the package directory
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// childEnv is the test's environment without any SCORECARD_* variable, so
// the binary sees only what a test passes it.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SCORECARD_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// freeAddr returns 127.0.0.1:PORT for a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// lockedBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var httpClient = &http.Client{Timeout: 5 * time.Second}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := httpClient.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

// waitHealthy polls base/healthz every 50 ms for up to 30 s until it answers
// 200 {"status":"ok"}. exited, if not nil, is closed when the server stops:
// a server that dies while starting fails the test at once.
func waitHealthy(t *testing.T, base string, exited <-chan struct{}, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	quick := &http.Client{Timeout: time.Second}
	var last string
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("server stopped before it was healthy; log:\n%s", logs())
		default:
		}
		resp, err := quick.Get(base + "/healthz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var h struct {
				Status string `json:"status"`
			}
			if resp.StatusCode == http.StatusOK && json.Unmarshal(body, &h) == nil && h.Status == "ok" {
				return
			}
			last = fmt.Sprintf("%d %s", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s/healthz not healthy within 30s (last: %s); log:\n%s", base, last, logs())
}

// proc is a running scorecard binary.
type proc struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan struct{}
	err    error // Wait's result, set before exited is closed
}

func startBinary(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(binary(t), args...), stderr: &lockedBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = childEnv()
	p.cmd.Stdout = io.Discard
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// stop sends SIGTERM and requires exit status 0 within 15 s.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		t.Fatalf("no exit within 15s of SIGTERM; log:\n%s", p.stderr.String())
	}
	if p.err != nil {
		t.Fatalf("exit after SIGTERM: %v (want status 0); log:\n%s", p.err, p.stderr.String())
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM, want 0", code)
	}
}

func embedded(t *testing.T) *seed.Dataset {
	t.Helper()
	d, _, err := seed.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func openStore(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("store.Open(%s): %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func slugsOf(t *testing.T, db *store.DB) []string {
	t.Helper()
	ps, err := db.Projects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.Slug)
	}
	sort.Strings(out)
	return out
}

// envList turns a map into KEY=VALUE lines, as os.Environ gives them.
func envList(env map[string]string) []string {
	var out []string
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// runCmd calls run with an environment map and a 20 s bound.
func runCmd(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	err = run(ctx, args, envList(env), &out, &errb)
	if ctx.Err() != nil {
		t.Fatalf("run %q did not return before its context expired (it served?)", args)
	}
	return out.String(), errb.String(), err
}

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ---- end to end ------------------------------------------------------------

func TestBinaryServesSeededSiteAndStopsOnSIGTERM(t *testing.T) {
	d := embedded(t)
	const quote = "Miners train and periodically publish models"
	found := false
	var wantSlugs []string
	for _, p := range d.Projects {
		wantSlugs = append(wantSlugs, p.Slug)
		if p.Slug == "bittensor" {
			for _, e := range p.Evidence {
				found = found || strings.Contains(e.Quote, quote)
			}
		}
	}
	sort.Strings(wantSlugs)
	if !found {
		t.Fatalf("test data is stale: seed/projects.json has no bittensor quote containing %q", quote)
	}

	dbPath := filepath.Join(t.TempDir(), "x.db")
	addr := freeAddr(t)
	base := "http://" + addr
	p := startBinary(t, "--db", dbPath, "--addr", addr)
	waitHealthy(t, base, p.exited, p.stderr.String)

	code, body := get(t, base+"/p/bittensor")
	if code != http.StatusOK {
		t.Fatalf("/p/bittensor: status %d", code)
	}
	for _, want := range []string{"Bittensor", quote} {
		if !strings.Contains(body, want) {
			t.Errorf("/p/bittensor lacks %q", want)
		}
	}

	if code, _ := get(t, base+"/p/no-such-project"); code != http.StatusNotFound {
		t.Errorf("/p/no-such-project: status %d, want 404", code)
	}

	apiSlugs := func() []string {
		code, body := get(t, base+"/api/v1/projects")
		if code != http.StatusOK {
			t.Fatalf("/api/v1/projects: status %d: %s", code, body)
		}
		var list struct {
			Projects []struct {
				Slug string `json:"slug"`
			} `json:"projects"`
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatalf("/api/v1/projects: %v", err)
		}
		var out []string
		for _, p := range list.Projects {
			out = append(out, p.Slug)
		}
		sort.Strings(out)
		return out
	}
	if got := apiSlugs(); strings.Join(got, " ") != strings.Join(wantSlugs, " ") {
		t.Errorf("/api/v1/projects has %d projects, the embedded dataset %d:\n got %v\nwant %v", len(got), len(wantSlugs), got, wantSlugs)
	}

	p.stop(t)
	logs := p.stderr.String()
	for _, want := range []string{"seeded an empty database", "listening", "stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("first run's log lacks %q:\n%s", want, logs)
		}
	}

	// A second start on the same database serves the same data without seeding again.
	addr = freeAddr(t)
	base = "http://" + addr
	p2 := startBinary(t, "--db", dbPath, "--addr", addr)
	waitHealthy(t, base, p2.exited, p2.stderr.String)
	if got := apiSlugs(); len(got) != len(wantSlugs) {
		t.Errorf("second start: %d projects, want %d", len(got), len(wantSlugs))
	}
	p2.stop(t)
	logs = p2.stderr.String()
	if strings.Contains(logs, "seeded an empty database") {
		t.Errorf("second start re-seeded the database:\n%s", logs)
	}
	if !strings.Contains(logs, "stopped") {
		t.Errorf("second run's log lacks \"stopped\":\n%s", logs)
	}
}

func TestBinaryExitCodes(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	afile := writeFile(t, dir, "afile", "not a directory")
	underFile := filepath.Join(afile, "x.db")
	missing := filepath.Join(dir, "missing.json")
	free := "127.0.0.1:0" // only reached if a case wrongly gets as far as serving

	cases := []struct {
		name       string
		args       []string
		env        []string
		code       int
		stderrHas  string // "" with code 0: stderr must be empty
		stdoutHas  string
		stderrNone bool
	}{
		{name: "unknown flag", args: []string{"--bogus"}, code: 2, stderrHas: "-bogus"},
		{name: "bad --addr", args: []string{"--db", filepath.Join(dir, "a.db"), "--addr", "nonsense"}, code: 2, stderrHas: "--addr"},
		{name: "bad SCORECARD_ADDR", args: []string{"--db", filepath.Join(dir, "a.db")}, env: []string{"SCORECARD_ADDR=127.0.0.1:99999"}, code: 2, stderrHas: "SCORECARD_ADDR"},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderrHas: `unknown command "frobnicate"`},
		{name: "import without FILE", args: []string{"import"}, code: 2, stderrHas: "import"},
		{name: "empty --db", args: []string{"--db=", "--addr", free}, code: 2, stderrHas: "--db"},
		{name: "db under a regular file", args: []string{"--db", underFile, "--addr", free}, code: 1, stderrHas: underFile},
		{name: "db under a regular file via env", args: []string{"--addr", free}, env: []string{"SCORECARD_DB=" + underFile}, code: 1, stderrHas: underFile},
		{name: "import of a missing file", args: []string{"--db", filepath.Join(dir, "b.db"), "import", missing}, code: 1, stderrHas: missing},
		{name: "--help", args: []string{"--help"}, code: 0, stdoutHas: "backup FILE", stderrNone: true},
		{name: "-h after command", args: []string{"import", "-h"}, code: 0, stdoutHas: "import FILE", stderrNone: true},
		{name: "help command", args: []string{"help"}, code: 0, stdoutHas: "serve", stderrNone: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, c.args...)
			cmd.Env = childEnv(c.env...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("%q still running after 10s; stderr:\n%s", c.args, stderr.String())
			}
			var ee *exec.ExitError
			if err != nil && !errors.As(err, &ee) {
				t.Fatal(err)
			}
			if got := cmd.ProcessState.ExitCode(); got != c.code {
				t.Errorf("exit code %d, want %d; stderr: %q", got, c.code, stderr.String())
			}
			if c.stderrNone {
				if stderr.Len() != 0 {
					t.Errorf("stderr not empty: %q", stderr.String())
				}
			} else {
				s := stderr.String()
				if !strings.HasPrefix(s, "scorecard: ") || !strings.HasSuffix(s, "\n") || strings.Count(s, "\n") != 1 {
					t.Errorf("stderr is not exactly one \"scorecard: ...\" line: %q", s)
				}
				if !strings.Contains(s, c.stderrHas) {
					t.Errorf("stderr %q lacks %q", s, c.stderrHas)
				}
			}
			if !strings.Contains(stdout.String(), c.stdoutHas) {
				t.Errorf("stdout lacks %q: %q", c.stdoutHas, stdout.String())
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "a.db")); err == nil {
		t.Error("a usage error still created the database file")
	}
}

// ---- run, in process -------------------------------------------------------

func TestRunCommandLine(t *testing.T) {
	dir := t.TempDir()
	afile := writeFile(t, dir, "afile", "not a directory")
	underFile := filepath.Join(afile, "x.db")
	junk := writeFile(t, dir, "junk.db", strings.Repeat("this is not an SQLite database\n", 40))
	db := filepath.Join(dir, "ok.db")
	noServe := "127.0.0.1:0" // only reached if a case wrongly gets as far as serving

	type check func(t *testing.T, err error, stdout, stderr string)
	usage := func(mention string) check {
		return func(t *testing.T, err error, stdout, stderr string) {
			t.Helper()
			if err == nil {
				t.Fatal("no error")
			}
			if !isUsage(err) || errors.Is(err, flag.ErrHelp) {
				t.Errorf("error %q (%T) is not a usage error", err, err)
			}
			if !strings.Contains(err.Error(), mention) {
				t.Errorf("error %q does not mention %q", err, mention)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if stdout != "" || stderr != "" {
				t.Errorf("run wrote output on a usage error: stdout %q stderr %q", stdout, stderr)
			}
		}
	}
	failure := func(mentions ...string) check {
		return func(t *testing.T, err error, stdout, stderr string) {
			t.Helper()
			if err == nil {
				t.Fatal("no error")
			}
			if isUsage(err) || errors.Is(err, flag.ErrHelp) {
				t.Errorf("error %q is a usage error; want an ordinary failure (exit 1)", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			for _, m := range mentions {
				if !strings.Contains(msg, m) {
					t.Errorf("error %q does not mention %q", msg, m)
				}
			}
			if n := strings.Count(msg, "cannot open database"); n > 1 {
				t.Errorf("error repeats itself: %q", msg)
			}
		}
	}
	helpText := func(wantErr error) check {
		return func(t *testing.T, err error, stdout, stderr string) {
			t.Helper()
			if !errors.Is(err, wantErr) || (wantErr == nil && err != nil) {
				t.Fatalf("error %v, want %v", err, wantErr)
			}
			for _, want := range []string{"Usage:", "serve", "import FILE", "backup FILE", "--db", "--addr", "SCORECARD_DB", "SCORECARD_ADDR"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("usage lacks %q:\n%s", want, stdout)
				}
			}
			if stderr != "" {
				t.Errorf("stderr %q, want nothing", stderr)
			}
		}
	}

	cases := []struct {
		name  string
		env   map[string]string
		args  []string
		check check
	}{
		{"--help", nil, []string{"--help"}, helpText(flag.ErrHelp)},
		{"-h", nil, []string{"-h"}, helpText(flag.ErrHelp)},
		{"serve --help", nil, []string{"serve", "--help"}, helpText(flag.ErrHelp)},
		{"backup -help", nil, []string{"backup", "-help"}, helpText(flag.ErrHelp)},
		{"help command", nil, []string{"help"}, helpText(nil)},
		{"unknown flag", nil, []string{"--verbose"}, usage("-verbose")},
		{"unknown import flag", nil, []string{"import", "--addr", "127.0.0.1:1", "f.json"}, usage("-addr")},
		{"flag missing its value", nil, []string{"--db"}, usage("-db")},
		{"SCORECARD_ADDR not host:port", map[string]string{"SCORECARD_ADDR": "nonsense"}, []string{"--db", db}, usage("SCORECARD_ADDR")},
		{"SCORECARD_ADDR port too big", map[string]string{"SCORECARD_ADDR": "127.0.0.1:99999"}, []string{"--db", db}, usage("SCORECARD_ADDR")},
		{"SCORECARD_ADDR port not numeric", map[string]string{"SCORECARD_ADDR": "127.0.0.1:http"}, []string{"--db", db}, usage("SCORECARD_ADDR")},
		{"--addr not host:port", nil, []string{"--db", db, "--addr", "nonsense"}, usage("--addr")},
		{"--addr port too big", nil, []string{"--db", db, "--addr", "127.0.0.1:99999"}, usage("--addr")},
		{"--addr negative port", nil, []string{"--db", db, "serve", "--addr", "127.0.0.1:-1"}, usage("--addr")},
		{"--base-url with a path", nil, []string{"--db", db, "serve", "--base-url", "https://scorecard.example/site", "--addr", noServe}, usage("base-url")},
		{"--base-url not http", nil, []string{"--db", db, "serve", "--base-url", "scorecard.example", "--addr", noServe}, usage("base-url")},
		{"SCORECARD_BASE_URL with a query", map[string]string{"SCORECARD_BASE_URL": "https://scorecard.example/?x=1"}, []string{"--db", db, "--addr", noServe}, usage("SCORECARD_BASE_URL")},
		{"--badge-max-age not a duration", nil, []string{"--db", db, "serve", "--badge-max-age", "soon", "--addr", noServe}, usage("badge-max-age")},
		{"--badge-s-maxage negative", nil, []string{"--db", db, "serve", "--badge-s-maxage", "-5m", "--addr", noServe}, usage("badge-s-maxage")},
		{"--badge-max-age fractional", nil, []string{"--db", db, "serve", "--badge-max-age", "1.5s", "--addr", noServe}, usage("badge-max-age")},
		{"SCORECARD_BADGE_MAX_AGE too long", map[string]string{"SCORECARD_BADGE_MAX_AGE": "9000h"}, []string{"--db", db, "--addr", noServe}, usage("SCORECARD_BADGE_MAX_AGE")},
		{"unknown command", nil, []string{"--db", db, "publish"}, usage(`unknown command "publish"`)},
		{"serve with an argument", nil, []string{"--db", db, "serve", "now"}, usage(`"now"`)},
		{"import without FILE", nil, []string{"--db", db, "import"}, usage("FILE")},
		{"import with two FILEs", nil, []string{"--db", db, "import", "a", "b"}, usage("FILE")},
		{"backup without FILE", nil, []string{"--db", db, "backup"}, usage("FILE")},
		{"empty --db", nil, []string{"--db", "", "--addr", noServe}, usage("--db")},
		{"db under a regular file", nil, []string{"--db", underFile, "--addr", noServe}, failure(underFile)},
		{"db under a regular file via SCORECARD_DB", map[string]string{"SCORECARD_DB": underFile}, []string{"--addr", noServe}, failure(underFile)},
		{"db in a missing directory", nil, []string{"--db", filepath.Join(dir, "nope", "x.db"), "--addr", noServe}, failure(filepath.Join(dir, "nope", "x.db"))},
		{"db is a directory", nil, []string{"--db", dir, "--addr", noServe}, failure(dir)},
		{"db is not SQLite", nil, []string{"--db", junk, "--addr", noServe}, failure(junk)},
		{"backup of an unopenable db", nil, []string{"--db", underFile, "backup", filepath.Join(dir, "b.db")}, failure(underFile)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, err := runCmd(t, c.env, c.args...)
			c.check(t, err, stdout, stderr)
		})
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a usage error created the database file")
	}
	if b, err := os.ReadFile(junk); err != nil || !strings.HasPrefix(string(b), "this is not an SQLite database") {
		t.Error("opening a non-SQLite file changed it")
	}
}

const demoDataset = `{"sourced_as_of":"2026-07","projects":[{"slug":"demo","name":"Demo","evidence":[{"axis":"training","url":"https://example.org/a","title":"T","quote":"Q","finding":"","source_type":"primary"}],"contracts":[]}]}`

var importedLine = regexp.MustCompile(`^imported (.+): (\d+) projects, (\d+) new evidence items, (\d+) contracts, (\d+) new scorecard versions\n$`)

// importCounts runs import and returns its printed counts (projects, new evidence).
func importCounts(t *testing.T, db, file string) (projects, evidence int) {
	t.Helper()
	stdout, _, err := runCmd(t, nil, "--db", db, "import", file)
	if err != nil {
		t.Fatalf("import %s: %v", file, err)
	}
	m := importedLine.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("import printed %q, want one \"imported FILE: N projects, N new evidence items, ...\" line", stdout)
	}
	if m[1] != file {
		t.Errorf("import names %q, want %q", m[1], file)
	}
	projects, _ = strconv.Atoi(m[2])
	evidence, _ = strconv.Atoi(m[3])
	return projects, evidence
}

func acceptedEvidence(t *testing.T, db *store.DB, slug string) []domain.Evidence {
	t.Helper()
	ctx := context.Background()
	p, err := db.Project(ctx, slug)
	if err != nil {
		t.Fatalf("project %s: %v", slug, err)
	}
	ev, err := db.Evidence(ctx, p.ID, domain.StatusAccepted)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestRunImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	file := writeFile(t, dir, "projects.json", demoDataset)

	if p, e := importCounts(t, db, file); p != 1 || e != 1 {
		t.Errorf("first import: %d projects, %d new evidence; want 1, 1", p, e)
	}
	if p, e := importCounts(t, db, file); p != 1 || e != 0 {
		t.Errorf("second import: %d projects, %d new evidence; want 1, 0", p, e)
	}
	s := openStore(t, db)
	if got := slugsOf(t, s); strings.Join(got, ",") != "demo" {
		t.Fatalf("projects after import: %v, want [demo]", got)
	}
	if p, err := s.Project(context.Background(), "demo"); err != nil || p.Name != "Demo" {
		t.Errorf("demo: %+v, %v", p, err)
	}
	ev := acceptedEvidence(t, s, "demo")
	if len(ev) != 1 || ev[0].URL != "https://example.org/a" || ev[0].Quote != "Q" {
		t.Errorf("demo's accepted evidence after two imports: %+v, want the one item", ev)
	}

	// A file whose first project is fine and whose second is not is
	// rejected whole: nothing of it is stored.
	mixed := writeFile(t, dir, "mixed.json", `{"sourced_as_of":"2026-07","projects":[
		{"slug":"demo","name":"Demo","evidence":[{"axis":"training","url":"https://example.org/new","title":"T2","quote":"Q2","finding":"","source_type":"primary"}],"contracts":[]},
		{"slug":"demo2","name":"Demo 2","evidence":[{"axis":"training","url":"javascript:alert(1)","title":"T","quote":"Q","finding":"","source_type":"primary"}],"contracts":[]}]}`)
	stdout, _, err := runCmd(t, nil, "--db", db, "import", mixed)
	if err == nil {
		t.Fatalf("import of a javascript: URL succeeded: %q", stdout)
	}
	if isUsage(err) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), mixed) || !strings.Contains(err.Error(), "nothing imported") {
		t.Errorf("error %q: want one ordinary line naming %s and saying nothing was imported", err, mixed)
	}
	if strings.Contains(stdout, "imported") {
		t.Errorf("failed import printed %q", stdout)
	}
	if got := slugsOf(t, s); strings.Join(got, ",") != "demo" {
		t.Errorf("projects after a rejected import: %v, want [demo]", got)
	}
	if ev := acceptedEvidence(t, s, "demo"); len(ev) != 1 {
		t.Errorf("a rejected import still added evidence to demo: %d items", len(ev))
	}
}

func TestRunImportRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, content, mention string
	}{
		{"not JSON", `{"projects": [`, "JSON"},
		{"not an object", `[1,2,3]`, "JSON"},
		{"neither shape", `{"hello":"world"}`, "projects"},
		{"unknown field", `{"sourced_as_of":"2026-07","projects":[{"slug":"demo2","name":"Demo 2","evidnce":[]}]}`, "evidnce"},
		{"javascript: URL", `{"sourced_as_of":"2026-07","projects":[{"slug":"demo2","name":"Demo 2","evidence":[{"axis":"training","url":"javascript:alert(1)","title":"T","quote":"Q","finding":"","source_type":"primary"}],"contracts":[]}]}`, "javascript:alert(1)"},
		{"bad slug", `{"sourced_as_of":"2026-07","projects":[{"slug":"Demo 2","name":"Demo 2","evidence":[],"contracts":[]}]}`, "slug"},
		{"unknown axis", `{"sourced_as_of":"2026-07","projects":[{"slug":"demo2","name":"Demo 2","evidence":[{"axis":"vibes","url":"https://example.org/a","title":"T","quote":"Q","finding":"","source_type":"primary"}],"contracts":[]}]}`, "vibes"},
		{"assessment of an unknown project", `{"methodology":"1.0","assessed_by":"editors","assessed_at":"2026-07-01","assessments":{"demo2":{"training":{"level":1,"criterion":"c","rationale":"r","evidence":[]}}}}`, "demo2"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(dir, fmt.Sprintf("x%d.db", i))
			file := writeFile(t, dir, fmt.Sprintf("bad%d.json", i), c.content)
			stdout, _, err := runCmd(t, nil, "--db", db, "import", file)
			if err == nil {
				t.Fatalf("import succeeded: %q", stdout)
			}
			if isUsage(err) {
				t.Errorf("a bad file is a usage error (exit 2): %v", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, file) || !strings.Contains(msg, c.mention) {
				t.Errorf("error %q: want one line naming %s and mentioning %q", msg, file, c.mention)
			}
			if stdout != "" {
				t.Errorf("failed import printed %q", stdout)
			}
			if got := slugsOf(t, openStore(t, db)); len(got) != 0 {
				t.Errorf("a rejected import stored projects %v", got)
			}
		})
	}
}

func TestRunBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	importCounts(t, db, writeFile(t, dir, "projects.json", demoDataset))

	target := filepath.Join(dir, "backup.db")
	stdout, _, err := runCmd(t, nil, "--db", db, "backup", target)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if want := fmt.Sprintf("backed up %s to %s\n", db, target); stdout != want {
		t.Errorf("backup printed %q, want %q", stdout, want)
	}
	b := openStore(t, target)
	if got := slugsOf(t, b); strings.Join(got, ",") != "demo" {
		t.Errorf("backup has projects %v, want [demo]", got)
	}
	if ev := acceptedEvidence(t, b, "demo"); len(ev) != 1 {
		t.Errorf("backup has %d accepted evidence items for demo, want 1", len(ev))
	}

	// An existing target is not overwritten.
	existing := writeFile(t, dir, "existing.db", "precious")
	_, _, err = runCmd(t, nil, "--db", db, "backup", existing)
	if err == nil || isUsage(err) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), existing) {
		t.Errorf("backup onto an existing file: %v; want one ordinary line naming it", err)
	}
	if got, _ := os.ReadFile(existing); string(got) != "precious" {
		t.Errorf("backup overwrote an existing file: %q", got)
	}

	// A target in a missing directory fails cleanly.
	_, _, err = runCmd(t, nil, "--db", db, "backup", filepath.Join(dir, "nope", "b.db"))
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("backup into a missing directory: %v; want a one-line error", err)
	}
}

func TestRunServeStopsWhenContextIsCancelled(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		done <- run(ctx, []string{"--badge-s-maxage", "2h"}, envList(map[string]string{"SCORECARD_DB": db, "SCORECARD_ADDR": addr,
			"SCORECARD_BASE_URL": "https://scorecard.example/", "SCORECARD_BADGE_MAX_AGE": "60"}), io.Discard, stderr)
		close(exited)
	}()
	t.Cleanup(func() {
		cancel()
		select { // bounded: a serve that ignores its context has already failed the test
		case <-exited:
		case <-time.After(10 * time.Second):
		}
	})

	waitHealthy(t, "http://"+addr, exited, stderr.String)
	// SCORECARD_BASE_URL reaches the site: links use it, not the address served.
	res, err := http.Get("http://" + addr + "/p/bittensor")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), `<meta property="og:url" content="https://scorecard.example/p/bittensor">`) {
		t.Error("the page's links do not start with SCORECARD_BASE_URL")
	}
	// SCORECARD_BADGE_MAX_AGE and --badge-s-maxage reach the badges and the shields JSON.
	res, err = http.Get("http://" + addr + "/badge/bittensor.svg")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60, s-maxage=7200" {
		t.Errorf("badge Cache-Control %q, want the configured max-age=60, s-maxage=7200", cc)
	}
	res, err = http.Get("http://" + addr + "/api/v1/badge/bittensor.json")
	if err != nil {
		t.Fatal(err)
	}
	endpoint, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(endpoint), `"cacheSeconds":60`) {
		t.Errorf("shields JSON %s, want cacheSeconds 60", endpoint)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("serve still running 10s after cancel; log:\n%s", stderr.String())
	}
	logs := stderr.String()
	for _, want := range []string{"seeded an empty database", "listening", "shutting down", "stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("the listener is still open after serve returned")
	}

	// The seeded database backs up whole.
	target := filepath.Join(dir, "backup.db")
	if _, _, err := runCmd(t, nil, "--db", db, "backup", target); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if got, want := len(slugsOf(t, openStore(t, target))), len(embedded(t).Projects); got != want {
		t.Errorf("backup of the seeded database has %d projects, want %d", got, want)
	}
}

func TestRunServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, _, err = runCmd(t, nil, "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", addr)
	if err == nil || isUsage(err) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), addr) {
		t.Errorf("serve on a busy address: %v; want one ordinary line naming %s", err, addr)
	}
}

// SCORECARD_ADDR matters only to serve, and --addr wins over it.
func TestAddrEnvOnlyMattersToServe(t *testing.T) {
	env := map[string]string{"SCORECARD_ADDR": "nonsense", "SCORECARD_DB": filepath.Join(t.TempDir(), "x.db")}
	if _, _, err := runCmd(t, env, "help"); err != nil {
		t.Fatalf("help with a bad SCORECARD_ADDR: %v", err)
	}
	_, _, err := runCmd(t, env, "serve", "--addr", "127.0.0.1:99999")
	var u usageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "--addr") || strings.Contains(err.Error(), "SCORECARD_ADDR") {
		t.Fatalf("bad --addr over bad env: %v", err)
	}
	_, _, err = runCmd(t, env)
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "SCORECARD_ADDR") {
		t.Fatalf("bad env: %v", err)
	}
}

// The chain flags work before the (implied) serve command and after it,
// and bad values are usage errors naming the flag or variable.
func TestChainFlagsAndEnv(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--db", db, "--rpc", "nonsense"}, "CHAINID=URL"},
		{nil, []string{"--db", db, "serve", "--rpc", "0=http://x"}, "positive integer"},
		{nil, []string{"--db", db, "--rpc", "1=ftp://x"}, "http(s)://"},
		{nil, []string{"--db", db, "recheck"}, "no RPC endpoint configured"},
		{map[string]string{"SCORECARD_RPC_abc": "http://x"}, []string{"--db", db, "recheck"}, "SCORECARD_RPC_abc"},
		{map[string]string{"SCORECARD_CONFIRMATIONS": "-1"}, []string{"--db", db, "serve"}, "SCORECARD_CONFIRMATIONS"},
		{map[string]string{"SCORECARD_RECHECK_INTERVAL": "soon"}, []string{"--db", db, "serve"}, "SCORECARD_RECHECK_INTERVAL"},
		{nil, []string{"--db", db, "contract", "add", "--project", "olas", "--chain", "1", "--address", "0x12", "--role", "token"}, "--address"},
		{nil, []string{"--db", db, "contract", "add", "--project", "olas", "--chain", "1", "--address", "0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44", "--role", "king"}, "--role"},
		{nil, []string{"--db", db, "contract", "add", "--project", "olas", "--chain", "one", "--address", "0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44", "--role", "token"}, "--chain"},
		{nil, []string{"--db", db, "contract", "add", "--project", "olas", "--chain", "eip155:abc", "--address", "0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44", "--role", "token"}, "--chain"},
		{nil, []string{"--db", db, "contract", "add", "--project", "olas", "--chain", "0", "--address", "0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44", "--role", "token"}, "--chain"},
		{nil, []string{"--db", db, "contract", "frobnicate"}, "unknown contract subcommand"},
	} {
		_, _, err := runCmd(t, c.env, c.args...)
		if !isUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: got %v, want a usage error with %q", c.env, c.args, err, c.want)
		}
	}
	// A valid add, then the same again: a conflict, not a second row.
	args := []string{"--db", db, "contract", "add", "--project", "olas", "--chain", "eip155:1", "--address", "0x77e06c9eccf2e797fd462a92b6d7642ef85b0a44", "--role", "token", "--label", "wTAO"}
	out, _, err := runCmd(t, nil, args...)
	if err != nil || !strings.Contains(out, "0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44") {
		t.Fatalf("add: %q %v", out, err)
	}
	if _, _, err := runCmd(t, nil, args...); err == nil || !strings.Contains(err.Error(), "already watches") {
		t.Fatalf("second add: %v", err)
	}
	long := append(slices.Clone(args[:len(args)-1]), strings.Repeat("x", 201))
	long[9] = "0x1111111111111111111111111111111111111111"
	if _, _, err := runCmd(t, nil, long...); err == nil || !strings.Contains(err.Error(), "at most 200 characters") {
		t.Fatalf("a 201-character label: %v", err)
	}
	if _, _, err := runCmd(t, nil, "--db", db, "contract", "add", "--project", "nope", "--chain", "1", "--address", "0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44", "--role", "token"); err == nil || !strings.Contains(err.Error(), "no project") {
		t.Fatalf("unknown project: %v", err)
	}
	out, _, err = runCmd(t, nil, "--db", db, "contract", "list", "--project", "olas")
	if err != nil || strings.Count(out, "0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44") != 1 || !strings.Contains(out, "PROJECT") {
		t.Fatalf("list: %q %v", out, err)
	}
}
