package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
)

// CreateUser adds a reviewer or admin with an already-hashed password.
func (db *DB) CreateUser(ctx context.Context, name string, role domain.Role, passwordHash string) (domain.User, error) {
	u := domain.User{Name: strings.TrimSpace(name), Role: role, PasswordHash: passwordHash}
	if u.Name == "" || len(u.Name) > 64 || strings.ContainsAny(u.Name, "\r\n\t") {
		return u, domain.Errorf(domain.EINVALID, "a user name is 1 to 64 characters on one line")
	}
	if role != domain.RoleReviewer && role != domain.RoleAdmin {
		return u, domain.Errorf(domain.EINVALID, "role must be reviewer or admin")
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, u.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Errorf(domain.ECONFLICT, "user %q already exists", u.Name)
		}
		return tx.QueryRowContext(ctx, `INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			u.Name, u.Role, u.PasswordHash, formatTime(db.now())).Scan(&u.ID)
	})
	return u, err
}

// UserByName finds a user by name (case-insensitive).
func (db *DB) UserByName(ctx context.Context, name string) (domain.User, error) {
	var u domain.User
	err := db.read.QueryRowContext(ctx, `SELECT id, name, role, password_hash FROM users WHERE name = ?`, name).Scan(&u.ID, &u.Name, &u.Role, &u.PasswordHash)
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.Errorf(domain.ENOTFOUND, "no user %q", name)
	}
	return u, err
}

// CreateSession stores a session by the hash of its token.
func (db *DB) CreateSession(ctx context.Context, userID int64, tokenHash string, expires time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		// Sweep expired sessions while we are writing anyway.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, formatTime(db.now())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			tokenHash, userID, formatTime(db.now()), formatTime(expires))
		return err
	})
}

// SessionUser returns the user of a live session.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (domain.User, error) {
	var u domain.User
	err := db.read.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.password_hash FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ?`, tokenHash, formatTime(db.now())).Scan(&u.ID, &u.Name, &u.Role, &u.PasswordHash)
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.Errorf(domain.ENOTFOUND, "no session")
	}
	return u, err
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
}
