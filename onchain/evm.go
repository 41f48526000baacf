package onchain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/deai-scorecard/scorecard/domain"
)

// EIP-1967 storage slots: keccak256("eip1967.proxy.<name>") - 1.
var (
	slotImplementation = common.HexToHash("0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc")
	slotAdmin          = common.HexToHash("0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103")
	slotBeacon         = common.HexToHash("0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50")
)

// Older proxy patterns, read where the EIP-1967 slots are empty: EIP-1822
// (UUPS before EIP-1967) keeps the logic address at keccak256("PROXIABLE");
// ZeppelinOS / OpenZeppelin 2.x proxies at keccak256 of
// "org.zeppelinos.proxy.implementation" and "org.zeppelinos.proxy.admin".
var (
	slot1822Implementation = crypto.Keccak256Hash([]byte("PROXIABLE"))
	slotZOSImplementation  = crypto.Keccak256Hash([]byte("org.zeppelinos.proxy.implementation"))
	slotZOSAdmin           = crypto.Keccak256Hash([]byte("org.zeppelinos.proxy.admin"))
)

// proxySlots are the storage slots read at every watched address, by the
// name the reader files them under.
var proxySlots = []struct {
	name string
	slot common.Hash
}{
	{"implementation", slotImplementation}, {"admin", slotAdmin}, {"beacon", slotBeacon},
	{"implementation.eip1822", slot1822Implementation},
	{"implementation.zeppelinos", slotZOSImplementation}, {"admin.zeppelinos", slotZOSAdmin},
}

// proxySlotNames finds a proxySlots name by its slot.
var proxySlotNames = func() map[common.Hash]string {
	m := make(map[common.Hash]string, len(proxySlots))
	for _, ps := range proxySlots {
		m[ps.slot] = ps.name
	}
	return m
}()

// adoptLegacySlots files an older pattern's slots as "implementation" and
// "admin" when the EIP-1967 ones are empty, and says which pattern in
// "proxy.slots"; the EIP-1967 slots win when both are set.
func adoptLegacySlots(in *addrInfo) {
	if len(in.slots) == 0 {
		return
	}
	_, has1967 := in.slots["implementation"]
	_, hasBeacon := in.slots["beacon"]
	for _, pattern := range []string{"eip1822", "zeppelinos"} {
		impl, ok := in.slots["implementation."+pattern]
		if ok && !has1967 && !hasBeacon && in.legacy == "" {
			in.slots["implementation"] = impl
			if admin, ok := in.slots["admin."+pattern]; ok && in.slots["admin"] == (common.Address{}) {
				in.slots["admin"] = admin
			}
			in.legacy = pattern
		}
	}
	for k := range in.slots {
		if strings.Contains(k, ".") {
			delete(in.slots, k)
		}
	}
}

// Multicall3Address is Multicall3's address on most EVM chains.
var Multicall3Address = common.HexToAddress("0xcA11bde05977b3631167028862bE2a173976CA11")

// The getters the reader tries on every address. A revert, an empty answer
// or an answer of the wrong shape means "not this interface".
const probeABIJSON = `[
{"type":"function","name":"owner","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"admin","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"authority","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"PUBLIC_ROLE","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint64"}]},
{"type":"function","name":"pendingAdmin","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"pendingOwner","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"getOwners","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address[]"}]},
{"type":"function","name":"getThreshold","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"VERSION","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"string"}]},
{"type":"function","name":"getMinDelay","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"delay","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"votingDelay","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"votingPeriod","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"proposalThreshold","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"quorum","stateMutability":"view","inputs":[{"name":"timepoint","type":"uint256"}],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"timelock","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"token","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"implementation","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"getModulesPaginated","stateMutability":"view","inputs":[{"name":"start","type":"address"},{"name":"pageSize","type":"uint256"}],"outputs":[{"name":"array","type":"address[]"},{"name":"next","type":"address"}]},
{"type":"function","name":"supportsInterface","stateMutability":"view","inputs":[{"name":"id","type":"bytes4"}],"outputs":[{"name":"","type":"bool"}]},
{"type":"function","name":"getRoleMemberCount","stateMutability":"view","inputs":[{"name":"role","type":"bytes32"}],"outputs":[{"name":"","type":"uint256"}]},
{"type":"function","name":"getRoleMember","stateMutability":"view","inputs":[{"name":"role","type":"bytes32"},{"name":"index","type":"uint256"}],"outputs":[{"name":"","type":"address"}]},
{"type":"function","name":"aggregate3","stateMutability":"payable","inputs":[{"name":"calls","type":"tuple[]","components":[{"name":"target","type":"address"},{"name":"allowFailure","type":"bool"},{"name":"callData","type":"bytes"}]}],"outputs":[{"name":"returnData","type":"tuple[]","components":[{"name":"success","type":"bool"},{"name":"returnData","type":"bytes"}]}]}
]`

var probeABI = func() abi.ABI {
	a, err := abi.JSON(strings.NewReader(probeABIJSON))
	if err != nil {
		panic(err)
	}
	return a
}()

// probe is one getter and the fact key its answer becomes.
type probe struct {
	method string
	key    string
	args   []any // fixed arguments; quorum's block is added when packing
}

// AccessControl: the holders of DEFAULT_ADMIN_ROLE (bytes32(0)) can grant
// every role, the one that authorises a UUPS upgrade included. Every
// address is asked whether it supports IAccessControl (ERC-165); those
// that do are asked, with the next level's batch, for the count of admins
// and the first MaxRoleAdmins of them (AccessControlEnumerable; a call
// past the end reverts and is ignored).
const MaxRoleAdmins = 5

// AccessManager (OpenZeppelin 5): the members of ADMIN_ROLE (0) can grant
// every role and configure every managed contract, each after its own
// execution delay. They cannot be listed by a getter: the reader rebuilds
// them, with their delays, from the manager's events.
var (
	managerGrantedTopic = crypto.Keccak256Hash([]byte("RoleGranted(uint64,address,uint32,uint48,bool)"))
	managerRevokedTopic = crypto.Keccak256Hash([]byte("RoleRevoked(uint64,address)"))
	managerPublicRole   = "18446744073709551615" // type(uint64).max
)

