package domain_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/deai-scorecard/scorecard/domain"
)

func TestMaybeLevel(t *testing.T) {
	if domain.Unknown.Known || domain.Unknown.Ptr() != nil || domain.Unknown.String() != "unknown" {
		t.Fatal("unknown is not unknown")
	}
	two := domain.Known(2)
	if p := two.Ptr(); p == nil || *p != 2 || two.Label() != "2 · open but trusted" {
		t.Fatalf("known 2: %v %q", p, two.Label())
	}
	zero := 0
	if l := domain.LevelPtr(&zero); !l.Known || l.Level != 0 {
		t.Fatal("a known 0 must stay known")
	}
	if domain.Level(5).Valid() || domain.Level(-1).Valid() || domain.Level(5).Name() != "invalid" {
		t.Fatal("out-of-range levels")
	}
}

func TestAxes(t *testing.T) {
	if len(domain.Axes) != 7 {
		t.Fatalf("%d axes", len(domain.Axes))
	}
	if domain.AxisContext.Valid() || !domain.AxisContext.ValidEvidenceAxis() {
		t.Fatal("context is evidence-only")
	}
	if _, err := domain.ParseAxis("vibes"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("ParseAxis: %v", err)
	}
}

func TestValidCAIP2(t *testing.T) {
	for s, want := range map[string]bool{
		"eip155:1": true, "cosmos:fetchhub-4": true, "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp": true, "cosmos:Oraichain": true,
		"": false, "eip155": false, "eip155:": false, "EIP155:1": false, "ei:1": false, "eip155:1:2": false, "eip155:a b": false,
		"eip155:abc": false, "eip155:0": false, "eip155:01": false, "eip155:8453": true, "eip155:-1": false,
	} {
		if got := domain.ValidCAIP2(s); got != want {
			t.Errorf("%q: %v", s, got)
		}
	}
}

func TestErrors(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", domain.Errorf(domain.ENOTFOUND, "no project %q", "x"))
	if domain.ErrorCode(err) != domain.ENOTFOUND || domain.ErrorMessage(err) != `no project "x"` {
		t.Fatalf("%s %s", domain.ErrorCode(err), domain.ErrorMessage(err))
	}
	if domain.ErrorCode(errors.New("disk on fire")) != domain.EINTERNAL || domain.ErrorMessage(errors.New("secret")) != "Internal error." {
		t.Fatal("internal errors must not leak")
	}
	if domain.ErrorCode(nil) != "" {
		t.Fatal("nil")
	}
}

func TestStageCodes(t *testing.T) {
	for i, s := range domain.Stages {
		if s.Rank() != i || s.Name() == "invalid" {
			t.Errorf("%s", s)
		}
	}
	if _, err := domain.ParseStage("X"); err == nil {
		t.Fatal("X parsed")
	}
}
