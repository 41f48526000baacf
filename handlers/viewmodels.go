package handlers

import (
	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/views"
)

func levelVM(m domain.MaybeLevel) views.Level {
	if !m.Known {
		return views.Level{Name: "unknown"}
	}
	return views.Level{Known: true, N: int(m.Level), Name: m.Level.Name()}
}

func axisTitle(a domain.Axis) string {
	if info, ok := scorers.Info(a); ok {
		return info.Title
	}
	return string(a)
}

func levelRow(levels map[domain.Axis]domain.MaybeLevel) []views.AxisLevel {
	out := make([]views.AxisLevel, len(domain.Axes))
	for i, a := range domain.Axes {
		out[i] = views.AxisLevel{Key: string(a), Title: axisTitle(a), Level: levelVM(levels[a])}
	}
	return out
}

func stageVM(res domain.StageResult, levels map[domain.Axis]domain.MaybeLevel) views.Stage {
	s := views.Stage{Code: string(res.Stage), Name: res.Stage.Name()}
	for _, code := range res.Undetermined {
		u := views.UndeterminedStage{Code: string(code)}
		for _, c := range res.Checks {
			if c.Stage == code {
				for _, a := range scorers.UnknownAxes(c, levels) {
					u.UnknownAxes = append(u.UnknownAxes, string(a))
				}
			}
		}
		s.Undetermined = append(s.Undetermined, u)
	}
	return s
}

func stageChecksVM(res domain.StageResult) []views.StageCheck {
	out := make([]views.StageCheck, len(res.Checks))
	for i, c := range res.Checks {
		vc := views.StageCheck{Code: string(c.Stage), Name: c.Stage.Name(), Status: string(c.Status), Current: c.Stage == res.Stage}
		for _, r := range c.Requirements {
			vc.Requirements = append(vc.Requirements, views.Requirement{Text: r.Text, Status: string(r.Status)})
		}
		out[i] = vc
	}
	return out
}

func evidenceVM(e domain.Evidence) views.Evidence {
	return views.Evidence{ID: e.ID, URL: e.URL, Title: e.Title, Quote: e.Quote, Finding: e.Finding, Kind: string(e.Kind),
		SourceType: string(e.SourceType), SourceLabel: e.SourceType.Label(), SourcedAsOf: e.SourcedAsOf, Reviewer: e.Reviewer,
		Contributed: e.SourceType == ""}
}

// chainNames names the chains the dataset uses; others show their CAIP-2 id.
var chainNames = map[string]string{
	"eip155:1": "Ethereum", "eip155:10": "Optimism", "eip155:56": "BNB Chain", "eip155:137": "Polygon",
	"eip155:8453": "Base", "eip155:42161": "Arbitrum One", "eip155:43114": "Avalanche C-Chain",
	"eip155:84532": "Base Sepolia (testnet)", "cosmos:fetchhub-4": "Fetch.ai mainnet (Cosmos)",
	"solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp": "Solana mainnet", "sui:mainnet": "Sui mainnet", "sui:testnet": "Sui testnet",
}

func chainName(caip string) string {
	if caip == "" {
		return "chain not stated"
	}
	if n, ok := chainNames[caip]; ok {
		return n + " (" + caip + ")"
	}
	return caip
}