var (
	defaultAdminRole = [32]byte{}
	iAccessControl   = [4]byte{0x79, 0x65, 0xdb, 0x0b} // ERC-165 id of IAccessControl
	roleGrantedTopic = crypto.Keccak256Hash([]byte("RoleGranted(bytes32,address,address)"))
	roleRevokedTopic = crypto.Keccak256Hash([]byte("RoleRevoked(bytes32,address,address)"))
)

// probes are tried on every address that has code; quorum gets a block argument.
var probes = []probe{
	{"owner", "owner", nil},
	{"pendingOwner", "pending_owner", nil}, // Ownable2Step: a transfer started, not yet accepted
	// Compound-style contracts (Timelock, GovernorBravo, Comptroller,
	// cTokens) name their privileged account admin(), with a two-step
	// pendingAdmin().
	{"admin", "compound.admin", nil},
	{"pendingAdmin", "compound.pending_admin", nil},
	// OpenZeppelin 5's AccessManaged contracts name their AccessManager
	// authority(); a manager answers PUBLIC_ROLE() = type(uint64).max.
	{"authority", "authority", nil},
	{"PUBLIC_ROLE", "access_manager.public_role", nil},
	{"getOwners", "safe.owners", nil},
	{"getThreshold", "safe.threshold", nil},
	{"VERSION", "safe.version", nil},
	{"getMinDelay", "timelock.min_delay", nil},
	{"delay", "timelock.delay", nil},
	{"votingDelay", "governor.voting_delay", nil},
	{"votingPeriod", "governor.voting_period", nil},
	{"proposalThreshold", "governor.proposal_threshold", nil},
	{"quorum", "governor.quorum", nil},
	{"timelock", "governor.timelock", nil},
	{"token", "governor.token", nil},
	{"implementation", "implementation()", nil},
	{"getModulesPaginated", "safe.modules", []any{common.HexToAddress("0x1"), big.NewInt(MaxSafeModules)}},
	{"supportsInterface", "access.control", []any{iAccessControl}},
}

// MaxSafeModules is how many of a Safe's modules are listed; an enabled
// module can act without the signers.
const MaxSafeModules = 10

// trackedRole is an AccessControl role whose holders are read: its id,
// and the name its facts go by (access.<name>s, access.<name>_count).
type trackedRole struct {
	id   [32]byte
	name string
}

// trackedRoles: DEFAULT_ADMIN_ROLE (whose holders can grant every role)
// and UPGRADER_ROLE, the role OpenZeppelin's UUPS contracts (and its
// Contracts Wizard) give the power to upgrade.
var trackedRoles = []trackedRole{
	{defaultAdminRole, "admin"},
	{crypto.Keccak256Hash([]byte("UPGRADER_ROLE")), "upgrader"},
}

// roleProbes are asked of the addresses that support IAccessControl: per
// tracked role, the count of holders and the first MaxRoleAdmins of them.
var roleProbes = func() []probe {
	var out []probe
	for _, r := range trackedRoles {
		out = append(out, probe{"getRoleMemberCount", "access." + r.name + "_count", []any{r.id}})
		for i := range MaxRoleAdmins {
			out = append(out, probe{"getRoleMember", fmt.Sprintf("access.%s.%d", r.name, i), []any{r.id, big.NewInt(int64(i))}})
		}
	}
	return out
}()

// EVMConfig configures a reader of one EVM chain.
type EVMConfig struct {
	URL           string
	ChainID       uint64        // the chain id the endpoint must answer
	Confirmations uint64        // facts are read at latest - Confirmations
	BatchSize     int           // JSON-RPC items per request (default 500)
	MaxRequest    int           // bytes per request, about (default 4 MiB; geth refuses over 5 MiB; lowered on HTTP 413)
	CallTimeout   time.Duration // per request (default 20 s)
	Concurrency   int           // requests in flight per endpoint (default 4)
	Multicall     common.Address
	ChunkSize     int // addresses per Multicall3 call (default 40)
}

// EVM reads watched contracts on one EVM chain over JSON-RPC, batching
// every step so that N contracts cost a handful of round trips.
type EVM struct {
	cfg     EVMConfig
	client  *rpc.Client
	sem     chan struct{}
	trips   atomic.Int64
	noProof atomic.Bool // the node does not serve eth_getProof
	// maxRequest starts at cfg.MaxRequest and is lowered when the node
	// refuses a request as too large.
	maxRequest atomic.Int64
}

// DialEVM connects to an endpoint (HTTP, WebSocket or IPC). Nothing is
// sent until the first read.
func DialEVM(ctx context.Context, cfg EVMConfig) (*EVM, error) {
	if cfg.ChainID == 0 {
		return nil, domain.Errorf(domain.EINVALID, "chain id is required")
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 500
	}
	if cfg.MaxRequest <= 0 {
		cfg.MaxRequest = 4 << 20
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 20 * time.Second
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Multicall == (common.Address{}) {
		cfg.Multicall = Multicall3Address
	}
	if cfg.ChunkSize <= 0 {
		cfg.ChunkSize = 40
	}
	c, err := rpc.DialOptions(ctx, cfg.URL)
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "RPC endpoint for chain %d: %v", cfg.ChainID, err)
	}
	r := &EVM{cfg: cfg, client: c, sem: make(chan struct{}, cfg.Concurrency)}
	r.maxRequest.Store(int64(cfg.MaxRequest))
	return r, nil
}

// Close closes the connection.
func (r *EVM) Close() { r.client.Close() }

// Chain is the CAIP-2 id, e.g. "eip155:1".
func (r *EVM) Chain() string { return fmt.Sprintf("eip155:%d", r.cfg.ChainID) }

// UsesGetProof reports whether the reader still uses eth_getProof (it
// stops after the node says it does not serve it).
func (r *EVM) UsesGetProof() bool { return !r.noProof.Load() }

