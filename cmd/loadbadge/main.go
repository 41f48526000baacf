// Command loadbadge measures the badge path against a bare net/http
// handler. In one process, on 127.0.0.1 random ports, it starts the real
// site (a temporary, seeded database) and a bare handler serving a constant
// SVG of the same size with an ETag, then drives each with N concurrent
// keep-alive clients for D seconds: badge 200, badge 304 (If-None-Match),
// bare 200, bare 304 and the scorecard page /p/bittensor. It prints
// requests/s and p99 latency per target and the throughput ratios, then
// stops by itself. Each target runs in 10 interleaved rounds; ratios are
// given as the median of per-round ratios, over the whole run, and by the
// process's CPU time per request (which other work on the machine does
// not move).
//
//	go run ./cmd/loadbadge [-c 50] [-d 5s] [-max 2000000]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/web"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "loadbadge:", err)
		}
		os.Exit(2)
	}
}

// Result is one target's measurement.
type Result struct {
	Name     string
	Requests int64
	Errors   int64
	PerSec   float64
	P99      time.Duration
	CPU      time.Duration // process CPU time per request
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadbadge", flag.ContinueOnError)
	conns := fs.Int("c", 50, "concurrent keep-alive clients per target (1–1000)")
	dur := fs.Duration("d", 5*time.Second, "how long to drive each target (at most 1m)")
	maxReq := fs.Int64("max", 2_000_000, "most requests per target")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *conns < 1 || *conns > 1000 || *dur <= 0 || *dur > time.Minute || *maxReq < 1 {
		return fmt.Errorf("want 1 ≤ -c ≤ 1000, 0 < -d ≤ 1m, -max ≥ 1")
	}

	dir, err := os.MkdirTemp("", "loadbadge-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "site.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, _, err := db.SeedIfEmpty(ctx); err != nil {
		return err
	}
	// The site logs a line per page request, as `scorecard serve` does (in
	// batches); here to a file, as a server under a supervisor writes to a
	// pipe or a file.
	logFile, err := os.Create(filepath.Join(dir, "requests.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	logw := web.NewLogWriter(logFile, 100*time.Millisecond) // as serve does
	defer logw.Flush()
	site := web.NewServer(slog.New(slog.NewTextHandler(logw, nil)), db, handlers.Site{Methodology: "1.0"})
	siteURL, stopSite, err := serve(site)
	if err != nil {
		return err
	}
	defer stopSite()

	// The real badge, to size the bare one.
	// Without Accept-Encoding, like the load clients: the identity body and its ETag.
	probe := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	res, err := probe.Get(siteURL + "/badge/bittensor.svg")
	if err != nil {
		return err
	}
	badge, _ := io.ReadAll(res.Body)
	res.Body.Close()
	etag := res.Header.Get("ETag")
	if res.StatusCode != 200 || etag == "" {
		return fmt.Errorf("badge: status %d, ETag %q", res.StatusCode, etag)
	}
	bare := bareHandler([]byte(strings.Repeat("x", len(badge))), `"bare-0123456789abcdef"`)
	bareURL, stopBare, err := serve(bare)
	if err != nil {
		return err
	}
	defer stopBare()

	targets := []struct {
		name, url, inm string
	}{
		{"bare 200", bareURL + "/badge.svg", ""},
		{"badge 200", siteURL + "/badge/bittensor.svg", ""},
		{"bare 304", bareURL + "/badge.svg", `"bare-0123456789abcdef"`},
		{"badge 304", siteURL + "/badge/bittensor.svg", etag},
		{"page /p/bittensor", siteURL + "/p/bittensor", ""},
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// Targets take turns in short rounds, so that other load on the
	// machine weighs on all of them alike; a ratio is taken per round
	// between targets driven back to back, and the median of those is
	// reported beside the whole-run ratio, so one disturbed round does
	// not decide it.
	const rounds = 10
	samples := make([]sample, len(targets))
	perRound := make([][]float64, len(targets)) // requests/s per round
	for range rounds {
		for i, t := range targets {
			runtime.GC() // start each target without the garbage of the last
			s := drive(ctx, t.url, t.inm, *conns, *dur/rounds, *maxReq/rounds)
			perRound[i] = append(perRound[i], s.perSec())
			samples[i].add(s)
		}
	}
	results := map[string]Result{}
	index := map[string]int{}
	fmt.Fprintf(out, "%d clients, %v per target (%d rounds), badge %d bytes\n", *conns, *dur, rounds, len(badge))
	fmt.Fprintf(out, "%-18s %10s %10s %8s %9s %8s\n", "target", "requests", "req/s", "p99", "cpu/req", "errors")
	for i, t := range targets {
		r := samples[i].result(t.name)
		results[t.name], index[t.name] = r, i
		fmt.Fprintf(out, "%-18s %10d %10.0f %8s %9s %8d\n", r.Name, r.Requests, r.PerSec, r.P99.Round(10*time.Microsecond), r.CPU.Round(100*time.Nanosecond), r.Errors)
	}
	ratio := func(label, a, b, target string) {
		paired := make([]float64, rounds)
		for k := range rounds {
			paired[k] = perRound[index[a]][k] / perRound[index[b]][k]
		}
		slices.Sort(paired)
		median := (paired[(rounds-1)/2] + paired[rounds/2]) / 2
		fmt.Fprintf(out, "ratio %-16s %.2f median of %d paired rounds (range %.2f–%.2f), %.2f over the whole run (target %s); by CPU per request %.2f\n",
			label+":", median, rounds, paired[0], paired[rounds-1], results[a].PerSec/results[b].PerSec, target,
			float64(results[b].CPU)/float64(results[a].CPU))
	}
	ratio("badge/bare 200", "badge 200", "bare 200", "≥ 0.9")
	ratio("badge/bare 304", "badge 304", "bare 304", "≥ 0.9")
	ratio("page/bare 200", "page /p/bittensor", "bare 200", "≥ 0.5")
	fmt.Fprintf(out, "page p99: %s (target < 10ms)\n", results["page /p/bittensor"].P99.Round(10*time.Microsecond))
	for _, r := range results {
		if r.Errors > 0 {
			return fmt.Errorf("%s: %d errors", r.Name, r.Errors)
		}
	}
	return nil
}

// bareHandler serves body with an ETag, answering 304 on a matching
// If-None-Match: the least a badge handler could do.
func bareHandler(body []byte, etag string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "public, max-age=300, s-maxage=3600")
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", "image/svg+xml; charset=utf-8")
		_, _ = w.Write(body)
	})
}

// serve listens on a random loopback port.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// sample is what drive measured: latencies, errors and time taken.
type sample struct {
	lat     []time.Duration
	errs    int64
	elapsed time.Duration
	cpu     time.Duration // CPU time the whole process used (server and clients)
}

func (s *sample) add(o sample) {
	s.lat = append(s.lat, o.lat...)
	s.errs += o.errs
	s.elapsed += o.elapsed
	s.cpu += o.cpu
}

func (s *sample) perSec() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(len(s.lat)) / s.elapsed.Seconds()
}

