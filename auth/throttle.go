package auth

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a per-key token bucket (per IP, per account), with idle keys
// forgotten so the map cannot grow without bound.
type Limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	keys    map[string]*entry
	maxKeys int
	now     func() time.Time
}

type entry struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewLimiter allows burst events at once and then one per interval, per key.
func NewLimiter(interval time.Duration, burst int) *Limiter {
	return &Limiter{every: rate.Every(interval), burst: burst, keys: map[string]*entry{}, maxKeys: 100_000, now: time.Now}
}

func (l *Limiter) get(key string) *rate.Limiter {
	now := l.now()
	e := l.keys[key]
	if e == nil {
		if len(l.keys) >= l.maxKeys {
			l.sweep(now)
		}
		e = &entry{lim: rate.NewLimiter(l.every, l.burst)}
		l.keys[key] = e
	}
	e.seen = now
	return e.lim
}

// sweep forgets keys idle long enough to have refilled.
func (l *Limiter) sweep(now time.Time) {
	idle := time.Duration(float64(time.Second) / float64(l.every) * float64(l.burst))
	for k, e := range l.keys {
		if now.Sub(e.seen) > idle {
			delete(l.keys, k)
		}
	}
	if len(l.keys) >= l.maxKeys { // still full: start over rather than grow
		l.keys = map[string]*entry{}
	}
}

// Allow takes one event for key, reporting whether it is within the limit.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.get(key).AllowN(l.now(), 1)
}

// Blocked reports whether key has no event left, without taking one.
func (l *Limiter) Blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.get(key).TokensAt(l.now()) < 1
}

// RetryAfter is how long until key may act again.
func (l *Limiter) RetryAfter(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.get(key).ReserveN(l.now(), 1)
	d := r.DelayFrom(l.now())
	r.CancelAt(l.now())
	return d
}
