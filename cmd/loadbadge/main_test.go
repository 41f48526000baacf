package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestRunShort drives every target briefly: the command starts, measures
// and stops by itself without errors.
func TestRunShort(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-c", "4", "-d", "200ms", "-max", "5000"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"badge 200", "badge 304", "bare 200", "bare 304", "page /p/bittensor", "ratio badge/bare 200", "ratio page/bare"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	if err := run(context.Background(), []string{"-c", "0"}, &bytes.Buffer{}); err == nil {
		t.Fatal("want an error")
	}
}
