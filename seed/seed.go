// Package seed holds the editors' dataset, embedded in the binary: the
// research (projects.json: projects, verbatim quotes, contract rows), the
// editors' initial assessment under methodology 1.0 (assessments.json), and
// the stages those levels must produce (stages-expected.json, a worked
// example for tests). The files are copies of ../shared/data; a test
// catches a stale copy.
//
// seed parses and validates; it does not touch the database.
package seed

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed projects.json
var ProjectsJSON []byte

//go:embed assessments.json
var AssessmentsJSON []byte

//go:embed stages-expected.json
var StagesExpectedJSON []byte

//go:embed projects-notes.md
var NotesMarkdown []byte

// Dataset is the shape of projects.json.
type Dataset struct {
	About       string    `json:"about"`
	SourcedAsOf string    `json:"sourced_as_of"`
	Audited     string    `json:"audited"`
	Paper       Paper     `json:"paper"`
	Projects    []Project `json:"projects"`
}

// Paper is the paper the dataset cites.
type Paper struct {
	Title  string `json:"title"`
	Author string `json:"author"`
	Year   int    `json:"year"`
	URL    string `json:"url"`
	DOI    string `json:"doi"`
}

// Project is one project of the dataset.
type Project struct {
	Slug      string     `json:"slug"`
	Name      string     `json:"name"`
	Website   string     `json:"website"`
	Summary   string     `json:"summary"`
	Chains    []string   `json:"chains"`
	Contracts []Contract `json:"contracts"`
	Evidence  []Evidence `json:"evidence"`
}

// Contract is a contract row: chain is CAIP-2 or null.
type Contract struct {
	Chain     *string `json:"chain"`
	ChainID   *int64  `json:"chain_id"`
	Address   string  `json:"address"`
	Role      string  `json:"role"`
	SourceURL string  `json:"source_url"`
	Note      string  `json:"note"`
}

// Evidence is one quoted source.
type Evidence struct {
	Axis       string `json:"axis"`
	URL        string `json:"url"`
	Title      string `json:"title"`
	Quote      string `json:"quote"`
	Finding    string `json:"finding"`
	SourceType string `json:"source_type"`
}

// Assessments is the shape of assessments.json.
type Assessments struct {
	About       string                               `json:"about"`
	Methodology string                               `json:"methodology"`
	AssessedBy  string                               `json:"assessed_by"`
	AssessedAt  string                               `json:"assessed_at"`
	Assessments map[string]map[string]AxisAssessment `json:"assessments"`
}

// AxisAssessment is the editors' verdict on one project and axis; a nil
// level is unknown. Evidence cites items of the same project and axis by URL.
type AxisAssessment struct {
	Level     *int     `json:"level"`
	Criterion string   `json:"criterion"`
	Rationale string   `json:"rationale"`
	Evidence  []string `json:"evidence"`
}

// StagesExpected is the shape of stages-expected.json.
type StagesExpected struct {
	Methodology string `json:"methodology"`
	Stages      map[string]struct {
		Stage        string   `json:"stage"`
		Undetermined []string `json:"undetermined"`
	} `json:"stages"`
}

// File is a parsed dataset file: either a research dataset or an assessment.
type File struct {
	Dataset     *Dataset
	Assessments *Assessments
}

// Parse reads a projects.json- or assessments.json-shaped document,
// telling them apart by their top-level keys. Unknown fields are rejected
// so a typo in a hand-edited file is not silently dropped.
func Parse(data []byte) (File, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return File{}, fmt.Errorf("not a JSON object: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	switch {
	case probe["projects"] != nil:
		var d Dataset
		if err := dec.Decode(&d); err != nil {
			return File{}, fmt.Errorf("projects dataset: %w", err)
		}
		return File{Dataset: &d}, nil
	case probe["assessments"] != nil:
		var a Assessments
		if err := dec.Decode(&a); err != nil {
			return File{}, fmt.Errorf("assessments: %w", err)
		}
		return File{Assessments: &a}, nil
	}
	return File{}, fmt.Errorf("neither a projects dataset (key \"projects\") nor an assessment (key \"assessments\")")
}

// Embedded returns the embedded dataset and assessment.
func Embedded() (*Dataset, *Assessments, error) {
	d, err := Parse(ProjectsJSON)
	if err != nil {
		return nil, nil, err
	}
	a, err := Parse(AssessmentsJSON)
	if err != nil {
		return nil, nil, err
	}
	if d.Dataset == nil || a.Assessments == nil {
		return nil, nil, fmt.Errorf("embedded seed files have the wrong shape")
	}
	return d.Dataset, a.Assessments, nil
}

// RoleKeyword maps the dataset's free-text role ("timelock (GENSYN_TOKEN_TIMELOCK: …)",
// "FET (ASI) ERC-20 token") to one of the watched-contract roles. The full
// text is kept as the contract's label.
func (c Contract) RoleKeyword() string {
	r := strings.ToLower(c.Role)
	first := strings.FieldsFunc(r, func(r rune) bool { return r == ' ' || r == '(' || r == ':' || r == ',' })
	lead := ""
	if len(first) > 0 {
		lead = first[0]
	}
	switch lead {
	case "token", "governor", "timelock", "safe", "proxy", "proxy-admin", "proxyadmin":
		if lead == "proxyadmin" {
			return "proxy-admin"
		}
		return lead
	}
	switch {
	case strings.Contains(r, "proxyadmin") || strings.Contains(r, "proxy admin") || strings.Contains(r, "proxy-admin"):
		return "proxy-admin"
	case strings.Contains(r, "timelock"):
		return "timelock"
	case strings.Contains(r, "governor"):
		return "governor"
	case strings.Contains(r, "multisig") || strings.Contains(r, "safe"):
		return "safe"
	case strings.Contains(r, "proxy"):
		return "proxy"
	case strings.Contains(r, "token") || strings.Contains(r, "erc-20") || strings.Contains(r, "erc20"):
		return "token"
	}
	return "other"
}
