package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/deai-scorecard/scorecard/domain"
)

const projectColumns = `p.id, p.slug, p.name, p.website, p.summary, p.chains`

func scanProject(row interface{ Scan(...any) error }) (domain.Project, error) {
	var p domain.Project
	var chains string
	if err := row.Scan(&p.ID, &p.Slug, &p.Name, &p.Website, &p.Summary, &chains); err != nil {
		return p, err
	}
	_ = json.Unmarshal([]byte(chains), &p.Chains)
	return p, nil
}

// Project returns the project with the given slug.
func (db *DB) Project(ctx context.Context, slug string) (domain.Project, error) {
	p, err := scanProject(db.read.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects p WHERE p.slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return p, domain.Errorf(domain.ENOTFOUND, "no project %q", slug)
	}
	return p, err
}

// Projects returns every project, by name.
func (db *DB) Projects(ctx context.Context) ([]domain.Project, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+projectColumns+` FROM projects p ORDER BY p.name COLLATE NOCASE`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Project
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// upsertProject inserts a project or refreshes its descriptive fields, and
// returns its id.
func (db *DB) upsertProject(ctx context.Context, tx *sql.Tx, p domain.Project) (int64, error) {
	chains, err := json.Marshal(p.Chains)
	if err != nil {
		return 0, err
	}
	if p.Chains == nil {
		chains = []byte("[]")
	}
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO projects (slug, name, website, summary, chains, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, website = excluded.website,
			summary = excluded.summary, chains = excluded.chains
		RETURNING id`,
		p.Slug, p.Name, p.Website, p.Summary, string(chains), formatTime(db.now())).Scan(&id)
	return id, err
}

// Counts is how much the store holds.
type Counts struct {
	Projects, Evidence, Accepted, Contracts, Versions int
}

// Count returns how many projects, evidence items, contracts and versions are stored.
func (db *DB) Count(ctx context.Context) (Counts, error) {
	var c Counts
	err := db.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM projects),
		(SELECT COUNT(*) FROM evidence),
		(SELECT COUNT(*) FROM evidence WHERE status = 'accepted'),
		(SELECT COUNT(*) FROM contracts),
		(SELECT COUNT(*) FROM scorecard_versions)`).Scan(&c.Projects, &c.Evidence, &c.Accepted, &c.Contracts, &c.Versions)
	return c, err
}

// SaveProject creates a project or updates its name, website and summary
// (admins' form). The slug never changes: links to it are citable.
func (db *DB) SaveProject(ctx context.Context, p domain.Project) (domain.Project, error) {
	return db.saveProject(ctx, p, false)
}

// CreateProject creates a project, failing with ECONFLICT when the slug
// is taken, even by a project created a moment ago by someone else: the
// check and the insert are one write transaction.
func (db *DB) CreateProject(ctx context.Context, p domain.Project) (domain.Project, error) {
	return db.saveProject(ctx, p, true)
}

func (db *DB) saveProject(ctx context.Context, p domain.Project, createOnly bool) (domain.Project, error) {
	p.Slug, p.Name = strings.TrimSpace(p.Slug), strings.TrimSpace(p.Name)
	switch {
	case !slugPattern.MatchString(p.Slug):
		return p, domain.Errorf(domain.EINVALID, "the slug is lowercase letters, digits and dashes, up to 63 characters")
	case p.Name == "" || len(p.Name) > 120:
		return p, domain.Errorf(domain.EINVALID, "the name is 1 to 120 characters")
	case len(p.Summary) > 2000:
		return p, domain.Errorf(domain.EINVALID, "the summary is at most 2,000 characters")
	}
	if p.Website != "" {
		if err := checkHTTPURL(p.Website); err != nil {
			return p, domain.Errorf(domain.EINVALID, "website: %v", err)
		}
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if createOnly {
			var name string
			err := tx.QueryRowContext(ctx, `SELECT name FROM projects WHERE slug = ?`, p.Slug).Scan(&name)
			if err == nil {
				return domain.Errorf(domain.ECONFLICT, "the slug %s is taken by %s", p.Slug, name)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if p.Chains == nil {
			// The form does not edit chains: keep what the dataset said.
			var chains string
			err := tx.QueryRowContext(ctx, `SELECT chains FROM projects WHERE slug = ?`, p.Slug).Scan(&chains)
			if err == nil {
				_ = json.Unmarshal([]byte(chains), &p.Chains)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		var err error
		p.ID, err = db.upsertProject(ctx, tx, p)
		return err
	})
	return p, err
}
