package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The smoke test: the real binary, built with go build, run as an operator would (a fresh
// AWARDS_DATA_DIR, the admin from the environment, the embedded store), walked over real HTTP
// through the main flow. Every answer is checked against the OpenAPI document that binary
// serves at /api/v1/openapi.json. .ci/run runs it as its smoke step.

const (
	smokeAdmin    = "admin@smoke.example"
	smokePassword = "smoke-password-1"
)

func TestSmoke(t *testing.T) {
	// The built binary serves the contract end to end: health, metrics, logins, the
	// programme, an entry from registration to its reveal, the 401/403/404/405 refusals, and
	// a clean stop on SIGTERM; each answer as its served OpenAPI document says.
	if testing.Short() {
		t.Skip("-short: the smoke test builds and runs the binary")
	}
	s := startBinary(t)

	s.check("the process is up", 200, "GET", "/healthz", "", nil)
	s.check("the store answers", 200, "GET", "/readyz", "", nil)
	if out := s.check("metrics", 200, "GET", "/metrics", "", nil); !bytes.Contains(out, []byte("awards_http_requests_total")) {
		t.Errorf("/metrics lacks awards_http_requests_total")
	}

	var tk struct {
		Token string `json:"token"`
	}
	s.decode(s.check("admin logs in", 200, "POST", "/api/v1/auth/login", "", map[string]string{"email": smokeAdmin, "password": smokePassword}), &tk)
	admin := tk.Token

	now := time.Now().UTC().Truncate(time.Second)
	s.check("admin sets the programme", 200, "PUT", "/api/v1/programme", admin, map[string]any{
		"name": "Smoke Awards", "timezone": "Europe/Paris",
		"submissions_close": now.Add(24 * time.Hour), "judging_close": now.Add(48 * time.Hour), "ceremony_at": now.Add(72 * time.Hour),
		"categories": []map[string]any{{
			"id": "cyber", "name": "Cyber security", "description": "Protecting systems.",
			"criteria": []map[string]any{{"id": "innovation", "name": "Innovation", "weight": 1, "min": 0, "max": 10}},
		}},
	})
	s.check("the public reads the programme", 200, "GET", "/api/v1/programme", "", nil)

	s.check("an exhibitor registers", 201, "POST", "/api/v1/auth/register", "", map[string]any{
		"email": "ex@smoke.example", "password": "correct-horse-9", "company": "Smoke Ltd", "country": "FR", "startup": true,
	})
	s.decode(s.check("the exhibitor logs in", 200, "POST", "/api/v1/auth/login", "", map[string]string{"email": "ex@smoke.example", "password": "correct-horse-9"}), &tk)
	ex := tk.Token
	var entry struct {
		ID string `json:"id"`
	}
	s.decode(s.check("the exhibitor creates an entry", 201, "POST", "/api/v1/entries", ex, map[string]any{
		"category_id": "cyber", "title": "Aegis", "summary": "S", "description": "D", "links": []string{"https://smoke.example/aegis"},
	}), &entry)
	s.check("the exhibitor submits it", 200, "POST", "/api/v1/entries/"+entry.ID+"/submit", ex, nil)

	s.check("no token is a 401", 401, "POST", "/api/v1/entries", "", map[string]any{"category_id": "cyber", "title": "T"})
	s.check("an exhibitor cannot create judges", 403, "POST", "/api/v1/judges", ex, map[string]any{
		"name": "J", "email": "j@smoke.example", "affiliations": []string{}, "categories": []string{"cyber"},
	})

	var judge struct {
		ID          string `json:"id"`
		InviteToken string `json:"invite_token"`
	}
	s.decode(s.check("the admin invites a judge", 201, "POST", "/api/v1/judges", admin, map[string]any{
		"name": "Judge", "email": "judge@smoke.example", "affiliations": []string{"Other Co"}, "categories": []string{"cyber"},
	}), &judge)
	s.decode(s.check("the judge accepts", 200, "POST", "/api/v1/auth/invite", "", map[string]string{"invite_token": judge.InviteToken, "password": "judge-password-1"}), &tk)
	jt := tk.Token
	s.check("the admin assigns the judge", 201, "POST", "/api/v1/assignments", admin, map[string]string{"judge_id": judge.ID, "entry_id": entry.ID})
	s.check("the judge scores", 200, "PUT", "/api/v1/entries/"+entry.ID+"/scores/me", jt, map[string]any{"scores": map[string]float64{"innovation": 8}})

	var res struct {
		Categories []struct {
			Revealed bool              `json:"revealed"`
			Ranking  []json.RawMessage `json:"ranking"`
		} `json:"categories"`
	}
	s.decode(s.check("public results before the reveal", 200, "GET", "/api/v1/results", "", nil), &res)
	if len(res.Categories) != 1 || res.Categories[0].Revealed || res.Categories[0].Ranking != nil {
		t.Errorf("sealed results: %+v, want one unrevealed category without a ranking", res)
	}
	s.check("the admin reveals", 200, "POST", "/api/v1/ceremony/reveal", admin, map[string]string{"category_id": "cyber"})
	s.decode(s.check("public results after the reveal", 200, "GET", "/api/v1/results", "", nil), &res)
	if len(res.Categories) != 1 || !res.Categories[0].Revealed || len(res.Categories[0].Ranking) != 1 {
		t.Errorf("revealed results: %+v, want the category with its one entry", res)
	}
	s.check("the admin exports results.csv", 200, "GET", "/api/v1/results.csv", admin, nil)
	var audit struct {
		OK bool `json:"ok"`
	}
	s.decode(s.check("the audit trail verifies", 200, "GET", "/api/v1/audit/verify", admin, nil), &audit)
	if !audit.OK {
		t.Errorf("audit/verify: ok false")
	}
	s.check("an unknown route is a 404", 404, "GET", "/api/v1/nowhere", "", nil)
	s.check("a wrong method is a 405", 405, "DELETE", "/api/v1/programme", admin, nil)

	s.stop()
}

// smoke is a running binary, the OpenAPI document it serves, and a router over it.
type smoke struct {
	t      *testing.T
	base   string
	cmd    *exec.Cmd
	done   chan error
	logs   *bytes.Buffer
	doc    *openapi3.T
	router routers.Router
}

// startBinary builds cmd/awards, starts it on a free loopback port with a fresh data folder
// and the admin from the environment, waits for /healthz and loads /api/v1/openapi.json.
func startBinary(t *testing.T) *smoke {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the smoke test builds the binary with go: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "awards")
	build := exec.Command(goTool, "build", "-buildvcs=false", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(environWithout("AWARDS_"), "AWARDS_ADDR="+addr, "AWARDS_DATA_DIR="+filepath.Join(dir, "data"),
		"AWARDS_ADMIN_EMAIL="+smokeAdmin, "AWARDS_ADMIN_PASSWORD="+smokePassword, "AWARDS_LOG_LEVEL=warn")
	s := &smoke{t: t, base: "http://" + addr, cmd: cmd, done: make(chan error, 1), logs: &bytes.Buffer{}}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("service log:\n%s", s.logs.String())
		}
	})

	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case err := <-s.done:
			t.Fatalf("the service exited before answering: %v\n%s", err, s.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service did not answer /healthz on %s within 30 s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}

	resp, err := http.Get(s.base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("GET /api/v1/openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("GET /api/v1/openapi.json: %v", err)
	}
	s.doc = doc
	if s.router, err = gorillamux.NewRouter(doc); err != nil {
		t.Fatal(err)
	}
	return s
}

