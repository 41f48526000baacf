package onchain_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/onchain"
	"github.com/deai-scorecard/scorecard/onchain/chaintest"
)

// bulk sends many transactions from the chain's key without waiting for
// each one, then mines blocks until all are in: deploying a thousand
// contracts one block each would take minutes. Gas is estimated once per
// kind of transaction, against the mined state, so a kind must not depend
// on contracts deployed in the same flush.
type bulk struct {
	tb     testing.TB
	c      *chaintest.Chain
	nonce  uint64
	gas    map[string]uint64
	hashes []common.Hash
	code   map[string][]byte
}

func newBulk(tb testing.TB, c *chaintest.Chain) *bulk {
	tb.Helper()
	nonce, err := c.Client.PendingNonceAt(context.Background(), c.From)
	if err != nil {
		tb.Fatal(err)
	}
	return &bulk{tb: tb, c: c, nonce: nonce, gas: map[string]uint64{}, code: map[string][]byte{}}
}

// deploy sends a contract creation and returns the address it will have.
func (b *bulk) deploy(name string, args ...any) common.Address {
	b.tb.Helper()
	code, ok := b.code[name]
	if !ok {
		bin, err := os.ReadFile(filepath.Join(chaintest.BuildDir(), name+".bin"))
		if err != nil {
			b.tb.Fatal(err)
		}
		code = common.FromHex(strings.TrimSpace(string(bin)))
		b.code[name] = code
	}
	packed, err := chaintest.ABI(b.tb, name).Pack("", args...)
	if err != nil {
		b.tb.Fatalf("%s constructor: %v", name, err)
	}
	addr := crypto.CreateAddress(b.c.From, b.nonce)
	b.send("deploy "+name, nil, append(append([]byte{}, code...), packed...))
	return addr
}

func (b *bulk) transact(contract string, to common.Address, method string, args ...any) {
	b.tb.Helper()
	b.send(contract+"."+method, &to, chaintest.Pack(b.tb, contract, method, args...))
}

func (b *bulk) send(kind string, to *common.Address, data []byte) {
	b.tb.Helper()
	ctx := context.Background()
	gas, ok := b.gas[kind]
	if !ok {
		est, err := b.c.Client.EstimateGas(ctx, ethereum.CallMsg{From: b.c.From, To: to, Data: data})
		if err != nil {
			b.tb.Fatalf("estimating %s: %v", kind, err)
		}
		gas = est*3/2 + 50_000
		b.gas[kind] = gas
	}
	// A fee cap far above the base fee: full blocks raise it 12.5% each.
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: b.c.ChainID, Nonce: b.nonce, GasTipCap: big.NewInt(1_000_000_000),
		GasFeeCap: big.NewInt(200_000_000_000), Gas: gas, To: to, Data: data})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(b.c.ChainID), b.c.Key)
	if err != nil {
		b.tb.Fatal(err)
	}
	if err := b.c.Client.SendTransaction(ctx, signed); err != nil {
		b.tb.Fatalf("sending %s (nonce %d): %v", kind, b.nonce, err)
	}
	b.nonce++
	b.hashes = append(b.hashes, signed.Hash())
}

// flush mines blocks until every sent transaction has a receipt, and
// fails if any reverted.
func (b *bulk) flush() {
	b.tb.Helper()
	if len(b.hashes) == 0 {
		return
	}
	ctx := context.Background()
	rc := b.c.Client.Client()
	receipts := make([]*types.Receipt, len(b.hashes))
	for blocks := 0; ; blocks++ {
		if blocks > 10+len(b.hashes) {
			b.tb.Fatalf("%d transactions not mined after %d blocks", len(b.hashes), blocks)
		}
		b.c.Mine(1)
		if _, err := b.c.Client.TransactionReceipt(ctx, b.hashes[len(b.hashes)-1]); err == nil {
			break // the last nonce is in, so are all before it
		}
	}
	for start := 0; start < len(b.hashes); start += 500 {
		end := min(start+500, len(b.hashes))
		elems := make([]rpc.BatchElem, 0, end-start)
		for i := start; i < end; i++ {
			elems = append(elems, rpc.BatchElem{Method: "eth_getTransactionReceipt", Args: []any{b.hashes[i]}, Result: &receipts[i]})
		}
		if err := rc.BatchCallContext(ctx, elems); err != nil {
			b.tb.Fatal(err)
		}
		for i, e := range elems {
			r := receipts[start+i]
			if e.Error != nil || r == nil || r.Status != types.ReceiptStatusSuccessful {
				b.tb.Fatalf("transaction %s: receipt %+v, error %v", b.hashes[start+i], r, e.Error)
			}
		}
	}
	b.hashes = b.hashes[:0]
}

