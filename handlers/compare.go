package handlers

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/views"
)

// maxCompare is how many projects fit side by side.
const maxCompare = 4

// Compare shows projects side by side: /compare?p=a&p=b[&p=c…].
func Compare(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sums, err := s.Summaries(r.Context())
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		bySlug := map[string]domain.Summary{}
		for _, x := range sums {
			bySlug[x.Project.Slug] = x
		}
		var picked []string
		var problems []string
		for _, slug := range r.URL.Query()["p"] {
			slug = strings.TrimSpace(slug)
			switch _, ok := bySlug[slug]; {
			case slug == "" || slices.Contains(picked, slug):
			case !ok:
				problems = append(problems, fmt.Sprintf("There is no project %q.", truncate(slug, 60)))
			case len(picked) == maxCompare:
				problems = append(problems, fmt.Sprintf("At most %d projects fit side by side; %q was left out.", maxCompare, slug))
			default:
				picked = append(picked, slug)
			}
		}
		page := views.ComparePage{Problems: problems}
		for _, a := range domain.Axes {
			page.Axes = append(page.Axes, views.AxisLevel{Key: string(a), Title: axisTitle(a)})
		}
		for _, slug := range picked {
			x := bySlug[slug]
			st := scorers.Stage(x.Levels)
			page.Columns = append(page.Columns, views.CompareColumn{Slug: slug, Name: x.Project.Name, Stage: stageVM(st, x.Levels),
				Version: x.Version.Number, Levels: levelRow(x.Levels)})
		}
		slots := max(3, min(len(picked)+1, maxCompare))
		for i := range slots {
			sel := ""
			if i < len(picked) {
				sel = picked[i]
			}
			opts := []views.Option{{Value: "", Label: "—", Selected: sel == ""}}
			for _, x := range sums {
				opts = append(opts, views.Option{Value: x.Project.Slug, Label: x.Project.Name, Selected: x.Project.Slug == sel})
			}
			page.Pickers = append(page.Pickers, opts)
		}
		title := "Compare"
		if len(page.Columns) > 0 {
			names := make([]string, len(page.Columns))
			for i, c := range page.Columns {
				names[i] = c.Name
			}
			title = "Compare " + strings.Join(names, ", ")
		}
		render(w, r, http.StatusOK, views.Compare(site.meta(r, title, "Decentralized-AI projects side by side, axis by axis."), page))
	})
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
