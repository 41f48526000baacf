// Package chaintest gives tests a real EVM to read: go-ethereum's simulated
// backend served over HTTP on 127.0.0.1, or any node (such as geth --dev)
// by URL, with helpers that deploy the test contracts of
// onchain/testdata/contracts and send transactions to them.
//
// It is used by tests only.
package chaintest

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
)

// Chain is a running EVM with a funded key.
type Chain struct {
	URL     string
	ChainID *big.Int
	Client  *ethclient.Client
	Key     *ecdsa.PrivateKey
	From    common.Address
	commit  func() // mines a block on the simulated backend; nil on a real node
	mu      sync.Mutex
}

// BuildDir is onchain/testdata/contracts/build, found from this source file.
func BuildDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "contracts", "build")
}

// FreePort returns a TCP port free on 127.0.0.1 right now.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Simulated starts go-ethereum's simulated backend (chain id 1337) with its
// JSON-RPC served over HTTP on a free 127.0.0.1 port, and stops it when the
// test ends. Every transaction is mined at once.
func Simulated(t testing.TB) *Chain {
	t.Helper()
	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	balance, _ := new(big.Int).SetString("1000000000000000000000000", 10)
	var backend *simulated.Backend
	var url string
	for attempt := 0; ; attempt++ {
		port := FreePort(t)
		var startErr any
		func() {
			defer func() { startErr = recover() }()
			backend = simulated.NewBackend(types.GenesisAlloc{from: {Balance: balance}}, func(nc *node.Config, ec *ethconfig.Config) {
				nc.HTTPHost, nc.HTTPPort = "127.0.0.1", port
				nc.HTTPModules = []string{"eth", "net", "web3"}
				nc.AuthPort = FreePort(t)
			})
		}()
		if startErr == nil {
			url = fmt.Sprintf("http://127.0.0.1:%d", port)
			break
		}
		if attempt == 5 {
			t.Fatalf("simulated backend: %v", startErr)
		}
	}
	t.Cleanup(func() { backend.Close() })
	c := Dial(t, url, key)
	c.commit = func() { backend.Commit() }
	return c
}

// Dial connects to a node by URL with a funded key.
func Dial(t testing.TB, url string, key *ecdsa.PrivateKey) *Chain {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	id, err := client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &Chain{URL: url, ChainID: id, Client: client, Key: key, From: crypto.PubkeyToAddress(key.PublicKey)}
}

var (
	abiCache   = map[string]abi.ABI{}
	abiCacheMu sync.Mutex
)

// ABI loads a compiled test contract's ABI.
func ABI(t testing.TB, name string) abi.ABI {
	t.Helper()
	abiCacheMu.Lock()
	defer abiCacheMu.Unlock()
	if a, ok := abiCache[name]; ok {
		return a
	}
	f, err := os.Open(filepath.Join(BuildDir(), name+".abi"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := abi.JSON(f)
	if err != nil {
		t.Fatal(err)
	}
	abiCache[name] = a
	return a
}

// Deploy deploys a compiled test contract and returns its address.
func (c *Chain) Deploy(t testing.TB, name string, args ...any) common.Address {
	t.Helper()
	bin, err := os.ReadFile(filepath.Join(BuildDir(), name+".bin"))
	if err != nil {
		t.Fatal(err)
	}
	code := common.FromHex(strings.TrimSpace(string(bin)))
	packed, err := ABI(t, name).Pack("", args...)
	if err != nil {
		t.Fatalf("%s constructor: %v", name, err)
	}
	r := c.send(t, nil, append(code, packed...))
	if r.ContractAddress == (common.Address{}) {
		t.Fatalf("%s: no contract address", name)
	}
	return r.ContractAddress
}

// Transact calls a method of a deployed contract in a transaction and
// fails the test if it reverts.
func (c *Chain) Transact(t testing.TB, contract string, to common.Address, method string, args ...any) *types.Receipt {
	t.Helper()
	data, err := ABI(t, contract).Pack(method, args...)
	if err != nil {
		t.Fatalf("%s.%s: %v", contract, method, err)
	}
	return c.send(t, &to, data)
}

// Pack encodes a call, e.g. for a Safe's exec.
func Pack(t testing.TB, contract, method string, args ...any) []byte {
	t.Helper()
	data, err := ABI(t, contract).Pack(method, args...)
	if err != nil {
		t.Fatalf("%s.%s: %v", contract, method, err)
	}
	return data
}

// SendValue sends plain ether (to fund another account).
func (c *Chain) SendValue(t testing.TB, to common.Address, wei *big.Int) {
	t.Helper()
	c.sendWithValue(t, &to, nil, wei)
}

func (c *Chain) send(t testing.TB, to *common.Address, data []byte) *types.Receipt {
	return c.sendWithValue(t, to, data, nil)
}

func (c *Chain) sendWithValue(t testing.TB, to *common.Address, data []byte, value *big.Int) *types.Receipt {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nonce, err := c.Client.PendingNonceAt(ctx, c.From)
	if err != nil {
		t.Fatal(err)
	}
	tip := big.NewInt(1_000_000_000)
	head, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	if value == nil {
		value = new(big.Int)
	}
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: c.ChainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 8_000_000, To: to, Value: value, Data: data})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(c.ChainID), c.Key)
	if err != nil {
		t.Fatal(err)
	}
	// A real node answers a receipt as soon as the block is in its chain, but
	// its transaction pool moves to that block a moment later: until then it
	// still sees the sender's balance before the block that funded it. Such a
	// refusal is retried briefly; any other error fails the test.
	for {
		err := c.Client.SendTransaction(ctx, signed)
		if err == nil {
			break
		}
		if c.commit != nil || !strings.Contains(err.Error(), "insufficient funds") {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%v (still, after %v)", err, 30*time.Second)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if c.commit != nil {
		c.commit()
	}
	for {
		r, err := c.Client.TransactionReceipt(ctx, signed.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("transaction to %v reverted", to)
			}
			return r
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no receipt for %s: %v", signed.Hash(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Mine advances the simulated chain by n empty blocks (for confirmations).
func (c *Chain) Mine(n int) {
	for range n {
		if c.commit != nil {
			c.commit()
		}
	}
}
