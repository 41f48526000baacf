package onchain_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/onchain"
	"github.com/deai-scorecard/scorecard/onchain/chaintest"
)

// world is a set of governance contracts on a simulated chain.
type world struct {
	chain                                 *chaintest.Chain
	multicall                             common.Address
	safe, proxyAdmin, impl1, impl2, proxy common.Address
	token, timelock, governor, compound   common.Address
	beacon, beaconProxy, tokenOwnerEOA    common.Address
	uups1822, zos                         common.Address // proxies of the patterns older than EIP-1967
	signers                               []common.Address
}

func randomAddress() common.Address {
	k, _ := crypto.GenerateKey()
	return crypto.PubkeyToAddress(k.PublicKey)
}

func deployWorld(t *testing.T) *world {
	t.Helper()
	c := chaintest.Simulated(t)
	w := &world{chain: c}
	w.multicall = c.Deploy(t, "Multicall3")
	w.signers = []common.Address{c.From, randomAddress(), randomAddress()}
	w.safe = c.Deploy(t, "MiniSafe", w.signers, big.NewInt(2))
	w.proxyAdmin = c.Deploy(t, "ProxyAdmin", w.safe)
	w.impl1 = c.Deploy(t, "ImplV1")
	w.impl2 = c.Deploy(t, "ImplV2")
	w.tokenOwnerEOA = randomAddress()
	w.proxy = c.Deploy(t, "Proxy1967", w.impl1, w.proxyAdmin, chaintest.Pack(t, "ImplV1", "initialize", w.tokenOwnerEOA))
	w.token = c.Deploy(t, "OwnedToken", "Test", "TST", big.NewInt(1000))
	w.timelock = c.Deploy(t, "MiniTimelock", big.NewInt(8*24*3600), c.From)
	w.governor = c.Deploy(t, "MiniGovernor", w.token, w.timelock, big.NewInt(1), big.NewInt(50400), big.NewInt(0), big.NewInt(1000))
	w.compound = c.Deploy(t, "CompoundTimelock", c.From, big.NewInt(2*24*3600))
	w.beacon = c.Deploy(t, "Beacon", w.impl1, c.From)
	w.beaconProxy = c.Deploy(t, "BeaconProxy1967", w.beacon, []byte{})
	w.uups1822 = c.Deploy(t, "SlotProxy", crypto.Keccak256Hash([]byte("PROXIABLE")), w.impl1, [32]byte{}, common.Address{}, c.From)
	w.zos = c.Deploy(t, "SlotProxy", crypto.Keccak256Hash([]byte("org.zeppelinos.proxy.implementation")), w.impl1,
		crypto.Keccak256Hash([]byte("org.zeppelinos.proxy.admin")), w.proxyAdmin, c.From)
	return w
}

func (w *world) contracts() []domain.Contract {
	var out []domain.Contract
	for i, a := range []common.Address{w.proxy, w.token, w.safe, w.timelock, w.governor, w.compound, w.beaconProxy, w.uups1822, w.zos} {
		out = append(out, domain.Contract{ID: int64(i + 1), Chain: "eip155:1337", Address: a.Hex()})
	}
	return out
}

