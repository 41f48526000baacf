package onchain_test

import (
	"testing"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/onchain"
)

func TestCheckableOnlyEIP155(t *testing.T) {
	for chain, want := range map[string]bool{
		"eip155:1": true, "eip155:8453": true, "cosmos:fetchhub-4": false, "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp": false, "": false,
	} {
		if got := onchain.Checkable(domain.Contract{Chain: chain}); got != want {
			t.Errorf("%q: %v", chain, got)
		}
	}
}
