package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/deai-scorecard/scorecard/onchain/chaintest"
)

// ---- geth --dev --------------------------------------------------------------

// gethBinary finds geth: $GETH_PATH, else os.UserCacheDir()/deai-scorecard/bin/geth
// (where .ci/run builds the version go.mod pins), else PATH. Without one the
// test is skipped locally and fails in CI (CI set).
func gethBinary(t *testing.T) string {
	t.Helper()
	executable := func(p string) bool {
		st, err := os.Stat(p)
		return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
	}
	if p := os.Getenv("GETH_PATH"); p != "" {
		if executable(p) {
			return p
		}
		t.Fatalf("GETH_PATH=%s is not an executable file", p) // set on purpose, so wrong on purpose: never skip
	}
	tried := []string{"$GETH_PATH (unset)"}
	if dir, err := os.UserCacheDir(); err == nil {
		p := filepath.Join(dir, "deai-scorecard", "bin", "geth")
		if executable(p) {
			return p
		}
		tried = append(tried, p)
	}
	if p, err := exec.LookPath("geth"); err == nil {
		return p
	}
	tried = append(tried, "geth on PATH")
	msg := fmt.Sprintf("no geth binary (tried %s); .ci/run builds one", strings.Join(tried, ", "))
	if os.Getenv("CI") == "" {
		t.Skip(msg + "; skipped because CI is not set")
	}
	t.Fatal(msg)
	return ""
}

// gethNode is a running geth --dev on 127.0.0.1.
type gethNode struct {
	URL    string
	cmd    *exec.Cmd
	log    *lockedBuffer
	exited chan struct{}
}

// startGeth starts geth --dev (chain id 1337, a block per transaction) with
// HTTP JSON-RPC on a free port and kills it when the test ends.
func startGeth(t *testing.T) *gethNode {
	t.Helper()
	bin := gethBinary(t)
	var env []string // geth reads GETH_* variables as flags: give it none
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GETH_") {
			env = append(env, kv)
		}
	}
attempts:
	for attempt := 1; ; attempt++ {
		httpPort := chaintest.FreePort(t)
		authPort := chaintest.FreePort(t)
		g := &gethNode{URL: fmt.Sprintf("http://127.0.0.1:%d", httpPort), log: &lockedBuffer{}, exited: make(chan struct{})}
		g.cmd = exec.Command(bin, "--dev", "--dev.period", "0", "--datadir", t.TempDir(), "--ipcdisable",
			"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(httpPort), "--http.api", "eth,net,web3",
			"--authrpc.addr", "127.0.0.1", "--authrpc.port", strconv.Itoa(authPort),
			"--port", "0", "--nodiscover", "--maxpeers", "0")
		g.cmd.Env = env
		g.cmd.Stdout, g.cmd.Stderr = g.log, g.log
		if err := g.cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", bin, err)
		}
		go func() {
			g.cmd.Wait()
			close(g.exited)
		}()
		t.Cleanup(func() { g.kill(t) })

		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			select {
			case <-g.exited:
				if attempt < 3 && strings.Contains(g.log.String(), "address already in use") {
					t.Logf("geth lost a port race (attempt %d); retrying", attempt)
					continue attempts
				}
				t.Fatalf("geth exited while starting: %v; log:\n%s", g.cmd.ProcessState, g.log.String())
			default:
			}
			if id, err := g.chainID(); err == nil {
				if id != 1337 {
					t.Fatalf("geth --dev answers chain id %d, want 1337", id)
				}
				return g
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("geth JSON-RPC not up within 30s; log:\n%s", g.log.String())
	}
}

func (g *gethNode) chainID() (uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c, err := rpc.DialContext(ctx, g.URL)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	var id hexutil.Uint64
	err = c.CallContext(ctx, &id, "eth_chainId")
	return uint64(id), err
}

// kill sends SIGKILL and waits until geth is reaped and its port is closed.
func (g *gethNode) kill(t *testing.T) {
	t.Helper()
	select {
	case <-g.exited:
		return // already gone (killed before, or it never started: then its port may be someone else's)
	default:
	}
	g.cmd.Process.Kill()
	select {
	case <-g.exited:
	case <-time.After(15 * time.Second):
		t.Errorf("geth (pid %d) still running 15s after SIGKILL", g.cmd.Process.Pid)
		return
	}
	if conn, err := net.DialTimeout("tcp", strings.TrimPrefix(g.URL, "http://"), time.Second); err == nil {
		conn.Close()
		t.Errorf("something still listens on %s after geth exited", g.URL)
	}
}

