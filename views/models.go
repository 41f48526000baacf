// Package views renders pages with templ. Components receive view models
// (the plain structs in this file, filled by handlers) and never touch the
// store; views imports nothing of ours.
package views

import "strconv"

// Meta describes a page for the layout.
type Meta struct {
	Title       string // page title, without the site name
	Description string
	Path        string // the request path, for the active nav item
	Methodology string // methodology version in force
	SourcedAsOf string // dataset sourced-as-of date
	User        string // signed-in reviewer or admin, "" for visitors
	Role        string

	// URL is the page's absolute address (no query), for Open Graph.
	URL string
	// Canonical is the page's one address for search engines and link
	// previews, where a page has one (project pages); "" for none.
	Canonical string

	// oEmbed discovery (project pages): the /oembed URL for this page and
	// the title of the link; no link when OEmbedURL is "".
	OEmbedURL   string
	OEmbedTitle string
}

// Level is a level or unknown, ready to render.
type Level struct {
	Known bool
	N     int
	Name  string // "open but trusted"; "unknown" when unknown
}

// Text is "2 · open but trusted" or "unknown".
func (l Level) Text() string {
	if !l.Known {
		return "unknown"
	}
	return itoa(l.N) + " · " + l.Name
}

// Short is "2" or "?".
func (l Level) Short() string {
	if !l.Known {
		return "?"
	}
	return itoa(l.N)
}

// Class is the CSS class that colours a level.
func (l Level) Class() string {
	if !l.Known {
		return "lvl lvl-u"
	}
	return "lvl lvl-" + itoa(l.N)
}

// AxisLevel is one axis's level in a compact row.
type AxisLevel struct {
	Key   string
	Title string
	Level Level
}

// Stage is a project's stage, ready to render.
type Stage struct {
	Code         string
	Name         string
	Undetermined []UndeterminedStage
}

// UndeterminedStage is a higher stage blocked only by unknown axes.
type UndeterminedStage struct {
	Code        string
	UnknownAxes []string
}

// ProjectRow is one line of the project list.
type ProjectRow struct {
	Slug    string
	Name    string
	Summary string
	Stage   Stage
	Version int
	Levels  []AxisLevel
}

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// IndexPage is the project list with its filters.
type IndexPage struct {
	Rows       []ProjectRow
	Total      int
	Query      string
	Stages     []Option
	Axes       []Option
	MinLevels  []Option
	Sorts      []Option
	Filtered   bool
	AxisTitles []string
	Problems   []string // filter values that were ignored, said plainly
}

// Requirement is one line of a stage checklist.
type Requirement struct {
	Text   string
	Status string // met, unmet, unknown
}

// StageCheck is one stage's checklist.
type StageCheck struct {
	Code         string
	Name         string
	Status       string
	Current      bool
	Requirements []Requirement
}

// Evidence is one cited source.
type Evidence struct {
	ID          int64
	URL         string
	Title       string
	Quote       string
	Finding     string
	Kind        string
	SourceType  string // primary, secondary, third-party-code, onchain
	SourceLabel string // "project's own (self-reported)"
	Contributed bool   // submitted through the public form: links get rel="nofollow ugc"
	SourcedAsOf string
	Reviewer    string
}

// AxisCard is one axis of a scorecard.
type AxisCard struct {
	Key           string
	Title         string
	Question      string
	Level         Level
	Criterion     string // "upgrades.1"
	CriterionText string
	Rationale     string
	Evidence      []Evidence
	Other         []Evidence  // accepted, not cited for the level
	Suggestion    *Suggestion // from on-chain facts; never replaces the level
}

// Contract is a watched contract with what its latest check found.
type Contract struct {
	Chain      string // CAIP-2 or ""
	ChainName  string
	Address    string
	AddressURL string // on the chain's explorer, when one is known
	Role       string
	Label      string
	SourceURL  string
	Note       string
	Status     string // checked, failed, unchecked
	StatusText string // "Not yet checked on-chain", "No RPC endpoint for eip155:8453", …
	Block      uint64
	BlockURL   string
	BlockHash  string
	CheckedAt  string
	Facts      []FactRow
	Errors     []string
}

// FactRow is one on-chain fact.
type FactRow struct {
	Key, Value string
}

// ChangeRow is one on-chain change event.
type ChangeRow struct {
	ProjectSlug, ProjectName string
	Chain, Address           string
	Key, Old, New            string
	OldBlock, NewBlock       uint64
	Grade                    string
	At                       string
}

// Suggestion is a level suggested from on-chain facts.
type Suggestion struct {
	Level  Level
	Rule   string
	Detail string
	Block  uint64
	Chain  string
}

// ChangesPage lists change events across projects.
type ChangesPage struct {
	Changes    []ChangeRow
	Configured bool
}

// VersionLink points at a frozen version and says what it changed.
type VersionLink struct {
	N          int
	AssessedAt string
	AssessedBy string
	Note       string
	Current    bool     // the version this page shows
	Changes    []string // "training: 2 → 3", against the version before
}

// ProjectPage is a scorecard.
type ProjectPage struct {
	Slug        string
	Name        string
	Summary     string
	Website     string
	Chains      []string
	Version     int
	Latest      int
	Frozen      bool // a /v/{n} page
	AssessedAt  string
	AssessedBy  string
	Methodology string
	Stage       Stage
	Checks      []StageCheck
	Axes        []AxisCard
	Rosette     Rosette
	Contracts   []Contract
	Changes     []ChangeRow
	Configured  bool // any RPC endpoint configured
	Background  []Evidence
	Versions    []VersionLink
	Permalink   string

	// The "Embed / cite" box: copy-ready snippets, "" when not assessed.
	EmbedMarkdown   string // badge image linking to the scorecard
	EmbedHTML       string // the /embed/{slug} iframe: the live card
	EmbedFrozenHTML string // the /embed/{slug}/v/{n} iframe: this version's card
	Citation        string // a reference to the frozen version
}

// CompareColumn is one project in a comparison.
type CompareColumn struct {
	Slug    string
	Name    string
	Stage   Stage
	Version int
	Levels  []AxisLevel
}

// ComparePage compares up to four projects axis by axis.
type ComparePage struct {
	Columns  []CompareColumn
	Pickers  [][]Option // one select per slot
	Axes     []AxisLevel
	Problems []string
}

// Criterion is one level's criterion on the methodology page.
type Criterion struct {
	ID    string
	Level Level
	Text  string
}

// MethodologyAxis is one axis's criteria.
type MethodologyAxis struct {
	Key        string
	Title      string
	Question   string
	MeasuredBy string
	Scope      string
	Criteria   []Criterion
}

// MethodologyStage is one stage's requirements.
type MethodologyStage struct {
	Code         string
	Name         string
	Description  string
	Requirements []string
}

// ChangelogEntry is a dated methodology change.
type ChangelogEntry struct {
	Version, Date, Text string
}

// MethodologyPage is the rulebook.
type MethodologyPage struct {
	Version   string
	Rules     []string
	Axes      []MethodologyAxis
	Stages    []MethodologyStage
	Changelog []ChangelogEntry
}

// AboutPage explains the site and its data.
type AboutPage struct {
	PaperTitle    string
	PaperAuthor   string
	PaperYear     int
	PaperURL      string
	PaperDOI      string
	DatasetAbout  string
	SourcedAsOf   string
	Audited       string
	Projects      int
	EvidenceItems int
	Contracts     int
}

// ErrorPage is a 404 or other error.
type ErrorPage struct {
	Status  int
	Title   string
	Message string
}

func itoa(n int) string { return strconv.Itoa(n) }