func (w *world) reader(t *testing.T, mc bool) *onchain.EVM {
	cfg := onchain.EVMConfig{URL: w.chain.URL, ChainID: 1337}
	if mc {
		cfg.Multicall = w.multicall
	} else {
		cfg.Multicall = randomAddress() // nothing deployed there: plain batched eth_calls
	}
	r, err := onchain.DialEVM(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

func factsByContract(res onchain.Result) map[int64]map[string]string {
	m := map[int64]map[string]string{}
	for _, f := range res.Facts {
		if m[f.ContractID] == nil {
			m[f.ContractID] = map[string]string{}
		}
		m[f.ContractID][f.Key] = f.Value
	}
	return m
}

func expect(t *testing.T, what string, facts map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if facts[k] != v {
			t.Errorf("%s: %s = %q, want %q", what, k, facts[k], v)
		}
	}
}

func TestReadEveryFact(t *testing.T) {
	w := deployWorld(t)
	for _, mc := range []bool{true, false} {
		t.Run(fmt.Sprintf("multicall=%v", mc), func(t *testing.T) {
			r := w.reader(t, mc)
			res, err := r.Read(context.Background(), w.contracts())
			if err != nil {
				t.Fatal(err)
			}
			if res.Block.Number == 0 || !strings.HasPrefix(res.Block.Hash, "0x") || res.Block.Time.IsZero() {
				t.Fatalf("block %+v", res.Block)
			}
			f := factsByContract(res)
			signers := make([]string, len(w.signers))
			for i, s := range w.signers {
				signers[i] = s.Hex()
			}
			pa, sf := w.proxyAdmin.Hex()+".", w.safe.Hex()+"."
			expect(t, "proxy", f[1], map[string]string{
				"implementation": w.impl1.Hex(), "admin": w.proxyAdmin.Hex(), "owner": w.tokenOwnerEOA.Hex(),
				pa + "is_contract": "true", pa + "owner": w.safe.Hex(),
				sf + "is_contract": "true", sf + "safe.owners": strings.Join(signers, ","), sf + "safe.threshold": "2", sf + "safe.version": "1.4.1",
				w.signers[1].Hex() + ".is_contract":    "false",
				w.tokenOwnerEOA.Hex() + ".is_contract": "false",
			})
			if f[1]["code"] == "" || f[1]["code"] == "none" {
				t.Errorf("proxy code %q", f[1]["code"])
			}
			expect(t, "token", f[2], map[string]string{"owner": w.chain.From.Hex(), w.chain.From.Hex() + ".is_contract": "false"})
			if _, ok := f[2]["implementation"]; ok {
				t.Error("token is not a proxy")
			}
			expect(t, "safe", f[3], map[string]string{"safe.threshold": "2", "safe.version": "1.4.1", "safe.owners": strings.Join(signers, ","), "safe.modules": "none"})
			expect(t, "timelock", f[4], map[string]string{"timelock.min_delay": "691200", "compound.admin": w.chain.From.Hex()})
			expect(t, "governor", f[5], map[string]string{
				"governor.voting_delay": "1", "governor.voting_period": "50400", "governor.proposal_threshold": "0", "governor.quorum": "1000",
				"governor.timelock": w.timelock.Hex(), "governor.token": w.token.Hex(),
				w.timelock.Hex() + ".is_contract": "true", w.timelock.Hex() + ".timelock.min_delay": "691200",
			})
			expect(t, "compound timelock", f[6], map[string]string{"timelock.delay": "172800", "compound.admin": w.chain.From.Hex(),
				w.chain.From.Hex() + ".is_contract": "false", "compound.pending_admin": ""})
			// (MiniTimelock, contract 4, stands in for a timelock with a public admin().)
			for _, id := range []int64{1, 2, 3, 5, 7} {
				if v, ok := f[id]["compound.admin"]; ok {
					t.Errorf("contract %d has no admin() of its own, yet compound.admin = %q", id, v)
				}
			}
			expect(t, "beacon proxy", f[7], map[string]string{"beacon": w.beacon.Hex(), "beacon.implementation": w.impl1.Hex(),
				w.beacon.Hex() + ".owner": w.chain.From.Hex()})
			// Older patterns: filed as implementation and admin, with the pattern named.
			expect(t, "EIP-1822 proxy", f[8], map[string]string{"implementation": w.impl1.Hex(), "proxy.slots": "eip1822", "admin": ""})
			expect(t, "ZeppelinOS proxy", f[9], map[string]string{"implementation": w.impl1.Hex(), "admin": w.proxyAdmin.Hex(), "proxy.slots": "zeppelinos",
				pa + "owner": w.safe.Hex(), sf + "safe.threshold": "2"})
			for id := range 7 {
				if v, ok := f[int64(id+1)]["proxy.slots"]; ok {
					t.Errorf("contract %d (EIP-1967 or no proxy) says proxy.slots=%q", id+1, v)
				}
			}
			if len(res.Errors) != 0 {
				t.Errorf("errors: %v", res.Errors)
			}
			t.Logf("%d facts in %d round trips", len(res.Facts), res.RoundTrips)
			if res.RoundTrips < 1 || res.RoundTrips > 6 {
				t.Errorf("%d round trips for 9 contracts", res.RoundTrips)
			}
		})
	}
}

func TestNonContractsAndOtherChains(t *testing.T) {
	w := deployWorld(t)
	eoa := randomAddress()
	res, err := w.reader(t, true).Read(context.Background(), []domain.Contract{
		{ID: 1, Chain: "eip155:1337", Address: eoa.Hex()},
		{ID: 2, Chain: "eip155:1", Address: w.token.Hex()},                  // another chain: not this reader's
		{ID: 3, Chain: "cosmos:fetchhub-4", Address: "fetch1qxxlalvsdjd07"}, // kept as data for later readers
		{ID: 4, Chain: "eip155:1337", Address: "not-an-address"},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := factsByContract(res)
	if len(f[1]) != 1 || f[1]["code"] != "none" {
		t.Errorf("EOA facts %v", f[1])
	}
	if f[2] != nil || f[3] != nil {
		t.Errorf("read contracts of other chains: %v %v", f[2], f[3])
	}
	if len(res.Errors) != 1 || res.Errors[0].ContractID != 4 {
		t.Errorf("errors %v", res.Errors)
	}
}

func TestConfirmations(t *testing.T) {
	w := deployWorld(t)
	r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: w.chain.URL, ChainID: 1337, Multicall: w.multicall, Confirmations: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	latest, _ := w.chain.Client.BlockNumber(context.Background())
	res, err := r.Read(context.Background(), w.contracts()[:1])
	if err != nil {
		t.Fatal(err)
	}
	if res.Block.Number != latest-3 {
		t.Fatalf("read at %d, latest %d", res.Block.Number, latest)
	}
	// Three blocks ago the beacon proxy did not exist yet: no code.
	res, _ = r.Read(context.Background(), w.contracts()[6:])
	if f := factsByContract(res); f[7]["code"] != "none" {
		t.Fatalf("beacon proxy at latest-3: %v", f[7])
	}
}

func TestWrongChainID(t *testing.T) {
	w := deployWorld(t)
	r, _ := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: w.chain.URL, ChainID: 1})
	defer r.Close()
	_, err := r.Read(context.Background(), []domain.Contract{{ID: 1, Chain: "eip155:1", Address: w.token.Hex()}})
	if err == nil || !strings.Contains(err.Error(), "answers chain id 1337") {
		t.Fatalf("got %v", err)
	}
}

// A server posing as a node: garbage, errors and silence are errors of
// the run, never a crash.
func TestBadNodes(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"garbage JSON": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"jsonrpc":"2.0",garbage`))
		},
		"HTML error page": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
		},
		"empty batch answer": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`[]`))
		},
		"slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(1 * time.Second):
			case <-r.Context().Done():
			}
		},
		"wrong types": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`[{"jsonrpc":"2.0","id":1,"result":{"x":1}},{"jsonrpc":"2.0","id":2,"result":[1]},{"jsonrpc":"2.0","id":3,"result":"0x"}]`))
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: srv.URL, ChainID: 1, CallTimeout: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			_, err = r.Read(context.Background(), []domain.Contract{{ID: 1, Chain: "eip155:1", Address: randomAddress().Hex()}})
			if err == nil {
				t.Fatal("a broken node gave no error")
			}
			t.Log(err)
		})
	}
}

func TestNormalizeAddress(t *testing.T) {
	good := "0x77E06c9eCCf2E797fd462A92B6D7642EF85b0A44"
	for in, want := range map[string]string{good: good, strings.ToLower(good): good, "0x77E06C9ECCF2E797FD462A92B6D7642EF85B0A44": good} {
		if got, err := onchain.NormalizeAddress("eip155:1", in); err != nil || got != want {
			t.Errorf("%s: %s %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "0x123", "77E06c9eCCf2E797fd462A92B6D7642EF85b0A44", "0x77e06c9eCCf2E797fd462A92B6D7642EF85b0A44", "0xZZE06c9eCCf2E797fd462A92B6D7642EF85b0A44"} {
		if _, err := onchain.NormalizeAddress("eip155:1", bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, err := onchain.NormalizeAddress("cosmos:fetchhub-4", "fetch1qxxlalvsdjd07p07y3rc5fu6ll8k4tmetpha8n"); err != nil || got == "" {
		t.Errorf("cosmos: %v", err)
	}
}

// noProofProxy forwards JSON-RPC to a node but answers eth_getProof with
// "method not found", as some providers do.
func noProofProxy(t *testing.T, upstream string) *httptest.Server {
	return refusingProxy(t, upstream, "eth_getProof", -32601, "the method eth_getProof does not exist/is not available")
}

// refusingProxy passes JSON-RPC requests to upstream, except that it
// answers every call of method with the given error.
func refusingProxy(t *testing.T, upstream, method string, code int, message string) *httptest.Server {
	return refusingProxyIf(t, upstream, func(q map[string]any) bool { return q["method"] == method }, code, message)
}

// refusingProxyIf is refusingProxy for the calls refuse picks.
func refusingProxyIf(t *testing.T, upstream string, refuse func(q map[string]any) bool, code int, message string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var reqs []map[string]any
		batch := json.Unmarshal(body, &reqs) == nil
		if !batch {
			var one map[string]any
			json.Unmarshal(body, &one)
			reqs = []map[string]any{one}
		}
		var pass []map[string]any
		answers := map[string]json.RawMessage{}
		for _, q := range reqs {
			if refuse(q) {
				id, _ := json.Marshal(q["id"])
				msg, _ := json.Marshal(message)
				answers[string(id)] = json.RawMessage(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"error":{"code":%d,"message":%s}}`, id, code, msg))
			} else {
				pass = append(pass, q)
			}
		}
		if len(pass) > 0 {
			b, _ := json.Marshal(pass)
			res, err := http.Post(upstream, "application/json", bytes.NewReader(b))
			if err != nil {
				http.Error(w, err.Error(), 502)
				return
			}
			var outs []json.RawMessage
			json.NewDecoder(res.Body).Decode(&outs)
			res.Body.Close()
			for _, o := range outs {
				var m struct{ ID json.RawMessage }
				json.Unmarshal(o, &m)
				answers[string(m.ID)] = o
			}
		}
		var out []json.RawMessage
		for _, q := range reqs {
			id, _ := json.Marshal(q["id"])
			out = append(out, answers[string(id)])
		}
		w.Header().Set("Content-Type", "application/json")
		if batch {
			json.NewEncoder(w).Encode(out)
		} else {
			w.Write(out[0])
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Without eth_getProof the reader falls back to eth_getCode and
// eth_getStorageAt and finds the same facts.
func TestReadWithoutGetProof(t *testing.T) {
	w := deployWorld(t)
	want, err := w.reader(t, true).Read(context.Background(), w.contracts())
	if err != nil {
		t.Fatal(err)
	}
	proxy := noProofProxy(t, w.chain.URL)
	r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: proxy.URL, ChainID: 1337, Multicall: w.multicall})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := r.Read(context.Background(), w.contracts())
	if err != nil {
		t.Fatal(err)
	}
	if r.UsesGetProof() {
		t.Fatal("the reader did not notice that eth_getProof is not served")
	}
	// The chain has not moved, so the same block and the same facts.
	if got.Block != want.Block {
		t.Fatalf("block %+v vs %+v", got.Block, want.Block)
	}
	a, b := factsByContract(want), factsByContract(got)
	if len(want.Facts) == 0 || len(a) != len(b) {
		t.Fatalf("%d vs %d contracts", len(a), len(b))
	}
	for id, fa := range a {
		for k, v := range fa {
			if b[id][k] != v {
				t.Errorf("contract %d %s: %q with getProof, %q without", id, k, v, b[id][k])
			}
		}
		if len(fa) != len(b[id]) {
			t.Errorf("contract %d: %d facts with getProof, %d without", id, len(fa), len(b[id]))
		}
	}
}

