package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/deai-scorecard/scorecard/domain"
)

// AddContract adds a watched contract to a project. The address must
// already be in its chain's canonical form (the onchain package normalises
// EVM addresses); the same chain and address twice is a conflict.
func (db *DB) AddContract(ctx context.Context, slug string, c domain.Contract) (domain.Contract, error) {
	if !c.Role.Valid() {
		return c, domain.Errorf(domain.EINVALID, "unknown role %q (want one of %s)", c.Role, roleList())
	}
	if c.Chain != "" && !domain.ValidCAIP2(c.Chain) {
		return c, domain.Errorf(domain.EINVALID, "chain %q is not a CAIP-2 id such as eip155:1", c.Chain)
	}
	if strings.TrimSpace(c.Address) == "" {
		return c, domain.Errorf(domain.EINVALID, "address is empty")
	}
	if utf8.RuneCountInString(c.Label) > domain.MaxContractLabel || strings.ContainsAny(c.Label, "\r\n") || !utf8.ValidString(c.Label) {
		return c, domain.Errorf(domain.EINVALID, "a label is one line of at most %d characters", domain.MaxContractLabel)
	}
	if c.SourceURL != "" {
		if err := checkHTTPURL(c.SourceURL); err != nil {
			return c, domain.Errorf(domain.EINVALID, "source: %v", err)
		}
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT id FROM projects WHERE slug = ?`, slug).Scan(&c.ProjectID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return domain.Errorf(domain.ENOTFOUND, "no project %q", slug)
			}
			return err
		}
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM contracts WHERE project_id = ? AND chain = ? AND lower(address) = lower(?)`,
			c.ProjectID, c.Chain, c.Address).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return domain.Errorf(domain.ECONFLICT, "%s already watches %s on %s", slug, c.Address, c.Chain)
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO contracts (project_id, chain, address, role, label, source_url, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ProjectID, c.Chain, c.Address, c.Role, c.Label, c.SourceURL, c.Note, formatTime(db.now())).Scan(&c.ID)
	})
	return c, err
}