// cpuPerRequest is the process's CPU time per request: unlike throughput,
// it does not move when other work on the machine takes the CPUs.
func (s *sample) cpuPerRequest() time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	return s.cpu / time.Duration(len(s.lat))
}

// processCPU is the CPU time (user and system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (s *sample) result(name string) Result {
	slices.Sort(s.lat)
	r := Result{Name: name, Requests: int64(len(s.lat)), Errors: s.errs, CPU: s.cpuPerRequest()}
	if s.elapsed > 0 {
		r.PerSec = float64(len(s.lat)) / s.elapsed.Seconds()
	}
	if len(s.lat) > 0 {
		r.P99 = s.lat[(len(s.lat)*99+99)/100-1] // nearest rank
	}
	return r
}

// drive sends requests from conns keep-alive clients until dur has passed
// or maxReq were sent. The clients read through 64 KiB buffers, so that a
// page costs the load generator a read or two rather than one per 4 KiB:
// what is measured is the server, as far as a client in the same process
// allows.
func drive(ctx context.Context, url, inm string, conns int, dur time.Duration, maxReq int64) sample {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, DisableCompression: true, ReadBufferSize: 64 << 10}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	want := http.StatusOK
	if inm != "" {
		want = http.StatusNotModified
	}
	var sent, errs atomic.Int64
	lat := make([][]time.Duration, conns)
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), processCPU()
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, 1<<12)
			for ctx.Err() == nil && sent.Add(1) <= maxReq {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				if inm != "" {
					req.Header.Set("If-None-Match", inm)
				}
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != want {
					errs.Add(1)
				}
				mine = append(mine, time.Since(t0))
			}
			lat[i] = mine
		}()
	}
	wg.Wait()
	return sample{lat: slices.Concat(lat...), errs: errs.Load(), elapsed: time.Since(start), cpu: processCPU() - cpu0}
}
