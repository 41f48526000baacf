package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/deai-scorecard/scorecard/domain"
	"github.com/deai-scorecard/scorecard/scorers"
	"github.com/deai-scorecard/scorecard/views"
)

// listQuery is the project list's filters, from GET parameters.
type listQuery struct {
	Q     string
	Stage domain.StageCode // "" for any
	Axis  domain.Axis      // "" for any
	Min   domain.Level
	Sort  string // name | stage
}

const maxQueryLen = 100

// filterProblem is a filter value that cannot be used: what is wrong, and
// what the project list does instead (the API refuses the request).
type filterProblem struct {
	what, instead string
}

// page is the notice on the project list.
func (p filterProblem) page() string { return p.what + "; " + p.instead + "." }

// pageProblems and apiProblem word the problems for the list and the API.
func pageProblems(ps []filterProblem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.page()
	}
	return out
}

func apiProblem(ps []filterProblem) string {
	whats := make([]string, len(ps))
	for i, p := range ps {
		whats[i] = p.what + "."
	}
	return strings.Join(whats, " ")
}

// parseListQuery reads the filters. Values it cannot use are dropped and
// reported as problems; the rest still apply.
func parseListQuery(v url.Values) (listQuery, []filterProblem) {
	q := listQuery{Sort: "name"}
	var problems []filterProblem
	add := func(instead, format string, args ...any) {
		problems = append(problems, filterProblem{fmt.Sprintf(format, args...), instead})
	}
	q.Q = strings.TrimSpace(v.Get("q"))
	if len([]rune(q.Q)) > maxQueryLen {
		q.Q = string([]rune(q.Q)[:maxQueryLen])
		add(fmt.Sprintf("it was cut to %d", maxQueryLen), "The search (q) is longer than %d characters", maxQueryLen)
	}
	if s := v.Get("stage"); s != "" {
		if st, err := domain.ParseStage(strings.ToUpper(s)); err == nil {
			q.Stage = st
		} else {
			add("showing every stage", "Stage %q is not one of T, C, E, V", s)
		}
	}
	axis, min := v.Get("axis"), v.Get("min")
	if axis != "" {
		if a, err := domain.ParseAxis(axis); err == nil {
			q.Axis = a
		} else {
			add("the level filter is off", "There is no axis %q (the axes are %s)", axis, axisKeys())
		}
	}
	if min != "" {
		n, err := strconv.Atoi(min)
		switch {
		case err != nil || !domain.Level(n).Valid():
			add("the level filter is off", "Level %q (min) is not a whole number from 0 to 4", min)
			q.Axis = ""
		case q.Axis == "" && axis == "":
			add("the level filter is off", "A minimum level (min) needs an axis (axis)")
		default:
			q.Min = domain.Level(n)
		}
	}
	switch s := v.Get("sort"); s {
	case "", "name":
	case "stage":
		q.Sort = "stage"
	default:
		add("sorted by name", "Cannot sort by %q (sort is name or stage)", s)
	}
	return q, problems
}

// axisKeys lists the axes' keys, comma-separated.
func axisKeys() string {
	keys := make([]string, len(domain.Axes))
	for i, a := range domain.Axes {
		keys[i] = string(a)
	}
	return strings.Join(keys, ", ")
}

func (q listQuery) filtered() bool { return q.Q != "" || q.Stage != "" || q.Axis != "" }

// scored is a summary with its stage worked out.
type scored struct {
	domain.Summary
	Stage domain.StageResult
}

// apply filters and sorts summaries.
func (q listQuery) apply(sums []domain.Summary) []scored {
	needle := strings.ToLower(q.Q)
	var out []scored
	for _, s := range sums {
		if needle != "" && !strings.Contains(strings.ToLower(s.Project.Name), needle) && !strings.Contains(s.Project.Slug, needle) {
			continue
		}
		st := scorers.Stage(s.Levels)
		if q.Stage != "" && st.Stage != q.Stage {
			continue
		}
		if q.Axis != "" {
			if l := s.Levels[q.Axis]; !l.Known || l.Level < q.Min {
				continue
			}
		}
		out = append(out, scored{Summary: s, Stage: st})
	}
	if q.Sort == "stage" {
		slices.SortStableFunc(out, func(a, b scored) int { return b.Stage.Stage.Rank() - a.Stage.Stage.Rank() })
	}
	return out
}