// RoundTrips counts the JSON-RPC requests sent so far.
func (r *EVM) RoundTrips() int { return int(r.trips.Load()) }

// ErrWrongChain means the endpoint serves another chain than configured.
var ErrWrongChain = errors.New("endpoint serves a different chain")

// Result is what one read found.
type Result struct {
	Block      domain.BlockRef
	Facts      []domain.Fact
	Errors     []domain.ContractError
	RoundTrips int
}

// batch sends elems in requests of at most BatchSize items and about
// MaxRequest bytes (a single larger item goes alone), at most Concurrency
// at a time, each with its own timeout. A transport error, a timeout or a
// garbage answer fails the whole batch; per-item errors are left in the
// elements.
func (r *EVM) batch(ctx context.Context, elems []rpc.BatchElem) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for start := 0; start < len(elems); {
		end, size := start, 0
		for end < len(elems) && end-start < r.cfg.BatchSize {
			n := elemSize(elems[end])
			if end > start && size+n > int(r.maxRequest.Load()) {
				break
			}
			size += n
			end++
		}
		part := elems[start:end]
		start = end
		select {
		case r.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-r.sem }()
			if err := r.send(ctx, part); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first != nil {
		if errors.Is(first, context.DeadlineExceeded) {
			return fmt.Errorf("RPC request timed out after %s", r.cfg.CallTimeout)
		}
		return fmt.Errorf("RPC request failed: %w", first)
	}
	return nil
}

// send sends one batch request. A node that refuses the body as too large
// (HTTP 413: providers set lower limits than geth's 5 MiB) gets it again in
// two halves, and later batches are kept under the size it took.
func (r *EVM) send(ctx context.Context, part []rpc.BatchElem) error {
	cctx, cancel := context.WithTimeout(ctx, r.cfg.CallTimeout)
	defer cancel()
	r.trips.Add(1)
	err := r.client.BatchCallContext(cctx, part)
	var he rpc.HTTPError
	if errors.As(err, &he) && he.StatusCode == http.StatusRequestEntityTooLarge && len(part) > 1 {
		size := 0
		for _, e := range part {
			size += elemSize(e)
		}
		r.limitRequest(size / 2)
		half := len(part) / 2
		if err := r.send(ctx, part[:half]); err != nil {
			return err
		}
		return r.send(ctx, part[half:])
	}
	if err == nil {
		// A node that answers with fewer items than asked leaves the
		// rest marked as missing; treat that as a broken answer.
		for _, e := range part {
			if errors.Is(e.Error, rpc.ErrMissingBatchResponse) {
				return e.Error
			}
		}
	}
	return err
}

// limitRequest lowers the request size limit to n bytes (not below 64 KiB).
func (r *EVM) limitRequest(n int) {
	n = max(n, 64<<10)
	for {
		cur := r.maxRequest.Load()
		if int64(n) >= cur || r.maxRequest.CompareAndSwap(cur, int64(n)) {
			return
		}
	}
}

// elemSize estimates the bytes of one JSON-RPC item in a request: the
// call data dominates (hex, two characters a byte).
func elemSize(e rpc.BatchElem) int {
	n := 64 + len(e.Method)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case hexutil.Bytes:
			n += 2*len(v) + 4
		case []byte:
			n += 2*len(v) + 4
		case string:
			n += len(v) + 2
		case map[string]any:
			for k, x := range v {
				n += len(k) + 4
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case []common.Hash:
			n += 70 * len(v)
		default:
			n += 70
		}
	}
	for _, a := range e.Args {
		walk(a)
	}
	return n
}

// addrInfo is what the reader learned about one address at the block.
type addrInfo struct {
	code     string // "none" or the code's keccak256
	slots    map[string]common.Address
	answers  map[string]string // fact key -> value, for probes that answered
	codeRead bool
	legacy   string // the older proxy pattern whose slots were read, if any
	// incomplete says what could not be read at this address although it
	// may exist (a refused event query, a getter call the node failed for
	// another reason than a revert). A fact missing for such a reason is
	// not a change.
	incomplete []string
}

func (a *addrInfo) hasCode() bool { return a.code != "" && a.code != "none" }

// controllers are the addresses that can act on this one: its owner (or
// Compound-style admin()), its proxy admin and beacon, a Safe's signers
// and modules, AccessControl admins, a governor's timelock.
func (a *addrInfo) controllers() []common.Address {
	var out []common.Address
	add := func(s string) {
		if common.IsHexAddress(s) {
			if addr := common.HexToAddress(s); addr != (common.Address{}) {
				out = append(out, addr)
			}
		}
	}
	for _, k := range []string{"admin", "beacon"} {
		if v, ok := a.slots[k]; ok {
			add(v.Hex())
		}
	}
	add(a.answers["owner"])
	add(a.answers["compound.admin"])
	add(a.answers["authority"])
	if admins := a.answers["access_manager.admins"]; admins != "" {
		for _, o := range strings.Split(admins, ",") {
			add(o)
		}
	}
	add(a.answers["governor.timelock"])
	if mods := a.answers["safe.modules"]; mods != "" && mods != "none" {
		for _, o := range strings.Split(mods, ",") {
			add(o)
		}
	}
	for _, role := range trackedRoles {
		if holders := a.answers["access."+role.name+"s"]; holders != "" {
			for _, o := range strings.Split(holders, ",") {
				add(o)
			}
		}
	}
	if owners := a.answers["safe.owners"]; owners != "" {
		for _, o := range strings.Split(owners, ",") {
			add(o)
		}
	}
	return out
}

type blockJSON struct {
	Number    hexutil.Uint64 `json:"number"`
	Hash      common.Hash    `json:"hash"`
	Timestamp hexutil.Uint64 `json:"timestamp"`
}

