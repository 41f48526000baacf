package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/views"
)

// explorers are block explorers of the chains the dataset uses.
var explorers = map[string]string{
	"eip155:1": "https://etherscan.io", "eip155:10": "https://optimistic.etherscan.io", "eip155:56": "https://bscscan.com",
	"eip155:137": "https://polygonscan.com", "eip155:8453": "https://basescan.org", "eip155:42161": "https://arbiscan.io",
	"eip155:43114": "https://snowtrace.io", "eip155:84532": "https://sepolia.basescan.org",
}

func (s Site) configured(chain string) bool {
	for _, c := range s.CheckedChains {
		if c == chain {
			return true
		}
	}
	return false
}

// contractVM describes a contract and its latest check; site is nil for
// frozen versions, which show no live facts.
func contractVM(cf domain.ContractFacts, site *Site) views.Contract {
	c := cf.Contract
	v := views.Contract{Chain: c.Chain, ChainName: chainName(c.Chain), Address: c.Address, Role: string(c.Role),
		Label: c.Label, SourceURL: c.SourceURL, Note: c.Note, Status: "unchecked", StatusText: "Not yet checked on-chain", Errors: cf.Errors}
	base := explorers[c.Chain]
	if base != "" {
		v.AddressURL = base + "/address/" + c.Address
	}
	switch {
	case site == nil:
	case c.Chain == "":
		v.StatusText = "Not yet checked on-chain: the source does not say which chain"
	case c.EVMChainID() == 0:
		v.StatusText = "Not yet checked on-chain: no reader for this chain family yet (EVM chains only)"
	case cf.Run == nil && !site.configured(c.Chain):
		v.StatusText = "Not yet checked on-chain: no RPC endpoint configured for " + c.Chain
	}
	if cf.LastRun != nil && !cf.LastRun.OK {
		v.Status, v.StatusText = "failed", "Last check failed "+cf.LastRun.FinishedAt.Format("2006-01-02 15:04 UTC")
	}
	if cf.Run != nil {
		if v.Status != "failed" {
			v.Status, v.StatusText = "checked", "Checked on-chain"
		}
		v.Block, v.BlockHash = cf.Run.Block.Number, cf.Run.Block.Hash
		v.CheckedAt = cf.Run.FinishedAt.Format("2006-01-02 15:04 UTC")
		if base != "" {
			v.BlockURL = base + "/block/" + strconv.FormatUint(cf.Run.Block.Number, 10)
		}
		for _, f := range cf.Facts {
			v.Facts = append(v.Facts, views.FactRow{Key: f.Key, Value: f.Value})
		}
	}
	return v
}

func changeVM(e domain.ChangeEvent) views.ChangeRow {
	return views.ChangeRow{ProjectSlug: e.ProjectSlug, ProjectName: e.ProjectName, Chain: e.Chain, Address: e.Address,
		Key: e.Key, Old: e.Old, New: e.New, OldBlock: e.OldBlock, NewBlock: e.NewBlock, Grade: string(e.Grade),
		At: e.At.Format("2006-01-02 15:04 UTC")}
}

// suggestionInput turns stored facts into the scorers' input.
func suggestionInput(cfs []domain.ContractFacts) []scorers.ContractFacts {
	var in []scorers.ContractFacts
	for _, cf := range cfs {
		if cf.Run == nil {
			continue
		}
		m := make(map[string]string, len(cf.Facts))
		for _, f := range cf.Facts {
			m[f.Key] = f.Value
		}
		label := cf.Contract.Label
		if label == "" {
			label = string(cf.Contract.Role)
		}
		in = append(in, scorers.ContractFacts{Label: label, Address: cf.Contract.Address, Facts: m, Block: cf.Run.Block.Number, Chain: cf.Contract.Chain})
	}
	return in
}

// addOnchain puts live facts, suggestions and changes on a scorecard page.
func (s Site) addOnchain(p *views.ProjectPage, cfs []domain.ContractFacts, changes []domain.ChangeEvent) {
	p.Configured = len(s.CheckedChains) > 0
	p.Contracts = p.Contracts[:0]
	for _, cf := range cfs {
		p.Contracts = append(p.Contracts, contractVM(cf, &s))
	}
	for _, e := range changes {
		p.Changes = append(p.Changes, changeVM(e))
	}
	sgs := suggestions(cfs)
	for i := range p.Axes {
		p.Axes[i].Suggestion = sgs[domain.Axis(p.Axes[i].Key)]
	}
}

// suggestions are the levels the upgrades and governance scorers suggest
// from a project's latest facts, by axis (none without facts).
func suggestions(cfs []domain.ContractFacts) map[domain.Axis]*views.Suggestion {
	in := suggestionInput(cfs)
	out := map[domain.Axis]*views.Suggestion{}
	for axis, suggest := range map[domain.Axis]func([]scorers.ContractFacts) (domain.Suggestion, bool){
		domain.AxisUpgrades: scorers.SuggestUpgrades, domain.AxisGovernance: scorers.SuggestGovernance,
	} {
		if sg, ok := suggest(in); ok {
			out[axis] = &views.Suggestion{Level: levelVM(domain.Known(sg.Level)), Rule: sg.Rule, Detail: sg.Detail, Block: sg.Block, Chain: sg.Chain}
		}
	}
	return out
}

