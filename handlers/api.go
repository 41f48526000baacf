package handlers

import (
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
)

// The JSON shapes of /api/v1. README.md documents them; change both together.

type apiProjectSummary struct {
	Slug    string          `json:"slug"`
	Name    string          `json:"name"`
	Stage   string          `json:"stage"`
	Version int             `json:"version"`
	Levels  map[string]*int `json:"levels"`
}

type apiRequirement struct {
	Stage  string   `json:"stage"`
	Text   string   `json:"text"`
	Status string   `json:"status"`
	Axes   []string `json:"axes"`
}

type apiStageCheck struct {
	Code         string           `json:"code"`
	Name         string           `json:"name"`
	Status       string           `json:"status"`
	Requirements []apiRequirement `json:"requirements"`
}

type apiStage struct {
	Code         string           `json:"code"`
	Name         string           `json:"name"`
	Undetermined []string         `json:"undetermined"`
	Requirements []apiRequirement `json:"requirements"`
	Checks       []apiStageCheck  `json:"checks"`
}

type apiEvidence struct {
	ID          int64  `json:"id"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	Quote       string `json:"quote"`
	Finding     string `json:"finding"`
	Kind        string `json:"kind"`
	SourceType  string `json:"source_type"`
	Status      string `json:"status"`
	Reviewer    string `json:"reviewer"`
	SourcedAsOf string `json:"sourced_as_of"`
}

type apiAxis struct {
	Key       string        `json:"key"`
	Level     *int          `json:"level"`
	LevelName string        `json:"level_name"`
	Criterion string        `json:"criterion"`
	Rationale string        `json:"rationale"`
	Evidence  []apiEvidence `json:"evidence"`
	Other     []apiEvidence `json:"other_evidence"`
}

type apiContract struct {
	Chain   *string `json:"chain"`
	ChainID *int64  `json:"chain_id"`
	Address string  `json:"address"`
	Role    string  `json:"role"`
	Label   string  `json:"label"`
	Source  string  `json:"source"`
	Note    string  `json:"note"`
}

type apiProject struct {
	Slug        string        `json:"slug"`
	Name        string        `json:"name"`
	Summary     string        `json:"summary"`
	Website     string        `json:"website"`
	Version     int           `json:"version"`
	Latest      int           `json:"latest_version"`
	Methodology string        `json:"methodology"`
	AssessedBy  string        `json:"assessed_by"`
	AssessedAt  string        `json:"assessed_at"`
	UpdatedAt   string        `json:"updated_at"`
	Stage       apiStage      `json:"stage"`
	Axes        []apiAxis     `json:"axes"`
	Background  []apiEvidence `json:"background"`
	Contracts   []apiContract `json:"contracts"`
}

func apiLevels(levels map[domain.Axis]domain.MaybeLevel) map[string]*int {
	m := make(map[string]*int, len(domain.Axes))
	for _, a := range domain.Axes {
		m[string(a)] = levels[a].Ptr()
	}
	return m
}

func apiEvidenceOf(e domain.Evidence) apiEvidence {
	return apiEvidence{ID: e.ID, URL: e.URL, Title: e.Title, Quote: e.Quote, Finding: e.Finding, Kind: string(e.Kind),
		SourceType: string(e.SourceType), Status: string(e.Status), Reviewer: e.Reviewer, SourcedAsOf: e.SourcedAsOf}
}

func apiRequirements(stage domain.StageCode, rs []domain.Requirement) []apiRequirement {
	out := make([]apiRequirement, 0, len(rs))
	for _, r := range rs {
		axes := make([]string, len(r.Axes))
		for i, a := range r.Axes {
			axes[i] = string(a)
		}
		out = append(out, apiRequirement{Stage: string(stage), Text: r.Text, Status: string(r.Status), Axes: axes})
	}
	return out
}

// APIProjects lists every project: GET /api/v1/projects, with the same
// filters as the project list (q, stage, axis, min, sort).
func APIProjects(s Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, problems := parseListQuery(r.URL.Query())
		if len(problems) > 0 {
			apiError(w, r, domain.Errorf(domain.EINVALID, "%s", apiProblem(problems)))
			return
		}
		sums, err := s.Summaries(r.Context())
		if err != nil {
			apiError(w, r, err)
			return
		}
		out := struct {
			Projects []apiProjectSummary `json:"projects"`
		}{Projects: []apiProjectSummary{}}
		for _, x := range q.apply(sums) {
			out.Projects = append(out.Projects, apiProjectSummary{Slug: x.Project.Slug, Name: x.Project.Name,
				Stage: string(x.Stage.Stage), Version: x.Version.Number, Levels: apiLevels(x.Levels)})
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// APIProject is one scorecard: GET /api/v1/projects/{slug} (latest) and
// /api/v1/projects/{slug}/versions/{n} (frozen).
func APIProject(s Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := 0
		if chi.URLParam(r, "n") != "" {
			var err error
			if n, err = versionParam(r); err != nil {
				apiError(w, r, err)
				return
			}
		}
		sc, err := s.Scorecard(r.Context(), chi.URLParam(r, "slug"), n)
		if err != nil {
			apiError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiProjectOf(sc))
	})
}

func apiProjectOf(sc domain.Scorecard) apiProject {
	levels := sc.Levels()
	st := scorers.Stage(levels)
	p := apiProject{Slug: sc.Project.Slug, Name: sc.Project.Name, Summary: sc.Project.Summary, Website: sc.Project.Website,
		Version: sc.Version.Number, Latest: sc.Latest, Methodology: sc.Version.Methodology, AssessedBy: sc.Version.AssessedBy,
		AssessedAt: sc.Version.AssessedAt, Background: []apiEvidence{}, Contracts: []apiContract{}}
	if !sc.Version.CreatedAt.IsZero() {
		p.UpdatedAt = sc.Version.CreatedAt.UTC().Format(time.RFC3339)
	}
	// requirements: every stage's checklist, flattened, T first; checks: the same grouped by stage.
	p.Stage = apiStage{Code: string(st.Stage), Name: st.Stage.Name(), Undetermined: []string{}, Requirements: []apiRequirement{}}
	for _, u := range st.Undetermined {
		p.Stage.Undetermined = append(p.Stage.Undetermined, string(u))
	}
	for _, c := range st.Checks {
		ac := apiStageCheck{Code: string(c.Stage), Name: c.Stage.Name(), Status: string(c.Status), Requirements: apiRequirements(c.Stage, c.Requirements)}
		p.Stage.Checks = append(p.Stage.Checks, ac)
		p.Stage.Requirements = append(p.Stage.Requirements, ac.Requirements...)
	}
	for _, a := range sc.Assessments {
		aa := apiAxis{Key: string(a.Axis), Level: a.Level.Ptr(), LevelName: levelVM(a.Level).Name, Criterion: a.Criterion,
			Rationale: a.Rationale, Evidence: []apiEvidence{}, Other: []apiEvidence{}}
		for _, e := range a.Evidence {
			aa.Evidence = append(aa.Evidence, apiEvidenceOf(e))
		}
		for _, e := range a.Other {
			aa.Other = append(aa.Other, apiEvidenceOf(e))
		}
		p.Axes = append(p.Axes, aa)
	}
	for _, e := range sc.Background {
		p.Background = append(p.Background, apiEvidenceOf(e))
	}
	for _, c := range sc.Contracts {
		ac := apiContract{Address: c.Address, Role: string(c.Role), Label: c.Label, Source: c.SourceURL, Note: c.Note}
		if c.Chain != "" {
			chain := c.Chain
			ac.Chain = &chain
		}
		if id := c.EVMChainID(); id != 0 {
			ac.ChainID = &id
		}
		p.Contracts = append(p.Contracts, ac)
	}
	return p
}

// APIVersions lists a project's versions: GET /api/v1/projects/{slug}/versions.
func APIVersions(s Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.Project(r.Context(), chi.URLParam(r, "slug"))
		if err != nil {
			apiError(w, r, err)
			return
		}
		versions, err := s.Versions(r.Context(), p.ID)
		if err != nil {
			apiError(w, r, err)
			return
		}
		levels, err := s.VersionLevels(r.Context(), p.ID)
		if err != nil {
			apiError(w, r, err)
			return
		}
		type apiVersion struct {
			Version     int             `json:"version"`
			Methodology string          `json:"methodology"`
			AssessedBy  string          `json:"assessed_by"`
			AssessedAt  string          `json:"assessed_at"`
			CreatedAt   string          `json:"created_at"`
			Note        string          `json:"note"`
			Stage       string          `json:"stage"`
			Levels      map[string]*int `json:"levels"`
			URL         string          `json:"url"`
		}
		out := struct {
			Slug     string       `json:"slug"`
			Latest   int          `json:"latest_version"`
			Versions []apiVersion `json:"versions"`
		}{Slug: p.Slug, Versions: []apiVersion{}}
		if len(versions) > 0 {
			out.Latest = versions[0].Number // newest first
		}
		for _, v := range versions {
			l := levels[v.Number]
			out.Versions = append(out.Versions, apiVersion{Version: v.Number, Methodology: v.Methodology, AssessedBy: v.AssessedBy,
				AssessedAt: v.AssessedAt, CreatedAt: v.CreatedAt.UTC().Format(time.RFC3339), Note: v.Note,
				Stage: string(scorers.Stage(l).Stage), Levels: apiLevels(l),
				URL: fmt.Sprintf("/api/v1/projects/%s/versions/%d", p.Slug, v.Number)})
		}
		writeJSON(w, http.StatusOK, out)
	})
}