// Read reads the given contracts at one confirmed block. Contracts of
// other chains are ignored. An error means the run failed and nothing it
// read should be stored.
func (r *EVM) Read(ctx context.Context, contracts []domain.Contract) (res Result, err error) {
	startTrips := r.trips.Load()
	defer func() { res.RoundTrips = int(r.trips.Load() - startTrips) }()

	// 1. Which chain, which block, is Multicall3 there.
	var chainID, latest hexutil.Uint64
	var mcCode hexutil.Bytes
	head := []rpc.BatchElem{
		{Method: "eth_chainId", Result: &chainID},
		{Method: "eth_blockNumber", Result: &latest},
		{Method: "eth_getCode", Args: []any{r.cfg.Multicall, "latest"}, Result: &mcCode},
	}
	if err := r.batch(ctx, head); err != nil {
		return res, err
	}
	for _, e := range head[:2] {
		if e.Error != nil {
			return res, fmt.Errorf("%s: %w", e.Method, e.Error)
		}
	}
	if uint64(chainID) != r.cfg.ChainID {
		return res, fmt.Errorf("%w: it answers chain id %d, configured for %d", ErrWrongChain, uint64(chainID), r.cfg.ChainID)
	}
	useMulticall := head[2].Error == nil && len(mcCode) > 0
	n := uint64(0)
	if uint64(latest) > r.cfg.Confirmations {
		n = uint64(latest) - r.cfg.Confirmations
	}
	blockTag := hexutil.EncodeUint64(n)

	// 2. The watched contracts.
	info := map[common.Address]*addrInfo{}
	watched := map[int64]common.Address{}
	var level []common.Address
	for _, c := range contracts {
		if Namespace(c.Chain) != "eip155" || c.EVMChainID() != int64(r.cfg.ChainID) {
			continue
		}
		if !common.IsHexAddress(c.Address) {
			res.Errors = append(res.Errors, domain.ContractError{ContractID: c.ID, Message: fmt.Sprintf("%q is not an EVM address", c.Address)})
			continue
		}
		a := common.HexToAddress(c.Address)
		watched[c.ID] = a
		if info[a] == nil {
			info[a] = &addrInfo{}
			level = append(level, a)
		}
	}

	var block blockJSON
	blockElem := rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{blockTag, false}, Result: &block}
	// Depth 0 reads storage slots too; depths 1–2 probe controllers; depth 3
	// only asks "contract or not?". The admins of an address that supports
	// IAccessControl are asked for with the next level, and join the level
	// after it.
	var roles []common.Address
	for depth := 0; (depth <= 3 && len(level) > 0) || len(roles) > 0; depth++ {
		if depth > 3 {
			level = nil // only the pending admin lists are left to read
		}
		var extra []rpc.BatchElem
		if depth == 0 {
			extra = append(extra, blockElem)
		}
		if err := r.readLevel(ctx, level, roles, info, blockTag, n, depth == 0, depth < 3, useMulticall, &extra); err != nil {
			return res, err
		}
		if depth == 0 {
			if extra[0].Error != nil {
				return res, fmt.Errorf("block %d: %w", n, extra[0].Error)
			}
			if block.Hash == (common.Hash{}) {
				return res, fmt.Errorf("block %d: the node returned no block", n)
			}
		}
		// AccessControl contracts that cannot list their admins: rebuild
		// the list from their RoleGranted/RoleRevoked events.
		var unlisted []common.Address
		for _, a := range roles {
			if in := info[a]; in.answers["access.control"] == "true" && in.answers["access.admin_count"] == "" {
				unlisted = append(unlisted, a)
			}
		}
		if err := r.adminsFromLogs(ctx, unlisted, info, n); err != nil {
			return res, err
		}
		// AccessManagers found at this level: their admins from their events.
		var managers []common.Address
		for _, a := range level {
			if info[a].answers["access_manager"] == "true" {
				managers = append(managers, a)
			}
		}
		if err := r.managerAdminsFromLogs(ctx, managers, info, n); err != nil {
			return res, err
		}
		var next, nextRoles []common.Address
		seen := map[common.Address]bool{}
		for _, a := range append(level, roles...) {
			for _, c := range info[a].controllers() {
				if info[c] == nil && !seen[c] {
					seen[c] = true
					info[c] = &addrInfo{}
					next = append(next, c)
				}
			}
		}
		if depth < 3 {
			for _, a := range level {
				if info[a].answers["access.control"] == "true" {
					nextRoles = append(nextRoles, a)
				}
			}
		}
		level, roles = next, nextRoles
	}
	if len(watched) == 0 {
		// Nothing to read on this chain; still report the block.
		var b blockJSON
		e := []rpc.BatchElem{{Method: "eth_getBlockByNumber", Args: []any{blockTag, false}, Result: &b}}
		if err := r.batch(ctx, e); err != nil {
			return res, err
		}
		if e[0].Error != nil || b.Hash == (common.Hash{}) {
			return res, fmt.Errorf("block %d: the node returned no block", n)
		}
		block = b
	}
	res.Block = domain.BlockRef{Chain: r.Chain(), Number: uint64(block.Number), Hash: block.Hash.Hex(), Time: time.Unix(int64(block.Timestamp), 0).UTC()}

	// 3. Facts per watched contract, following its controllers.
	ids := make([]int64, 0, len(watched))
	for id := range watched {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		facts, incomplete := factsOf(id, watched[id], info)
		res.Facts = append(res.Facts, facts...)
		if len(incomplete) > 0 {
			res.Errors = append(res.Errors, domain.ContractError{ContractID: id,
				Message: "incomplete read: " + strings.Join(incomplete, "; ")})
		}
	}
	return res, nil
}

