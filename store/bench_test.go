package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/deai-scorecard/scorecard/store"
)

// BenchmarkFirstStart measures what the first start of the site does to an
// empty file: open, migrate, and seed the embedded dataset and assessment.
func BenchmarkFirstStart(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	for i := 0; b.Loop(); i++ {
		db, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("bench%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		if seeded, _, err := db.SeedIfEmpty(ctx); err != nil || !seeded {
			b.Fatal(seeded, err)
		}
		db.Close()
	}
}

func BenchmarkScorecard(b *testing.B) {
	ctx := context.Background()
	db := MustSeed(b)
	for b.Loop() {
		if _, err := db.Scorecard(ctx, "bittensor", 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSummaries(b *testing.B) {
	ctx := context.Background()
	db := MustSeed(b)
	for b.Loop() {
		if _, err := db.Summaries(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