// fleet is n watched contracts of a realistic mix on a simulated chain,
// with the facts each must have.
type fleet struct {
	chain     *chaintest.Chain
	multicall common.Address
	contracts []domain.Contract
	want      map[int64]map[string]string // facts every read must report (a subset)
	deployed  int                         // contract creations, Multicall3 and shared controllers included
	took      time.Duration
}

// deployFleet deploys n watched contracts: 50% OwnedTokens (half owned by
// the deployer, half handed to one of a few MiniSafes), 10% UUPS-style
// contracts governed by AccessControl roles (admins a MiniSafe and an EOA;
// half list them, half are read from their events), 30% Proxy1967s behind a few
// ProxyAdmins each owned by a MiniSafe, and 10% timelocks and governors;
// plus Multicall3.
func deployFleet(tb testing.TB, n int) *fleet {
	tb.Helper()
	start := time.Now()
	c := chaintest.Simulated(tb)
	f := &fleet{chain: c, want: map[int64]map[string]string{}}
	nProxies, nOthers, nRoles := n*3/10, n/10, n/10
	nTokens := n - nProxies - nOthers - nRoles
	nTimelocks, nCompound := nOthers/2, nOthers/5
	nGovernors := nOthers - nTimelocks - nCompound

	// Shared controllers, mined before the bulk so gas estimates see them.
	b := newBulk(tb, c)
	f.multicall = b.deploy("Multicall3")
	impl := b.deploy("ImplV1")
	const nSafes = 5
	var safes, admins []common.Address
	safeOwners := map[common.Address]string{}
	for i := range nSafes {
		signers := []common.Address{c.From, randomAddress(), randomAddress()}
		s := b.deploy("MiniSafe", signers, big.NewInt(int64(1+i%3)))
		safes = append(safes, s)
		hex := make([]string, len(signers))
		for j, a := range signers {
			hex[j] = a.Hex()
		}
		safeOwners[s] = strings.Join(hex, ",")
	}
	for i := range nSafes {
		admins = append(admins, b.deploy("ProxyAdmin", safes[i]))
	}
	b.flush()
	f.deployed = 2 + 2*nSafes

	id := int64(0)
	watch := func(a common.Address, role domain.ContractRole, want map[string]string) {
		id++
		f.contracts = append(f.contracts, domain.Contract{ID: id, Chain: "eip155:1337", Address: a.Hex(), Role: role})
		f.want[id] = want
		f.deployed++
	}
	safeFacts := func(prefix string, s common.Address, i int) map[string]string {
		return map[string]string{
			prefix + "is_contract": "true", prefix + "safe.owners": safeOwners[s],
			prefix + "safe.threshold": fmt.Sprint(1 + i%3), prefix + "safe.version": "1.4.1",
		}
	}
	merge := func(ms ...map[string]string) map[string]string {
		out := map[string]string{}
		for _, m := range ms {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}

	var tokens, timelocks []common.Address
	type handover struct {
		token, safe common.Address
	}
	var handovers []handover
	for i := range nTokens {
		tk := b.deploy("OwnedToken", fmt.Sprintf("Token %d", i), fmt.Sprintf("T%d", i), big.NewInt(int64(1_000_000+i)))
		tokens = append(tokens, tk)
		if i%2 == 0 {
			watch(tk, domain.RoleToken, map[string]string{"owner": c.From.Hex(), c.From.Hex() + ".is_contract": "false"})
		} else {
			s := safes[i%nSafes]
			handovers = append(handovers, handover{tk, s})
			watch(tk, domain.RoleToken, merge(map[string]string{"owner": s.Hex()}, safeFacts(s.Hex()+".", s, i%nSafes)))
		}
	}
	roleAdmin := randomAddress()
	for i := range nRoles {
		s := safes[i%nSafes]
		enumerable := i%2 == 0
		rc := b.deploy("RolesUUPS", impl, []common.Address{s, roleAdmin}, enumerable)
		want := merge(map[string]string{"implementation": impl.Hex(), "access.control": "true",
			"access.admin_count": "2", "access.admins": s.Hex() + "," + roleAdmin.Hex(),
			roleAdmin.Hex() + ".is_contract": "false"}, safeFacts(s.Hex()+".", s, i%nSafes))
		if !enumerable {
			want["access.admins_source"] = "logs"
		}
		watch(rc, domain.RoleProxy, want)
	}
	proxyOwners := make([]common.Address, 10)
	for i := range proxyOwners {
		proxyOwners[i] = randomAddress()
	}
	for i := range nProxies {
		pa, owner := admins[i%nSafes], proxyOwners[i%len(proxyOwners)]
		px := b.deploy("Proxy1967", impl, pa, chaintest.Pack(tb, "ImplV1", "initialize", owner))
		s := safes[i%nSafes]
		watch(px, domain.RoleProxy, merge(map[string]string{
			"implementation": impl.Hex(), "admin": pa.Hex(), "owner": owner.Hex(),
			pa.Hex() + ".is_contract": "true", pa.Hex() + ".owner": s.Hex(),
			owner.Hex() + ".is_contract": "false",
		}, safeFacts(s.Hex()+".", s, i%nSafes)))
	}
	for i := range nTimelocks {
		tl := b.deploy("MiniTimelock", big.NewInt(int64(86400+i)), c.From)
		timelocks = append(timelocks, tl)
		watch(tl, domain.RoleTimelock, map[string]string{"timelock.min_delay": fmt.Sprint(86400 + i)})
	}
	for i := range nCompound {
		ct := b.deploy("CompoundTimelock", c.From, big.NewInt(int64(172800+i)))
		watch(ct, domain.RoleTimelock, map[string]string{"timelock.delay": fmt.Sprint(172800 + i)})
	}
	for i := range nGovernors {
		tl := timelocks[i%len(timelocks)]
		gv := b.deploy("MiniGovernor", tokens[i%len(tokens)], tl, big.NewInt(1), big.NewInt(int64(50400+i)), big.NewInt(0), big.NewInt(1000))
		watch(gv, domain.RoleGovernor, map[string]string{
			"governor.voting_delay": "1", "governor.voting_period": fmt.Sprint(50400 + i), "governor.quorum": "1000",
			"governor.timelock": tl.Hex(), tl.Hex() + ".is_contract": "true", tl.Hex() + ".timelock.min_delay": fmt.Sprint(86400 + i%len(timelocks)),
		})
	}
	b.flush()
	for _, h := range handovers {
		b.transact("OwnedToken", h.token, "transferOwnership", h.safe)
	}
	b.flush()
	f.took = time.Since(start)
	return f
}

func (f *fleet) reader(tb testing.TB) *onchain.EVM {
	tb.Helper()
	r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: f.chain.URL, ChainID: 1337, Multicall: f.multicall})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.Close)
	return r
}

