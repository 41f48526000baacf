package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	vErrors "github.com/pb33f/libopenapi-validator/errors"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// apiDoc loads the served OpenAPI document and checks it against the
// OpenAPI 3.1 meta-schema.
func apiDoc(t *testing.T, body []byte) (*v3.Document, validator.Validator) {
	t.Helper()
	doc, err := libopenapi.NewDocument(body)
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); !strings.HasPrefix(v, "3.1") {
		t.Fatalf("openapi version %q, want 3.1.x", v)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Error(e.Error())
		}
		t.FailNow()
	}
	return &model.Model, v
}

func validationErrors(t *testing.T, what string, errs []*vErrors.ValidationError) {
	t.Helper()
	for _, e := range errs {
		var sb strings.Builder
		for _, f := range e.SchemaValidationErrors {
			sb.WriteString("\n    " + f.Reason + " at " + f.FieldPath + " (" + f.KeywordLocation + ")")
		}
		t.Errorf("%s: %s: %s%s", what, e.Message, e.Reason, sb.String())
	}
}

// The requests the document is checked with: every documented path with
// example parameters, good and bad.
var apiCases = []struct {
	path, spec string // request path, and the documented path it must match
	ok         bool   // a 2xx is expected
}{
	{"/api/v1/projects", "/api/v1/projects", true},
	{"/api/v1/projects?stage=E", "/api/v1/projects", true},
	{"/api/v1/projects?axis=training&min=2&sort=stage", "/api/v1/projects", true},
	{"/api/v1/projects?q=bit", "/api/v1/projects", true},
	{"/api/v1/projects?stage=X", "/api/v1/projects", false},
	{"/api/v1/projects?axis=training&min=9", "/api/v1/projects", false},
	{"/api/v1/projects/bittensor", "/api/v1/projects/{slug}", true},
	{"/api/v1/projects/olas", "/api/v1/projects/{slug}", true},
	{"/api/v1/projects/no-such-project", "/api/v1/projects/{slug}", false},
	{"/api/v1/projects/bittensor/versions", "/api/v1/projects/{slug}/versions", true},
	{"/api/v1/projects/no-such-project/versions", "/api/v1/projects/{slug}/versions", false},
	{"/api/v1/projects/bittensor/versions/1", "/api/v1/projects/{slug}/versions/{n}", true},
	{"/api/v1/projects/olas/versions/1", "/api/v1/projects/{slug}/versions/{n}", true},
	{"/api/v1/projects/bittensor/versions/99", "/api/v1/projects/{slug}/versions/{n}", false},
	{"/api/v1/projects/bittensor/contracts", "/api/v1/projects/{slug}/contracts", true},
	{"/api/v1/projects/olas/contracts", "/api/v1/projects/{slug}/contracts", true},
	{"/api/v1/projects/no-such-project/contracts", "/api/v1/projects/{slug}/contracts", false},
	{"/api/v1/changes", "/api/v1/changes", true},
	{"/api/v1/changes?project=olas&limit=5", "/api/v1/changes", true},
	{"/api/v1/changes?limit=0", "/api/v1/changes", false},
	{"/api/v1/changes?project=no-such-project", "/api/v1/changes", false},
	{"/api/v1/badge/bittensor.json", "/api/v1/badge/{file}", true},
	{"/api/v1/badge/no-such-project.json", "/api/v1/badge/{file}", false},
	{"/api/v1/badge/bittensor/training.json", "/api/v1/badge/{slug}/{file}", true},
	{"/api/v1/badge/bittensor/no-such-axis.json", "/api/v1/badge/{slug}/{file}", false},
	{"/api/v1/dataset.json", "/api/v1/dataset.json", true},
	{"/api/v1/dataset.csv", "/api/v1/dataset.csv", true},
	{"/api/v1/openapi.json", "/api/v1/openapi.json", true},
}