// ChangesPage lists on-chain change events across projects.
func ChangesPage(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		events, err := s.Changes(r.Context(), "", 500)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		page := views.ChangesPage{Configured: len(site.CheckedChains) > 0}
		for _, e := range events {
			page.Changes = append(page.Changes, changeVM(e))
		}
		render(w, r, http.StatusOK, views.Changes(site.meta(r, "On-chain changes", "Changes to watched governance contracts, graded high or low."), page))
	})
}

type apiBlock struct {
	Number uint64 `json:"number"`
	Hash   string `json:"hash"`
	Time   string `json:"time"`
}

type apiWatched struct {
	Chain     *string           `json:"chain"`
	ChainID   *int64            `json:"chain_id"`
	Address   string            `json:"address"`
	Role      string            `json:"role"`
	Label     string            `json:"label"`
	Source    string            `json:"source"`
	Facts     map[string]string `json:"facts"`
	Block     *apiBlock         `json:"block"`
	CheckedAt *string           `json:"checked_at"`
	Errors    []string          `json:"errors"`
}

type apiSuggestion struct {
	Axis   string `json:"axis"`
	Level  int    `json:"level"`
	Rule   string `json:"rule"`
	Detail string `json:"detail"`
	Block  uint64 `json:"block"`
	Chain  string `json:"chain"`
}

// APIContracts is GET /api/v1/projects/{slug}/contracts: watched contracts
// with their latest facts, the block they were read at and errors.
func APIContracts(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.Project(r.Context(), chi.URLParam(r, "slug"))
		if err != nil {
			apiError(w, r, err)
			return
		}
		cfs, err := s.ContractFacts(r.Context(), p.ID)
		if err != nil {
			apiError(w, r, err)
			return
		}
		out := struct {
			Configured  bool            `json:"checks_configured"`
			Contracts   []apiWatched    `json:"contracts"`
			Suggestions []apiSuggestion `json:"suggestions"`
		}{Configured: len(site.CheckedChains) > 0, Contracts: []apiWatched{}, Suggestions: []apiSuggestion{}}
		for _, cf := range cfs {
			c := cf.Contract
			a := apiWatched{Address: c.Address, Role: string(c.Role), Label: c.Label, Source: c.SourceURL, Facts: map[string]string{}, Errors: []string{}}
			if c.Chain != "" {
				chain := c.Chain
				a.Chain = &chain
			}
			if id := c.EVMChainID(); id != 0 {
				a.ChainID = &id
			}
			if cf.Run != nil {
				a.Block = &apiBlock{Number: cf.Run.Block.Number, Hash: cf.Run.Block.Hash, Time: cf.Run.Block.Time.UTC().Format(time.RFC3339)}
				at := cf.Run.FinishedAt.UTC().Format(time.RFC3339)
				a.CheckedAt = &at
				for _, f := range cf.Facts {
					a.Facts[f.Key] = f.Value
				}
			}
			a.Errors = append(a.Errors, cf.Errors...)
			out.Contracts = append(out.Contracts, a)
		}
		in := suggestionInput(cfs)
		for _, f := range []func([]scorers.ContractFacts) (domain.Suggestion, bool){scorers.SuggestUpgrades, scorers.SuggestGovernance} {
			if sg, ok := f(in); ok {
				out.Suggestions = append(out.Suggestions, apiSuggestion{Axis: string(sg.Axis), Level: int(sg.Level), Rule: sg.Rule, Detail: sg.Detail, Block: sg.Block, Chain: sg.Chain})
			}
		}
		writeJSON(w, http.StatusOK, out)
	})
}

type apiChange struct {
	ID       int64  `json:"id"`
	Project  string `json:"project"`
	Chain    string `json:"chain"`
	ChainID  *int64 `json:"chain_id"`
	Address  string `json:"address"`
	Fact     string `json:"fact"`
	Old      string `json:"old"`
	New      string `json:"new"`
	Grade    string `json:"grade"`
	OldBlock uint64 `json:"old_block"`
	NewBlock uint64 `json:"new_block"`
	Time     string `json:"time"`
}

// APIChanges is GET /api/v1/changes[?project=slug]: change events, newest first.
func APIChanges(s Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := 500
		if v := r.URL.Query().Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 5000 {
				apiError(w, r, domain.Errorf(domain.EINVALID, "limit must be between 1 and 5000"))
				return
			}
			limit = n
		}
		slug := r.URL.Query().Get("project")
		if slug != "" {
			if _, err := s.Project(r.Context(), slug); err != nil {
				apiError(w, r, err)
				return
			}
		}
		events, err := s.Changes(r.Context(), slug, limit)
		if err != nil {
			apiError(w, r, err)
			return
		}
		out := struct {
			Changes []apiChange `json:"changes"`
		}{Changes: []apiChange{}}
		for _, e := range events {
			c := apiChange{ID: e.ID, Project: e.ProjectSlug, Chain: e.Chain, Address: e.Address, Fact: e.Key, Old: e.Old, New: e.New,
				Grade: string(e.Grade), OldBlock: e.OldBlock, NewBlock: e.NewBlock, Time: e.At.UTC().Format(time.RFC3339)}
			if id := (domain.Contract{Chain: e.Chain}).EVMChainID(); id != 0 {
				c.ChainID = &id
			}
			out.Changes = append(out.Changes, c)
		}
		writeJSON(w, http.StatusOK, out)
	})
}
