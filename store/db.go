// Package store keeps everything the site knows in SQLite (modernc.org/sqlite,
// pure Go): projects, evidence, watched contracts and append-only scorecard
// versions. It is the only package that speaks SQL.
//
// One writer connection takes every write in a BEGIN IMMEDIATE transaction;
// a pool of read-only connections serves pages. The schema lives in
// store/migrations, applied in order and tracked by PRAGMA user_version.
// store imports domain and seed (to import the dataset); never web, handlers
// or views.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is the store: one writer connection and a reader pool on one file.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB
	now   func() time.Time

	stampMu   sync.Mutex
	stampConn *sql.Conn    // for DataVersion
	gen       atomic.Int64 // write transactions committed by this process
	outside   atomic.Int64 // data versions seen change (other processes' commits)
	lastDV    atomic.Int64 // the data version last read
	stampAt   atomic.Int64 // unix nanoseconds of the last data version read
}

// StampEvery is how often Stamp reads the data version: the longest a
// cache keeps what another process's commit made stale.
const StampEvery = time.Second

// Stamp is a number that grows whenever the data may have changed, for
// caches to compare with the one they rendered from: at once for this
// process's commits, within StampEvery for other processes' (such as a
// `scorecard import` beside the server). It costs two atomic loads; once
// per StampEvery the caller that comes first also reads PRAGMA
// data_version. A failed read counts as a change.
func (db *DB) Stamp(ctx context.Context) int64 {
	now := time.Now().UnixNano()
	if last := db.stampAt.Load(); now-last >= int64(StampEvery) && db.stampAt.CompareAndSwap(last, now) {
		if dv, err := db.DataVersion(ctx); err != nil || dv != db.lastDV.Load() {
			db.lastDV.Store(dv)
			db.outside.Add(1)
		}
	}
	return db.gen.Load() + db.outside.Load()
}

// Open opens (creating if needed) the SQLite database at path and brings
// its schema up to date. The directory must exist and be writable.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, domain.Errorf(domain.EINVALID, "database path is empty")
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil {
			return nil, domain.Errorf(domain.EINVALID, "database directory %s does not exist", dir)
		} else if !st.IsDir() {
			return nil, domain.Errorf(domain.EINVALID, "%s is not a directory", dir)
		}
	}
	dsn := func(extra string) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		if extra != "" {
			q.Add("_pragma", extra)
		}
		q.Set("_txlock", "immediate")
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	write, err := sql.Open("sqlite", dsn(""))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	db := &DB{path: path, write: write, now: func() time.Time { return time.Now().UTC() }}
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, domain.Errorf(domain.EINVALID, "cannot open database %s: %v", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("migrating %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", dsn("query_only(1)"))
	if err != nil {
		write.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	db.read = read
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	db.stampMu.Lock()
	if db.stampConn != nil {
		errs = append(errs, db.stampConn.Close())
		db.stampConn = nil
	}
	db.stampMu.Unlock()
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	return errors.Join(errs...)
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// Ping checks that a reader connection answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// SetClock replaces the clock (tests).
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return out, nil
}

// migrate applies every migration above PRAGMA user_version, each in its
// own transaction together with the version bump.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var current int
	if err := db.write.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	if current > len(ms) {
		return fmt.Errorf("database schema version %d is newer than this program (%d)", current, len(ms))
	}
	for _, m := range ms[current:] {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion returns PRAGMA user_version.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE via _txlock) and
// commits it only if fn returns nil: nothing partial is ever stored.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	err = tx.Commit()
	db.gen.Add(1) // even after a failed commit: caches may drop, never keep, what they hold
	return err
}

// Backup writes a consistent copy of the database to path with VACUUM INTO.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return domain.Errorf(domain.ECONFLICT, "backup target %s already exists", path)
	}
	_, err := db.write.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

// timeFormat has a fixed width, so stored times sort as text (sessions' expiry
// is compared in SQL) and two events in one second keep their order.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

func parseNullTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseTime(s.String)
}

// DataVersion changes whenever any connection, in this process or
// another, commits a change to the database (PRAGMA data_version read on
// a dedicated connection that never writes). Stamp reads it for caches.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	db.stampMu.Lock()
	defer db.stampMu.Unlock()
	if db.stampConn == nil {
		c, err := db.read.Conn(ctx)
		if err != nil {
			return 0, err
		}
		db.stampConn = c
	}
	var v int64
	if err := db.stampConn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		db.stampConn.Close()
		db.stampConn = nil
		return 0, err
	}
	return v, nil
}
