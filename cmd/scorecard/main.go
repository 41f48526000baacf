// Command scorecard runs DeAI Scorecard: the web site (serve, the default)
// and its maintenance commands (import, backup). Configuration comes from
// flags, then SCORECARD_* environment variables, then defaults.
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
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/deai-scorecard/scorecard/handlers"
	"github.com/deai-scorecard/scorecard/seed"
	"github.com/deai-scorecard/scorecard/store"
	"github.com/deai-scorecard/scorecard/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "scorecard:", oneLine(err.Error()))
		}
		var u usageError
		if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
			if errors.Is(err, flag.ErrHelp) {
				os.Exit(0)
			}
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line or environment (exit 2).
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

const usage = `DeAI Scorecard: measures whether "decentralized AI" projects are decentralized.

Usage:
  scorecard [flags] [command] [arguments]

Commands:
  serve          run the web site (the default)
  import FILE    import a dataset (projects.json shape) or an assessment (assessments.json shape)
  backup FILE    write a consistent copy of the database to FILE
  contract add --project SLUG --chain ID --address ADDR --role ROLE [--label TEXT] [--source URL]
                 watch a contract (role: token, governor, timelock, safe, proxy, proxy-admin, other)
  contract list [--project SLUG]
                 list watched contracts
  recheck [--project SLUG]
                 read watched EVM contracts once at a confirmed block and record facts and changes
  user add --name NAME --role reviewer|admin
                 add a reviewer or admin; the password is the first line of standard input
                 (typed twice without echo on a terminal)

Flags (every command):
  --db PATH      SQLite database file (env SCORECARD_DB, default ./scorecard.db)
Flags (serve):
  --addr ADDR    listen address (env SCORECARD_ADDR, default 127.0.0.1:8080)
  --recheck-interval D
                 how often to re-check contracts, e.g. 30m (env SCORECARD_RECHECK_INTERVAL, default 1h; 0 turns it off)
  --base-url URL the site's public address, e.g. https://scorecard.example: absolute links
                 (permalinks, citations, embeds, oEmbed, the feed) start with it instead of
                 the request's Host header (env SCORECARD_BASE_URL; set it in production)
  --badge-max-age D, --badge-s-maxage D
                 Cache-Control of badges for browsers and for shared caches (CDNs), whole seconds
                 (env SCORECARD_BADGE_MAX_AGE, SCORECARD_BADGE_S_MAXAGE; default 5m and 1h)
  --trust-proxy  take client addresses from X-Real-IP/X-Forwarded-For and the scheme from
                 X-Forwarded-Proto, behind a reverse proxy that sets them
                 (env SCORECARD_TRUST_PROXY=true; default false)
Flags (serve, recheck):
  --rpc CHAINID=URL
                 JSON-RPC endpoint of an EVM chain, repeatable (env SCORECARD_RPC_<CHAINID>=URL)
  --confirmations N
                 read facts at latest - N (env SCORECARD_CONFIRMATIONS, default 12; 0 for dev chains)

A new database is created and seeded with the embedded dataset on first start.
`

// config is the program's configuration after flags and environment.
type config struct {
	DB              string
	Addr            string
	RPC             rpcFlag // chain id -> endpoint URL, from --rpc and SCORECARD_RPC_<CHAINID>
	Confirmations   uint64
	RecheckInterval time.Duration
	TrustProxy      bool   // take client addresses from X-Real-IP / X-Forwarded-For
	BaseURL         string // the public address absolute links start with; "" for the Host header
	BadgeMaxAge     time.Duration
	BadgeSMaxAge    time.Duration
	envErr          error // a bad chain-related environment value, reported by the commands that use it
}