// readLevel reads code (and, at depth 0, the EIP-1967 slots) of every
// address of one level, and probes the getters, in as few requests as the
// batch size allows. extra items ride along in the same requests.
func (r *EVM) readLevel(ctx context.Context, addrs, roles []common.Address, info map[common.Address]*addrInfo, blockTag string, block uint64,
	slots, probeGetters, useMulticall bool, extra *[]rpc.BatchElem) error {
	type slotRead struct {
		addr common.Address
		name string
		out  *common.Hash
	}
	codes := make([]hexutil.Bytes, len(addrs))
	proofs := make([]proofJSON, len(addrs))
	useProof := !r.noProof.Load()
	var slotReads []slotRead
	elems := append([]rpc.BatchElem{}, *extra...)
	nExtra := len(elems)
	for i, a := range addrs {
		if useProof {
			// One eth_getProof gives the code hash and every slot without
			// downloading the code: one item per address instead of four.
			keys := []common.Hash{}
			if slots {
				for _, ps := range proxySlots {
					keys = append(keys, ps.slot)
				}
			}
			elems = append(elems, rpc.BatchElem{Method: "eth_getProof", Args: []any{a, keys, blockTag}, Result: &proofs[i]})
			continue
		}
		elems = append(elems, rpc.BatchElem{Method: "eth_getCode", Args: []any{a, blockTag}, Result: &codes[i]})
		if slots {
			for _, s := range proxySlots {
				var h common.Hash
				sr := slotRead{addr: a, name: s.name, out: &h}
				slotReads = append(slotReads, sr)
				elems = append(elems, rpc.BatchElem{Method: "eth_getStorageAt", Args: []any{a, s.slot, blockTag}, Result: sr.out})
			}
		}
	}

	// Getter probes: through Multicall3 when it is deployed, else one eth_call each.
	type call struct {
		addr common.Address
		p    probe
		data []byte
	}
	var calls []call
	ask := func(addrs []common.Address, ps []probe) error {
		for _, a := range addrs {
			for _, p := range ps {
				args := p.args
				if p.method == "quorum" {
					args = []any{new(big.Int).SetUint64(max(block, 1) - 1)}
				}
				data, err := probeABI.Pack(p.method, args...)
				if err != nil {
					return err
				}
				calls = append(calls, call{a, p, data})
			}
		}
		return nil
	}
	if probeGetters {
		if err := ask(addrs, probes); err != nil {
			return err
		}
	}
	// The AccessControl admins of the addresses the last level found to
	// support IAccessControl.
	if err := ask(roles, roleProbes); err != nil {
		return err
	}
	type callOut struct {
		ok   bool
		data []byte
	}
	outs := make([]callOut, len(calls))
	type mcReq struct {
		first, count int
		out          hexutil.Bytes
	}
	var mcReqs []*mcReq
	var plain []hexutil.Bytes
	callElemStart := len(elems)
	if useMulticall {
		// Calls per aggregate3: ChunkSize addresses' worth, and never so
		// many that the one item is larger than a request may be (in the
		// request, each ABI-encoded call, about 160 bytes plus its padded
		// data, is written as hex: twice that).
		per := r.cfg.ChunkSize * len(probes)
		budget := int(r.maxRequest.Load()) * 9 / 10
		for start := 0; start < len(calls); {
			end, size := start, 256
			for end < len(calls) && end-start < per {
				n := 2 * (160 + (len(calls[end].data)+31)/32*32)
				if end > start && size+n > budget {
					break
				}
				size += n
				end++
			}
			type c3 struct {
				Target       common.Address
				AllowFailure bool
				CallData     []byte
			}
			batch := make([]c3, 0, end-start)
			for _, c := range calls[start:end] {
				batch = append(batch, c3{c.addr, true, c.data})
			}
			data, err := probeABI.Pack("aggregate3", batch)
			if err != nil {
				return err
			}
			m := &mcReq{first: start, count: end - start}
			mcReqs = append(mcReqs, m)
			elems = append(elems, rpc.BatchElem{Method: "eth_call", Args: []any{map[string]any{"to": r.cfg.Multicall, "data": hexutil.Bytes(data)}, blockTag}, Result: &m.out})
			start = end
		}
	} else {
		plain = make([]hexutil.Bytes, len(calls))
		for i, c := range calls {
			elems = append(elems, rpc.BatchElem{Method: "eth_call", Args: []any{map[string]any{"to": c.addr, "data": hexutil.Bytes(c.data)}, blockTag}, Result: &plain[i]})
		}
	}

	if err := r.batch(ctx, elems); err != nil {
		return err
	}
	*extra = elems[:nExtra]
	for _, e := range elems[nExtra:callElemStart] {
		if e.Error == nil {
			continue
		}
		if useProof && unsupported(e.Error) {
			// This node does not serve eth_getProof: read code and slots one by one from now on.
			r.noProof.Store(true)
			return r.readLevel(ctx, addrs, roles, info, blockTag, block, slots, probeGetters, useMulticall, extra)
		}
		return fmt.Errorf("%s: %w", e.Method, e.Error)
	}
	for i, a := range addrs {
		in := info[a]
		in.codeRead = true
		switch {
		case useProof:
			in.code = proofs[i].CodeHash.Hex()
			if proofs[i].CodeHash == (common.Hash{}) || proofs[i].CodeHash == types.EmptyCodeHash {
				in.code = "none"
			}
			for _, sp := range proofs[i].StorageProof {
				name, ok := proxySlotNames[common.HexToHash(sp.Key)]
				if !ok || sp.Value == nil {
					continue
				}
				word := common.BigToHash(sp.Value.ToInt())
				slotReads = append(slotReads, slotRead{addr: a, name: name, out: &word})
			}
		case len(codes[i]) == 0:
			in.code = "none"
		default:
			in.code = crypto.Keccak256Hash(codes[i]).Hex()
		}
	}
	for _, s := range slotReads {
		if v := common.BytesToAddress(s.out.Bytes()); v != (common.Address{}) && isAddressWord(s.out.Bytes()) {
			in := info[s.addr]
			if in.slots == nil {
				in.slots = map[string]common.Address{}
			}
			in.slots[s.name] = v
		}
	}
	if slots {
		for _, a := range addrs {
			adoptLegacySlots(info[a])
		}
	}
	if useMulticall {
		for k, m := range mcReqs {
			e := elems[callElemStart+k]
			if e.Error != nil {
				return fmt.Errorf("Multicall3 aggregate3: %w", e.Error)
			}
			vals, err := probeABI.Unpack("aggregate3", m.out)
			if err != nil || len(vals) != 1 {
				return fmt.Errorf("Multicall3 aggregate3: undecodable answer: %v", err)
			}
			var results []struct {
				Success    bool
				ReturnData []byte
			}
			abi.ConvertType(vals[0], &results)
			if len(results) != m.count {
				return fmt.Errorf("Multicall3 aggregate3: %d answers for %d calls", len(results), m.count)
			}
			for j, r := range results {
				outs[m.first+j] = callOut{r.Success, r.ReturnData}
			}
		}
	} else {
		for i, c := range calls {
			// A revert (or invalid opcode, out of gas) means "not this
			// interface"; any other error means the node did not answer.
			err := elems[callElemStart+i].Error
			if err != nil && !reverted(err) {
				in := info[c.addr]
				in.incomplete = append(in.incomplete, fmt.Sprintf("%s() of %s was not answered (%v)", c.p.method, c.addr.Hex(), err))
			}
			outs[i] = callOut{err == nil, plain[i]}
		}
	}
	for i, c := range calls {
		in := info[c.addr]
		if !outs[i].ok || !in.hasCode() {
			continue
		}
		if v, ok := decodeProbe(c.p.method, outs[i].data); ok {
			if in.answers == nil {
				in.answers = map[string]string{}
			}
			in.answers[c.p.key] = v
		}
	}
	for _, a := range addrs {
		tidyAnswers(info[a])
	}
	for _, a := range roles {
		tidyAnswers(info[a])
	}
	return nil
}

