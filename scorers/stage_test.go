package scorers_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/seed"
)

// levels builds a level map: "2" known, "?" unknown, for each of
// training, inference, data, upgrades, governance, verification, usage.
func levels(spec string) map[domain.Axis]domain.MaybeLevel {
	m := map[domain.Axis]domain.MaybeLevel{}
	for i, c := range spec {
		if c != '?' {
			m[domain.Axes[i]] = domain.Known(domain.Level(c - '0'))
		}
	}
	return m
}

func TestStageBoundaries(t *testing.T) {
	//           t i d u g v s
	tests := []struct {
		name         string
		levels       string
		stage        domain.StageCode
		undetermined []domain.StageCode
	}{
		{"all zero", "0000000", domain.StageT, nil},
		{"all unknown", "???????", domain.StageT, []domain.StageCode{domain.StageC, domain.StageE, domain.StageV}},
		{"governance 1 reaches C", "0000100", domain.StageC, nil},
		{"upgrades 2 reaches C", "0002000", domain.StageC, nil},
		{"upgrades 1 is not C", "0001000", domain.StageT, nil},
		{"C unknown when governance unknown and upgrades below 2", "0001?00", domain.StageT, []domain.StageCode{domain.StageC}},
		{"C met by upgrades despite unknown governance", "0002?00", domain.StageC, nil},
		{"training 2 reaches E without coordination", "2000000", domain.StageE, nil},
		{"inference 2 reaches E", "0200000", domain.StageE, nil},
		{"data 2 reaches E", "0020000", domain.StageE, nil},
		{"execution 1 is not E", "1110100", domain.StageC, nil},
		{"E undetermined by one unknown execution axis", "11?0100", domain.StageC, []domain.StageCode{domain.StageE}},
		{"E met, V blocked by verification 2", "2222220", domain.StageE, nil},
		{"E met, V blocked by upgrades 1", "2221430", domain.StageE, nil},
		{"V: execution 2, verification 3, upgrades 2", "2222030", domain.StageV, nil},
		{"V all fours", "4444444", domain.StageV, nil},
		{"V undetermined by unknown verification", "22220?0", domain.StageE, []domain.StageCode{domain.StageV}},
		{"V unmet beats unknown", "2?2100?", domain.StageE, nil},
		{"V undetermined by unknown data", "22?2030", domain.StageE, []domain.StageCode{domain.StageV}},
		{"usage never matters", "2222034", domain.StageV, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scorers.Stage(levels(tt.levels))
			if got.Stage != tt.stage || !slices.Equal(got.Undetermined, tt.undetermined) {
				t.Fatalf("Stage(%s) = %s undetermined %v; want %s undetermined %v", tt.levels, got.Stage, got.Undetermined, tt.stage, tt.undetermined)
			}
			if len(got.Checks) != len(domain.Stages) {
				t.Fatalf("%d checks", len(got.Checks))
			}
		})
	}
}

func TestRequirementStatus(t *testing.T) {
	r := scorers.StageRules[1].Requirements[0] // governance ≥ 1, or upgrades ≥ 2
	if r.Text() != "governance ≥ 1, or upgrades ≥ 2" {
		t.Fatalf("text %q", r.Text())
	}
	for spec, want := range map[string]domain.Status{
		"0000100": domain.Met, "0002000": domain.Met, "0001000": domain.Unmet,
		"000??00": domain.StatusUnkwn, "000?000": domain.StatusUnkwn, "000?100": domain.Met,
	} {
		if got := r.Eval(levels(spec)); got != want {
			t.Errorf("%s: %s, want %s", spec, got, want)
		}
	}
	levels := levels("11?0100")
	res := scorers.Stage(levels)
	if got := scorers.UnknownAxes(res.Checks[2], levels); !slices.Equal(got, []domain.Axis{domain.AxisData}) {
		t.Fatalf("unknown axes of E: %v", got)
	}
}

// The editors' worked example: every seeded assessment gives the stage
// stages-expected.json names.
func TestStagesOfTheSeededAssessments(t *testing.T) {
	_, a, err := seed.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var want seed.StagesExpected
	if err := json.Unmarshal(seed.StagesExpectedJSON, &want); err != nil {
		t.Fatal(err)
	}
	if len(want.Stages) != len(a.Assessments) {
		t.Fatalf("%d expected stages for %d assessed projects", len(want.Stages), len(a.Assessments))
	}
	for slug, axes := range a.Assessments {
		m := map[domain.Axis]domain.MaybeLevel{}
		for k, v := range axes {
			m[domain.Axis(k)] = domain.LevelPtr(v.Level)
		}
		got := scorers.Stage(m)
		exp, ok := want.Stages[slug]
		if !ok {
			t.Errorf("%s: no expected stage", slug)
			continue
		}
		var und []string
		for _, s := range got.Undetermined {
			und = append(und, string(s))
		}
		if string(got.Stage) != exp.Stage || !slices.Equal(und, exp.Undetermined) && !(len(und) == 0 && len(exp.Undetermined) == 0) {
			t.Errorf("%s: stage %s undetermined %v; want %s undetermined %v", slug, got.Stage, und, exp.Stage, exp.Undetermined)
		}
	}
}

func TestCriteriaTableIsComplete(t *testing.T) {
	if len(scorers.AxisInfos) != len(domain.Axes) {
		t.Fatalf("%d axes described, want %d", len(scorers.AxisInfos), len(domain.Axes))
	}
	for i, info := range scorers.AxisInfos {
		if info.Axis != domain.Axes[i] {
			t.Errorf("axis %d is %s, want %s", i, info.Axis, domain.Axes[i])
		}
		for l := domain.MinLevel; l <= domain.MaxLevel; l++ {
			id, text := info.Criterion(l)
			if text == "" || id != string(info.Axis)+"."+string(rune('0'+l)) {
				t.Errorf("%s level %d: id %q text %q", info.Axis, l, id, text)
			}
		}
	}
	if _, ok := scorers.Info("context"); ok {
		t.Error("context is not a scored axis")
	}
}
