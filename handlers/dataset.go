package handlers

import (
	_ "embed"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
)

// openAPIDoc is the OpenAPI 3.1 description of /api/v1. openapi_test.go
// validates it and checks it against the live handlers and web/routes.go.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI serves the API description: GET /api/v1/openapi.json.
func OpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Cache-Control", "public, max-age=3600")
		h.Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write(openAPIDoc)
	})
}

// The dataset is published under CC BY 4.0.
const (
	datasetLicense    = "CC BY 4.0"
	datasetLicenseURL = "https://creativecommons.org/licenses/by/4.0/"
)

type datasetAxis struct {
	Key       string   `json:"key"`
	Level     *int     `json:"level"`
	Criterion string   `json:"criterion"`
	Rationale string   `json:"rationale"`
	Evidence  []string `json:"evidence"` // URLs of the cited evidence
}

type datasetProject struct {
	Slug        string          `json:"slug"`
	Name        string          `json:"name"`
	Stage       string          `json:"stage"`
	Version     int             `json:"version"`
	Methodology string          `json:"methodology"`
	AssessedAt  string          `json:"assessed_at"`
	Levels      map[string]*int `json:"levels"`
	Axes        []datasetAxis   `json:"axes"`
}

type dataset struct {
	License     string           `json:"license"`
	LicenseURL  string           `json:"license_url"`
	Attribution string           `json:"attribution"`
	GeneratedAt string           `json:"generated_at"`
	Methodology string           `json:"methodology"`
	SourcedAsOf string           `json:"sourced_as_of"`
	Projects    []datasetProject `json:"projects"`
}

func (site Site) attribution() string {
	a := "DeAI Scorecard"
	if site.SourcedAsOf != "" {
		a += ", data sourced as of " + site.SourcedAsOf
	}
	if site.Paper.Title != "" {
		a += `. Methodology: ` + site.Paper.Author
		if site.Paper.Year != 0 {
			a += " (" + strconv.Itoa(site.Paper.Year) + ")"
		}
		a += `, "` + site.Paper.Title + `"`
		if site.Paper.DOI != "" {
			a += ", doi:" + site.Paper.DOI
		}
	}
	return a + ". Licensed " + datasetLicense + "."
}

// buildDataset reads the latest scorecard of every project.
func buildDataset(r *http.Request, s Store, site Site) (dataset, error) {
	sums, err := s.Summaries(r.Context())
	if err != nil {
		return dataset{}, err
	}
	d := dataset{License: datasetLicense, LicenseURL: datasetLicenseURL, Attribution: site.attribution(),
		GeneratedAt: time.Now().UTC().Format(time.RFC3339), Methodology: site.Methodology, SourcedAsOf: site.SourcedAsOf,
		Projects: make([]datasetProject, 0, len(sums))}
	for _, sum := range sums {
		sc, err := s.Scorecard(r.Context(), sum.Project.Slug, 0)
		if err != nil {
			return dataset{}, err
		}
		levels := sc.Levels()
		p := datasetProject{Slug: sc.Project.Slug, Name: sc.Project.Name, Stage: string(scorers.Stage(levels).Stage),
			Version: sc.Version.Number, Methodology: sc.Version.Methodology, AssessedAt: sc.Version.AssessedAt,
			Levels: apiLevels(levels), Axes: make([]datasetAxis, 0, len(domain.Axes))}
		byAxis := make(map[domain.Axis]domain.Assessment, len(sc.Assessments))
		for _, a := range sc.Assessments {
			byAxis[a.Axis] = a
		}
		for _, ax := range domain.Axes {
			a := byAxis[ax]
			da := datasetAxis{Key: string(ax), Level: a.Level.Ptr(), Criterion: a.Criterion, Rationale: a.Rationale, Evidence: []string{}}
			for _, e := range a.Evidence {
				da.Evidence = append(da.Evidence, e.URL)
			}
			p.Axes = append(p.Axes, da)
		}
		d.Projects = append(d.Projects, p)
	}
	return d, nil
}

func datasetHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Link", "<"+datasetLicenseURL+`>; rel="license"`)
}

// DatasetJSON is GET /api/v1/dataset.json.
func DatasetJSON(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, err := buildDataset(r, s, site)
		if err != nil {
			apiError(w, r, err)
			return
		}
		datasetHeaders(w)
		writeJSON(w, http.StatusOK, d)
	})
}

// DatasetCSV is GET /api/v1/dataset.csv: one row per project and axis.
// CSV has no comments, so the licence travels in the Link header.
func DatasetCSV(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, err := buildDataset(r, s, site)
		if err != nil {
			apiError(w, r, err)
			return
		}
		datasetHeaders(w)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="deai-scorecard.csv"`)
		w.WriteHeader(http.StatusOK)
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"slug", "axis", "level", "stage", "version", "evidence_urls"})
		for _, p := range d.Projects {
			for _, a := range p.Axes {
				level := ""
				if a.Level != nil {
					level = strconv.Itoa(*a.Level)
				}
				_ = cw.Write([]string{p.Slug, a.Key, level, p.Stage, strconv.Itoa(p.Version), strings.Join(a.Evidence, " ")})
			}
		}
		cw.Flush()
	})
}
