package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/seed"
	"github.com/deai-scorecard/scorecard/store"
)

// MustOpen opens a fresh database file in a temp dir.
func MustOpen(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// MustSeed opens a fresh database and seeds it from the embedded dataset.
func MustSeed(t testing.TB) *store.DB {
	t.Helper()
	db := MustOpen(t)
	if seeded, _, err := db.SeedIfEmpty(context.Background()); err != nil || !seeded {
		t.Fatalf("seed: seeded=%v err=%v", seeded, err)
	}
	return db
}

func TestOpenSetsPragmasAndSchema(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	v, err := db.SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	// Reopening an up-to-date database is a no-op.
	db2, err := store.Open(ctx, db.Path())
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
}

func TestOpenRejectsMissingDirectory(t *testing.T) {
	_, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "nope", "x.db"))
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
}

func TestSeedImportsEverythingOnceAndIdempotently(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	d, a, err := seed.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	sums, err := db.Summaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(d.Projects) {
		t.Fatalf("%d projects stored, dataset has %d", len(sums), len(d.Projects))
	}
	wantEvidence := 0
	for _, p := range d.Projects {
		wantEvidence += len(p.Evidence)
	}
	gotEvidence := 0
	for _, s := range sums {
		if s.Version.Number != 1 {
			t.Errorf("%s: version %d after seeding, want 1", s.Project.Slug, s.Version.Number)
		}
		ev, err := db.Evidence(ctx, s.Project.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ev {
			if e.Status != domain.StatusAccepted || e.Reviewer != store.SeedReviewer || e.SourcedAsOf != d.SourcedAsOf {
				t.Fatalf("seeded evidence %d: status %s reviewer %q as-of %q", e.ID, e.Status, e.Reviewer, e.SourcedAsOf)
			}
		}
		gotEvidence += len(ev)
	}
	if gotEvidence != wantEvidence {
		t.Fatalf("%d evidence items stored, dataset has %d", gotEvidence, wantEvidence)
	}

	// Second start: nothing happens.
	if seeded, _, err := db.SeedIfEmpty(ctx); err != nil || seeded {
		t.Fatalf("second seed: seeded=%v err=%v", seeded, err)
	}
	// Re-importing both files adds nothing and creates no version.
	r1, err := db.ImportDataset(ctx, d)
	if err != nil || r1.Evidence != 0 {
		t.Fatalf("re-import dataset: %+v %v", r1, err)
	}
	r2, err := db.ImportAssessments(ctx, a)
	if err != nil || r2.Versions != 0 {
		t.Fatalf("re-import assessments: %+v %v", r2, err)
	}
}

// Every known level must rest on accepted evidence of the same project
// and axis (METHODOLOGY.md: a level is never guessed), and the stored
// levels must be the editors' levels.
func TestEveryLevelCitesAcceptedEvidenceOfItsAxis(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	_, a, _ := seed.Embedded()
	known, unknown := 0, 0
	for slug, axes := range a.Assessments {
		sc, err := db.Scorecard(ctx, slug, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, as := range sc.Assessments {
			want := domain.LevelPtr(axes[string(as.Axis)].Level)
			if as.Level != want {
				t.Errorf("%s/%s: stored %v, editors said %v", slug, as.Axis, as.Level, want)
			}
			if !as.Level.Known {
				unknown++
				continue
			}
			known++
			if len(as.Evidence) == 0 {
				t.Errorf("%s/%s: level %v cites no evidence", slug, as.Axis, as.Level)
			}
			for _, e := range as.Evidence {
				if e.Status != domain.StatusAccepted || e.Axis != as.Axis || e.ProjectID != sc.Project.ID {
					t.Errorf("%s/%s cites evidence %d (%s, %s, project %d)", slug, as.Axis, e.ID, e.Status, e.Axis, e.ProjectID)
				}
			}
		}
	}
	t.Logf("%d known levels, %d unknown", known, unknown)
	if known == 0 {
		t.Fatal("no known levels at all")
	}
}

func TestScorecardVersionsAreAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	sc, err := db.Scorecard(ctx, "bittensor", 0)
	if err != nil {
		t.Fatal(err)
	}
	v := store.NewVersion{Methodology: "1.0", AssessedBy: "test", AssessedAt: "2026-11-25"}
	for _, a := range sc.Assessments {
		na := store.NewAssessment{Axis: a.Axis, Level: a.Level, Criterion: a.Criterion, Rationale: a.Rationale}
		for _, e := range a.Evidence {
			na.Evidence = append(na.Evidence, e.ID)
		}
		v.Axes = append(v.Axes, na)
	}
	// Same levels, same rationale: no new version.
	n, created, err := db.SaveScorecard(ctx, "bittensor", v)
	if err != nil || created || n != 1 {
		t.Fatalf("unchanged save: n=%d created=%v err=%v", n, created, err)
	}
	// Lower the usage level to unknown: version 2.
	for i := range v.Axes {
		if v.Axes[i].Axis == domain.AxisTraining {
			v.Axes[i].Level, v.Axes[i].Criterion, v.Axes[i].Evidence = domain.Unknown, "", nil
		}
	}
	n, created, err = db.SaveScorecard(ctx, "bittensor", v)
	if err != nil || !created || n != 2 {
		t.Fatalf("changed save: n=%d created=%v err=%v", n, created, err)
	}
	v1, err := db.Scorecard(ctx, "bittensor", 1)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := db.Scorecard(ctx, "bittensor", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !v1.Assessment(domain.AxisTraining).Level.Known || v2.Assessment(domain.AxisTraining).Level.Known {
		t.Fatalf("v1 training %v, v2 training %v", v1.Assessment(domain.AxisTraining).Level, v2.Assessment(domain.AxisTraining).Level)
	}
	if v1.Latest != 2 || v2.Version.Number != 2 {
		t.Fatalf("latest %d, number %d", v1.Latest, v2.Version.Number)
	}
	if _, err := db.Scorecard(ctx, "bittensor", 3); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("version 3: %v", err)
	}
	// The database itself refuses to rewrite history.
	if err := db.ExecForTest(ctx, `UPDATE assessments SET level = 4`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update of assessments: %v", err)
	}
	if err := db.ExecForTest(ctx, `DELETE FROM scorecard_versions`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("delete of versions: %v", err)
	}
}

func TestSaveScorecardRejectsUnbackedLevels(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	other, _ := db.Scorecard(ctx, "gensyn", 0)
	var foreign int64
	for _, a := range other.Assessments {
		if len(a.Evidence) > 0 {
			foreign = a.Evidence[0].ID
		}
	}
	cases := map[string]store.NewAssessment{
		"no evidence":        {Axis: domain.AxisUsage, Level: domain.Known(2), Criterion: "usage.2"},
		"wrong criterion":    {Axis: domain.AxisUsage, Level: domain.Known(2), Criterion: "usage.3", Evidence: []int64{1}},
		"level out of range": {Axis: domain.AxisUsage, Level: domain.Known(7), Criterion: "usage.7", Evidence: []int64{1}},
		"other project":      {Axis: domain.AxisUsage, Level: domain.Known(0), Criterion: "usage.0", Evidence: []int64{foreign}},
		"bad axis":           {Axis: "vibes", Level: domain.Unknown},
	}
	for name, a := range cases {
		_, _, err := db.SaveScorecard(ctx, "bittensor", store.NewVersion{Methodology: "1.0", AssessedBy: "t", AssessedAt: "2026-11-25", Axes: []store.NewAssessment{a}})
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: got %v, want EINVALID", name, err)
		}
	}
	if sc, _ := db.Scorecard(ctx, "bittensor", 0); sc.Version.Number != 1 {
		t.Fatalf("a rejected save created version %d", sc.Version.Number)
	}
}

