package seed_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/deai-scorecard/scorecard/seed"
)

// The repo embeds copies of the editors' files in ../shared/data. When
// that folder is beside the checkout (as in CI), a stale copy fails here.
func TestEmbeddedCopiesMatchShared(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no %s beside the checkout", dir)
	}
	for name, embedded := range map[string][]byte{
		"projects.json":        seed.ProjectsJSON,
		"assessments.json":     seed.AssessmentsJSON,
		"stages-expected.json": seed.StagesExpectedJSON,
		"projects-notes.md":    seed.NotesMarkdown,
	} {
		shared, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(shared, embedded) {
			t.Errorf("seed/%s differs from ../shared/data/%s: copy it again", name, name)
		}
	}
}

func TestEmbeddedParses(t *testing.T) {
	d, a, err := seed.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Projects) == 0 || len(a.Assessments) != len(d.Projects) {
		t.Fatalf("%d projects, %d assessed", len(d.Projects), len(a.Assessments))
	}
	if a.Methodology != "1.0" || d.SourcedAsOf == "" {
		t.Fatalf("methodology %q, sourced as of %q", a.Methodology, d.SourcedAsOf)
	}
}

func TestParseTellsShapesApart(t *testing.T) {
	if f, err := seed.Parse([]byte(`{"projects":[]}`)); err != nil || f.Dataset == nil {
		t.Fatalf("dataset: %v", err)
	}
	if f, err := seed.Parse([]byte(`{"assessments":{}}`)); err != nil || f.Assessments == nil {
		t.Fatalf("assessments: %v", err)
	}
	for _, bad := range []string{``, `[]`, `{"other":1}`, `{"projects":{}}`, `{"projects":[{"slug":1}]}`} {
		if _, err := seed.Parse([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestRoleKeyword(t *testing.T) {
	for role, want := range map[string]string{
		"timelock (GENSYN_TOKEN_TIMELOCK: admin of the $AI token on Gensyn Mainnet)": "timelock",
		"safe (GENSYN_TOKEN_SAFE: proposer/canceller on the token timelock)":         "safe",
		"FET (ASI) ERC-20 token":                    "token",
		"ProxyAdmin of the tournament":              "proxy-admin",
		"GovernorOLAS":                              "governor",
		"Engineering Multisig":                      "safe",
		"Almanac contract (mainnet agent registry)": "other",
	} {
		if got := (seed.Contract{Role: role}).RoleKeyword(); got != want {
			t.Errorf("%q: %s, want %s", role, got, want)
		}
	}
}
