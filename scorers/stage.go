package scorers

import (
	"fmt"
	"strings"

	"github.com/deai-scorecard/scorecard/domain"
)

// Condition is "axis ≥ min".
type Condition struct {
	Axis domain.Axis
	Min  domain.Level
}

func (c Condition) eval(levels map[domain.Axis]domain.MaybeLevel) domain.Status {
	l := levels[c.Axis]
	switch {
	case !l.Known:
		return domain.StatusUnkwn
	case l.Level >= c.Min:
		return domain.Met
	}
	return domain.Unmet
}

// Requirement is one line of a stage's checklist: met when any of its
// conditions is met, unmet when all of them are known and unmet, unknown
// otherwise.
type Requirement struct {
	AnyOf []Condition
}

// Text renders the requirement, e.g. "governance ≥ 1, or upgrades ≥ 2".
func (r Requirement) Text() string {
	parts := make([]string, len(r.AnyOf))
	for i, c := range r.AnyOf {
		parts[i] = fmt.Sprintf("%s ≥ %d", c.Axis, c.Min)
	}
	if len(parts) > 2 {
		return "at least one of " + strings.Join(parts, ", ")
	}
	return strings.Join(parts, ", or ")
}

// Axes lists the axes the requirement depends on.
func (r Requirement) Axes() []domain.Axis {
	out := make([]domain.Axis, len(r.AnyOf))
	for i, c := range r.AnyOf {
		out[i] = c.Axis
	}
	return out
}

// Eval evaluates the requirement against a project's levels.
func (r Requirement) Eval(levels map[domain.Axis]domain.MaybeLevel) domain.Status {
	unknown := false
	for _, c := range r.AnyOf {
		switch c.eval(levels) {
		case domain.Met:
			return domain.Met
		case domain.StatusUnkwn:
			unknown = true
		}
	}
	if unknown {
		return domain.StatusUnkwn
	}
	return domain.Unmet
}

// StageRule is a stage with its requirements (all must be met) and a
// description for the methodology page.
type StageRule struct {
	Stage        domain.StageCode
	Description  string
	Requirements []Requirement
}

func req(conds ...Condition) Requirement { return Requirement{AnyOf: conds} }

// StageRules is METHODOLOGY.md's stage table, lowest stage first. Stage T
// has no requirements. A stage's requirements do not include the lower
// stages': execution ranks above coordination, so a project can be Stage E
// with centralized governance.
var StageRules = []StageRule{
	{Stage: domain.StageT, Description: "None: the chain handles payments, access or token distribution."},
	{Stage: domain.StageC, Description: "Governance or coordination is on-chain.",
		Requirements: []Requirement{req(Condition{domain.AxisGovernance, 1}, Condition{domain.AxisUpgrades, 2})}},
	{Stage: domain.StageE, Description: "At least one execution axis is open to anyone.",
		Requirements: []Requirement{req(Condition{domain.AxisTraining, 2}, Condition{domain.AxisInference, 2}, Condition{domain.AxisData, 2})}},
	{Stage: domain.StageV, Description: "Execution is open on every axis, verifiable, and no single key can upgrade it.",
		Requirements: []Requirement{
			req(Condition{domain.AxisTraining, 2}),
			req(Condition{domain.AxisInference, 2}),
			req(Condition{domain.AxisData, 2}),
			req(Condition{domain.AxisVerification, 3}),
			req(Condition{domain.AxisUpgrades, 2}),
		}},
}

// Stage evaluates every stage's checklist against a project's levels. The
// project's stage is the highest stage whose requirements are all met;
// higher stages whose requirements are none unmet but some unknown are
// reported as undetermined.
func Stage(levels map[domain.Axis]domain.MaybeLevel) domain.StageResult {
	res := domain.StageResult{Stage: domain.StageT}
	for _, rule := range StageRules {
		check := domain.StageCheck{Stage: rule.Stage, Status: domain.Met}
		for _, r := range rule.Requirements {
			st := r.Eval(levels)
			check.Requirements = append(check.Requirements, domain.Requirement{Text: r.Text(), Axes: r.Axes(), Status: st})
			switch {
			case st == domain.Unmet:
				check.Status = domain.Unmet
			case st == domain.StatusUnkwn && check.Status == domain.Met:
				check.Status = domain.StatusUnkwn
			}
		}
		if check.Status == domain.Met {
			res.Stage = rule.Stage
		}
		res.Checks = append(res.Checks, check)
	}
	for _, c := range res.Checks {
		if c.Stage.Rank() > res.Stage.Rank() && c.Status == domain.StatusUnkwn {
			res.Undetermined = append(res.Undetermined, c.Stage)
		}
	}
	return res
}

// UnknownAxes returns the unknown axes a stage check depends on, so a page
// can say "Stage E undetermined: inference unknown".
func UnknownAxes(c domain.StageCheck, levels map[domain.Axis]domain.MaybeLevel) []domain.Axis {
	var out []domain.Axis
	seen := map[domain.Axis]bool{}
	for _, r := range c.Requirements {
		if r.Status != domain.StatusUnkwn {
			continue
		}
		for _, a := range r.Axes {
			if !levels[a].Known && !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	return out
}