func TestImportRejectsBadFileWhole(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	f, err := seed.Parse([]byte(`{"sourced_as_of":"2026-07","projects":[
		{"slug":"good","name":"Good","evidence":[{"axis":"training","url":"https://example.org/a","title":"t","quote":"q","source_type":"primary"}],"contracts":[]},
		{"slug":"bad","name":"Bad","evidence":[{"axis":"training","url":"javascript:alert(1)","title":"t","quote":"q","source_type":"primary"}],"contracts":[]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, f); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	if ps, _ := db.Projects(ctx); len(ps) != 0 {
		t.Fatalf("a rejected import stored %d projects", len(ps))
	}
	if _, err := seed.Parse([]byte(`{"projects":[{"slug":"x","nmae":"typo"}]}`)); err == nil {
		t.Fatal("unknown field accepted")
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	target := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, target); err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if ps, _ := b.Projects(ctx); len(ps) == 0 {
		t.Fatal("backup has no projects")
	}
	if err := db.Backup(ctx, target); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("overwrite: %v", err)
	}
}

// Stamp stays put while nothing is written, grows at once with this
// process's commits, and within about StampEvery with another process's.
func TestStamp(t *testing.T) {
	ctx := context.Background()
	db := MustSeed(t)
	s0 := db.Stamp(ctx)
	for range 3 {
		if s := db.Stamp(ctx); s != s0 {
			t.Fatalf("stamp moved from %d to %d with nothing written", s0, s)
		}
	}
	if _, err := db.SaveProject(ctx, domain.Project{Slug: "olas", Name: "Olas, renamed here"}); err != nil {
		t.Fatal(err)
	}
	s1 := db.Stamp(ctx)
	if s1 <= s0 {
		t.Fatalf("stamp %d after a commit, was %d", s1, s0)
	}
	other, err := store.Open(ctx, db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	time.Sleep(store.StampEvery + 100*time.Millisecond) // let this process's own commit be read and counted
	s1 = db.Stamp(ctx)
	if _, err := other.SaveProject(ctx, domain.Project{Slug: "olas", Name: "Olas, renamed elsewhere"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * store.StampEvery)
	for db.Stamp(ctx) == s1 {
		if time.Now().After(deadline) {
			t.Fatal("another process's commit did not move the stamp")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
