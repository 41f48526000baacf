package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
)

// NewVersion is a proposed scorecard: one assessment per axis (axes left
// out are unknown) and who assessed it under which methodology.
type NewVersion struct {
	Methodology string
	AssessedBy  string
	AssessedAt  string
	Note        string
	Axes        []NewAssessment
}

// NewAssessment is one axis of a NewVersion. Evidence are ids of accepted
// evidence items of the same project and axis.
type NewAssessment struct {
	Axis      domain.Axis
	Level     domain.MaybeLevel
	Criterion string
	Rationale string
	Evidence  []int64
}

// SaveScorecard records a new version of a project's scorecard when it
// differs from the latest one and returns the version number in force
// afterwards and whether it was created. Earlier versions are never touched.
func (db *DB) SaveScorecard(ctx context.Context, slug string, v NewVersion) (int, bool, error) {
	var n int
	var created bool
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var pid int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM projects WHERE slug = ?`, slug).Scan(&pid); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return domain.Errorf(domain.ENOTFOUND, "no project %q", slug)
			}
			return err
		}
		var err error
		n, created, err = db.saveScorecard(ctx, tx, pid, v)
		return err
	})
	return n, created, err
}

// validate checks a proposed version against the methodology's rules: a
// known level names its criterion and cites at least one accepted item of
// the same project and axis.
func (db *DB) validateVersion(ctx context.Context, tx *sql.Tx, projectID int64, v *NewVersion) error {
	if v.Methodology == "" || v.AssessedBy == "" || v.AssessedAt == "" {
		return domain.Errorf(domain.EINVALID, "a scorecard version needs a methodology version, an assessor and a date")
	}
	seen := map[domain.Axis]bool{}
	for i := range v.Axes {
		a := &v.Axes[i]
		if !a.Axis.Valid() {
			return domain.Errorf(domain.EINVALID, "unknown axis %q", a.Axis)
		}
		if seen[a.Axis] {
			return domain.Errorf(domain.EINVALID, "axis %s assessed twice", a.Axis)
		}
		seen[a.Axis] = true
		if !a.Level.Known {
			continue
		}
		if !a.Level.Level.Valid() {
			return domain.Errorf(domain.EINVALID, "%s: level %d is outside 0–4", a.Axis, a.Level.Level)
		}
		if want := fmt.Sprintf("%s.%d", a.Axis, a.Level.Level); a.Criterion != want {
			return domain.Errorf(domain.EINVALID, "%s: level %d must name criterion %s, not %q", a.Axis, a.Level.Level, want, a.Criterion)
		}
		if len(a.Evidence) == 0 {
			return domain.Errorf(domain.EINVALID, "%s: level %d cites no evidence; a level without accepted evidence is unknown", a.Axis, a.Level.Level)
		}
	}
	for _, a := range v.Axes {
		for _, id := range a.Evidence {
			var axis, status string
			var pid int64
			err := tx.QueryRowContext(ctx, `SELECT project_id, axis, status FROM evidence WHERE id = ?`, id).Scan(&pid, &axis, &status)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && pid != projectID) {
				return domain.Errorf(domain.EINVALID, "%s: evidence #%d is not evidence of this project", a.Axis, id)
			} else if err != nil {
				return err
			}
			if domain.Axis(axis) != a.Axis {
				return domain.Errorf(domain.EINVALID, "%s: evidence #%d is filed under %s", a.Axis, id, axis)
			}
			if domain.EvidenceStatus(status) != domain.StatusAccepted {
				return domain.Errorf(domain.EINVALID, "%s: evidence #%d is %s, not accepted", a.Axis, id, status)
			}
		}
	}
	return nil
}

func (db *DB) saveScorecard(ctx context.Context, tx *sql.Tx, projectID int64, v NewVersion) (int, bool, error) {
	if err := db.validateVersion(ctx, tx, projectID, &v); err != nil {
		return 0, false, err
	}
	// Complete the set: an axis not assessed is unknown.
	byAxis := map[domain.Axis]NewAssessment{}
	for _, a := range v.Axes {
		byAxis[a.Axis] = a
	}
	full := make([]NewAssessment, len(domain.Axes))
	for i, ax := range domain.Axes {
		a, ok := byAxis[ax]
		if !ok {
			a = NewAssessment{Axis: ax}
		}
		full[i] = a
	}

	var latestID sql.NullInt64
	var latest int
	err := tx.QueryRowContext(ctx, `SELECT id, version FROM scorecard_versions WHERE project_id = ? ORDER BY version DESC LIMIT 1`, projectID).Scan(&latestID, &latest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	if latestID.Valid {
		prev, err := db.loadAssessments(ctx, tx, latestID.Int64)
		if err != nil {
			return 0, false, err
		}
		if sameAssessments(prev, full) {
			return latest, false, nil
		}
	}

	next := latest + 1
	var vid int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO scorecard_versions (project_id, version, methodology, assessed_by, assessed_at, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		projectID, next, v.Methodology, v.AssessedBy, v.AssessedAt, v.Note, formatTime(db.now())).Scan(&vid)
	if err != nil {
		return 0, false, err
	}
	for _, a := range full {
		if _, err := tx.ExecContext(ctx, `INSERT INTO assessments (version_id, axis, level, criterion, rationale) VALUES (?, ?, ?, ?, ?)`,
			vid, a.Axis, a.Level.Ptr(), a.Criterion, a.Rationale); err != nil {
			return 0, false, err
		}
		for pos, id := range a.Evidence {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assessment_evidence (version_id, axis, evidence_id, position) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, vid, a.Axis, id, pos); err != nil {
				return 0, false, err
			}
		}
	}
	return next, true, nil
}

func sameAssessments(a, b []NewAssessment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Axis != y.Axis || x.Level != y.Level || x.Criterion != y.Criterion || x.Rationale != y.Rationale ||
			!slices.Equal(x.Evidence, y.Evidence) {
			return false
		}
	}
	return true
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadAssessments reads a version's assessments (in Axes order) with the
// ids of the evidence they cite.
func (db *DB) loadAssessments(ctx context.Context, q querier, versionID int64) ([]NewAssessment, error) {
	rows, err := q.QueryContext(ctx, `SELECT axis, level, criterion, rationale FROM assessments WHERE version_id = ?`, versionID)
	if err != nil {
		return nil, err
	}
	byAxis := map[domain.Axis]*NewAssessment{}
	for rows.Next() {
		var a NewAssessment
		var level sql.NullInt64
		if err := rows.Scan(&a.Axis, &level, &a.Criterion, &a.Rationale); err != nil {
			rows.Close()
			return nil, err
		}
		if level.Valid {
			a.Level = domain.Known(domain.Level(level.Int64))
		}
		byAxis[a.Axis] = &a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT axis, evidence_id FROM assessment_evidence WHERE version_id = ? ORDER BY axis, position`, versionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ax domain.Axis
		var id int64
		if err := rows.Scan(&ax, &id); err != nil {
			return nil, err
		}
		if a := byAxis[ax]; a != nil {
			a.Evidence = append(a.Evidence, id)
		}
	}
	out := make([]NewAssessment, len(domain.Axes))
	for i, ax := range domain.Axes {
		if a := byAxis[ax]; a != nil {
			out[i] = *a
		} else {
			out[i] = NewAssessment{Axis: ax}
		}
	}
	return out, rows.Err()
}

