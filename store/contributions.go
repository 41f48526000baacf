package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
)

// DuplicateError says an item with the same URL already exists for that
// project and axis.
type DuplicateError struct {
	ExistingID int64
	Status     domain.EvidenceStatus
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("this URL is already on file for this project and axis (item #%d, %s)", e.ExistingID, e.Status)
}

// SubmitEvidence stores a public submission as pending and logs it. A URL
// already on file for the same project and axis (in any status) is a
// *DuplicateError. The caller has validated the fields.
func (db *DB) SubmitEvidence(ctx context.Context, slug string, e domain.Evidence) (domain.Evidence, error) {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT id FROM projects WHERE slug = ?`, slug).Scan(&e.ProjectID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return domain.Errorf(domain.ENOTFOUND, "no project %q", slug)
			}
			return err
		}
		var dup DuplicateError
		err := tx.QueryRowContext(ctx, `SELECT id, status FROM evidence WHERE project_id = ? AND axis = ? AND url = ? ORDER BY id LIMIT 1`,
			e.ProjectID, e.Axis, e.URL).Scan(&dup.ExistingID, &dup.Status)
		if err == nil {
			return &dup
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := db.now()
		e.Status, e.SubmittedAt, e.Reviewer, e.ReviewNote, e.ReviewedAt = domain.StatusPending, now, "", "", time.Time{}
		if e.SourcedAsOf == "" {
			e.SourcedAsOf = now.Format("2006-01-02")
		}
		var reviewed any
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO evidence (project_id, axis, kind, source_type, url, title, quote, finding, submitter,
				status, reviewer, review_note, sourced_as_of, submitted_at, reviewed_at, signer, signature)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', '', '', ?, ?, ?, ?, ?) RETURNING id`,
			e.ProjectID, e.Axis, e.Kind, e.SourceType, e.URL, e.Title, e.Quote, e.Finding, e.Submitter,
			e.SourcedAsOf, formatTime(now), reviewed, e.Signer, e.Signature).Scan(&e.ID); err != nil {
			return err
		}
		actor := e.Submitter
		if actor == "" {
			actor = "anonymous"
		}
		return logDecision(ctx, tx, e.ID, domain.DecisionSubmitted, actor, "", 0, now)
	})
	return e, err
}