// check reports facts a read missed or got wrong (at most 10 lines).
func (f *fleet) check(tb testing.TB, res onchain.Result) {
	tb.Helper()
	got := factsByContract(res)
	bad := 0
	for _, c := range f.contracts {
		fs := got[c.ID]
		if fs["code"] == "" || fs["code"] == "none" {
			bad++
			if bad <= 10 {
				tb.Errorf("contract #%d %s (%s): code %q", c.ID, c.Address, c.Role, fs["code"])
			}
		}
		for k, v := range f.want[c.ID] {
			if fs[k] != v {
				bad++
				if bad <= 10 {
					tb.Errorf("contract #%d %s (%s): %s = %q, want %q", c.ID, c.Address, c.Role, k, fs[k], v)
				}
			}
		}
	}
	if bad > 10 {
		tb.Errorf("... %d wrong or missing facts in all", bad)
	}
	if len(res.Errors) != 0 {
		tb.Errorf("read errors: %v", res.Errors)
	}
	if len(got) != len(f.contracts) {
		tb.Errorf("facts for %d contracts, want %d", len(got), len(f.contracts))
	}
}

// TestReadBatching200 reads 200 watched contracts of a realistic mix in a
// handful of JSON-RPC requests and checks every expected fact.
func TestReadBatching200(t *testing.T) {
	f := deployFleet(t, 200)
	r := f.reader(t)
	start := time.Now()
	res, err := r.Read(context.Background(), f.contracts)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	f.check(t, res)
	t.Logf("deployed %d contracts in %s; read %d watched: %d facts, %d round trips, %s",
		f.deployed, f.took.Round(time.Millisecond), len(f.contracts), len(res.Facts), res.RoundTrips, took.Round(time.Millisecond))
	if res.RoundTrips > 10 {
		t.Errorf("%d round trips for %d contracts, want at most 10", res.RoundTrips, len(f.contracts))
	}
}