// MaxLogSplits is how many times an event query the node refuses is
// halved and asked again. Providers cap the blocks or the results of one
// eth_getLogs; a contract whose query is still refused after that many
// halvings (1/64 of the chain's blocks) has its admins reported as unread.
const MaxLogSplits = 6

// adminsFromLogs lists the holders of the tracked roles of contracts that
// are AccessControl but not enumerable, from their RoleGranted and
// RoleRevoked events up to the block: granted and not revoked since, in
// the order first granted. What cannot be read is noted on the address
// (incomplete), never guessed: an unread list is not an empty one.
func (r *EVM) adminsFromLogs(ctx context.Context, addrs []common.Address, info map[common.Address]*addrInfo, block uint64) error {
	found, failed, err := r.fetchLogs(ctx, addrs, [][]common.Hash{{roleGrantedTopic, roleRevokedTopic}, trackedRoleTopics()}, block)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		in := info[a]
		if why := failed[a]; why != "" {
			in.incomplete = append(in.incomplete, fmt.Sprintf("the AccessControl admins and upgraders of %s were not read (%s)", a.Hex(), why))
			continue
		}
		in.answers["access.admins_source"] = "logs"
		for _, role := range trackedRoles {
			holders := roleHolders(a, role.id, found[a])
			in.answers["access."+role.name+"_count"] = strconv.Itoa(len(holders))
			if len(holders) > MaxRoleAdmins {
				holders = holders[:MaxRoleAdmins]
			}
			if len(holders) > 0 {
				in.answers["access."+role.name+"s"] = strings.Join(holders, ",")
			}
		}
	}
	return nil
}

// managerAdminsFromLogs lists the members of an AccessManager's ADMIN_ROLE
// (0) and their execution delays from its RoleGranted and RoleRevoked
// events up to the block: access_manager.admins (first granted first, at
// most MaxRoleAdmins), access_manager.admin_delays (seconds, in the same
// order) and access_manager.admin_count.
func (r *EVM) managerAdminsFromLogs(ctx context.Context, addrs []common.Address, info map[common.Address]*addrInfo, block uint64) error {
	if len(addrs) == 0 {
		return nil
	}
	found, failed, err := r.fetchLogs(ctx, addrs, [][]common.Hash{{managerGrantedTopic, managerRevokedTopic}, {{}}}, block)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		in := info[a]
		if why := failed[a]; why != "" {
			in.incomplete = append(in.incomplete, fmt.Sprintf("the AccessManager admins of %s were not read (%s)", a.Hex(), why))
			continue
		}
		ls := sortLogs(found[a])
		delays := map[common.Address]uint64{}
		holds := map[common.Address]bool{}
		var order []common.Address
		for _, l := range ls {
			if l.Removed || l.Address != a || len(l.Topics) < 3 || l.Topics[1] != (common.Hash{}) || !isAddressWord(l.Topics[2].Bytes()) {
				continue
			}
			acct := common.BytesToAddress(l.Topics[2].Bytes())
			switch l.Topics[0] {
			case managerGrantedTopic:
				if len(l.Data) < 32 {
					continue
				}
				// data: uint32 delay, uint48 since, bool newMember
				delays[acct] = new(big.Int).SetBytes(l.Data[:32]).Uint64()
				if !holds[acct] {
					holds[acct] = true
					order = append(order, acct)
				}
			case managerRevokedTopic:
				holds[acct] = false
			}
		}
		var admins, ds []string
		for _, acct := range order {
			if holds[acct] {
				admins = append(admins, acct.Hex())
				ds = append(ds, strconv.FormatUint(delays[acct], 10))
				holds[acct] = false
			}
		}
		in.answers["access_manager.admin_count"] = strconv.Itoa(len(admins))
		if len(admins) > MaxRoleAdmins {
			admins, ds = admins[:MaxRoleAdmins], ds[:MaxRoleAdmins]
		}
		if len(admins) > 0 {
			in.answers["access_manager.admins"] = strings.Join(admins, ",")
			in.answers["access_manager.admin_delays"] = strings.Join(ds, ",")
		}
	}
	return nil
}

// sortLogs orders logs as the chain did.
func sortLogs(ls []types.Log) []types.Log {
	sort.SliceStable(ls, func(x, y int) bool {
		if ls[x].BlockNumber != ls[y].BlockNumber {
			return ls[x].BlockNumber < ls[y].BlockNumber
		}
		return ls[x].Index < ls[y].Index
	})
	return ls
}

