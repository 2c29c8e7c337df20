package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/awards-dev/awards/docs"
)

// The contract in tests: docs/openapi.yaml, loaded once, against which the harness checks
// every request it sends and every answer it gets (checkContract), so that a field renamed in
// code, a status the document does not list or a body of the wrong shape fails the test that
// met it.

// contract is the loaded document and a router over its paths.
type contract struct {
	doc    *openapi3.T
	router routers.Router
}

var loadContract = sync.OnceValues(func() (*contract, error) {
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("load docs/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("docs/openapi.yaml: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &contract{doc: doc, router: router}, nil
})

// theContract returns the loaded document, failing tb if it does not load.
func theContract(tb testing.TB) *contract {
	tb.Helper()
	c, err := loadContract()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// contractOptions: a status the route does not list fails; request bodies are checked as
// sent (no defaults written into them).
var contractOptions = &openapi3filter.Options{
	IncludeResponseStatus: true,
	SkipSettingDefaults:   true,
	AuthenticationFunc:    bearerPresent,
}

// bearerPresent is the security check of an accepted request: the bearer scheme it chose
// needs an Authorization header of the bearer form (the server checked the token itself).
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme, token, _ := strings.Cut(in.RequestValidationInput.Request.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return in.NewError(errors.New("no bearer token"))
	}
	return nil
}

// checkContract reports on tb (with Errorf: callers may run in goroutines) where one exchange
// breaks the document. The answer is always checked: its status must be one the route lists,
// with the headers and body the document gives it. The request is checked only when the server
// accepted it (2xx): tests send refused requests on purpose. A path or method the document
// does not have must be answered 404 or 405 with the error body.
func checkContract(tb testing.TB, req *http.Request, reqBody []byte, status int, header http.Header, body []byte) {
	tb.Helper()
	c := theContract(tb)
	what := req.Method + " " + req.URL.Path
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			tb.Errorf("contract: %s is not in docs/openapi.yaml (%v), yet answered %d", what, err, status)
			return
		}
		if err := errorShape(c, body); err != nil {
			tb.Errorf("contract: %s = %d: %v", what, status, err)
		}
		return
	}
	r := req.Clone(context.Background())
	r.Body = http.NoBody
	if len(reqBody) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: contractOptions}
	if status >= 200 && status < 300 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			tb.Errorf("contract: %s was accepted (%d) but docs/openapi.yaml refuses the request %.300q: %v", what, status, reqBody, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: contractOptions}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		tb.Errorf("contract: %s = %d %.300q does not match docs/openapi.yaml: %v", what, status, body, err)
	}
}

// errorShape checks body against the document's Error schema.
func errorShape(c *contract, body []byte) error {
	ref := c.doc.Components.Schemas["Error"]
	if ref == nil || ref.Value == nil {
		return errors.New("docs/openapi.yaml has no Error schema")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("the error body %.300q is not JSON: %w", body, err)
	}
	if err := ref.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		return fmt.Errorf("the error body %.300q is not the Error schema: %w", body, err)
	}
	return nil
}
