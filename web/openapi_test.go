package web

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/awards-dev/awards/docs"
)

// ginParam matches a Gin path parameter (":id"), written {id} in OpenAPI.
var ginParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

func TestOpenAPI_Routes(t *testing.T) {
	// Every route of the router is in docs/openapi.yaml, and every path and method of the
	// document is a route of the router: the document describes exactly what is served.
	ts := newBareServer(t)
	doc := theContract(t).doc
	served := map[string]bool{}
	for _, r := range ts.srv.engine.Routes() {
		path := ginParam.ReplaceAllString(r.Path, "{$1}")
		served[r.Method+" "+path] = true
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("the router serves %s %s, which docs/openapi.yaml does not describe", r.Method, path)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !served[method+" "+path] {
				t.Errorf("docs/openapi.yaml describes %s %s, which the router does not serve", method, path)
			}
		}
	}
}

func TestOpenAPI_Roles(t *testing.T) {
	// Each operation's x-roles lists exactly the roles the route table admits (a success
	// status) on that route: the document says who may call what, as the router enforces it.
	doc := theContract(t).doc
	for _, c := range routeTable(&routeFixture{}) {
		path := ginParam.ReplaceAllString(c.pattern, "{$1}")
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(c.method) == nil {
			t.Errorf("%s %s: not in docs/openapi.yaml", c.method, path)
			continue
		}
		raw, _ := item.GetOperation(c.method).Extensions["x-roles"].([]any)
		var documented []string
		for _, r := range raw {
			s, _ := r.(string)
			documented = append(documented, s)
		}
		for r := public; r < voter; r++ {
			admitted := c.want[r] >= 200 && c.want[r] < 300
			if got := slices.Contains(documented, r.String()); got != admitted {
				t.Errorf("%s %s: x-roles %v lists %s: %v, but the route table admits it: %v", c.method, path, documented, r, got, admitted)
			}
		}
		// A voter is admitted wherever the public is (no route is for voters alone yet).
		if got, want := slices.Contains(documented, voter.String()), slices.Contains(documented, public.String()); got != want {
			t.Errorf("%s %s: x-roles %v lists voter: %v, the public: %v", c.method, path, documented, got, want)
		}
	}
}

func TestServer_OpenAPI(t *testing.T) {
	ts := newBareServer(t)

	t.Run("OK the document, as JSON", func(t *testing.T) {
		// GET /api/v1/openapi.json (public) → docs/openapi.yaml as JSON: a valid OpenAPI 3.1
		// document, the same one the tests check every exchange against.
		req, _ := http.NewRequest("GET", ts.URL+"/api/v1/openapi.json", nil)
		status, h, out := ts.roundTrip(t, req, nil)
		if status != http.StatusOK {
			t.Fatalf("GET /api/v1/openapi.json = %d %.200s", status, out)
		}
		want, err := docs.OpenAPIJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, want) {
			t.Fatalf("served %d bytes, not docs/openapi.yaml as JSON (%d bytes)", len(out), len(want))
		}
		doc, err := openapi3.NewLoader().LoadFromData(out)
		if err != nil {
			t.Fatalf("load the served document: %v", err)
		}
		if err := doc.Validate(context.Background()); err != nil {
			t.Fatalf("the served document: %v", err)
		}
		if got, want := doc.OpenAPI, "3.1.0"; got != want {
			t.Errorf("openapi %q, want %q", got, want)
		}
		if cc := h.Get("Cache-Control"); !strings.Contains(cc, "public") {
			t.Errorf("Cache-Control %q: the document is public and cacheable", cc)
		}
	})

	t.Run("OK not modified", func(t *testing.T) {
		// A client that holds the document revalidates it: If-None-Match with its ETag → 304.
		req, _ := http.NewRequest("GET", ts.URL+"/api/v1/openapi.json", nil)
		_, h, _ := ts.roundTrip(t, req, nil)
		etag := h.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			req, _ := http.NewRequest("GET", ts.URL+"/api/v1/openapi.json", nil)
			req.Header.Set("If-None-Match", inm)
			if status, _, out := ts.roundTrip(t, req, nil); status != http.StatusNotModified || len(out) != 0 {
				t.Errorf("If-None-Match %s = %d with %d bytes, want 304 and no body", inm, status, len(out))
			}
		}
		req, _ = http.NewRequest("GET", ts.URL+"/api/v1/openapi.json", nil)
		req.Header.Set("If-None-Match", `"stale"`)
		if status, _, _ := ts.roundTrip(t, req, nil); status != http.StatusOK {
			t.Errorf("If-None-Match of another version = %d, want 200", status)
		}
	})
}
