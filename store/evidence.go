package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/deai-scorecard/scorecard/domain"
)

const evidenceColumns = `e.id, e.project_id, e.axis, e.kind, e.source_type, e.url, e.title, e.quote, e.finding,
	e.submitter, e.status, e.reviewer, e.review_note, e.sourced_as_of, e.submitted_at, e.reviewed_at, e.signer, e.signature`

func scanEvidence(row interface{ Scan(...any) error }) (domain.Evidence, error) {
	var e domain.Evidence
	var submitted string
	var reviewed sql.NullString
	err := row.Scan(&e.ID, &e.ProjectID, &e.Axis, &e.Kind, &e.SourceType, &e.URL, &e.Title, &e.Quote, &e.Finding,
		&e.Submitter, &e.Status, &e.Reviewer, &e.ReviewNote, &e.SourcedAsOf, &submitted, &reviewed, &e.Signer, &e.Signature)
	e.SubmittedAt = parseTime(submitted)
	e.ReviewedAt = parseNullTime(reviewed)
	return e, err
}

// Evidence returns a project's evidence with the given status (all
// statuses when status is empty), ordered by axis and id.
func (db *DB) Evidence(ctx context.Context, projectID int64, status domain.EvidenceStatus) ([]domain.Evidence, error) {
	q := `SELECT ` + evidenceColumns + ` FROM evidence e WHERE e.project_id = ?`
	args := []any{projectID}
	if status != "" {
		q += ` AND e.status = ?`
		args = append(args, status)
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY e.axis, e.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Evidence
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// insertEvidence stores an item unless the same project, axis, URL and
// quote are already there; it reports whether a row was added.
func (db *DB) insertEvidence(ctx context.Context, tx *sql.Tx, e domain.Evidence) (bool, error) {
	var reviewed any
	if !e.ReviewedAt.IsZero() {
		reviewed = formatTime(e.ReviewedAt)
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO evidence (project_id, axis, kind, source_type, url, title, quote, finding, submitter,
			status, reviewer, review_note, sourced_as_of, submitted_at, reviewed_at, signer, signature)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (project_id, axis, url, quote) DO NOTHING`,
		e.ProjectID, e.Axis, e.Kind, e.SourceType, e.URL, e.Title, e.Quote, e.Finding, e.Submitter,
		e.Status, e.Reviewer, e.ReviewNote, e.SourcedAsOf, formatTime(e.SubmittedAt), reviewed, e.Signer, e.Signature)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// KindFromURL derives an evidence kind from a URL for items that carry
// only a source type (the seeded dataset): code hosts are code, paper
// archives are papers, block explorers are on-chain records. It returns ""
// when the URL says nothing certain.
func KindFromURL(raw string, source domain.SourceType) domain.EvidenceKind {
	u := strings.ToLower(raw)
	host := u
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	host = strings.TrimPrefix(host, "www.")
	hasHost := func(names ...string) bool {
		for _, n := range names {
			if host == n || strings.HasSuffix(host, "."+n) {
				return true
			}
		}
		return false
	}
	switch {
	case hasHost("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "raw.githubusercontent.com", "gist.github.com", "crates.io", "npmjs.com", "pypi.org", "pkg.go.dev"):
		return domain.KindCode
	case hasHost("arxiv.org", "doi.org", "ssrn.com", "eprint.iacr.org", "openreview.net", "osf.io", "ideas.repec.org") || strings.HasSuffix(strings.SplitN(u, "?", 2)[0], ".pdf"):
		return domain.KindPaper
	case hasHost("etherscan.io", "basescan.org", "arbiscan.io", "polygonscan.com", "bscscan.com", "snowtrace.io", "solscan.io", "explorer.solana.com", "mintscan.io", "taostats.io", "subscan.io", "optimistic.etherscan.io", "blockscout.com"):
		return domain.KindOnchain
	case hasHost("dune.com", "defillama.com", "tokenterminal.com", "coingecko.com", "coinmarketcap.com", "messari.io", "artemis.xyz"):
		return domain.KindData
	case hasHost("coindesk.com", "theblock.co", "decrypt.co", "cointelegraph.com", "blockworks.co", "reuters.com", "bloomberg.com", "techcrunch.com", "forbes.com", "binance.com"):
		return domain.KindNews
	case source == domain.SourcePrimary:
		return domain.KindDoc
	}
	return ""
}