// run is the whole program; tests call it with their own args and
// environment (KEY=VALUE lines, as os.Environ gives them).
func run(ctx context.Context, args []string, environ []string, stdout, stderr io.Writer) error {
	env := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	cfg := config{DB: "scorecard.db", Addr: "127.0.0.1:8080", Confirmations: 12, RecheckInterval: time.Hour, RPC: rpcFlag{},
		BadgeMaxAge: 5 * time.Minute, BadgeSMaxAge: time.Hour}
	cfg.envErr = cfg.fromEnv(env)
	if v := env["SCORECARD_DB"]; v != "" {
		cfg.DB = v
	}
	addrFrom := "--addr"
	if v := env["SCORECARD_ADDR"]; v != "" {
		cfg.Addr, addrFrom = v, "SCORECARD_ADDR"
	}

	global := newFlagSet("scorecard", stderr, &cfg, true)
	addChainFlags(global, &cfg, true) // "scorecard" alone is "scorecard serve"
	if err := global.Parse(args); err != nil {
		return flagError(err, stdout)
	}
	rest := global.Args()
	cmd := "serve"
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		fs := newFlagSet("serve", stderr, &cfg, true)
		addChainFlags(fs, &cfg, true)
		if err := fs.Parse(rest); err != nil {
			return flagError(err, stdout)
		}
		if cfg.envErr != nil {
			return cfg.envErr
		}
		if fs.NArg() > 0 {
			return usagef("serve takes no arguments, got %q", fs.Arg(0))
		}
		if flagSet(global, "addr") || flagSet(fs, "addr") {
			addrFrom = "--addr" // flags win over the environment
		}
		if err := checkAddr(cfg.Addr); err != nil {
			return usagef("%s: %v", addrFrom, err)
		}
		return serve(ctx, cfg, stderr)
	case "import":
		fs := newFlagSet("import", stderr, &cfg, false)
		if err := fs.Parse(rest); err != nil {
			return flagError(err, stdout)
		}
		if fs.NArg() != 1 {
			return usagef("import takes one FILE")
		}
		return importFile(ctx, cfg, fs.Arg(0), stdout)
	case "backup":
		fs := newFlagSet("backup", stderr, &cfg, false)
		if err := fs.Parse(rest); err != nil {
			return flagError(err, stdout)
		}
		if fs.NArg() != 1 {
			return usagef("backup takes one FILE")
		}
		db, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.Backup(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backed up %s to %s\n", cfg.DB, fs.Arg(0))
		return nil
	case "contract":
		return contractCommand(ctx, &cfg, rest, stdout, stderr)
	case "recheck":
		return recheckCommand(ctx, &cfg, rest, stdout, stderr)
	case "user":
		return userCommand(ctx, &cfg, rest, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usagef("unknown command %q (see scorecard --help)", cmd)
}

func newFlagSet(name string, stderr io.Writer, cfg *config, withAddr bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by main
	fs.StringVar(&cfg.DB, "db", cfg.DB, "SQLite database file")
	if withAddr {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address")
	}
	return fs
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func flagError(err error, stdout io.Writer) error {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return flag.ErrHelp
	}
	return usageError{err}
}

// checkAddr accepts host:port with a numeric port.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port", addr)
	}
	return nil
}

func openDB(ctx context.Context, cfg config) (*store.DB, error) {
	if cfg.DB == "" {
		return nil, usagef("--db is empty")
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		if strings.HasPrefix(err.Error(), "cannot open database "+cfg.DB+":") {
			return nil, err // store already said it; don't say it twice
		}
		return nil, fmt.Errorf("cannot open database %s: %w", cfg.DB, err)
	}
	return db, nil
}

// openSeededDB opens the database and seeds it when empty, so that
// commands naming a project find the seeded ones.
func openSeededDB(ctx context.Context, cfg config) (*store.DB, error) {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, _, err := db.SeedIfEmpty(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func importFile(ctx context.Context, cfg config, path string, stdout io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	f, err := seed.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.Import(ctx, f)
	if err != nil {
		return fmt.Errorf("%s: nothing imported: %w", path, err)
	}
	fmt.Fprintf(stdout, "imported %s: %s\n", path, res)
	return nil
}

func serve(ctx context.Context, cfg config, stderr io.Writer) error {
	start := time.Now()
	// Lines are written in batches (at most 100 ms late): a line per
	// request would otherwise be a system call per request.
	logw := web.NewLogWriter(stderr, 100*time.Millisecond)
	defer logw.Flush()
	logger := slog.New(slog.NewTextHandler(logw, nil))
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	seeded, res, err := db.SeedIfEmpty(ctx)
	if err != nil {
		return fmt.Errorf("seeding %s: %w", cfg.DB, err)
	}
	if seeded {
		logger.Info("seeded an empty database", "db", cfg.DB, "what", res.String(), "took", time.Since(start).Round(time.Millisecond))
	}
	site, err := handlers.SiteFromSeed()
	if err != nil {
		return err
	}
	checker, err := newChecker(ctx, cfg, db, logger)
	if err != nil {
		return err
	}
	site.CheckedChains = checker.Chains()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           web.NewServer(logger, db, site, append(serverOptions(cfg), web.CountRechecks(checker))...),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("listening", "url", "http://"+ln.Addr().String(), "db", cfg.DB, "startup", time.Since(start).Round(time.Millisecond))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	checkCtx, stopChecks := context.WithCancel(ctx)
	defer stopChecks()
	if checker.Configured() && cfg.RecheckInterval > 0 {
		logger.Info("on-chain re-checks scheduled", "chains", checker.Chains(), "interval", cfg.RecheckInterval)
		go checker.Schedule(checkCtx, cfg.RecheckInterval, cfg.RecheckInterval/10)
	} else if !checker.Configured() {
		logger.Info("on-chain re-checks not configured (no --rpc or SCORECARD_RPC_<CHAINID>)")
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

func serverOptions(cfg config) []web.Option {
	var opts []web.Option
	if cfg.TrustProxy {
		opts = append(opts, web.TrustProxyHeaders())
	}
	if cfg.BaseURL != "" {
		opts = append(opts, web.BaseURL(cfg.BaseURL))
	}
	opts = append(opts, web.BadgeCacheControl(int(cfg.BadgeMaxAge/time.Second), int(cfg.BadgeSMaxAge/time.Second)))
	return opts
}