// AccessControl: the holders of DEFAULT_ADMIN_ROLE are listed when the
// contract is enumerable (up to MaxRoleAdmins, with the count) and read as
// controllers (a Safe among them gets its signers read); a contract that
// is AccessControl but not enumerable has them rebuilt from its
// RoleGranted/RoleRevoked events (a grant later revoked drops out); a
// contract that is neither gets no access facts.
func TestReadAccessControl(t *testing.T) {
	w := deployWorld(t)
	c := w.chain
	eoa := randomAddress()
	enumerable := c.Deploy(t, "RolesUUPS", w.impl1, []common.Address{w.safe, eoa}, true)
	many := make([]common.Address, onchain.MaxRoleAdmins+2)
	for i := range many {
		many[i] = randomAddress()
	}
	crowded := c.Deploy(t, "RolesUUPS", w.impl1, many, true)
	hidden := c.Deploy(t, "RolesUUPS", w.impl1, []common.Address{eoa, c.From}, false)
	later := randomAddress()
	c.Transact(t, "RolesUUPS", hidden, "grantRole", [32]byte{}, later)
	c.Transact(t, "RolesUUPS", hidden, "grantRole", [32]byte{1}, randomAddress()) // another role: not an admin
	c.Transact(t, "RolesUUPS", hidden, "revokeRole", [32]byte{}, eoa)
	// UPGRADER_ROLE (OpenZeppelin's UUPS role): listed like the admins, from
	// getRoleMember when enumerable, else from the events; holders are followed.
	upgraderRole := crypto.Keccak256Hash([]byte("UPGRADER_ROLE"))
	upgraderEOA := randomAddress()
	upgradable := c.Deploy(t, "RolesUUPS", w.impl1, []common.Address{c.From}, true)
	c.Transact(t, "RolesUUPS", upgradable, "grantRole", upgraderRole, upgraderEOA)
	c.Transact(t, "RolesUUPS", hidden, "grantRole", upgraderRole, w.safe)
	for _, mc := range []bool{true, false} {
		t.Run(fmt.Sprintf("multicall=%v", mc), func(t *testing.T) {
			res, err := w.reader(t, mc).Read(context.Background(), []domain.Contract{
				{ID: 1, Chain: "eip155:1337", Address: enumerable.Hex()},
				{ID: 2, Chain: "eip155:1337", Address: crowded.Hex()},
				{ID: 3, Chain: "eip155:1337", Address: hidden.Hex()},
				{ID: 4, Chain: "eip155:1337", Address: w.token.Hex()},
				{ID: 5, Chain: "eip155:1337", Address: upgradable.Hex()},
			})
			if err != nil {
				t.Fatal(err)
			}
			f := factsByContract(res)
			sf := w.safe.Hex() + "."
			expect(t, "enumerable", f[1], map[string]string{
				"implementation": w.impl1.Hex(), "access.control": "true", "access.admin_count": "2",
				"access.admins":    w.safe.Hex() + "," + eoa.Hex(),
				sf + "is_contract": "true", sf + "safe.threshold": "2", eoa.Hex() + ".is_contract": "false",
			})
			var firstFive []string
			for _, a := range many[:onchain.MaxRoleAdmins] {
				firstFive = append(firstFive, a.Hex())
			}
			expect(t, "crowded", f[2], map[string]string{"access.admin_count": fmt.Sprint(len(many)), "access.admins": strings.Join(firstFive, ",")})
			expect(t, "not enumerable", f[3], map[string]string{"access.control": "true", "access.admin_count": "2",
				"access.admins": c.From.Hex() + "," + later.Hex(), "access.admins_source": "logs",
				c.From.Hex() + ".is_contract": "false", later.Hex() + ".is_contract": "false",
				"access.upgrader_count": "1", "access.upgraders": w.safe.Hex(), w.safe.Hex() + ".safe.threshold": "2"})
			expect(t, "enumerable with an upgrader", f[5], map[string]string{"access.admin_count": "1", "access.admins": c.From.Hex(),
				"access.upgrader_count": "1", "access.upgraders": upgraderEOA.Hex(), upgraderEOA.Hex() + ".is_contract": "false"})
			expect(t, "enumerable without upgraders", f[1], map[string]string{"access.upgrader_count": "0", "access.upgraders": ""})
			if _, ok := f[1]["access.admins_source"]; ok {
				t.Error("an enumerable contract's admins are said to come from logs")
			}
			for k := range f[4] {
				if strings.HasPrefix(k, "access.") {
					t.Errorf("a token without AccessControl has %s = %q", k, f[4][k])
				}
			}
			for k := range f[1] {
				if strings.HasPrefix(k, "access.admin.") || strings.HasPrefix(k, "access.upgrader.") {
					t.Errorf("raw probe answer %s kept", k)
				}
			}
		})
	}
}

