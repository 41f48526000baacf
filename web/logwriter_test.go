package web_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deai-scorecard/scorecard/web"
)

// syncBuffer is a bytes.Buffer that counts writes, safe across goroutines.
type syncBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.b.Write(p)
}

func (s *syncBuffer) read() (string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String(), s.writes
}

// Lines written close together go out in one write, within the delay,
// whole and in order; a full batch goes out at once; Flush empties it.
func TestLogWriterBatches(t *testing.T) {
	dst := &syncBuffer{}
	l := web.NewLogWriter(dst, 50*time.Millisecond)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				fmt.Fprintf(l, "goroutine=%d line=%d %s\n", g, i, strings.Repeat("x", 40))
			}
		}()
	}
	wg.Wait()
	if out, _ := dst.read(); len(out) >= 800*50 {
		t.Fatalf("everything was written at once (%d bytes): no batching", len(out))
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		out, writes := dst.read()
		if strings.Count(out, "\n") == 800 {
			if writes > 10 {
				t.Errorf("800 lines took %d writes", writes)
			}
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if !strings.HasPrefix(line, "goroutine=") || !strings.HasSuffix(line, strings.Repeat("x", 40)) {
					t.Fatalf("a line was torn: %q", line)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 2 s, %d of 800 lines were written", strings.Count(out, "\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A record larger than a batch is written at once.
	big := strings.Repeat("y", 70<<10) + "\n"
	l.Write([]byte(big))
	if out, _ := dst.read(); !strings.HasSuffix(out, big) {
		t.Error("a full batch waited")
	}
	// Flush writes what waits, without waiting for the delay.
	slow := web.NewLogWriter(dst, time.Hour)
	slow.Write([]byte("last words\n"))
	if out, _ := dst.read(); strings.HasSuffix(out, "last words\n") {
		t.Fatal("written before the delay or a flush")
	}
	if err := slow.Flush(); err != nil {
		t.Fatal(err)
	}
	if out, _ := dst.read(); !strings.HasSuffix(out, "last words\n") {
		t.Error("Flush did not write")
	}
}
