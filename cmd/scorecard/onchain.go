package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/onchain"
	"github.com/deai-scorecard/scorecard/store"
)

// rpcFlag collects --rpc CHAINID=URL values.
type rpcFlag map[uint64]string

func (r rpcFlag) String() string {
	var parts []string
	for id, u := range r {
		parts = append(parts, fmt.Sprintf("%d=%s", id, u))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func (r rpcFlag) Set(v string) error {
	id, u, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want CHAINID=URL, got %q", v)
	}
	return r.add(id, u)
}

func (r rpcFlag) add(id, u string) error {
	n, err := strconv.ParseUint(strings.TrimSpace(id), 10, 64)
	if err != nil || n == 0 {
		return fmt.Errorf("chain id %q is not a positive integer", id)
	}
	u = strings.TrimSpace(u)
	if !(strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "ws://") || strings.HasPrefix(u, "wss://")) {
		return fmt.Errorf("endpoint %q must be an http(s):// or ws(s):// URL", u)
	}
	r[n] = u
	return nil
}

// fromEnv reads SCORECARD_RPC_<CHAINID>, SCORECARD_CONFIRMATIONS and
// SCORECARD_RECHECK_INTERVAL; flags given later override them.
func (c *config) fromEnv(env map[string]string) error {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if id, ok := strings.CutPrefix(k, "SCORECARD_RPC_"); ok && env[k] != "" {
			if err := c.RPC.add(id, env[k]); err != nil {
				return usagef("%s: %v", k, err)
			}
		}
	}
	if v := env["SCORECARD_CONFIRMATIONS"]; v != "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return usagef("SCORECARD_CONFIRMATIONS: %q is not a non-negative integer", v)
		}
		c.Confirmations = n
	}
	if v := env["SCORECARD_TRUST_PROXY"]; v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return usagef("SCORECARD_TRUST_PROXY: %q is not true or false", v)
		}
		c.TrustProxy = b
	}
	if v := env["SCORECARD_BASE_URL"]; v != "" {
		u, err := handlers.ParseBaseURL(v)
		if err != nil {
			return usagef("SCORECARD_BASE_URL: %v", err)
		}
		c.BaseURL = u
	}
	for _, e := range []struct {
		name string
		dst  *time.Duration
	}{{"SCORECARD_BADGE_MAX_AGE", &c.BadgeMaxAge}, {"SCORECARD_BADGE_S_MAXAGE", &c.BadgeSMaxAge}} {
		if v := env[e.name]; v != "" {
			d, err := parseCacheAge(v)
			if err != nil {
				return usagef("%s: %v", e.name, err)
			}
			*e.dst = d
		}
	}
	if v := env["SCORECARD_RECHECK_INTERVAL"]; v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return usagef("SCORECARD_RECHECK_INTERVAL: %q is not a duration such as 30m or 1h", v)
		}
		c.RecheckInterval = d
	}
	return nil
}

// parseCacheAge reads a cache lifetime: a duration such as 5m or 1h (or a
// number of seconds), whole seconds, from 0 to a year.
func parseCacheAge(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		n, err2 := strconv.ParseUint(v, 10, 32)
		if err2 != nil {
			return 0, fmt.Errorf("%q is not a duration such as 5m or 1h", v)
		}
		d = time.Duration(n) * time.Second
	}
	if d < 0 || d > 365*24*time.Hour || d%time.Second != 0 {
		return 0, fmt.Errorf("%q: give whole seconds from 0 to a year", v)
	}
	return d, nil
}

// addChainFlags adds --rpc and --confirmations (and, for serve, --recheck-interval).
func addChainFlags(fs *flag.FlagSet, cfg *config, withInterval bool) {
	fs.Var(cfg.RPC, "rpc", "CHAINID=URL of a JSON-RPC endpoint (repeatable)")
	fs.Uint64Var(&cfg.Confirmations, "confirmations", cfg.Confirmations, "read facts at latest - N")
	if withInterval {
		fs.DurationVar(&cfg.RecheckInterval, "recheck-interval", cfg.RecheckInterval, "how often to re-check contracts")
		fs.BoolVar(&cfg.TrustProxy, "trust-proxy", cfg.TrustProxy, "take client addresses and scheme from proxy headers")
		for _, f := range []struct {
			name string
			dst  *time.Duration
		}{{"badge-max-age", &cfg.BadgeMaxAge}, {"badge-s-maxage", &cfg.BadgeSMaxAge}} {
			fs.Func(f.name, "Cache-Control "+strings.TrimPrefix(f.name, "badge-")+" of badges, e.g. 5m", func(v string) error {
				d, err := parseCacheAge(v)
				if err == nil {
					*f.dst = d
				}
				return err
			})
		}
		fs.Func("base-url", "the site's public address, e.g. https://scorecard.example", func(v string) error {
			u, err := handlers.ParseBaseURL(v)
			if err == nil {
				cfg.BaseURL = u
			}
			return err
		})
	}
}