// A node that refuses every event query leaves a non-enumerable
// contract's admins unread, and says so: the contract gets an error (so a
// re-check records no change for the missing list), the run still
// succeeds with every other fact, and the other contracts have no error.
func TestAdminsFromLogsRefused(t *testing.T) {
	w := deployWorld(t)
	hidden := w.chain.Deploy(t, "RolesUUPS", w.impl1, []common.Address{randomAddress()}, false)
	proxy := refusingProxy(t, w.chain.URL, "eth_getLogs", -32005, "query returned more than 10000 results")
	r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: proxy.URL, ChainID: 1337, Multicall: w.multicall})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Read(context.Background(), append(w.contracts(), domain.Contract{ID: 99, Chain: "eip155:1337", Address: hidden.Hex()}))
	if err != nil {
		t.Fatalf("a refused event query failed the run: %v", err)
	}
	f := factsByContract(res)
	expect(t, "refused", f[99], map[string]string{"access.control": "true", "access.admins": "", "access.admin_count": "", "implementation": w.impl1.Hex()})
	expect(t, "proxy", f[1], map[string]string{"admin": w.proxyAdmin.Hex()})
	if len(res.Errors) != 1 || res.Errors[0].ContractID != 99 ||
		!strings.Contains(res.Errors[0].Message, "incomplete read") || !strings.Contains(res.Errors[0].Message, "AccessControl admins and upgraders of "+hidden.Hex()) ||
		!strings.Contains(res.Errors[0].Message, "more than 10000 results") {
		t.Fatalf("errors %+v; want one for contract 99 naming the unread admins and the node's answer", res.Errors)
	}
	// The halvings are bounded: one first try and MaxLogSplits rounds.
	if res.RoundTrips > 12+onchain.MaxLogSplits {
		t.Errorf("%d round trips", res.RoundTrips)
	}
}

