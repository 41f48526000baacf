package web

import (
	"io"
	"sync"
	"time"
)

// LogWriter gathers log lines and writes them in batches: a busy server
// logs a line per request, and one write per line is a system call per
// request. A line waits at most the delay (or until a batch of 64 KiB is
// full); Flush writes what waits, and the server calls it when it stops.
// Each Write is kept whole, so concurrent records never interleave.
// Lines written in the last moment before a crash may be lost.
type LogWriter struct {
	mu      sync.Mutex
	w       io.Writer
	delay   time.Duration
	buf     []byte
	pending bool // a flush is scheduled
	timer   *time.Timer
}

// logBatch is the size at which a batch is written at once.
const logBatch = 64 << 10

// NewLogWriter batches writes to w, each line waiting at most delay.
func NewLogWriter(w io.Writer, delay time.Duration) *LogWriter {
	return &LogWriter{w: w, delay: delay}
}

// Write takes a record; it never fails (a write error of the batch is
// the destination's, and logging goes on).
func (l *LogWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	switch {
	case len(l.buf) >= logBatch:
		l.flushLocked()
	case !l.pending:
		l.pending = true
		if l.timer == nil {
			l.timer = time.AfterFunc(l.delay, func() { l.Flush() })
		} else {
			l.timer.Reset(l.delay)
		}
	}
	return len(p), nil
}

// Flush writes what waits.
func (l *LogWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.flushLocked()
}

func (l *LogWriter) flushLocked() error {
	if l.pending && l.timer != nil {
		l.timer.Stop()
	}
	l.pending = false
	if len(l.buf) == 0 {
		return nil
	}
	_, err := l.w.Write(l.buf)
	if cap(l.buf) > 4*logBatch {
		l.buf = nil // a burst grew it: let it go
	} else {
		l.buf = l.buf[:0]
	}
	return err
}