// newChecker dials the configured endpoints. Dialling sends nothing, so an
// endpoint that is down never blocks start-up; its runs record the error.
func newChecker(ctx context.Context, cfg config, db *store.DB, log *slog.Logger) (*onchain.Checker, error) {
	var readers []*onchain.EVM
	ids := make([]uint64, 0, len(cfg.RPC))
	for id := range cfg.RPC {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		r, err := onchain.DialEVM(ctx, onchain.EVMConfig{URL: cfg.RPC[id], ChainID: id, Confirmations: cfg.Confirmations})
		if err != nil {
			return nil, usagef("--rpc %d: %v", id, err)
		}
		readers = append(readers, r)
	}
	return onchain.NewChecker(db, readers, log), nil
}

func contractCommand(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("contract needs a subcommand: add or list")
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("contract "+sub, stderr, cfg, false)
	var c domain.Contract
	var project, role string
	fs.StringVar(&project, "project", "", "project slug")
	switch sub {
	case "add":
		fs.StringVar(&c.Chain, "chain", "", "chain: an EVM chain id (1) or a CAIP-2 id (eip155:1)")
		fs.StringVar(&c.Address, "address", "", "address in the chain's own format")
		fs.StringVar(&role, "role", "", "token, governor, timelock, safe, proxy, proxy-admin or other")
		fs.StringVar(&c.Label, "label", "", "what it is")
		fs.StringVar(&c.SourceURL, "source", "", "URL where the address is documented")
	case "list":
	default:
		return usagef("unknown contract subcommand %q (add or list)", sub)
	}
	if err := fs.Parse(args); err != nil {
		return flagError(err, stdout)
	}
	if fs.NArg() > 0 {
		return usagef("contract %s takes no arguments, got %q", sub, fs.Arg(0))
	}
	db, err := openSeededDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if sub == "list" {
		ws, err := db.WatchedContracts(ctx, project, "")
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PROJECT\tCHAIN\tADDRESS\tROLE\tLABEL")
		for _, w := range ws {
			chain := w.Chain
			if chain == "" {
				chain = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", w.ProjectSlug, chain, w.Address, w.Role, oneLine(truncate(w.Label, 70)))
		}
		return tw.Flush()
	}
	switch {
	case project == "":
		return usagef("contract add needs --project")
	case c.Chain == "":
		return usagef("contract add needs --chain")
	case c.Address == "":
		return usagef("contract add needs --address")
	case role == "":
		return usagef("contract add needs --role")
	}
	if _, err := strconv.ParseUint(c.Chain, 10, 64); err == nil {
		c.Chain = "eip155:" + c.Chain
	}
	if !domain.ValidCAIP2(c.Chain) {
		return usagef("--chain %q is neither a chain id nor a CAIP-2 id such as eip155:1", c.Chain)
	}
	c.Role = domain.ContractRole(role)
	if !c.Role.Valid() {
		return usagef("--role %q is not one of token, governor, timelock, safe, proxy, proxy-admin, other", role)
	}
	if c.Address, err = onchain.NormalizeAddress(c.Chain, c.Address); err != nil {
		return usagef("--address: %v", err)
	}
	added, err := db.AddContract(ctx, project, c)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "watching %s %s on %s for %s (#%d)\n", added.Role, added.Address, added.Chain, project, added.ID)
	return nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func recheckCommand(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("recheck", stderr, cfg, false)
	addChainFlags(fs, cfg, false)
	var project string
	fs.StringVar(&project, "project", "", "re-check only this project's contracts")
	if err := fs.Parse(args); err != nil {
		return flagError(err, stdout)
	}
	if fs.NArg() > 0 {
		return usagef("recheck takes no arguments, got %q", fs.Arg(0))
	}
	if cfg.envErr != nil {
		return cfg.envErr
	}
	if len(cfg.RPC) == 0 {
		return usagef("no RPC endpoint configured: pass --rpc CHAINID=URL or set SCORECARD_RPC_<CHAINID>")
	}
	db, err := openSeededDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	checker, err := newChecker(ctx, *cfg, db, nil)
	if err != nil {
		return err
	}
	sum, err := checker.Recheck(ctx, project)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "checked %d contracts on %d chains: %d facts, %d changes, %d errors, %d round trips, %s\n",
		sum.Contracts, sum.Chains, sum.Facts, len(sum.Changes), len(sum.Errors), sum.RoundTrips, sum.Duration.Round(time.Millisecond))
	if sum.NotChecked > 0 {
		fmt.Fprintf(stdout, "not checked: %d contracts on chains without an endpoint\n", sum.NotChecked)
	}
	for _, ch := range sum.Changes {
		fmt.Fprintf(stdout, "change [%s] contract #%d %s: %q -> %q (blocks %d -> %d)\n", ch.Grade, ch.ContractID, ch.Key, ch.Old, ch.New, ch.OldBlock, ch.NewBlock)
	}
	for _, e := range sum.Errors {
		fmt.Fprintf(stdout, "error: %s\n", oneLine(e))
	}
	if len(sum.Errors) > 0 && sum.Contracts == 0 {
		return fmt.Errorf("re-check failed: %s", oneLine(sum.Errors[0]))
	}
	return nil
}