// fund sends ether from the dev account (eth_accounts[0], unlocked by
// --dev) to addr with eth_sendTransaction and waits for the receipt.
func (g *gethNode) fund(t *testing.T, addr common.Address, wei *big.Int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := rpc.DialContext(ctx, g.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var accounts []common.Address
	if err := c.CallContext(ctx, &accounts, "eth_accounts"); err != nil || len(accounts) == 0 {
		t.Fatalf("eth_accounts: %v %v", accounts, err)
	}
	var hash common.Hash
	if err := c.CallContext(ctx, &hash, "eth_sendTransaction", map[string]any{
		"from": accounts[0], "to": addr, "value": (*hexutil.Big)(wei),
	}); err != nil {
		t.Fatalf("eth_sendTransaction from the dev account: %v", err)
	}
	ec := ethclient.NewClient(c)
	for {
		r, err := ec.TransactionReceipt(ctx, hash)
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("funding transaction %s failed", hash)
			}
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no receipt for the funding transaction %s: %v", hash, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// ---- running the built binary ---------------------------------------------------

// gethCLI runs the built binary to completion (60 s bound) and returns its
// stdout; any exit status but 0 fails the test.
func gethCLI(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = childEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("scorecard %q still running after 60s; stderr:\n%s", args, stderr.String())
	}
	if err != nil {
		t.Fatalf("scorecard %q: %v (exit %d); stdout:\n%s\nstderr:\n%s", args, err, cmd.ProcessState.ExitCode(), stdout.String(), stderr.String())
	}
	return stdout.String()
}

var gethWatchingRE = regexp.MustCompile(`\(#(\d+)\)\n$`)

// gethAddContract runs "contract add" and returns the new contract's id.
func gethAddContract(t *testing.T, db string, addr common.Address, role string) int64 {
	t.Helper()
	out := gethCLI(t, "--db", db, "contract", "add", "--project", "olas", "--chain", "1337", "--address", addr.Hex(), "--role", role, "--label", "geth test "+role)
	m := gethWatchingRE.FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, addr.Hex()) {
		t.Fatalf("contract add printed %q, want a line naming %s and ending in (#ID)", out, addr.Hex())
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

var (
	gethCheckedRE = regexp.MustCompile(`(?m)^checked (\d+) contracts on (\d+) chains: (\d+) facts, (\d+) changes, (\d+) errors, (\d+) round trips, \S+$`)
	gethChangeRE  = regexp.MustCompile(`(?m)^change \[(\w+)\] contract #(\d+) (\S+): ("(?:[^"\\]|\\.)*") -> ("(?:[^"\\]|\\.)*") \(blocks (\d+) -> (\d+)\)$`)
)

type gethRecheckOut struct {
	contracts, chains, facts, changes, errors, trips int
	lines                                            []gethChangeLine
}

type gethChangeLine struct {
	grade              string
	contract           int64
	key, old, new      string
	oldBlock, newBlock uint64
}

func gethRecheck(t *testing.T, db, url string) gethRecheckOut {
	t.Helper()
	out := gethCLI(t, "--db", db, "recheck", "--rpc", "1337="+url, "--confirmations", "0")
	t.Logf("recheck:\n%s", out)
	m := gethCheckedRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("recheck printed no \"checked N contracts on M chains: ...\" line:\n%s", out)
	}
	n := make([]int, 6)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	r := gethRecheckOut{contracts: n[0], chains: n[1], facts: n[2], changes: n[3], errors: n[4], trips: n[5]}
	for _, c := range gethChangeRE.FindAllStringSubmatch(out, -1) {
		id, _ := strconv.ParseInt(c[2], 10, 64)
		old, err1 := strconv.Unquote(c[4])
		nw, err2 := strconv.Unquote(c[5])
		ob, _ := strconv.ParseUint(c[6], 10, 64)
		nb, _ := strconv.ParseUint(c[7], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("change line %q: values are not Go-quoted", c[0])
		}
		r.lines = append(r.lines, gethChangeLine{c[1], id, c[3], old, nw, ob, nb})
	}
	if got := strings.Count(out, "\nchange ["); got != len(r.lines) {
		t.Errorf("%d change lines, %d of them parsed", got, len(r.lines))
	}
	if len(r.lines) != r.changes {
		t.Errorf("summary says %d changes, %d change lines printed", r.changes, len(r.lines))
	}
	return r
}

func gethGetJSON(t *testing.T, url string, v any) {
	t.Helper()
	code, body := get(t, url)
	if code != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", url, code, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v\n%s", url, err, body)
	}
}