const versionColumns = `v.id, v.project_id, v.version, v.methodology, v.assessed_by, v.assessed_at, v.note, v.created_at`

func scanVersion(dst *domain.ScorecardVersion, created *string) []any {
	return []any{&dst.ID, &dst.ProjectID, &dst.Number, &dst.Methodology, &dst.AssessedBy, &dst.AssessedAt, &dst.Note, created}
}

// Summaries returns every project with its latest version and levels,
// ordered by name. A project without a version has all axes unknown.
func (db *DB) Summaries(ctx context.Context) ([]domain.Summary, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT `+projectColumns+`, v.id, v.version, v.methodology, v.assessed_by, v.assessed_at, v.note, v.created_at,
			a.axis, a.level
		FROM projects p
		LEFT JOIN scorecard_versions v ON v.project_id = p.id
			AND v.version = (SELECT MAX(version) FROM scorecard_versions WHERE project_id = p.id)
		LEFT JOIN assessments a ON a.version_id = v.id
		ORDER BY p.name COLLATE NOCASE, p.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Summary
	for rows.Next() {
		var p domain.Project
		var chains string
		var vid, vnum sql.NullInt64
		var meth, by, at, note, created, axis sql.NullString
		var level sql.NullInt64
		if err := rows.Scan(&p.ID, &p.Slug, &p.Name, &p.Website, &p.Summary, &chains,
			&vid, &vnum, &meth, &by, &at, &note, &created, &axis, &level); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Project.ID != p.ID {
			s := domain.Summary{Project: p, Levels: map[domain.Axis]domain.MaybeLevel{}}
			if vid.Valid {
				s.Version = domain.ScorecardVersion{ID: vid.Int64, ProjectID: p.ID, Number: int(vnum.Int64),
					Methodology: meth.String, AssessedBy: by.String, AssessedAt: at.String, Note: note.String,
					CreatedAt: parseTime(created.String)}
			}
			out = append(out, s)
		}
		if axis.Valid && level.Valid {
			out[len(out)-1].Levels[domain.Axis(axis.String)] = domain.Known(domain.Level(level.Int64))
		}
	}
	return out, rows.Err()
}