func logDecision(ctx context.Context, tx *sql.Tx, evidenceID int64, d domain.Decision, actor, note string, version int, at time.Time) error {
	var v any
	if version > 0 {
		v = version
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO moderation_log (evidence_id, decision, actor, note, version, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		evidenceID, d, actor, note, v, formatTime(at))
	return err
}

// EvidenceItem is an evidence item with its project.
type EvidenceItem struct {
	domain.Evidence
	ProjectSlug string
	ProjectName string
}

const itemQuery = `SELECT ` + evidenceColumns + `, p.slug, p.name FROM evidence e JOIN projects p ON p.id = e.project_id`

func scanItem(row interface{ Scan(...any) error }) (EvidenceItem, error) {
	var it EvidenceItem
	var submitted string
	var reviewed sql.NullString
	e := &it.Evidence
	err := row.Scan(&e.ID, &e.ProjectID, &e.Axis, &e.Kind, &e.SourceType, &e.URL, &e.Title, &e.Quote, &e.Finding,
		&e.Submitter, &e.Status, &e.Reviewer, &e.ReviewNote, &e.SourcedAsOf, &submitted, &reviewed, &e.Signer, &e.Signature,
		&it.ProjectSlug, &it.ProjectName)
	e.SubmittedAt, e.ReviewedAt = parseTime(submitted), parseNullTime(reviewed)
	return it, err
}

// EvidenceByID returns one item.
func (db *DB) EvidenceByID(ctx context.Context, id int64) (EvidenceItem, error) {
	it, err := scanItem(db.read.QueryRowContext(ctx, itemQuery+` WHERE e.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, domain.Errorf(domain.ENOTFOUND, "no evidence item #%d", id)
	}
	return it, err
}

// PendingEvidence lists items awaiting review, oldest first.
func (db *DB) PendingEvidence(ctx context.Context) ([]EvidenceItem, error) {
	rows, err := db.read.QueryContext(ctx, itemQuery+` WHERE e.status = 'pending' ORDER BY e.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EvidenceItem
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

const logQuery = `SELECT m.id, m.evidence_id, p.slug, p.name, e.axis, e.title, m.decision, m.actor, m.note, COALESCE(m.version, 0), m.created_at
	FROM moderation_log m JOIN evidence e ON e.id = m.evidence_id JOIN projects p ON p.id = e.project_id`

func scanLog(rows *sql.Rows) ([]domain.ModerationEntry, error) {
	defer rows.Close()
	var out []domain.ModerationEntry
	for rows.Next() {
		var m domain.ModerationEntry
		var at string
		if err := rows.Scan(&m.ID, &m.EvidenceID, &m.ProjectSlug, &m.ProjectName, &m.Axis, &m.Title, &m.Decision, &m.Actor, &m.Note, &m.Version, &at); err != nil {
			return nil, err
		}
		m.At = parseTime(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// EvidenceHistory is an item's moderation history, oldest first.
func (db *DB) EvidenceHistory(ctx context.Context, id int64) ([]domain.ModerationEntry, error) {
	rows, err := db.read.QueryContext(ctx, logQuery+` WHERE m.evidence_id = ? ORDER BY m.id`, id)
	if err != nil {
		return nil, err
	}
	return scanLog(rows)
}

// ModerationLog lists decisions (not submissions), newest first: page
// (from 1) of size perPage, and the total count.
func (db *DB) ModerationLog(ctx context.Context, page, perPage int) ([]domain.ModerationEntry, int, error) {
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM moderation_log WHERE decision <> 'submitted'`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.read.QueryContext(ctx, logQuery+` WHERE m.decision <> 'submitted' ORDER BY m.id DESC LIMIT ? OFFSET ?`,
		perPage, (max(page, 1)-1)*perPage)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanLog(rows)
	return out, total, err
}

// LevelChange is an optional new level set while accepting an item.
type LevelChange struct {
	Level     domain.Level
	Rationale string
}

// Decide accepts or rejects a pending item with a note, in one
// transaction. Accepting with a level creates a new scorecard version in
// which that axis has the level, the rationale, and cites the item along
// with what the axis cited before. It returns the new version (0 if none).
func (db *DB) Decide(ctx context.Context, id int64, d domain.Decision, reviewer, note string, change *LevelChange) (int, error) {
	note = strings.TrimSpace(note)
	if note == "" {
		return 0, domain.Errorf(domain.EINVALID, "a decision needs a note")
	}
	if d != domain.DecisionAccepted && d != domain.DecisionRejected {
		return 0, domain.Errorf(domain.EINVALID, "decision must be accepted or rejected")
	}
	if change != nil && (d != domain.DecisionAccepted || !change.Level.Valid() || strings.TrimSpace(change.Rationale) == "") {
		return 0, domain.Errorf(domain.EINVALID, "a level can be set only when accepting, between 0 and 4, with a rationale")
	}
	version := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var pid int64
		var axis domain.Axis
		var status domain.EvidenceStatus
		if err := tx.QueryRowContext(ctx, `SELECT project_id, axis, status FROM evidence WHERE id = ?`, id).Scan(&pid, &axis, &status); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return domain.Errorf(domain.ENOTFOUND, "no evidence item #%d", id)
			}
			return err
		}
		if status != domain.StatusPending {
			return domain.Errorf(domain.ECONFLICT, "item #%d is already %s", id, status)
		}
		if change != nil && !axis.Valid() {
			return domain.Errorf(domain.EINVALID, "context items support no level")
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE evidence SET status = ?, reviewer = ?, review_note = ?, reviewed_at = ? WHERE id = ?`,
			string(d), reviewer, note, formatTime(now), id); err != nil {
			return err
		}
		if change != nil {
			var latestID int64
			var latest int
			var meth string
			err := tx.QueryRowContext(ctx, `SELECT id, version, methodology FROM scorecard_versions WHERE project_id = ? ORDER BY version DESC LIMIT 1`, pid).Scan(&latestID, &latest, &meth)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			var axes []NewAssessment
			if latestID != 0 {
				if axes, err = db.loadAssessments(ctx, tx, latestID); err != nil {
					return err
				}
			}
			if meth == "" {
				meth = "1.0"
			}
			found := false
			for i := range axes {
				if axes[i].Axis == axis {
					found = true
					axes[i] = NewAssessment{Axis: axis, Level: domain.Known(change.Level), Criterion: fmt.Sprintf("%s.%d", axis, change.Level),
						Rationale: strings.TrimSpace(change.Rationale), Evidence: append([]int64{id}, without(axes[i].Evidence, id)...)}
				}
			}
			if !found {
				axes = append(axes, NewAssessment{Axis: axis, Level: domain.Known(change.Level), Criterion: fmt.Sprintf("%s.%d", axis, change.Level),
					Rationale: strings.TrimSpace(change.Rationale), Evidence: []int64{id}})
			}
			n, _, err := db.saveScorecard(ctx, tx, pid, NewVersion{Methodology: meth, AssessedBy: reviewer, AssessedAt: now.Format("2006-01-02"),
				Note: fmt.Sprintf("%s set to %d on accepting evidence #%d", axis, change.Level, id), Axes: axes})
			if err != nil {
				return err
			}
			version = n
		}
		return logDecision(ctx, tx, id, d, reviewer, note, version, now)
	})
	return version, err
}

func without(ids []int64, id int64) []int64 {
	var out []int64
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// VersionLevels returns every version's levels of a project: version
// number -> axis -> level.
func (db *DB) VersionLevels(ctx context.Context, projectID int64) (map[int]map[domain.Axis]domain.MaybeLevel, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT v.version, a.axis, a.level FROM scorecard_versions v
		JOIN assessments a ON a.version_id = v.id WHERE v.project_id = ?`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]map[domain.Axis]domain.MaybeLevel{}
	for rows.Next() {
		var n int
		var axis domain.Axis
		var level sql.NullInt64
		if err := rows.Scan(&n, &axis, &level); err != nil {
			return nil, err
		}
		if out[n] == nil {
			out[n] = map[domain.Axis]domain.MaybeLevel{}
		}
		if level.Valid {
			out[n][axis] = domain.Known(domain.Level(level.Int64))
		} else {
			out[n][axis] = domain.Unknown
		}
	}
	return out, rows.Err()
}
