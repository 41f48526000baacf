package store

import (
	"context"
	"database/sql"

	"github.com/deai-scorecard/scorecard/domain"
)

// Contracts returns a project's watched contracts, by chain and id.
func (db *DB) Contracts(ctx context.Context, projectID int64) ([]domain.Contract, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT id, project_id, chain, address, role, label, source_url, note
		FROM contracts WHERE project_id = ? ORDER BY chain = '', chain, id`, projectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Contract
	for rows.Next() {
		var c domain.Contract
		if err := rows.Scan(&c.ID, &c.ProjectID, &c.Chain, &c.Address, &c.Role, &c.Label, &c.SourceURL, &c.Note); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// upsertContract adds a watched contract or refreshes its description.
func (db *DB) upsertContract(ctx context.Context, tx *sql.Tx, c domain.Contract) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO contracts (project_id, chain, address, role, label, source_url, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (project_id, chain, address) DO UPDATE SET role = excluded.role,
			label = excluded.label, source_url = excluded.source_url, note = excluded.note`,
		c.ProjectID, c.Chain, c.Address, c.Role, c.Label, c.SourceURL, c.Note, formatTime(db.now()))
	return err
}