// A node that caps the block range of an event query gets the query again
// over halves of the range until it answers; the admins are the same as
// from one query, and the contract has no error.
func TestAdminsFromLogsSplitsARefusedRange(t *testing.T) {
	w := deployWorld(t)
	first, later := randomAddress(), randomAddress()
	hidden := w.chain.Deploy(t, "RolesUUPS", w.impl1, []common.Address{first, w.chain.From}, false)
	w.chain.Mine(20)
	w.chain.Transact(t, "RolesUUPS", hidden, "grantRole", [32]byte{}, later)
	w.chain.Mine(20)
	w.chain.Transact(t, "RolesUUPS", hidden, "revokeRole", [32]byte{}, first)
	head, err := w.chain.Client.BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	maxRange := head / 5 // needs three halvings
	var refused atomic.Int64
	proxy := refusingProxyIf(t, w.chain.URL, func(q map[string]any) bool {
		if q["method"] != "eth_getLogs" {
			return false
		}
		f := q["params"].([]any)[0].(map[string]any)
		from, _ := hexutil.DecodeUint64(f["fromBlock"].(string))
		to, _ := hexutil.DecodeUint64(f["toBlock"].(string))
		if to-from > maxRange {
			refused.Add(1)
			return true
		}
		return false
	}, -32005, "block range is too wide")
	r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: proxy.URL, ChainID: 1337, Multicall: w.multicall})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Read(context.Background(), []domain.Contract{{ID: 7, Chain: "eip155:1337", Address: hidden.Hex()}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %+v", res.Errors)
	}
	if refused.Load() == 0 {
		t.Fatal("the proxy refused no query: the test does not test splitting")
	}
	expect(t, "split", factsByContract(res)[7], map[string]string{"access.admins": w.chain.From.Hex() + "," + later.Hex(), "access.admin_count": "2", "access.admins_source": "logs"})
}

