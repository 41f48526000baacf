package domain

// StageCode is an overall class: T, C, E or V (METHODOLOGY.md, "Stage").
type StageCode string

const (
	StageT StageCode = "T"
	StageC StageCode = "C"
	StageE StageCode = "E"
	StageV StageCode = "V"
)

// Stages lists the stages from lowest to highest.
var Stages = []StageCode{StageT, StageC, StageE, StageV}

// Name is the stage's name, e.g. "coordination only".
func (s StageCode) Name() string {
	switch s {
	case StageT:
		return "token only"
	case StageC:
		return "coordination only"
	case StageE:
		return "execution partly decentralized"
	case StageV:
		return "verifiable decentralized AI"
	}
	return "invalid"
}

// Rank orders stages: T=0 … V=3; -1 for an invalid code.
func (s StageCode) Rank() int {
	for i, x := range Stages {
		if s == x {
			return i
		}
	}
	return -1
}

// ParseStage returns the stage named by its code.
func ParseStage(s string) (StageCode, error) {
	if c := StageCode(s); c.Rank() >= 0 {
		return c, nil
	}
	return "", Errorf(EINVALID, "unknown stage %q (want T, C, E or V)", s)
}

// Status is the outcome of a requirement: met, unmet or unknown.
type Status string

const (
	Met         Status = "met"
	Unmet       Status = "unmet"
	StatusUnkwn Status = "unknown"
)

// Requirement is one line of a stage's checklist, evaluated for a project.
type Requirement struct {
	Text   string
	Axes   []Axis // the axes it depends on
	Status Status
}

// StageCheck is one stage's checklist evaluated for a project.
type StageCheck struct {
	Stage        StageCode
	Requirements []Requirement
	Status       Status // met when all are met, unmet when any is unmet, else unknown
}

// StageResult is a project's stage: the highest stage whose requirements are
// all met, the higher stages blocked only by unknown axes, and every checklist.
type StageResult struct {
	Stage        StageCode
	Undetermined []StageCode
	Checks       []StageCheck // one per stage, T first
}
