package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/seed"
)

// SeedReviewer is the reviewer recorded for the editors' seeded evidence.
const SeedReviewer = "editors"

// ImportResult counts what an import added.
type ImportResult struct {
	Projects  int // projects in the file
	Evidence  int // evidence items added
	Contracts int // contract rows in the file
	Versions  int // scorecard versions created
}

func (r ImportResult) String() string {
	return fmt.Sprintf("%d projects, %d new evidence items, %d contracts, %d new scorecard versions",
		r.Projects, r.Evidence, r.Contracts, r.Versions)
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ImportDataset imports a projects.json-shaped dataset in one transaction:
// projects are added or refreshed, evidence is added as accepted by the
// editors unless already present, contract rows are added or refreshed.
// Importing the same file twice adds nothing. A bad row rejects the whole file.
func (db *DB) ImportDataset(ctx context.Context, d *seed.Dataset) (ImportResult, error) {
	var res ImportResult
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = db.importDataset(ctx, tx, d)
		return err
	})
	return res, err
}

func (db *DB) importDataset(ctx context.Context, tx *sql.Tx, d *seed.Dataset) (ImportResult, error) {
	var res ImportResult
	now := db.now()
	for i, sp := range d.Projects {
		where := fmt.Sprintf("project %d (%s)", i+1, sp.Slug)
		if !slugPattern.MatchString(sp.Slug) {
			return res, domain.Errorf(domain.EINVALID, "%s: slug must be lowercase letters, digits and dashes", where)
		}
		if strings.TrimSpace(sp.Name) == "" {
			return res, domain.Errorf(domain.EINVALID, "%s: name is empty", where)
		}
		pid, err := db.upsertProject(ctx, tx, domain.Project{Slug: sp.Slug, Name: sp.Name, Website: sp.Website, Summary: sp.Summary, Chains: sp.Chains})
		if err != nil {
			return res, fmt.Errorf("%s: %w", where, err)
		}
		res.Projects++
		for j, se := range sp.Evidence {
			where := fmt.Sprintf("%s, evidence %d", where, j+1)
			axis := domain.Axis(se.Axis)
			if !axis.ValidEvidenceAxis() {
				return res, domain.Errorf(domain.EINVALID, "%s: unknown axis %q", where, se.Axis)
			}
			if err := checkHTTPURL(se.URL); err != nil {
				return res, domain.Errorf(domain.EINVALID, "%s: %v", where, err)
			}
			st := domain.SourceType(se.SourceType)
			switch st {
			case "", domain.SourcePrimary, domain.SourceSecondary, domain.SourceThirdPartyCode:
			default:
				return res, domain.Errorf(domain.EINVALID, "%s: unknown source_type %q", where, se.SourceType)
			}
			if strings.TrimSpace(se.Title) == "" || strings.TrimSpace(se.Quote) == "" {
				return res, domain.Errorf(domain.EINVALID, "%s: title and quote are required", where)
			}
			added, err := db.insertEvidence(ctx, tx, domain.Evidence{
				ProjectID: pid, Axis: axis, Kind: KindFromURL(se.URL, st), SourceType: st,
				URL: se.URL, Title: se.Title, Quote: se.Quote, Finding: se.Finding,
				Status: domain.StatusAccepted, Reviewer: SeedReviewer, SourcedAsOf: d.SourcedAsOf,
				SubmittedAt: now, ReviewedAt: now,
			})
			if err != nil {
				return res, fmt.Errorf("%s: %w", where, err)
			}
			if added {
				res.Evidence++
			}
		}
		for j, sc := range sp.Contracts {
			where := fmt.Sprintf("%s, contract %d", where, j+1)
			chain := ""
			if sc.Chain != nil {
				chain = *sc.Chain
			}
			if chain != "" && !domain.ValidCAIP2(chain) {
				return res, domain.Errorf(domain.EINVALID, "%s: chain %q is not a CAIP-2 id", where, chain)
			}
			if strings.TrimSpace(sc.Address) == "" {
				return res, domain.Errorf(domain.EINVALID, "%s: address is empty", where)
			}
			if sc.SourceURL != "" {
				if err := checkHTTPURL(sc.SourceURL); err != nil {
					return res, domain.Errorf(domain.EINVALID, "%s: source: %v", where, err)
				}
			}
			err := db.upsertContract(ctx, tx, domain.Contract{ProjectID: pid, Chain: chain, Address: sc.Address,
				Role: domain.ContractRole(sc.RoleKeyword()), Label: sc.Role, SourceURL: sc.SourceURL, Note: sc.Note})
			if err != nil {
				return res, fmt.Errorf("%s: %w", where, err)
			}
			res.Contracts++
		}
	}
	return res, nil
}