// fetchLogs asks for each address's events with the given topics, from
// block 0 to block, in one request for all; a range the node refuses is
// split in two and asked again with the others', at most MaxLogSplits
// times. failed says, per address, why its events could not be read.
func (r *EVM) fetchLogs(ctx context.Context, addrs []common.Address, topics [][]common.Hash, block uint64) (map[common.Address][]types.Log, map[common.Address]string, error) {
	type query struct {
		addr     common.Address
		from, to uint64
		splits   int
		logs     []types.Log
	}
	pending := make([]*query, len(addrs))
	for i, a := range addrs {
		pending[i] = &query{addr: a, to: block}
	}
	found := map[common.Address][]types.Log{}
	failed := map[common.Address]string{}
	for len(pending) > 0 {
		elems := make([]rpc.BatchElem, len(pending))
		for i, q := range pending {
			filter := map[string]any{
				"address": q.addr, "fromBlock": hexutil.EncodeUint64(q.from), "toBlock": hexutil.EncodeUint64(q.to), "topics": topics,
			}
			elems[i] = rpc.BatchElem{Method: "eth_getLogs", Args: []any{filter}, Result: &q.logs}
		}
		if err := r.batch(ctx, elems); err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			for _, q := range pending {
				failed[q.addr] = err.Error()
			}
			break
		}
		var next []*query
		for i, q := range pending {
			if failed[q.addr] != "" {
				continue
			}
			if e := elems[i].Error; e != nil {
				if q.splits >= MaxLogSplits || q.from >= q.to {
					failed[q.addr] = fmt.Sprintf("eth_getLogs over blocks %d–%d: %v", q.from, q.to, e)
					continue
				}
				mid := q.from + (q.to-q.from)/2
				next = append(next, &query{addr: q.addr, from: q.from, to: mid, splits: q.splits + 1},
					&query{addr: q.addr, from: mid + 1, to: q.to, splits: q.splits + 1})
				continue
			}
			found[q.addr] = append(found[q.addr], q.logs...)
		}
		pending = next
	}
	for a := range failed {
		delete(found, a)
	}
	return found, failed, nil
}

func trackedRoleTopics() []common.Hash {
	out := make([]common.Hash, len(trackedRoles))
	for i, r := range trackedRoles {
		out[i] = common.Hash(r.id)
	}
	return out
}

// roleHolders replays a contract's RoleGranted and RoleRevoked events of
// one role: the accounts that hold it at the end, in the order first
// granted.
func roleHolders(a common.Address, role [32]byte, ls []types.Log) []string {
	ls = sortLogs(ls)
	holds := map[common.Address]bool{}
	var order []common.Address
	for _, l := range ls {
		if l.Removed || l.Address != a || len(l.Topics) < 3 || l.Topics[1] != common.Hash(role) || !isAddressWord(l.Topics[2].Bytes()) {
			continue
		}
		acct := common.BytesToAddress(l.Topics[2].Bytes())
		switch l.Topics[0] {
		case roleGrantedTopic:
			if !holds[acct] {
				holds[acct] = true
				order = append(order, acct)
			}
		case roleRevokedTopic:
			holds[acct] = false
		}
	}
	var admins []string
	for _, acct := range order {
		if holds[acct] {
			admins = append(admins, acct.Hex())
			holds[acct] = false // listed once, even if granted again
		}
	}
	return admins
}

// tidyAnswers turns the answers of getRoleMember(0, i) into one fact,
// "access.admins" (in index order, up to the count), and drops answers
// that do not hang together: an admin count without ERC-165 support for
// IAccessControl, or a module list of something that is not a Safe, is
// some other getter of that name.
func tidyAnswers(in *addrInfo) {
	if in.answers == nil {
		return
	}
	if in.answers["safe.owners"] == "" {
		delete(in.answers, "safe.modules") // only a Safe's modules mean anything here
	}
	if p, ok := in.answers["pending_owner"]; ok && (in.answers["owner"] == "" || common.HexToAddress(p) == (common.Address{})) {
		delete(in.answers, "pending_owner") // no transfer pending, or not Ownable2Step
	}
	if p, ok := in.answers["compound.pending_admin"]; ok && (in.answers["compound.admin"] == "" || common.HexToAddress(p) == (common.Address{})) {
		delete(in.answers, "compound.pending_admin") // no hand-over pending
	}
	if v, ok := in.answers["access_manager.public_role"]; ok {
		delete(in.answers, "access_manager.public_role")
		if v == managerPublicRole {
			in.answers["access_manager"] = "true"
		}
	}
	for _, role := range trackedRoles {
		var holders []string
		for i := range MaxRoleAdmins {
			k := fmt.Sprintf("access.%s.%d", role.name, i)
			if v, ok := in.answers[k]; ok {
				holders = append(holders, v)
				delete(in.answers, k)
			}
		}
		count := "access." + role.name + "_count"
		if in.answers["access.control"] != "true" {
			delete(in.answers, count)
			continue
		}
		n, ok := new(big.Int).SetString(in.answers[count], 10)
		if !ok {
			continue // not enumerable: the holders cannot be listed
		}
		if n.IsInt64() && int64(len(holders)) > n.Int64() {
			holders = holders[:n.Int64()]
		}
		if len(holders) > 0 {
			in.answers["access."+role.name+"s"] = strings.Join(holders, ",")
		}
	}
	if in.answers["access.control"] != "true" {
		delete(in.answers, "access.control")
	}
}

// proofJSON is the part of an eth_getProof answer the reader uses.
type proofJSON struct {
	CodeHash     common.Hash `json:"codeHash"`
	StorageProof []struct {
		Key   string       `json:"key"`
		Value *hexutil.Big `json:"value"`
	} `json:"storageProof"`
}

// unsupported reports whether an RPC error says the method is not served.
func unsupported(err error) bool {
	var re rpc.Error
	if errors.As(err, &re) && re.ErrorCode() == -32601 {
		return true
	}
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "method not found") || strings.Contains(msg, "not supported") ||
		strings.Contains(msg, "does not exist") || strings.Contains(msg, "not available")
}