// gethWaitLog waits until the log contains want, the process exits, or the
// timeout passes.
func gethWaitLog(t *testing.T, p *proc, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(p.stderr.String(), want) {
		select {
		case <-p.exited:
			t.Fatalf("scorecard exited while waiting for %q in its log:\n%s", want, p.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the log within %s:\n%s", want, timeout, p.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ---- the test ----------------------------------------------------------------

// TestGethRecheckAndServe drives the built binary against a real geth --dev:
// watch a proxy, a token and a Safe, re-check, change all three on chain,
// re-check, read the changes and facts over the API, and keep serving when
// the node dies.
func TestGethRecheckAndServe(t *testing.T) {
	g := startGeth(t)
	binary(t) // build once now; the commands below reuse it

	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	g.fund(t, from, new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18)))
	c := chaintest.Dial(t, g.URL, key)
	if c.ChainID.Uint64() != 1337 {
		t.Fatalf("chain id %v", c.ChainID)
	}

	randomAddr := func() common.Address {
		k, _ := crypto.GenerateKey()
		return crypto.PubkeyToAddress(k.PublicKey)
	}
	signers := []common.Address{from, randomAddr(), randomAddr()}
	safe := c.Deploy(t, "MiniSafe", signers, big.NewInt(2))
	proxyAdmin := c.Deploy(t, "ProxyAdmin", safe)
	impl1 := c.Deploy(t, "ImplV1")
	impl2 := c.Deploy(t, "ImplV2")
	proxyOwner := randomAddr()
	proxy := c.Deploy(t, "Proxy1967", impl1, proxyAdmin, chaintest.Pack(t, "ImplV1", "initialize", proxyOwner))
	token := c.Deploy(t, "OwnedToken", "Olas", "OLAS", big.NewInt(1_000_000))
	// AccessControl without enumeration: its admins come from its events (eth_getLogs on a real node).
	roles := c.Deploy(t, "RolesUUPS", impl1, []common.Address{from}, false)
	// A proxy of the ZeppelinOS pattern (older than EIP-1967) and a Compound-style timelock (admin()).
	zos := c.Deploy(t, "SlotProxy", crypto.Keccak256Hash([]byte("org.zeppelinos.proxy.implementation")), impl1,
		crypto.Keccak256Hash([]byte("org.zeppelinos.proxy.admin")), proxyAdmin, from)
	ctl := c.Deploy(t, "CompoundTimelock", from, big.NewInt(8*24*3600))
	// An AccessManaged contract (OpenZeppelin 5): its manager's admins come from the manager's events.
	manager := c.Deploy(t, "MiniAccessManager", from)
	vault := c.Deploy(t, "ManagedVault", manager)

	db := filepath.Join(t.TempDir(), "scorecard.db")
	proxyID := gethAddContract(t, db, proxy, "proxy")
	tokenID := gethAddContract(t, db, token, "token")
	safeID := gethAddContract(t, db, safe, "safe")
	rolesID := gethAddContract(t, db, roles, "proxy")
	zosID := gethAddContract(t, db, zos, "proxy")
	ctlID := gethAddContract(t, db, ctl, "timelock")
	vaultID := gethAddContract(t, db, vault, "other")
	if list := gethCLI(t, "--db", db, "contract", "list", "--project", "olas"); !strings.Contains(list, proxy.Hex()) || !strings.Contains(list, token.Hex()) || !strings.Contains(list, safe.Hex()) {
		t.Fatalf("contract list lacks the added contracts:\n%s", list)
	}

	// First read: facts, no changes.
	first := gethRecheck(t, db, g.URL)
	if first.contracts != 7 || first.chains != 1 || first.changes != 0 || first.errors != 0 || first.facts == 0 {
		t.Fatalf("first recheck: %+v; want 7 contracts on 1 chain, facts, 0 changes, 0 errors", first)
	}

	// Upgrade the proxy through the Safe, lower the Safe's threshold, hand the token over.
	c.Transact(t, "MiniSafe", safe, "exec", proxyAdmin, big.NewInt(0), chaintest.Pack(t, "ProxyAdmin", "upgrade", proxy, impl2))
	c.Transact(t, "MiniSafe", safe, "changeThreshold", big.NewInt(1))
	newOwner := randomAddr()
	c.Transact(t, "OwnedToken", token, "transferOwnership", newOwner)
	newAdmin := randomAddr()
	c.Transact(t, "RolesUUPS", roles, "grantRole", [32]byte{}, newAdmin)
	upgrader := randomAddr()
	c.Transact(t, "RolesUUPS", roles, "grantRole", crypto.Keccak256Hash([]byte("UPGRADER_ROLE")), upgrader)
	c.Transact(t, "SlotProxy", zos, "upgradeTo", impl2)
	pendingAdmin := randomAddr()
	c.Transact(t, "CompoundTimelock", ctl, "setPendingAdmin", pendingAdmin)
	managerAdmin := randomAddr()
	c.Transact(t, "MiniAccessManager", manager, "grantRole", uint64(0), managerAdmin, uint32(0))

	second := gethRecheck(t, db, g.URL)
	if second.contracts != 7 || second.errors != 0 {
		t.Fatalf("second recheck: %+v", second)
	}
	type want struct {
		name     string
		contract int64
		key      string
		old, new string
	}
	wants := []want{
		{"proxy implementation", proxyID, "implementation", impl1.Hex(), impl2.Hex()},
		{"Safe threshold", safeID, "safe.threshold", "2", "1"},
		{"token owner", tokenID, "owner", from.Hex(), newOwner.Hex()},
		{"AccessControl admins", rolesID, "access.admins", from.Hex(), from.Hex() + "," + newAdmin.Hex()},
		{"UPGRADER_ROLE holders", rolesID, "access.upgraders", "", upgrader.Hex()},
		{"ZeppelinOS proxy implementation", zosID, "implementation", impl1.Hex(), impl2.Hex()},
		{"Compound pending admin", ctlID, "compound.pending_admin", "", pendingAdmin.Hex()},
		{"AccessManager admins", vaultID, manager.Hex() + ".access_manager.admins", from.Hex(), from.Hex() + "," + managerAdmin.Hex()},
	}
	for _, w := range wants {
		found := false
		for _, l := range second.lines {
			if l.contract == w.contract && l.key == w.key {
				found = true
				if l.old != w.old || l.new != w.new || l.grade != "high" || l.oldBlock >= l.newBlock {
					t.Errorf("%s: printed %+v; want %q -> %q graded high, old block < new block", w.name, l, w.old, w.new)
				}
			}
		}
		if !found {
			t.Errorf("%s: no change line for contract #%d %s", w.name, w.contract, w.key)
		}
	}

	// The site shows them.
	addr := freeAddr(t)
	base := "http://" + addr
	p := startBinary(t, "--db", db, "--addr", addr)
	waitHealthy(t, base, p.exited, p.stderr.String)

	var changes struct {
		Changes []struct {
			Project  string `json:"project"`
			ChainID  *int64 `json:"chain_id"`
			Address  string `json:"address"`
			Fact     string `json:"fact"`
			Old      string `json:"old"`
			New      string `json:"new"`
			Grade    string `json:"grade"`
			OldBlock uint64 `json:"old_block"`
			NewBlock uint64 `json:"new_block"`
			Time     string `json:"time"`
		} `json:"changes"`
	}
	gethGetJSON(t, base+"/api/v1/changes", &changes)
	apiAddr := map[int64]string{proxyID: proxy.Hex(), safeID: safe.Hex(), tokenID: token.Hex(), rolesID: roles.Hex(), zosID: zos.Hex(), ctlID: ctl.Hex(), vaultID: vault.Hex()}
	for _, w := range wants {
		found := false
		for _, ch := range changes.Changes {
			if ch.Address != apiAddr[w.contract] || ch.Fact != w.key {
				continue
			}
			found = true
			if ch.Project != "olas" || ch.ChainID == nil || *ch.ChainID != 1337 || ch.Old != w.old || ch.New != w.new || ch.Grade != "high" || ch.OldBlock >= ch.NewBlock {
				t.Errorf("/api/v1/changes, %s: %+v", w.name, ch)
			}
			if _, err := time.Parse(time.RFC3339, ch.Time); err != nil {
				t.Errorf("/api/v1/changes, %s: time %q: %v", w.name, ch.Time, err)
			}
		}
		if !found {
			t.Errorf("/api/v1/changes lacks the %s change (%s %s)", w.name, apiAddr[w.contract], w.key)
		}
	}
	nChanges := len(changes.Changes)

	var contracts struct {
		Contracts []struct {
			Address string            `json:"address"`
			Role    string            `json:"role"`
			ChainID *int64            `json:"chain_id"`
			Facts   map[string]string `json:"facts"`
			Block   *struct {
				Number uint64 `json:"number"`
				Hash   string `json:"hash"`
				Time   string `json:"time"`
			} `json:"block"`
		} `json:"contracts"`
	}
	gethGetJSON(t, base+"/api/v1/projects/olas/contracts", &contracts)
	wantFacts := map[string]map[string]string{
		proxy.Hex(): {"implementation": impl2.Hex(), "admin": proxyAdmin.Hex(), proxyAdmin.Hex() + ".owner": safe.Hex(), safe.Hex() + ".safe.threshold": "1"},
		token.Hex(): {"owner": newOwner.Hex()},
		safe.Hex():  {"safe.threshold": "1", "safe.version": "1.4.1", "safe.modules": "none"},
		roles.Hex(): {"access.control": "true", "access.admins_source": "logs", "access.admin_count": "2", "access.admins": from.Hex() + "," + newAdmin.Hex(),
			"access.upgrader_count": "1", "access.upgraders": upgrader.Hex()},
		zos.Hex(): {"implementation": impl2.Hex(), "admin": proxyAdmin.Hex(), "proxy.slots": "zeppelinos", proxyAdmin.Hex() + ".owner": safe.Hex()},
		vault.Hex(): {"authority": manager.Hex(), manager.Hex() + ".access_manager": "true", manager.Hex() + ".access_manager.admin_delays": "0,0",
			managerAdmin.Hex() + ".is_contract": "false"},
		ctl.Hex(): {"timelock.delay": "691200", "compound.admin": from.Hex(), "compound.pending_admin": pendingAdmin.Hex(), from.Hex() + ".is_contract": "false"},
	}
	seen := 0
	hashRE := regexp.MustCompile(`^0x[0-9a-f]{64}$`)
	for _, ct := range contracts.Contracts {
		wf, ok := wantFacts[ct.Address]
		if !ok {
			continue
		}
		seen++
		if ct.ChainID == nil || *ct.ChainID != 1337 {
			t.Errorf("contract %s: chain_id %v", ct.Address, ct.ChainID)
		}
		for k, v := range wf {
			if ct.Facts[k] != v {
				t.Errorf("contract %s (%s): facts[%q] = %q, want %q", ct.Address, ct.Role, k, ct.Facts[k], v)
			}
		}
		if ct.Block == nil || ct.Block.Number == 0 || !hashRE.MatchString(ct.Block.Hash) {
			t.Errorf("contract %s: block %+v, want a number and a 0x hash", ct.Address, ct.Block)
		} else if _, err := time.Parse(time.RFC3339, ct.Block.Time); err != nil {
			t.Errorf("contract %s: block time %q: %v", ct.Address, ct.Block.Time, err)
		}
		if ct.Address == proxy.Hex() && ct.Role != "proxy" {
			t.Errorf("proxy role %q", ct.Role)
		}
	}
	if seen != len(wantFacts) {
		t.Errorf("/api/v1/projects/olas/contracts has %d of the %d watched contracts", seen, len(wantFacts))
	}
	p.stop(t)

	// Serving with scheduled re-checks survives the node dying.
	addr = freeAddr(t)
	base = "http://" + addr
	p = startBinary(t, "--db", db, "--addr", addr, "serve", "--rpc", "1337="+g.URL, "--confirmations", "0", "--recheck-interval", "1s")
	waitHealthy(t, base, p.exited, p.stderr.String)
	gethWaitLog(t, p, "ok=true", 20*time.Second) // a scheduled re-check went through
	g.kill(t)
	time.Sleep(2 * time.Second)
	gethWaitLog(t, p, "re-check had errors", 10*time.Second)
	select {
	case <-p.exited:
		t.Fatalf("serve exited after geth died: %v; log:\n%s", p.err, p.stderr.String())
	default:
	}
	code, body := get(t, base+"/healthz")
	if code != http.StatusOK || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz after geth died: %d %s", code, body)
	}
	if code, _ := get(t, base+"/p/olas"); code != http.StatusOK {
		t.Errorf("/p/olas after geth died: status %d", code)
	}
	gethGetJSON(t, base+"/api/v1/changes", &changes)
	if len(changes.Changes) != nChanges {
		t.Errorf("%d changes after the failed re-checks, %d before", len(changes.Changes), nChanges)
	}
	p.stop(t)
	if t.Failed() {
		t.Logf("serve log:\n%s", p.stderr.String())
	}
}