// ImportAssessments records the editors' assessment: for each project, a
// new scorecard version when it differs from the latest. Cited URLs must
// match accepted evidence of the same project and axis. A bad entry
// rejects the whole file.
func (db *DB) ImportAssessments(ctx context.Context, a *seed.Assessments) (ImportResult, error) {
	var res ImportResult
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = db.importAssessments(ctx, tx, a)
		return err
	})
	return res, err
}

func (db *DB) importAssessments(ctx context.Context, tx *sql.Tx, a *seed.Assessments) (ImportResult, error) {
	var res ImportResult
	for slug, axes := range a.Assessments {
		var pid int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM projects WHERE slug = ?`, slug).Scan(&pid); err != nil {
			if err == sql.ErrNoRows {
				return res, domain.Errorf(domain.ENOTFOUND, "assessment of %q: no such project (import the projects dataset first)", slug)
			}
			return res, err
		}
		v := NewVersion{Methodology: a.Methodology, AssessedBy: a.AssessedBy, AssessedAt: a.AssessedAt}
		for key, aa := range axes {
			axis, err := domain.ParseAxis(key)
			if err != nil {
				return res, domain.Errorf(domain.EINVALID, "assessment of %s: %v", slug, err)
			}
			na := NewAssessment{Axis: axis, Level: domain.LevelPtr(aa.Level), Criterion: aa.Criterion, Rationale: aa.Rationale}
			for _, u := range aa.Evidence {
				ids, err := acceptedEvidenceIDs(ctx, tx, pid, axis, u)
				if err != nil {
					return res, err
				}
				if len(ids) == 0 {
					return res, domain.Errorf(domain.EINVALID, "assessment of %s/%s cites %s, which is not accepted evidence of that project and axis", slug, axis, u)
				}
				na.Evidence = append(na.Evidence, ids...)
			}
			v.Axes = append(v.Axes, na)
		}
		_, created, err := db.saveScorecard(ctx, tx, pid, v)
		if err != nil {
			return res, fmt.Errorf("assessment of %s: %w", slug, err)
		}
		res.Projects++
		if created {
			res.Versions++
		}
	}
	return res, nil
}

func acceptedEvidenceIDs(ctx context.Context, tx *sql.Tx, pid int64, axis domain.Axis, u string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM evidence WHERE project_id = ? AND axis = ? AND url = ? AND status = 'accepted' ORDER BY id`, pid, axis, u)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Import imports a parsed file of either shape.
func (db *DB) Import(ctx context.Context, f seed.File) (ImportResult, error) {
	switch {
	case f.Dataset != nil:
		return db.ImportDataset(ctx, f.Dataset)
	case f.Assessments != nil:
		return db.ImportAssessments(ctx, f.Assessments)
	}
	return ImportResult{}, domain.Errorf(domain.EINVALID, "nothing to import")
}

// SeedIfEmpty imports the embedded dataset and the editors' assessment
// into a database that has no projects yet, in one transaction. It reports
// whether it seeded.
func (db *DB) SeedIfEmpty(ctx context.Context) (bool, ImportResult, error) {
	var res ImportResult
	seeded := false
	d, a, err := seed.Embedded()
	if err != nil {
		return false, res, err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects`).Scan(&n); err != nil || n > 0 {
			return err
		}
		r1, err := db.importDataset(ctx, tx, d)
		if err != nil {
			return err
		}
		r2, err := db.importAssessments(ctx, tx, a)
		if err != nil {
			return err
		}
		res = ImportResult{Projects: r1.Projects, Evidence: r1.Evidence, Contracts: r1.Contracts, Versions: r2.Versions}
		seeded = true
		return nil
	})
	return seeded, res, err
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("URL %q must be an absolute http or https URL", raw)
	}
	return nil
}