func options(values, labels []string, selected string) []views.Option {
	out := make([]views.Option, len(values))
	for i := range values {
		out[i] = views.Option{Value: values[i], Label: labels[i], Selected: values[i] == selected}
	}
	return out
}

// Index is the project list.
func Index(s Store, site Site) http.Handler {
	stageValues, stageLabels := []string{""}, []string{"Any stage"}
	for _, st := range domain.Stages {
		stageValues = append(stageValues, string(st))
		stageLabels = append(stageLabels, string(st)+": "+st.Name())
	}
	axisValues, axisLabels := []string{""}, []string{"Any axis"}
	for _, a := range domain.Axes {
		axisValues = append(axisValues, string(a))
		axisLabels = append(axisLabels, axisTitle(a))
	}
	minValues, minLabels := []string{""}, []string{"any known level"}
	for l := domain.MinLevel; l <= domain.MaxLevel; l++ {
		minValues = append(minValues, strconv.Itoa(int(l)))
		minLabels = append(minLabels, fmt.Sprintf("%d · %s", l, l.Name()))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, problems := parseListQuery(r.URL.Query())
		sums, err := s.Summaries(r.Context())
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		page := views.IndexPage{Total: len(sums), Query: q.Q, Filtered: q.filtered(), Problems: pageProblems(problems)}
		for _, x := range q.apply(sums) {
			page.Rows = append(page.Rows, views.ProjectRow{Slug: x.Project.Slug, Name: x.Project.Name, Summary: x.Project.Summary,
				Stage: stageVM(x.Stage, x.Levels), Version: x.Version.Number, Levels: levelRow(x.Levels)})
		}
		min := ""
		if q.Axis != "" {
			min = strconv.Itoa(int(q.Min))
		}
		page.Stages = options(stageValues, stageLabels, string(q.Stage))
		page.Axes = options(axisValues, axisLabels, string(q.Axis))
		page.MinLevels = options(minValues, minLabels, min)
		page.Sorts = options([]string{"name", "stage"}, []string{"Name", "Stage (highest first)"}, q.Sort)
		render(w, r, http.StatusOK, views.Index(site.meta(r, "", "Scorecards that measure whether decentralized-AI projects are decentralized, axis by axis, with cited evidence."), page))
	})
}

// versionParam parses {n} of /p/{slug}/v/{n}: a positive integer.
func versionParam(r *http.Request) (int, error) {
	raw := chi.URLParam(r, "n")
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || strconv.Itoa(n) != raw {
		return 0, domain.Errorf(domain.ENOTFOUND, "There is no version %q.", raw)
	}
	return n, nil
}

// Project is a scorecard page: the latest version, or a frozen one at /v/{n}.
func Project(s Store, site Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := 0
		if chi.URLParam(r, "n") != "" {
			var err error
			if n, err = versionParam(r); err != nil {
				site.pageError(w, r, err)
				return
			}
		}
		sc, err := s.Scorecard(r.Context(), chi.URLParam(r, "slug"), n)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		versions, err := s.Versions(r.Context(), sc.Project.ID)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		levels, err := s.VersionLevels(r.Context(), sc.Project.ID)
		if err != nil {
			site.pageError(w, r, err)
			return
		}
		page := projectPage(sc, versions, levels, n != 0)
		if n == 0 {
			// The live page shows what the chain says now; a frozen version
			// shows the contracts without facts that postdate it.
			cfs, err := s.ContractFacts(r.Context(), sc.Project.ID)
			if err != nil {
				site.pageError(w, r, err)
				return
			}
			changes, err := s.Changes(r.Context(), sc.Project.Slug, 100)
			if err != nil {
				site.pageError(w, r, err)
				return
			}
			site.addOnchain(&page, cfs, changes)
		}
		if sc.Version.Number > 0 {
			page.Permalink = absoluteURL(r, fmt.Sprintf("/p/%s/v/%d", sc.Project.Slug, sc.Version.Number))
		}
		if n != 0 {
			// A frozen version never changes; a signed-in visitor's copy
			// names them, so shared caches must not keep it.
			if _, signedIn := UserFrom(r.Context()); signedIn {
				w.Header().Set("Cache-Control", "private, max-age=0")
			} else {
				w.Header().Set("Cache-Control", "public, max-age=86400")
			}
		}
		title := sc.Project.Name
		if n != 0 {
			title = fmt.Sprintf("%s, version %d", sc.Project.Name, n)
		}
		desc := fmt.Sprintf("%s: Stage %s (%s) on DeAI Scorecard, with the evidence behind each of seven axes.", sc.Project.Name, page.Stage.Code, page.Stage.Name)
		// Embed / cite box and oEmbed discovery (embeds.go).
		addEmbedCite(&page, r, sc)
		m := site.meta(r, title, desc)
		m.OEmbedURL, m.OEmbedTitle = oembedDiscovery(r, sc)
		m.Canonical = absoluteURL(r, "/p/"+sc.Project.Slug)
		if n != 0 {
			m.Canonical = absoluteURL(r, fmt.Sprintf("/p/%s/v/%d", sc.Project.Slug, n))
		}
		render(w, r, http.StatusOK, views.Project(m, page))
	})
}

