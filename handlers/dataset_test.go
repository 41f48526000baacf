package handlers_test

import (
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

const ccBy = "https://creativecommons.org/licenses/by/4.0/"

// apiLevels reads every project's levels from /api/v1/projects.
func apiLevels(t *testing.T, srvGet func(string) (int, string)) map[string]map[string]*int {
	t.Helper()
	status, body := srvGet("/api/v1/projects")
	if status != 200 {
		t.Fatalf("/api/v1/projects: status %d", status)
	}
	var list struct {
		Projects []struct {
			Slug   string          `json:"slug"`
			Levels map[string]*int `json:"levels"`
		} `json:"projects"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]*int{}
	for _, p := range list.Projects {
		out[p.Slug] = p.Levels
	}
	return out
}

func TestDatasetCSV(t *testing.T) {
	srv, _ := newServer(t)
	levels := apiLevels(t, func(p string) (int, string) { s, _, b := get(t, srv, p); return s, b })
	if len(levels) != 52 {
		t.Errorf("%d projects, want 52", len(levels))
	}
	status, h, body := get(t, srv, "/api/v1/dataset.csv")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	if ct := h.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if l := h.Get("Link"); l != "<"+ccBy+`>; rel="license"` {
		t.Errorf("Link %q", l)
	}
	if h.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("no Access-Control-Allow-Origin")
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + len(levels)*7; len(rows) != want {
		t.Fatalf("%d rows, want %d (header + projects × 7 axes)", len(rows), want)
	}
	if got := strings.Join(rows[0], ","); got != "slug,axis,level,stage,version,evidence_urls" {
		t.Errorf("header %q", got)
	}
	seen := map[string]bool{}
	withURLs := 0
	for _, r := range rows[1:] {
		slug, axis, level := r[0], r[1], r[2]
		key := slug + "/" + axis
		if seen[key] {
			t.Errorf("%s: duplicate row", key)
		}
		seen[key] = true
		l, ok := levels[slug][axis]
		switch {
		case !ok:
			t.Errorf("%s: not in /api/v1/projects", key)
		case l == nil && level != "":
			t.Errorf("%s: level %q, want empty (unknown)", key, level)
		case l != nil && level != strconv.Itoa(*l):
			t.Errorf("%s: level %q, want %d", key, level, *l)
		}
		if _, err := strconv.Atoi(r[4]); err != nil {
			t.Errorf("%s: version %q", key, r[4])
		}
		if r[5] != "" {
			withURLs++
			for _, u := range strings.Split(r[5], " ") {
				if !strings.HasPrefix(u, "http") {
					t.Errorf("%s: evidence URL %q", key, u)
				}
			}
		}
	}
	if withURLs == 0 {
		t.Error("no row cites evidence")
	}
}

func TestDatasetJSON(t *testing.T) {
	srv, _ := newServer(t)
	levels := apiLevels(t, func(p string) (int, string) { s, _, b := get(t, srv, p); return s, b })
	status, h, body := get(t, srv, "/api/v1/dataset.json")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type %q", h.Get("Content-Type"))
	}
	var d struct {
		License, LicenseURL, Attribution, GeneratedAt string
		Projects                                      []struct {
			Slug, Name, Stage, Methodology string
			Version                        int
			AssessedAt                     string `json:"assessed_at"`
			Levels                         map[string]*int
			Axes                           []struct {
				Key, Criterion, Rationale string
				Level                     *int
				Evidence                  []string
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(body), &raw)
	if raw["license"] != "CC BY 4.0" || raw["license_url"] != ccBy || raw["attribution"] == "" || raw["generated_at"] == "" {
		t.Errorf("licence fields: %v %v %v %v", raw["license"], raw["license_url"], raw["attribution"], raw["generated_at"])
	}
	if len(d.Projects) != len(levels) {
		t.Fatalf("%d projects, want %d", len(d.Projects), len(levels))
	}
	for _, p := range d.Projects {
		if p.Name == "" || p.Stage == "" || p.Version < 1 || p.Methodology == "" {
			t.Errorf("%s: incomplete: %+v", p.Slug, p)
		}
		if len(p.Axes) != 7 {
			t.Errorf("%s: %d axes", p.Slug, len(p.Axes))
		}
		for _, a := range p.Axes {
			want := levels[p.Slug][a.Key]
			if (want == nil) != (a.Level == nil) || want != nil && *want != *a.Level {
				t.Errorf("%s/%s: level differs from /api/v1/projects", p.Slug, a.Key)
			}
			if a.Level != nil && a.Criterion == "" {
				t.Errorf("%s/%s: no criterion", p.Slug, a.Key)
			}
		}
	}
}