func TestOpenAPIDocumentMatchesHandlers(t *testing.T) {
	srv, _ := newServer(t)
	status, h, body := get(t, srv, "/api/v1/openapi.json")
	if status != 200 {
		t.Fatalf("openapi.json: status %d", status)
	}
	if ct, _, _ := mime.ParseMediaType(h.Get("Content-Type")); ct != "application/json" {
		t.Errorf("openapi.json: Content-Type %q", h.Get("Content-Type"))
	}
	if h.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("openapi.json: Access-Control-Allow-Origin %q", h.Get("Access-Control-Allow-Origin"))
	}
	model, v := apiDoc(t, []byte(body))

	covered := map[string]bool{}
	for _, c := range apiCases {
		pi, ok := model.Paths.PathItems.Get(c.spec)
		if !ok || pi.Get == nil {
			t.Errorf("%s: GET %s is not documented", c.path, c.spec)
			continue
		}
		covered[c.spec] = true
		req, err := http.NewRequest(http.MethodGet, srv.URL+c.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		res.Body = io.NopCloser(bytes.NewReader(b))
		ct := res.Header.Get("Content-Type")
		// The badge JSON handler is built separately; until it lands it
		// answers the placeholder 404 in plain text.
		if strings.HasPrefix(c.spec, "/api/v1/badge/") && res.StatusCode == 404 && strings.HasPrefix(ct, "text/plain") {
			t.Logf("%s: badge JSON not implemented yet; skipped", c.path)
			continue
		}
		if got := res.StatusCode >= 200 && res.StatusCode < 300; got != c.ok {
			t.Errorf("%s: status %d, want 2xx=%v; body %.200s", c.path, res.StatusCode, c.ok, b)
		}
		resp := pi.Get.Responses.Codes.GetOrZero(strconv.Itoa(res.StatusCode))
		if resp == nil {
			t.Errorf("%s: status %d is not documented", c.path, res.StatusCode)
			continue
		}
		if res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin %q", c.path, res.Header.Get("Access-Control-Allow-Origin"))
		}
		if resp.Content != nil && resp.Content.Len() > 0 {
			mt, _, _ := mime.ParseMediaType(ct)
			if _, ok := resp.Content.Get(mt); !ok {
				t.Errorf("%s: Content-Type %q is not documented for %d", c.path, ct, res.StatusCode)
			}
		}
		if c.ok {
			if ok, errs := v.ValidateHttpRequest(req); !ok {
				validationErrors(t, c.path+" (request)", errs)
			}
		}
		if ok, errs := v.ValidateHttpResponse(req, res); !ok {
			validationErrors(t, c.path+" (response)", errs)
		}
		if mt, _, _ := mime.ParseMediaType(ct); mt == "application/json" && !json.Valid(b) {
			t.Errorf("%s: invalid JSON", c.path)
		}
	}
	for path, pi := range model.Paths.PathItems.FromOldest() {
		if !covered[path] {
			t.Errorf("documented path %s has no test request", path)
		}
		if pi.GetOperations().Len() == 0 {
			t.Errorf("documented path %s has no operation", path)
		}
		for m := range pi.GetOperations().KeysFromOldest() {
			if m != "get" {
				t.Errorf("%s: documented method %s is not tested", path, m)
			}
		}
	}
}

// TestOpenAPICoversRoutes keeps the document from drifting: every GET
// route under /api/v1 in web/routes.go is documented, and nothing else.
func TestOpenAPICoversRoutes(t *testing.T) {
	src, err := os.ReadFile("../web/routes.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	model, _ := apiDoc(t, doc)
	var routes []string
	for _, m := range regexp.MustCompile(`r\.(?:Method\(http\.MethodGet,|Get\()\s*"(/api/[^"]*)"`).FindAllSubmatch(src, -1) {
		routes = append(routes, string(m[1]))
	}
	if len(routes) < 10 {
		t.Fatalf("found only %d API routes in routes.go: %q", len(routes), routes)
	}
	for _, r := range routes {
		if pi, ok := model.Paths.PathItems.Get(r); !ok || pi.Get == nil {
			t.Errorf("route GET %s is not in openapi.json", r)
		}
	}
	for path := range model.Paths.PathItems.KeysFromOldest() {
		if !slices.Contains(routes, path) {
			t.Errorf("openapi.json documents %s, which routes.go does not serve", path)
		}
	}
}
