package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/store"
)

func submit(t *testing.T, db *store.DB, slug string, axis domain.Axis, url string) domain.Evidence {
	t.Helper()
	e, err := db.SubmitEvidence(context.Background(), slug, domain.Evidence{Axis: axis, Kind: domain.KindDoc, URL: url, Title: "T " + url, Quote: "Q", Finding: "F", Submitter: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSubmitDecideAndVersions(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { clock = clock.Add(time.Minute); return clock })

	a := submit(t, db, "bittensor", domain.AxisVerification, "https://example.org/a")
	if a.Status != domain.StatusPending {
		t.Fatalf("status %s", a.Status)
	}
	// Duplicate URL for the same project and axis.
	_, err := db.SubmitEvidence(ctx, "bittensor", domain.Evidence{Axis: domain.AxisVerification, URL: "https://example.org/a", Title: "x", Quote: "y"})
	var dup *store.DuplicateError
	if !errors.As(err, &dup) || dup.ExistingID != a.ID {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := db.SubmitEvidence(ctx, "nope", domain.Evidence{Axis: domain.AxisUsage, URL: "https://example.org/z", Title: "x", Quote: "y"}); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("unknown project: %v", err)
	}
	// Pending items never count: not cited, not "other".
	sc, _ := db.Scorecard(ctx, "bittensor", 0)
	for _, e := range append(sc.Assessment(domain.AxisVerification).Evidence, sc.Assessment(domain.AxisVerification).Other...) {
		if e.ID == a.ID {
			t.Fatal("a pending item shows on the scorecard")
		}
	}
	// A note is required; a level needs a rationale.
	if _, err := db.Decide(ctx, a.ID, domain.DecisionAccepted, "rev", " ", nil); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("no note: %v", err)
	}
	if _, err := db.Decide(ctx, a.ID, domain.DecisionAccepted, "rev", "ok", &store.LevelChange{Level: 3}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("no rationale: %v", err)
	}
	if _, err := db.Decide(ctx, a.ID, domain.DecisionRejected, "rev", "no", &store.LevelChange{Level: 3, Rationale: "r"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("level on reject: %v", err)
	}
	v, err := db.Decide(ctx, a.ID, domain.DecisionAccepted, "rev", "solid source", &store.LevelChange{Level: 3, Rationale: "TEE attestation by default"})
	if err != nil || v != 2 {
		t.Fatalf("accept: v=%d err=%v", v, err)
	}
	if _, err := db.Decide(ctx, a.ID, domain.DecisionRejected, "rev", "again", nil); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("decide twice: %v", err)
	}
	v2, _ := db.Scorecard(ctx, "bittensor", 0)
	as := v2.Assessment(domain.AxisVerification)
	if v2.Version.Number != 2 || as.Level != domain.Known(3) || as.Criterion != "verification.3" || len(as.Evidence) == 0 || as.Evidence[0].ID != a.ID {
		t.Fatalf("v2 verification: %+v", as)
	}
	if v2.Version.AssessedBy != "rev" || !strings.Contains(v2.Version.Note, "evidence #") {
		t.Fatalf("v2 meta %+v", v2.Version)
	}
	// Version 1 is unchanged, and shows nothing accepted after it.
	v1, _ := db.Scorecard(ctx, "bittensor", 1)
	if v1.Assessment(domain.AxisVerification).Level != domain.Known(1) {
		t.Fatalf("v1 verification changed: %v", v1.Assessment(domain.AxisVerification).Level)
	}
	for _, e := range append(v1.Assessment(domain.AxisVerification).Evidence, v1.Assessment(domain.AxisVerification).Other...) {
		if e.ID == a.ID {
			t.Fatal("version 1 shows an item accepted after it")
		}
	}
	// Accepting without a level adds no version; the item shows as "other" on the latest.
	b := submit(t, db, "bittensor", domain.AxisUsage, "https://example.org/b")
	if v, err := db.Decide(ctx, b.ID, domain.DecisionAccepted, "rev", "fine", nil); err != nil || v != 0 {
		t.Fatalf("accept b: %d %v", v, err)
	}
	latest, _ := db.Scorecard(ctx, "bittensor", 0)
	if latest.Version.Number != 2 || len(latest.Assessment(domain.AxisUsage).Other) == 0 {
		t.Fatalf("b not shown as other evidence: v%d", latest.Version.Number)
	}
	c := submit(t, db, "bittensor", domain.AxisData, "https://example.org/c")
	if _, err := db.Decide(ctx, c.ID, domain.DecisionRejected, "rev2", "not verbatim", nil); err != nil {
		t.Fatal(err)
	}
	// History and the public log.
	h, _ := db.EvidenceHistory(ctx, a.ID)
	if len(h) != 2 || h[0].Decision != domain.DecisionSubmitted || h[0].Actor != "alice" || h[1].Decision != domain.DecisionAccepted || h[1].Version != 2 {
		t.Fatalf("history %+v", h)
	}
	log, total, err := db.ModerationLog(ctx, 1, 2)
	if err != nil || total != 3 || len(log) != 2 || log[0].EvidenceID != c.ID || log[0].Decision != domain.DecisionRejected || log[0].Note != "not verbatim" {
		t.Fatalf("log page 1: %d %+v %v", total, log, err)
	}
	log, _, _ = db.ModerationLog(ctx, 2, 2)
	if len(log) != 1 || log[0].EvidenceID != a.ID {
		t.Fatalf("log page 2: %+v", log)
	}
	pending, _ := db.PendingEvidence(ctx)
	if len(pending) != 0 {
		t.Fatalf("%d pending", len(pending))
	}
	levels, _ := db.VersionLevels(ctx, latest.Project.ID)
	if levels[1][domain.AxisVerification] != domain.Known(1) || levels[2][domain.AxisVerification] != domain.Known(3) {
		t.Fatalf("version levels %v", levels)
	}
	if err := db.ExecForTest(ctx, `DELETE FROM moderation_log`); err == nil {
		t.Fatal("moderation log deleted")
	}
}

func TestUsersAndSessions(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	u, err := db.CreateUser(ctx, "Alice", domain.RoleReviewer, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, "alice", domain.RoleAdmin, "h"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("duplicate (case-insensitive): %v", err)
	}
	for _, bad := range []struct {
		name string
		role domain.Role
	}{{"", domain.RoleAdmin}, {"x\ny", domain.RoleAdmin}, {"bob", "king"}} {
		if _, err := db.CreateUser(ctx, bad.name, bad.role, "h"); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%q %q: %v", bad.name, bad.role, err)
		}
	}
	if got, err := db.UserByName(ctx, "ALICE"); err != nil || got.ID != u.ID {
		t.Fatalf("by name: %v", err)
	}
	if err := db.CreateSession(ctx, u.ID, "tok", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := db.SessionUser(ctx, "tok"); err != nil || got.Name != "Alice" {
		t.Fatalf("session: %v", err)
	}
	if err := db.CreateSession(ctx, u.ID, "old", time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionUser(ctx, "old"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("expired session: %v", err)
	}
	db.DeleteSession(ctx, "tok")
	if _, err := db.SessionUser(ctx, "tok"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("deleted session: %v", err)
	}
}

func TestSaveProject(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	before, _ := db.Project(ctx, "bittensor")
	p, err := db.SaveProject(ctx, domain.Project{Slug: "bittensor", Name: "Bittensor", Website: "https://bittensor.com", Summary: "s"})
	if err != nil || p.ID != before.ID {
		t.Fatal(err)
	}
	after, _ := db.Project(ctx, "bittensor")
	if after.Name != "Bittensor" || len(after.Chains) != len(before.Chains) || len(after.Chains) == 0 {
		t.Fatalf("edit lost chains or name: %+v", after)
	}
	for _, bad := range []domain.Project{{Slug: "Bad Slug", Name: "x"}, {Slug: "ok", Name: ""}, {Slug: "ok", Name: "x", Website: "javascript:alert(1)"}} {
		if _, err := db.SaveProject(ctx, bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := db.SaveProject(ctx, domain.Project{Slug: "newproj", Name: "New"}); err != nil {
		t.Fatal(err)
	}
	if sc, err := db.Scorecard(ctx, "newproj", 0); err != nil || sc.Version.Number != 0 || sc.Assessment(domain.AxisTraining).Level.Known {
		t.Fatalf("new project scorecard: %+v %v", sc.Version, err)
	}
}

// Two admins creating the same new slug at the same moment: exactly one
// project is created, the other gets ECONFLICT, and the winner's name
// stands.
func TestCreateProjectRace(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	if _, err := db.CreateProject(ctx, domain.Project{Slug: "bittensor", Name: "Impostor"}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("creating an existing slug: %v, want ECONFLICT", err)
	}
	if p, _ := db.Project(ctx, "bittensor"); p.Name == "Impostor" {
		t.Fatal("an existing project was overwritten")
	}
	const n = 8
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.CreateProject(ctx, domain.Project{Slug: "contested", Name: fmt.Sprintf("Admin %d", i)})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	created := 0
	for err := range errs {
		switch {
		case err == nil:
			created++
		case domain.ErrorCode(err) != domain.ECONFLICT:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if created != 1 {
		t.Fatalf("%d of %d simultaneous creations succeeded, want 1", created, n)
	}
}
