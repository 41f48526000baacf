package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHashing(t *testing.T) {
	const pw = "correct horse battery staple"
	h1, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword(pw)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("not a PHC argon2id string: %q", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !CheckPassword(h1, pw) || !CheckPassword(h2, pw) {
		t.Error("the right password is refused")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", pw + " "} {
		if CheckPassword(h1, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	if CheckPassword(DummyHash, pw) || CheckPassword(DummyHash, "") {
		t.Error("the dummy hash matches a password")
	}
}

func TestPasswordLength(t *testing.T) {
	if _, err := HashPassword("short"); err == nil {
		t.Error("a 5-character password was accepted")
	}
	// Length counts characters, not bytes: 11 two-byte letters are too short.
	if _, err := HashPassword(strings.Repeat("é", MinPasswordLen-1)); err == nil {
		t.Error("11 characters (22 bytes) accepted")
	}
	if _, err := HashPassword(strings.Repeat("é", MinPasswordLen)); err != nil {
		t.Errorf("12 characters refused: %v", err)
	}
	if _, err := HashPassword(strings.Repeat("x", 1025)); err == nil {
		t.Error("a 1025-character password was accepted")
	}
}

// A stored hash that is damaged or not ours never matches, and never
// panics or runs argon2 with absurd parameters.
func TestCheckPasswordRejectsBadHashes(t *testing.T) {
	const pw = "correct horse battery staple"
	good, _ := HashPassword(pw)
	parts := strings.Split(good, "$")
	bad := []string{
		"",
		"plain text",
		"$argon2i$v=19$m=65536,t=3,p=2$" + parts[4] + "$" + parts[5],
		"$argon2id$v=18$" + strings.Join(parts[3:], "$"),
		"$argon2id$v=19$m=0,t=3,p=2$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=65536,t=0,p=2$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=99999999,t=3,p=2$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=65536,t=3,p=2$" + parts[4] + "$",
		"$argon2id$v=19$m=65536,t=3,p=2$!!$" + parts[5],
		"$argon2id$v=19$m=65536,t=3,p=2$" + parts[4] + "$" + parts[5][:len(parts[5])-2] + "AA",
		good + "$",
	}
	for _, h := range bad {
		if CheckPassword(h, pw) {
			t.Errorf("hash %q matched", h)
		}
	}
}

func TestTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash, err := NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) != 43 || seen[tok] {
			t.Fatalf("token %q: wrong length or repeated", tok)
		}
		seen[tok] = true
		if hash != HashToken(tok) || hash == tok || len(hash) != 64 {
			t.Fatalf("hash %q of %q", hash, tok)
		}
	}
}

// fakeClock is a Limiter clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	l := NewLimiter(time.Minute, 3)
	l.now = clock.now
	for i := range 3 {
		if !l.Allow("1.2.3.4") {
			t.Fatalf("event %d of a burst of 3 refused", i+1)
		}
	}
	if !l.Blocked("1.2.3.4") || l.Allow("1.2.3.4") {
		t.Fatal("a 4th event within the minute was allowed")
	}
	if d := l.RetryAfter("1.2.3.4"); d <= 0 || d > time.Minute {
		t.Errorf("RetryAfter %v, want within a minute", d)
	}
	if !l.Blocked("1.2.3.4") {
		t.Error("RetryAfter took an event")
	}
	if l.Blocked("5.6.7.8") || !l.Allow("5.6.7.8") {
		t.Error("another key is limited by the first")
	}
	// Blocked only looks.
	for range 10 {
		l.Blocked("9.9.9.9")
	}
	if !l.Allow("9.9.9.9") {
		t.Error("Blocked used up events")
	}
	clock.t = clock.t.Add(time.Minute)
	if !l.Allow("1.2.3.4") || l.Allow("1.2.3.4") {
		t.Error("after a minute, want exactly one more event")
	}
}

// Keys are forgotten when idle, so a flood of addresses cannot grow the
// map without bound; a flood that is not idle starts the map over.
func TestLimiterForgetsIdleKeys(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	l := NewLimiter(time.Second, 2)
	l.now, l.maxKeys = clock.now, 100
	for i := range 100 {
		l.Allow(strings.Repeat("a", i+1))
	}
	clock.t = clock.t.Add(time.Minute) // all idle
	l.Allow("new")
	if len(l.keys) != 1 {
		t.Errorf("%d keys after the sweep, want 1", len(l.keys))
	}
	for i := range 300 {
		l.Allow(strings.Repeat("b", i+1)) // none idle
	}
	if len(l.keys) > 100 {
		t.Errorf("%d keys, want at most 100", len(l.keys))
	}
}
