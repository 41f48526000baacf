package handlers

import (
	"net/http"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/views"
)

// Methodology renders the rulebook from scorers' data. The page is the
// same for every request, so its model is built once.
func Methodology(site Site) http.Handler {
	page := views.MethodologyPage{Version: scorers.MethodologyVersion, Rules: scorers.Rules}
	for _, a := range scorers.AxisInfos {
		ma := views.MethodologyAxis{Key: string(a.Axis), Title: a.Title, Question: a.Question, MeasuredBy: a.MeasuredBy, Scope: a.Scope}
		for l := domain.MinLevel; l <= domain.MaxLevel; l++ {
			id, text := a.Criterion(l)
			ma.Criteria = append(ma.Criteria, views.Criterion{ID: id, Level: levelVM(domain.Known(l)), Text: text})
		}
		page.Axes = append(page.Axes, ma)
	}
	for _, s := range scorers.StageRules {
		ms := views.MethodologyStage{Code: string(s.Stage), Name: s.Stage.Name(), Description: s.Description}
		for _, r := range s.Requirements {
			ms.Requirements = append(ms.Requirements, r.Text())
		}
		page.Stages = append(page.Stages, ms)
	}
	for _, c := range scorers.Changelog {
		page.Changelog = append(page.Changelog, views.ChangelogEntry{Version: c.Version, Date: c.Date, Text: c.Text})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		render(w, r, http.StatusOK, views.Methodology(site.meta(r, "Methodology", "How DeAI Scorecard measures decentralization: seven axes, levels 0–4, unknown, and stages."), page))
	})
}

// About explains the problem, the data and its caveats.
func About(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.Count(r.Context())
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		page := views.AboutPage{PaperTitle: site.Paper.Title, PaperAuthor: site.Paper.Author, PaperYear: site.Paper.Year, PaperURL: site.Paper.URL,
			PaperDOI: site.Paper.DOI, DatasetAbout: site.DatasetNote, SourcedAsOf: site.SourcedAsOf, Audited: site.Audited,
			Projects: c.Projects, EvidenceItems: c.Evidence, Contracts: c.Contracts}
		render(w, r, http.StatusOK, views.About(site.meta(r, "About", "Why DeAI Scorecard measures decentralized AI, where its data comes from, and its caveats."), page))
	})
}