// Scorecard returns a project's scorecard at version n, or the latest
// version when n is 0.
func (db *DB) Scorecard(ctx context.Context, slug string, n int) (domain.Scorecard, error) {
	var sc domain.Scorecard
	p, err := db.Project(ctx, slug)
	if err != nil {
		return sc, err
	}
	sc.Project = p
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM scorecard_versions WHERE project_id = ?`, p.ID).Scan(&sc.Latest); err != nil {
		return sc, err
	}
	if n == 0 {
		n = sc.Latest
	}
	if n > 0 {
		var created string
		err := db.read.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM scorecard_versions v WHERE v.project_id = ? AND v.version = ?`,
			p.ID, n).Scan(scanVersion(&sc.Version, &created)...)
		if errors.Is(err, sql.ErrNoRows) {
			return sc, domain.Errorf(domain.ENOTFOUND, "%s has no version %d", p.Name, n)
		} else if err != nil {
			return sc, err
		}
		sc.Version.CreatedAt = parseTime(created)
	}

	// Assessments with their cited evidence, in one query.
	sc.Assessments = make([]domain.Assessment, len(domain.Axes))
	idx := map[domain.Axis]int{}
	for i, ax := range domain.Axes {
		sc.Assessments[i] = domain.Assessment{Axis: ax}
		idx[ax] = i
	}
	if sc.Version.ID != 0 {
		rows, err := db.read.QueryContext(ctx, `
			SELECT a.axis, a.level, a.criterion, a.rationale, `+evidenceColumns+`
			FROM assessments a
			LEFT JOIN assessment_evidence ae ON ae.version_id = a.version_id AND ae.axis = a.axis
			LEFT JOIN evidence e ON e.id = ae.evidence_id
			WHERE a.version_id = ?
			ORDER BY a.axis, ae.position`, sc.Version.ID)
		if err != nil {
			return sc, err
		}
		defer rows.Close()
		for rows.Next() {
			var ax domain.Axis
			var level sql.NullInt64
			var crit, rat string
			var e nullableEvidence
			if err := rows.Scan(append([]any{&ax, &level, &crit, &rat}, e.dest()...)...); err != nil {
				return sc, err
			}
			i, ok := idx[ax]
			if !ok {
				continue
			}
			a := &sc.Assessments[i]
			a.Criterion, a.Rationale = crit, rat
			if level.Valid {
				a.Level = domain.Known(domain.Level(level.Int64))
			}
			if ev, ok := e.evidence(); ok {
				a.Evidence = append(a.Evidence, ev)
			}
		}
		if err := rows.Err(); err != nil {
			return sc, err
		}
	}

	if sc.Contracts, err = db.Contracts(ctx, p.ID); err != nil {
		return sc, err
	}
	accepted, err := db.Evidence(ctx, p.ID, domain.StatusAccepted)
	if err != nil {
		return sc, err
	}
	// A frozen version (n given) shows only what had been accepted by then.
	frozenAt := time.Time{}
	if n != sc.Latest { // n is the requested version by now
		frozenAt = sc.Version.CreatedAt
	}
	cited := map[int64]bool{}
	for _, a := range sc.Assessments {
		for _, e := range a.Evidence {
			cited[e.ID] = true
		}
	}
	for _, e := range accepted {
		if !frozenAt.IsZero() && e.ReviewedAt.After(frozenAt) {
			continue
		}
		switch i, ok := idx[e.Axis]; {
		case e.Axis == domain.AxisContext:
			sc.Background = append(sc.Background, e)
		case ok && !cited[e.ID]:
			sc.Assessments[i].Other = append(sc.Assessments[i].Other, e)
		}
	}
	return sc, nil
}

// Versions lists a project's versions, newest first.
func (db *DB) Versions(ctx context.Context, projectID int64) ([]domain.ScorecardVersion, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+versionColumns+` FROM scorecard_versions v WHERE v.project_id = ? ORDER BY v.version DESC`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ScorecardVersion
	for rows.Next() {
		var v domain.ScorecardVersion
		var created string
		if err := rows.Scan(scanVersion(&v, &created)...); err != nil {
			return nil, err
		}
		v.CreatedAt = parseTime(created)
		out = append(out, v)
	}
	return out, rows.Err()
}

// nullableEvidence scans an evidence row from a LEFT JOIN.
type nullableEvidence struct {
	id, pid                                                                   sql.NullInt64
	axis, kind, src, url, title, quote, finding, sub, status, rev, note, asof sql.NullString
	submitted, reviewed, signer, signature                                    sql.NullString
}

func (n *nullableEvidence) dest() []any {
	return []any{&n.id, &n.pid, &n.axis, &n.kind, &n.src, &n.url, &n.title, &n.quote, &n.finding,
		&n.sub, &n.status, &n.rev, &n.note, &n.asof, &n.submitted, &n.reviewed, &n.signer, &n.signature}
}

func (n *nullableEvidence) evidence() (domain.Evidence, bool) {
	if !n.id.Valid {
		return domain.Evidence{}, false
	}
	return domain.Evidence{
		ID: n.id.Int64, ProjectID: n.pid.Int64, Axis: domain.Axis(n.axis.String), Kind: domain.EvidenceKind(n.kind.String),
		SourceType: domain.SourceType(n.src.String), URL: n.url.String, Title: n.title.String, Quote: n.quote.String,
		Finding: n.finding.String, Submitter: n.sub.String, Status: domain.EvidenceStatus(n.status.String),
		Reviewer: n.rev.String, ReviewNote: n.note.String, SourcedAsOf: n.asof.String,
		SubmittedAt: parseTime(n.submitted.String), ReviewedAt: parseNullTime(n.reviewed),
		Signer: n.signer.String, Signature: n.signature.String,
	}, true
}
