package onchain

import (
	"errors"
	"testing"
)

type codedError struct {
	code int
	msg  string
}

func (e codedError) Error() string  { return e.msg }
func (e codedError) ErrorCode() int { return e.code }

// A failed eth_call is the EVM's (a revert: "not this interface") or the
// node's (the getter was not read); nodes word both in their own ways.
func TestReverted(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{codedError{3, "execution reverted: Ownable: caller is not the owner"}, true},
		{codedError{-32000, "execution reverted"}, true},
		{errors.New("VM Exception while processing transaction: revert"), true},
		{errors.New("invalid opcode: INVALID"), true},
		{errors.New("out of gas: gas limit reached"), true},
		{errors.New("stack underflow (0 <=> 1)"), true},
		{codedError{-32000, "execution aborted (timeout = 5s)"}, false},
		{codedError{-32005, "rate limit exceeded"}, false},
		{codedError{-32000, "header not found"}, false},
		{codedError{-32000, "missing trie node 3f…"}, false},
		{errors.New("503 Service Unavailable"), false},
		{codedError{-32603, "internal error"}, false},
	} {
		if got := reverted(c.err); got != c.want {
			t.Errorf("%q: reverted = %v, want %v", c.err, got, c.want)
		}
	}
}