func projectPage(sc domain.Scorecard, versions []domain.ScorecardVersion, history map[int]map[domain.Axis]domain.MaybeLevel, frozen bool) views.ProjectPage {
	levels := sc.Levels()
	st := scorers.Stage(levels)
	p := views.ProjectPage{
		Slug: sc.Project.Slug, Name: sc.Project.Name, Summary: sc.Project.Summary, Website: sc.Project.Website, Chains: sc.Project.Chains,
		Version: sc.Version.Number, Latest: sc.Latest, Frozen: frozen, AssessedAt: sc.Version.AssessedAt, AssessedBy: sc.Version.AssessedBy,
		Methodology: sc.Version.Methodology, Stage: stageVM(st, levels), Checks: stageChecksVM(st),
	}
	p.Rosette = views.NewRosette(sc.Project.Name, levelRow(levels))
	for _, a := range sc.Assessments {
		info, _ := scorers.Info(a.Axis)
		card := views.AxisCard{Key: string(a.Axis), Title: info.Title, Question: info.Question, Level: levelVM(a.Level), Rationale: a.Rationale}
		if a.Level.Known {
			card.Criterion, card.CriterionText = info.Criterion(a.Level.Level)
		}
		for _, e := range a.Evidence {
			card.Evidence = append(card.Evidence, evidenceVM(e))
		}
		for _, e := range a.Other {
			card.Other = append(card.Other, evidenceVM(e))
		}
		p.Axes = append(p.Axes, card)
	}
	for _, e := range sc.Background {
		p.Background = append(p.Background, evidenceVM(e))
	}
	for _, c := range sc.Contracts {
		p.Contracts = append(p.Contracts, contractVM(domain.ContractFacts{Contract: c}, nil))
	}
	for _, v := range versions {
		vl := views.VersionLink{N: v.Number, AssessedAt: v.AssessedAt, AssessedBy: v.AssessedBy, Note: v.Note, Current: v.Number == sc.Version.Number}
		if prev, ok := history[v.Number-1]; ok {
			vl.Changes = levelChanges(prev, history[v.Number])
		}
		p.Versions = append(p.Versions, vl)
	}
	return p
}

// levelChanges says which levels differ between two versions, and the
// stage when it moved.
func levelChanges(before, after map[domain.Axis]domain.MaybeLevel) []string {
	var out []string
	for _, a := range domain.Axes {
		if before[a] != after[a] {
			out = append(out, fmt.Sprintf("%s: %s → %s", axisTitle(a), before[a], after[a]))
		}
	}
	if s0, s1 := scorers.Stage(before).Stage, scorers.Stage(after).Stage; s0 != s1 {
		out = append(out, fmt.Sprintf("stage: %s → %s", s0, s1))
	}
	if len(out) == 0 {
		out = append(out, "rationale or cited evidence revised; levels unchanged")
	}
	return out
}