// BenchmarkRecheck1000 times one read of 1,000 watched contracts (a
// realistic mix, Multicall3 deployed) and reports its JSON-RPC requests.
// The deployment is outside the timer.
func BenchmarkRecheck1000(b *testing.B) {
	f := deployFleet(b, 1000)
	b.Logf("deployed %d contracts in %s", f.deployed, f.took.Round(time.Millisecond))
	r := f.reader(b)
	var res onchain.Result
	for b.Loop() {
		var err error
		res, err = r.Read(context.Background(), f.contracts)
		if err != nil {
			b.Fatal(err)
		}
	}
	f.check(b, res)
	b.ReportMetric(float64(res.RoundTrips), "roundtrips")
	b.ReportMetric(float64(len(res.Facts)), "facts")
}

// bodyProxy forwards JSON-RPC requests to upstream, recording each body's
// size; bodies over refuseOver (when > 0) get HTTP 413 instead, as a node
// with a lower limit answers. sizes and refused read what it saw.
type bodyProxy struct {
	*httptest.Server
	mu      sync.Mutex
	sizes   []int
	refused int
}

func newBodyProxy(t *testing.T, upstream string, refuseOver int) *bodyProxy {
	p := &bodyProxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		p.sizes = append(p.sizes, len(body))
		refuse := refuseOver > 0 && len(body) > refuseOver
		if refuse {
			p.refused++
		}
		p.mu.Unlock()
		if refuse {
			http.Error(w, "content length too large", http.StatusRequestEntityTooLarge)
			return
		}
		res, err := http.Post(upstream, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(res.StatusCode)
		io.Copy(w, res.Body)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *bodyProxy) seen() (sizes []int, refused int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.sizes), p.refused
}

// TestRequestSizeLimit: with a small MaxRequest the same read is split
// into more requests, none of them (through a proxy that measures them)
// much over the limit, and the facts are the same. Nodes refuse large
// bodies (geth at 5 MiB), so a big fleet must never send one.
func TestRequestSizeLimit(t *testing.T) {
	f := deployFleet(t, 200)
	const limit = 64 << 10
	proxy := newBodyProxy(t, f.chain.URL, 0)
	r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: proxy.URL, ChainID: 1337, Multicall: f.multicall, MaxRequest: limit, ChunkSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Read(context.Background(), f.contracts)
	if err != nil {
		t.Fatal(err)
	}
	f.check(t, res)
	sizes, _ := proxy.seen()
	biggest := slices.Max(sizes)
	// The estimate is rough: allow a quarter over, never the 5x a
	// size-blind batch of this fleet sends.
	if biggest > limit*5/4 {
		t.Errorf("a request of %d bytes, limit %d (%d requests: %v)", biggest, limit, len(sizes), sizes)
	}
	t.Logf("%d requests, the largest %d bytes", len(sizes), biggest)
}

// TestRequestTooLarge: a node with a lower body limit than the reader's
// (HTTP 413 above 96 KiB here) gets the refused request again in halves,
// and the read completes with every fact.
func TestRequestTooLarge(t *testing.T) {
	f := deployFleet(t, 200)
	proxy := newBodyProxy(t, f.chain.URL, 96<<10)
	r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: proxy.URL, ChainID: 1337, Multicall: f.multicall, ChunkSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Read(context.Background(), f.contracts)
	if err != nil {
		t.Fatalf("read through a node with a 96 KiB limit: %v", err)
	}
	f.check(t, res)
	_, before := proxy.seen()
	if before == 0 {
		t.Fatal("no request was refused: the test proves nothing")
	}
	// A second read starts from the lowered limit: nothing refused.
	if _, err := r.Read(context.Background(), f.contracts); err != nil {
		t.Fatal(err)
	}
	if _, after := proxy.seen(); after != before {
		t.Errorf("%d more requests refused on the second read", after-before)
	}
	t.Logf("%d requests refused on the first read, %d round trips", before, res.RoundTrips)
}