// reverted reports whether an eth_call error is the EVM's (the call
// reverted or failed in execution), as opposed to the node's (rate limit,
// missing state, timeout). Nodes word these differently; geth answers a
// revert with code 3, others with -32000/-32015 and "revert" or
// "execution" in the message.
func reverted(err error) bool {
	var re rpc.Error
	if errors.As(err, &re) && re.ErrorCode() == 3 {
		return true
	}
	msg := strings.ToLower(err.Error())
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(msg, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("revert", "invalid opcode", "out of gas", "invalid jump", "stack underflow", "stack overflow", "vm exception", "write protection"):
		return true // the EVM's own words
	case has("timeout", "timed out", "aborted", "limit", "rate", "missing trie node", "header not found", "unavailable", "busy"):
		return false // the node's
	}
	return has("execution", "opcode")
}

// isAddressWord reports whether a 32-byte word holds an address (its
// upper 12 bytes are zero).
func isAddressWord(b []byte) bool {
	if len(b) != 32 {
		return false
	}
	for _, x := range b[:12] {
		if x != 0 {
			return false
		}
	}
	return true
}

// decodeProbe turns a getter's answer into a fact value, or reports that
// the answer does not fit the interface.
func decodeProbe(method string, data []byte) (string, bool) {
	m := probeABI.Methods[method]
	switch m.Outputs[0].Type.T {
	case abi.AddressTy:
		if !isAddressWord(data) {
			return "", false
		}
		return common.BytesToAddress(data).Hex(), true
	case abi.UintTy:
		if len(data) != 32 {
			return "", false
		}
		return new(big.Int).SetBytes(data).String(), true
	case abi.BoolTy:
		if len(data) != 32 || !isAddressWord(data) || new(big.Int).SetBytes(data).Cmp(big.NewInt(1)) > 0 {
			return "", false
		}
		if data[31] == 1 {
			return "true", true
		}
		return "", false // false: not this interface
	}
	vals, err := m.Outputs.Unpack(data)
	if method == "getModulesPaginated" {
		// (address[] modules, address next): "none" when no module is enabled.
		if err != nil || len(vals) != 2 {
			return "", false
		}
		mods, ok := vals[0].([]common.Address)
		if !ok {
			return "", false
		}
		if len(mods) == 0 {
			return "none", true
		}
		s := make([]string, len(mods))
		for i, a := range mods {
			s[i] = a.Hex()
		}
		return strings.Join(s, ","), true
	}
	if err != nil || len(vals) != 1 {
		return "", false
	}
	switch v := vals[0].(type) {
	case []common.Address:
		if len(v) == 0 {
			return "", false
		}
		s := make([]string, len(v))
		for i, a := range v {
			s[i] = a.Hex()
		}
		return strings.Join(s, ","), true
	case string:
		if len(v) > 64 {
			return "", false
		}
		return v, true
	}
	return "", false
}

// factsOf lists the facts of one watched contract: its own, then those of
// the addresses that control it, two levels deep, and whether the next
// level's addresses are contracts.
func factsOf(id int64, a common.Address, info map[common.Address]*addrInfo) (out []domain.Fact, incomplete []string) {
	add := func(k, v string) { out = append(out, domain.Fact{ContractID: id, Key: k, Value: v}) }
	self := info[a]
	incomplete = append(incomplete, self.incomplete...)
	add("code", self.code)
	for _, k := range []string{"implementation", "admin", "beacon"} {
		if v, ok := self.slots[k]; ok {
			add(k, v.Hex())
		}
	}
	if self.legacy != "" {
		add("proxy.slots", self.legacy)
	}
	for _, k := range sortedKeys(self.answers) {
		if k == "implementation()" {
			continue // only meaningful for a beacon, reported below
		}
		add(k, self.answers[k])
	}
	if b, ok := self.slots["beacon"]; ok {
		if bi := info[b]; bi != nil && bi.answers["implementation()"] != "" {
			add("beacon.implementation", bi.answers["implementation()"])
		}
	}
	// Controllers, breadth first, two levels of getters and a third of is_contract.
	seen := map[common.Address]bool{a: true}
	level := self.controllers()
	for depth := 1; depth <= 3 && len(level) > 0; depth++ {
		var next []common.Address
		for _, c := range level {
			if seen[c] {
				continue
			}
			seen[c] = true
			ci := info[c]
			if ci == nil || !ci.codeRead {
				continue
			}
			p := c.Hex() + "."
			add(p+"is_contract", fmt.Sprint(ci.hasCode()))
			if depth == 3 || !ci.hasCode() {
				continue
			}
			incomplete = append(incomplete, ci.incomplete...)
			for _, k := range sortedKeys(ci.answers) {
				if strings.HasPrefix(k, "governor.") && k != "governor.timelock" {
					continue
				}
				key := k
				if k == "implementation()" {
					key = "implementation"
				}
				add(p+key, ci.answers[k])
			}
			next = append(next, ci.controllers()...)
		}
		level = next
	}
	return out, incomplete
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// NormalizeAddress checks an address in its chain's format and returns its
// canonical form: EIP-55 for eip155 chains; other chains' addresses are
// kept as given (their readers come later).
func NormalizeAddress(chain, addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if Namespace(chain) != "eip155" {
		if addr == "" || strings.ContainsAny(addr, " \t\n") || len(addr) > 128 {
			return "", domain.Errorf(domain.EINVALID, "address %q is not valid", addr)
		}
		return addr, nil
	}
	if !strings.HasPrefix(addr, "0x") || len(addr) != 42 || !common.IsHexAddress(addr) {
		return "", domain.Errorf(domain.EINVALID, "address %q is not a 0x-prefixed 20-byte hex address", addr)
	}
	mixed := strings.ToLower(addr) != addr && strings.ToUpper(addr[2:]) != addr[2:]
	canonical := common.HexToAddress(addr).Hex()
	if mixed && canonical != addr {
		return "", domain.Errorf(domain.EINVALID, "address %q has a wrong EIP-55 checksum (did you mean %s?)", addr, canonical)
	}
	return canonical, nil
}