// Without Multicall3 every getter is its own eth_call: a revert means "no
// such getter", but a call the node fails for its own reasons (a rate
// limit) leaves that getter unread, and the contract says so.
func TestGetterNotAnsweredIsAnError(t *testing.T) {
	w := deployWorld(t)
	ownerSel := hexutil.Encode(crypto.Keccak256([]byte("owner()"))[:4])
	proxy := refusingProxyIf(t, w.chain.URL, func(q map[string]any) bool {
		if q["method"] != "eth_call" {
			return false
		}
		call := q["params"].([]any)[0].(map[string]any)
		return strings.EqualFold(fmt.Sprint(call["to"]), w.token.Hex()) && strings.HasPrefix(fmt.Sprint(call["data"]), ownerSel)
	}, -32005, "rate limit exceeded")
	r, err := onchain.DialEVM(context.Background(), onchain.EVMConfig{URL: proxy.URL, ChainID: 1337, Multicall: randomAddress()})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Read(context.Background(), w.contracts())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].ContractID != 2 || !strings.Contains(res.Errors[0].Message, "owner() of "+w.token.Hex()+" was not answered") {
		t.Fatalf("errors %+v; want one for the token (contract 2) naming owner()", res.Errors)
	}
	if _, ok := factsByContract(res)[2]["owner"]; ok {
		t.Error("an unanswered owner() became a fact")
	}
}