// environWithout is the test's environment less the variables starting with prefix, so that
// the binary reads only what the test gives it.
func environWithout(prefix string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, prefix) {
			env = append(env, kv)
		}
	}
	return env
}

// check sends one request and fails the test unless the answer has status want and keeps the
// served document (and the request too, when the server accepted it). It returns the body.
func (s *smoke) check(step string, want int, method, path, token string, body any) []byte {
	s.t.Helper()
	var payload []byte
	if body != nil {
		payload, _ = json.Marshal(body)
	}
	req, err := http.NewRequest(method, s.base+path, bytes.NewReader(payload))
	if err != nil {
		s.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s: %s %s: %v", step, method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("%s: read the answer: %v", step, err)
	}
	if resp.StatusCode != want {
		s.t.Fatalf("%s: %s %s = %d %.300s, want %d", step, method, path, resp.StatusCode, out, want)
	}
	if err := s.keeps(req, payload, resp, out); err != nil {
		s.t.Errorf("%s: %s %s = %d breaks the served OpenAPI document: %v", step, method, path, resp.StatusCode, err)
		return out
	}
	s.t.Logf("ok   %s: %s %s = %d", step, method, path, resp.StatusCode)
	return out
}

// smokeOptions: a status the operation does not list fails; a bearer scheme needs the header.
var smokeOptions = &openapi3filter.Options{
	IncludeResponseStatus: true,
	SkipSettingDefaults:   true,
	AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
		if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
			return in.NewError(errors.New("no bearer token"))
		}
		return nil
	},
}

// keeps checks one exchange against the served document: the answer always, the request when
// it was accepted; a path or method the document lacks must be a 404 or 405 with the
// document's Error body.
func (s *smoke) keeps(req *http.Request, payload []byte, resp *http.Response, out []byte) error {
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			return err
		}
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			return fmt.Errorf("the error body is not JSON: %w", err)
		}
		return s.doc.Components.Schemas["Error"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020())
	}
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(payload))
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: smokeOptions}
	if resp.StatusCode < 300 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return err
		}
	}
	v := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Options: smokeOptions}
	v.SetBodyBytes(out)
	return openapi3filter.ValidateResponse(context.Background(), v)
}

// decode unmarshals an answer body.
func (s *smoke) decode(body []byte, v any) {
	s.t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		s.t.Fatalf("%.300s: %v", body, err)
	}
}

// stop sends SIGTERM and waits for the service to exit cleanly: it drains and flushes.
func (s *smoke) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Fatalf("the service exited with %v after SIGTERM", err)
		}
		s.t.Logf("ok   SIGTERM: the service stopped cleanly")
	case <-time.After(30 * time.Second):
		s.t.Fatalf("the service did not stop within 30 s of SIGTERM")
	}
}
