package onchain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/store"
)

// Checker re-checks watched contracts: for each chain with a configured
// endpoint it reads every watched contract at one confirmed block and
// records the run, its facts and the change events.
type Checker struct {
	db      *store.DB
	readers map[string]*EVM // by CAIP-2 chain id
	log     *slog.Logger

	mu            sync.Mutex
	misconfigured map[string]string // chain -> why; such endpoints are no longer used

	// OnRun, when set before the first re-check, hears about every run
	// recorded (for metrics).
	OnRun func(chain string, ok bool)
}

// NewChecker builds a checker over the given readers (one per chain).
func NewChecker(db *store.DB, readers []*EVM, log *slog.Logger) *Checker {
	c := &Checker{db: db, readers: map[string]*EVM{}, log: log, misconfigured: map[string]string{}}
	for _, r := range readers {
		c.readers[r.Chain()] = r
	}
	return c
}

// Configured reports whether any endpoint is configured.
func (c *Checker) Configured() bool { return len(c.readers) > 0 }

// Chains lists the configured chains.
func (c *Checker) Chains() []string {
	var out []string
	for ch := range c.readers {
		out = append(out, ch)
	}
	sort.Strings(out)
	return out
}

// Summary is what one re-check did.
type Summary struct {
	Chains     int
	Contracts  int // contracts read
	Facts      int
	Changes    []domain.ChangeEvent
	Errors     []string // failed chains and contract problems
	Failed     int      // chains whose run failed (contract problems aside)
	NotChecked int      // eip155 contracts on chains without an endpoint
	RoundTrips int
	Duration   time.Duration
}

// Recheck reads the watched EVM contracts (of one project when slug is
// set) on every configured chain. A chain whose read fails is recorded as
// a failed run with its error and no facts; the others go on.
func (c *Checker) Recheck(ctx context.Context, slug string) (Summary, error) {
	start := time.Now()
	var sum Summary
	watched, err := c.db.WatchedContracts(ctx, slug, "eip155:")
	if err != nil {
		return sum, err
	}
	byChain := map[string][]domain.Contract{}
	for _, w := range watched {
		byChain[w.Chain] = append(byChain[w.Chain], w.Contract)
	}
	chains := make([]string, 0, len(byChain))
	for ch := range byChain {
		chains = append(chains, ch)
	}
	sort.Strings(chains)
	for _, chain := range chains {
		cs := byChain[chain]
		r := c.readers[chain]
		if r == nil {
			sum.NotChecked += len(cs)
			continue
		}
		c.mu.Lock()
		why := c.misconfigured[chain]
		c.mu.Unlock()
		if why != "" {
			sum.Errors = append(sum.Errors, fmt.Sprintf("%s: endpoint not used: %s", chain, why))
			sum.NotChecked += len(cs)
			continue
		}
		sum.Chains++
		ids := make([]int64, len(cs))
		for i, ct := range cs {
			ids[i] = ct.ID
		}
		run := domain.CheckRun{Chain: chain, StartedAt: time.Now().UTC(), Reader: ReaderVersion}
		res, rerr := r.Read(ctx, cs)
		run.FinishedAt = time.Now().UTC()
		run.RoundTrips = res.RoundTrips
		sum.RoundTrips += res.RoundTrips
		rec := store.RunRecord{Covered: ids}
		if rerr != nil {
			if ctx.Err() != nil {
				return sum, ctx.Err() // shutting down: record nothing
			}
			run.Error = rerr.Error()
			if errors.Is(rerr, ErrWrongChain) {
				c.mu.Lock()
				c.misconfigured[chain] = rerr.Error()
				c.mu.Unlock()
				run.Error = "misconfigured endpoint: " + rerr.Error()
			}
			sum.Errors = append(sum.Errors, fmt.Sprintf("%s: %s", chain, run.Error))
			sum.Failed++
		} else {
			run.OK, run.Block = true, res.Block
			rec.Facts, rec.Errors = res.Facts, res.Errors
			for _, e := range res.Errors {
				sum.Errors = append(sum.Errors, fmt.Sprintf("%s contract #%d: %s", chain, e.ContractID, e.Message))
			}
			sum.Contracts += len(cs)
			sum.Facts += len(res.Facts)
		}
		rec.Run = run
		_, events, err := c.db.RecordRun(ctx, rec, scorers.GradeChange)
		if err != nil {
			return sum, fmt.Errorf("recording the %s run: %w", chain, err)
		}
		sum.Changes = append(sum.Changes, events...)
		if c.OnRun != nil {
			c.OnRun(chain, run.OK)
		}
		if c.log != nil {
			c.log.Info("re-checked", "chain", chain, "ok", run.OK, "block", run.Block.Number, "contracts", len(cs),
				"facts", len(rec.Facts), "changes", len(events), "round_trips", run.RoundTrips, "error", run.Error)
		}
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

// Schedule re-checks every interval (± jitter) until ctx ends. The first
// run starts after a short random delay so start-up is never blocked. A
// run with failures is retried with exponential backoff, capped at the
// interval.
func (c *Checker) Schedule(ctx context.Context, interval, jitter time.Duration) {
	if !c.Configured() || interval <= 0 {
		return
	}
	const firstBackoff = 30 * time.Second
	backoff := firstBackoff
	wait := time.Duration(rand.Int64N(int64(5*time.Second) + 1))
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		sum, err := c.Recheck(ctx, "")
		switch {
		case ctx.Err() != nil:
			return
		case err != nil || sum.Failed > 0:
			// A chain's run failed (node down, timeout): retry sooner. A
			// contract that is read only in part (an address that is not
			// one, a refused event query) is a standing condition that
			// retrying soon would not change.
			if c.log != nil {
				c.log.Warn("re-check had errors; retrying with backoff", "err", err, "errors", len(sum.Errors), "retry_in", backoff)
			}
			wait = backoff
			backoff = min(backoff*2, interval)
		default:
			backoff = firstBackoff
			wait = interval
			if jitter > 0 {
				wait += time.Duration(rand.Int64N(int64(2*jitter)+1)) - jitter
			}
		}
	}
}