// A Safe's enabled modules (which may act without the signers) are listed,
// for a watched Safe and for a Safe that controls a watched contract, and
// followed as controllers; a contract that is not a Safe gets no module
// fact even if a getter of that name answers.
func TestReadSafeModules(t *testing.T) {
	w := deployWorld(t)
	module := randomAddress()
	w.chain.Transact(t, "MiniSafe", w.safe, "enableModule", module)
	res, err := w.reader(t, true).Read(context.Background(), w.contracts())
	if err != nil {
		t.Fatal(err)
	}
	f := factsByContract(res)
	expect(t, "safe", f[3], map[string]string{"safe.modules": module.Hex(), module.Hex() + ".is_contract": "false"})
	expect(t, "proxy", f[1], map[string]string{w.safe.Hex() + ".safe.modules": module.Hex()})
	if v, ok := f[2]["safe.modules"]; ok {
		t.Errorf("a token has safe.modules = %q", v)
	}
}

// Ownable2Step: a started transfer shows as pending_owner until it is
// accepted; with none pending, or on a contract without the getter, there
// is no such fact.
func TestReadPendingOwner(t *testing.T) {
	w := deployWorld(t)
	c := w.chain
	owned := c.Deploy(t, "TwoStepOwned", c.From)
	read := func() map[string]string {
		t.Helper()
		res, err := w.reader(t, true).Read(context.Background(), []domain.Contract{
			{ID: 1, Chain: "eip155:1337", Address: owned.Hex()},
			{ID: 2, Chain: "eip155:1337", Address: w.token.Hex()},
		})
		if err != nil {
			t.Fatal(err)
		}
		f := factsByContract(res)
		if v, ok := f[2]["pending_owner"]; ok {
			t.Errorf("a plain Ownable token has pending_owner %q", v)
		}
		return f[1]
	}
	if v, ok := read()["pending_owner"]; ok {
		t.Fatalf("pending_owner %q before any transfer", v)
	}
	next := randomAddress()
	c.Transact(t, "TwoStepOwned", owned, "transferOwnership", next)
	expect(t, "pending", read(), map[string]string{"owner": c.From.Hex(), "pending_owner": next.Hex()})
}