func roleList() string {
	var s []string
	for _, r := range domain.ContractRoles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// WatchedContract is a contract with its project's slug, for listings and re-checks.
type WatchedContract struct {
	domain.Contract
	ProjectSlug string
}

// WatchedContracts lists watched contracts, optionally of one project
// and/or in one chain namespace prefix (e.g. "eip155:"), by project and id.
func (db *DB) WatchedContracts(ctx context.Context, slug, chainPrefix string) ([]WatchedContract, error) {
	q := `SELECT c.id, c.project_id, c.chain, c.address, c.role, c.label, c.source_url, c.note, p.slug
		FROM contracts c JOIN projects p ON p.id = c.project_id WHERE 1=1`
	var args []any
	if slug != "" {
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects WHERE slug = ?`, slug).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, domain.Errorf(domain.ENOTFOUND, "no project %q", slug)
		}
		q += ` AND p.slug = ?`
		args = append(args, slug)
	}
	if chainPrefix != "" {
		q += ` AND c.chain LIKE ? ESCAPE '\'`
		args = append(args, strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(chainPrefix)+"%")
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY p.slug, c.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WatchedContract
	for rows.Next() {
		var w WatchedContract
		if err := rows.Scan(&w.ID, &w.ProjectID, &w.Chain, &w.Address, &w.Role, &w.Label, &w.SourceURL, &w.Note, &w.ProjectSlug); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// RunRecord is what a re-check of one chain produced.
type RunRecord struct {
	Run     domain.CheckRun
	Covered []int64 // contracts the run was asked to read
	Facts   []domain.Fact
	Errors  []domain.ContractError // per-contract problems in a successful run
}

// Grader grades a change of one fact (scorers.GradeChange).
type Grader func(key, old, new string) domain.Grade

// RecordRun stores a run, its facts and the change events against each
// contract's previous successful run, in one transaction. A failed run is
// stored with its error and no facts. A contract with an error in a
// successful run (part of it was not read) has its facts stored but no
// events, and is compared next time with its last complete read. It
// returns the run id and the events.
func (db *DB) RecordRun(ctx context.Context, rec RunRecord, grade Grader) (int64, []domain.ChangeEvent, error) {
	var runID int64
	var events []domain.ChangeEvent
	r := rec.Run
	if !r.OK && len(rec.Facts) > 0 {
		return 0, nil, domain.Errorf(domain.EINVALID, "a failed run stores no facts")
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var blockNum, blockTime any
		if r.Block.Hash != "" {
			blockNum, blockTime = int64(r.Block.Number), formatTime(r.Block.Time)
		}
		ok := 0
		if r.OK {
			ok = 1
		}
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO check_runs (chain, block_number, block_hash, block_time, started_at, finished_at, ok, error, round_trips, contracts, reader)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.Chain, blockNum, r.Block.Hash, blockTime, formatTime(r.StartedAt), formatTime(r.FinishedAt), ok, r.Error,
			r.RoundTrips, len(rec.Covered), readerVersion(r.Reader)).Scan(&runID); err != nil {
			return err
		}
		errByContract := map[int64]string{}
		for _, e := range rec.Errors {
			errByContract[e.ContractID] = strings.TrimSpace(errByContract[e.ContractID] + "; " + e.Message)
		}
		for _, id := range rec.Covered {
			if _, err := tx.ExecContext(ctx, `INSERT INTO check_run_contracts (run_id, contract_id, error) VALUES (?, ?, ?)`,
				runID, id, strings.TrimPrefix(errByContract[id], "; ")); err != nil {
				return fmt.Errorf("contract %d: %w", id, err)
			}
		}
		if !r.OK {
			return nil
		}
		newFacts := map[int64]map[string]string{}
		for _, f := range rec.Facts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO facts (run_id, contract_id, key, value) VALUES (?, ?, ?, ?)`,
				runID, f.ContractID, f.Key, f.Value); err != nil {
				return fmt.Errorf("fact %s of contract %d: %w", f.Key, f.ContractID, err)
			}
			if newFacts[f.ContractID] == nil {
				newFacts[f.ContractID] = map[string]string{}
			}
			newFacts[f.ContractID][f.Key] = f.Value
		}
		for _, id := range rec.Covered {
			if errByContract[id] != "" {
				// Part of this contract was not read: what is missing is
				// unknown, not changed. Its next read is compared with the
				// last complete one.
				continue
			}
			prevRun, prevBlock, prevReader, prev, err := previousFacts(ctx, tx, id, runID)
			if err != nil {
				return err
			}
			if prevRun == 0 {
				continue // first successful check: the baseline, no events
			}
			now := newFacts[id]
			keys := map[string]bool{}
			for k := range prev {
				keys[k] = true
			}
			for k := range now {
				keys[k] = true
			}
			sorted := make([]string, 0, len(keys))
			for k := range keys {
				sorted = append(sorted, k)
			}
			sort.Strings(sorted)
			for _, k := range sorted {
				o, n := prev[k], now[k]
				if o == n {
					continue
				}
				if (o == "" || n == "") && prevReader != readerVersion(r.Reader) {
					continue // a fact one of the two readers does not read
				}
				g := grade(k, o, n)
				ev := domain.ChangeEvent{ContractID: id, Key: k, Old: o, New: n, OldBlock: prevBlock, NewBlock: r.Block.Number, Grade: g, At: r.FinishedAt}
				if err := tx.QueryRowContext(ctx, `
					INSERT INTO change_events (contract_id, key, old_value, new_value, old_run_id, new_run_id, old_block, new_block, grade, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
					id, k, o, n, prevRun, runID, int64(prevBlock), int64(r.Block.Number), g, formatTime(r.FinishedAt)).Scan(&ev.ID); err != nil {
					return err
				}
				events = append(events, ev)
			}
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return runID, events, nil
}

// previousFacts returns the latest successful run before runID that read
// the contract whole (no error for it), its block and the contract's facts
// in it.
func previousFacts(ctx context.Context, tx *sql.Tx, contractID, runID int64) (int64, uint64, int, map[string]string, error) {
	var prevRun, block int64
	var reader int
	err := tx.QueryRowContext(ctx, `
		SELECT r.id, r.block_number, r.reader FROM check_run_contracts rc JOIN check_runs r ON r.id = rc.run_id
		WHERE rc.contract_id = ? AND r.ok = 1 AND rc.error = '' AND r.id < ? ORDER BY r.id DESC LIMIT 1`, contractID, runID).Scan(&prevRun, &block, &reader)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, 0, nil, nil
	} else if err != nil {
		return 0, 0, 0, nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT key, value FROM facts WHERE run_id = ? AND contract_id = ?`, prevRun, contractID)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	defer rows.Close()
	facts := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return 0, 0, 0, nil, err
		}
		facts[k] = v
	}
	return prevRun, uint64(block), reader, facts, rows.Err()
}

// readerVersion is a run's reader version; runs recorded without one were
// made by the first reader.
func readerVersion(v int) int { return max(v, 1) }

const runColumns = `r.id, r.chain, r.block_number, r.block_hash, r.block_time, r.started_at, r.finished_at, r.ok, r.error, r.round_trips, r.contracts`

func scanRun(row interface{ Scan(...any) error }) (domain.CheckRun, error) {
	var r domain.CheckRun
	var num sql.NullInt64
	var btime sql.NullString
	var started, finished string
	var ok int
	err := row.Scan(&r.ID, &r.Chain, &num, &r.Block.Hash, &btime, &started, &finished, &ok, &r.Error, &r.RoundTrips, &r.Contracts)
	r.Block.Chain = r.Chain
	r.Block.Number = uint64(num.Int64)
	r.Block.Time = parseNullTime(btime)
	r.StartedAt, r.FinishedAt, r.OK = parseTime(started), parseTime(finished), ok == 1
	return r, err
}

// ContractFacts returns each of a project's watched contracts with the
// facts of its latest successful check and the outcome of its latest run.
func (db *DB) ContractFacts(ctx context.Context, projectID int64) ([]domain.ContractFacts, error) {
	cs, err := db.Contracts(ctx, projectID)
	if err != nil {
		return nil, err
	}
	out := make([]domain.ContractFacts, len(cs))
	for i, c := range cs {
		cf := domain.ContractFacts{Contract: c}
		last, err := scanRun(db.read.QueryRowContext(ctx, `SELECT `+runColumns+` FROM check_run_contracts rc JOIN check_runs r ON r.id = rc.run_id
			WHERE rc.contract_id = ? ORDER BY r.id DESC LIMIT 1`, c.ID))
		if err == nil {
			cf.LastRun = &last
			if !last.OK && last.Error != "" {
				cf.Errors = append(cf.Errors, last.Error)
			}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		okRun, err := scanRun(db.read.QueryRowContext(ctx, `SELECT `+runColumns+` FROM check_run_contracts rc JOIN check_runs r ON r.id = rc.run_id
			WHERE rc.contract_id = ? AND r.ok = 1 ORDER BY r.id DESC LIMIT 1`, c.ID))
		if err == nil {
			cf.Run = &okRun
			var cerr string
			if err := db.read.QueryRowContext(ctx, `SELECT error FROM check_run_contracts WHERE run_id = ? AND contract_id = ?`, okRun.ID, c.ID).Scan(&cerr); err != nil {
				return nil, err
			}
			if cerr != "" && cf.LastRun != nil && cf.LastRun.ID == okRun.ID {
				cf.Errors = append(cf.Errors, cerr)
			}
			rows, err := db.read.QueryContext(ctx, `SELECT key, value FROM facts WHERE run_id = ? AND contract_id = ? ORDER BY key`, okRun.ID, c.ID)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				f := domain.Fact{ContractID: c.ID}
				if err := rows.Scan(&f.Key, &f.Value); err != nil {
					rows.Close()
					return nil, err
				}
				cf.Facts = append(cf.Facts, f)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		out[i] = cf
	}
	return out, nil
}

// Changes lists change events, newest first: of one project when slug is
// set, at most limit (0: 500).
func (db *DB) Changes(ctx context.Context, slug string, limit int) ([]domain.ChangeEvent, error) {
	if limit <= 0 {
		limit = 500
	}
	q := `SELECT e.id, e.contract_id, p.slug, p.name, c.chain, c.address, e.key, e.old_value, e.new_value,
			e.old_block, e.new_block, e.grade, e.created_at
		FROM change_events e JOIN contracts c ON c.id = e.contract_id JOIN projects p ON p.id = c.project_id`
	var args []any
	if slug != "" {
		q += ` WHERE p.slug = ?`
		args = append(args, slug)
	}
	q += ` ORDER BY e.id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ChangeEvent
	for rows.Next() {
		var e domain.ChangeEvent
		var oldB, newB int64
		var at string
		if err := rows.Scan(&e.ID, &e.ContractID, &e.ProjectSlug, &e.ProjectName, &e.Chain, &e.Address, &e.Key, &e.Old, &e.New,
			&oldB, &newB, &e.Grade, &at); err != nil {
			return nil, err
		}
		e.OldBlock, e.NewBlock, e.At = uint64(oldB), uint64(newB), parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