// Compound-style admin() and pendingAdmin(): the admin is a controller
// (followed), and a hand-over in progress shows as compound.pending_admin.
func TestReadCompoundAdmin(t *testing.T) {
	w := deployWorld(t)
	c := w.chain
	// A Compound timelock whose admin is the Safe (in Compound, the GovernorBravo).
	tl := c.Deploy(t, "CompoundTimelock", w.safe, big.NewInt(8*24*3600))
	read := func() map[string]string {
		t.Helper()
		res, err := w.reader(t, true).Read(context.Background(), []domain.Contract{{ID: 1, Chain: "eip155:1337", Address: w.compound.Hex()}, {ID: 2, Chain: "eip155:1337", Address: tl.Hex()}})
		if err != nil {
			t.Fatal(err)
		}
		f := factsByContract(res)
		sf := w.safe.Hex() + "."
		expect(t, "timelock run by the Safe", f[2], map[string]string{"compound.admin": w.safe.Hex(), sf + "is_contract": "true", sf + "safe.threshold": "2"})
		return f[1]
	}
	if v, ok := read()["compound.pending_admin"]; ok {
		t.Fatalf("compound.pending_admin %q before any hand-over", v)
	}
	next := randomAddress()
	c.Transact(t, "CompoundTimelock", w.compound, "setPendingAdmin", next)
	expect(t, "hand-over pending", read(), map[string]string{"compound.admin": c.From.Hex(), "compound.pending_admin": next.Hex()})
}

// OpenZeppelin 5's AccessManager: a managed contract's authority() is
// followed; the manager is recognised by PUBLIC_ROLE(), and its ADMIN_ROLE
// members and their execution delays are rebuilt from its events (a
// revoked admin drops out; a re-grant updates the delay).
func TestReadAccessManager(t *testing.T) {
	w := deployWorld(t)
	c := w.chain
	manager := c.Deploy(t, "MiniAccessManager", c.From)
	vault := c.Deploy(t, "ManagedVault", manager)
	delayed, gone := randomAddress(), randomAddress()
	c.Transact(t, "MiniAccessManager", manager, "grantRole", uint64(0), delayed, uint32(3600))
	c.Transact(t, "MiniAccessManager", manager, "grantRole", uint64(0), w.safe, uint32(8*24*3600))
	c.Transact(t, "MiniAccessManager", manager, "grantRole", uint64(0), gone, uint32(0))
	c.Transact(t, "MiniAccessManager", manager, "revokeRole", uint64(0), gone)
	c.Transact(t, "MiniAccessManager", manager, "grantRole", uint64(7), randomAddress(), uint32(0))  // another role: not an admin
	c.Transact(t, "MiniAccessManager", manager, "grantRole", uint64(0), delayed, uint32(10*24*3600)) // a new delay for a member
	for _, mc := range []bool{true, false} {
		t.Run(fmt.Sprintf("multicall=%v", mc), func(t *testing.T) {
			res, err := w.reader(t, mc).Read(context.Background(), []domain.Contract{
				{ID: 1, Chain: "eip155:1337", Address: vault.Hex()},
				{ID: 2, Chain: "eip155:1337", Address: manager.Hex()},
				{ID: 3, Chain: "eip155:1337", Address: w.token.Hex()},
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) != 0 {
				t.Fatalf("errors %+v", res.Errors)
			}
			f := factsByContract(res)
			m := manager.Hex() + "."
			admins := c.From.Hex() + "," + delayed.Hex() + "," + w.safe.Hex()
			expect(t, "managed vault", f[1], map[string]string{"authority": manager.Hex(), m + "is_contract": "true",
				m + "access_manager": "true", m + "access_manager.admins": admins, m + "access_manager.admin_delays": "0,864000,691200",
				m + "access_manager.admin_count": "3"})
			expect(t, "manager", f[2], map[string]string{"access_manager": "true", "access_manager.admins": admins,
				c.From.Hex() + ".is_contract": "false", w.safe.Hex() + ".safe.threshold": "2"})
			for k := range f[3] {
				if strings.HasPrefix(k, "access_manager") || k == "authority" {
					t.Errorf("a plain token has %s = %q", k, f[3][k])
				}
			}
		})
	}
}
