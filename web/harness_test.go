package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

// t0 is when every test starts: the morning of the show.
var t0 = time.Date(2023, 11, 14, 9, 0, 0, 0, time.FixedZone("CET", 3600))

// The deadlines of testProgramme, close together so that a test can cross them without
// outliving the tokens it holds (auth.TokenTTL is 12 hours).
var (
	submissionsClose = t0.Add(1 * time.Hour)
	judgingClose     = t0.Add(2 * time.Hour)
	ceremonyAt       = t0.Add(3 * time.Hour)
)

// Category and criterion ids of testProgramme.
const (
	catCyber  = "cyber-security"
	catCSR    = "csr"
	catDrones = "drones-robotics"
)

const (
	adminEmail = "admin@awards.test"
	password   = "correct horse battery"
)

// testSecret signs the harness's tokens.
var testSecret = []byte("0123456789abcdef0123456789abcdef")

// testProgramme has three categories: cyber-security (two criteria of unequal weight and
// range), csr (one criterion) and drones-robotics (trimmed mean).
func testProgramme() judging.Programme {
	return judging.Programme{
		Name:             "Test Innovation Awards 2023",
		Timezone:         "Europe/Paris",
		SubmissionsClose: submissionsClose,
		JudgingClose:     judgingClose,
		CeremonyAt:       ceremonyAt,
		Categories: []judging.Category{
			{ID: catCyber, Name: "Cyber security", Description: "Protecting systems.", Tally: judging.TallyMean,
				Criteria: []judging.Criterion{
					{ID: "innovation", Name: "Innovation", Weight: 2, Min: 0, Max: 10},
					{ID: "impact", Name: "Impact", Weight: 1, Min: 1, Max: 5},
				}},
			{ID: catCSR, Name: "Corporate social responsibility", Tally: judging.TallyMean,
				Criteria: []judging.Criterion{{ID: "merit", Name: "Merit", Weight: 1, Min: 0, Max: 20}}},
			{ID: catDrones, Name: "Drone / counter-drone systems and robotics", Tally: judging.TallyTrimmedMean,
				Criteria: []judging.Criterion{{ID: "merit", Name: "Merit", Weight: 3, Min: 1, Max: 9}}},
		},
	}
}

// testServer is the real service behind httptest: a throwaway Redis, the redisstore, the
// judging Service on a fixed clock, real tokens on the same clock, and the Gin router.
type testServer struct {
	URL    string
	srv    *Server
	svc    *judging.Service
	store  *redisstore.Store // for fixtures the API refuses to write (records stored by older versions)
	tokens *auth.Tokens
	clock  *judging.FixedClock
	client *http.Client
	logs   *judgingtest.Logs
	rdb    *redis.Client // the store's Redis, for tests that look at what is kept

	killStore func() // stops the Redis server for good

	admin      string        // the admin's token
	adminActor judging.Actor // for fixtures made through the service directly

	seq atomic.Int64 // for unique emails and names
}

// newTestServer builds the whole service with an admin logged in and testProgramme set. It
// fails tb in Cleanup if the server logged an error (a 500 or a store failure).
func newTestServer(tb testing.TB, opts ...serverOption) *testServer {
	tb.Helper()
	ts := newBareServer(tb, opts...)
	ctx := context.Background()
	if _, err := ts.svc.EnsureAdmin(ctx, adminEmail, password); err != nil {
		tb.Fatalf("EnsureAdmin: %v", err)
	}
	ts.admin, ts.adminActor.ID = ts.login(tb, adminEmail, password)
	ts.adminActor.Role = judging.RoleAdmin
	ts.setProgramme(tb, testProgramme())
	return ts
}

// serverOption changes what newBareServer builds.
type serverOption func(*serverSetup)

type serverSetup struct {
	deps           judging.Deps
	trustedProxies []string
}

// withTrustedProxies makes the router believe X-Forwarded-For from these CIDRs: with
// 127.0.0.1 a test speaks for many client IPs.
func withTrustedProxies(cidrs ...string) serverOption {
	return func(s *serverSetup) { s.trustedProxies = cidrs }
}

// withService changes what the judging Service is built from (a test's Hasher, say).
func withService(f func(*judging.Deps)) serverOption {
	return func(s *serverSetup) { f(&s.deps) }
}

// newBareServer builds the service with no user and no programme.
func newBareServer(tb testing.TB, opts ...serverOption) *testServer {
	tb.Helper()
	addr, kill := redistest.Server(tb)
	// One dial attempt and no retries: a test that stops the store gets its 503s at once.
	client := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialerRetries: 1})
	tb.Cleanup(func() { client.Close() })
	clock := &judging.FixedClock{T: t0}
	logs := &judgingtest.Logs{Level: slog.LevelError}
	logger := slog.New(logs)
	store := redisstore.New(client, redisstore.WithLogger(logger))
	setup := serverSetup{deps: judging.Deps{
		Ports: store.Ports(), Publisher: store, Clock: clock, Logger: logger,
		Hasher: auth.Argon2id{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32, SaltLen: 16},
	}}
	for _, o := range opts {
		o(&setup)
	}
	svc, err := judging.NewService(setup.deps)
	if err != nil {
		tb.Fatalf("NewService: %v", err)
	}
	// The tokens run on the service's clock: moving clock.T past a deadline also ages the
	// tokens, so tests move it by less than auth.TokenTTL unless they mean to expire them.
	tokens, err := auth.NewTokens(testSecret, auth.WithClock(func() time.Time { return clock.T }))
	if err != nil {
		tb.Fatalf("NewTokens: %v", err)
	}
	srv, err := New(Deps{Service: svc, Tokens: tokens, Logger: logger, Idempotency: store, TrustedProxies: setup.trustedProxies})
	if err != nil {
		tb.Fatalf("web.New: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	tb.Cleanup(hs.Close)
	tb.Cleanup(func() {
		if msgs := internalErrors(logs.Take()); len(msgs) > 0 {
			tb.Errorf("the server answered %d internal error(s), the first: %s", len(msgs), msgs[0])
		}
	})
	return &testServer{URL: hs.URL, srv: srv, svc: svc, store: store, tokens: tokens, clock: clock, client: hs.Client(), logs: logs, rdb: client, killStore: kill}
}

// internalErrors returns the records of 500s and panics among logs: writeError logs every 500
// at level Error (as "internal error", and the recovery as "panic"), so a test that saw none
// has seen no 500 either.
func internalErrors(logs []string) []string {
	var out []string
	for _, m := range logs {
		if strings.HasPrefix(m, "internal error") || strings.HasPrefix(m, "panic") {
			out = append(out, m)
		}
	}
	return out
}

// do sends one request to path (under the server's root; API paths start with /api/v1)
// with token as bearer (none if ""). body is sent as it is when it is []byte or string,
// marshalled to JSON otherwise, and not at all when nil. The exchange is checked against
// docs/openapi.yaml (see roundTrip).
func (ts *testServer) do(tb testing.TB, method, path, token string, body any) (int, []byte) {
	tb.Helper()
	var payload []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		payload = b
	case string:
		payload = []byte(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			tb.Fatalf("%s %s: marshal body: %v", method, path, err)
		}
		payload = j
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(payload)
	}
	req, err := http.NewRequest(method, ts.URL+path, r)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	status, _, out := ts.roundTrip(tb, req, payload)
	return status, out
}

// roundTrip sends req, whose body is payload, and returns the answer's status, headers and
// body. Every exchange is checked against docs/openapi.yaml (checkContract): the answer always,
// the request when the server accepted it.
func (ts *testServer) roundTrip(tb testing.TB, req *http.Request, payload []byte) (int, http.Header, []byte) {
	tb.Helper()
	resp, err := ts.client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	checkContract(tb, req, payload, resp.StatusCode, resp.Header, out)
	return resp.StatusCode, resp.Header, out
}

// must sends the request and fails tb unless the answer has status want; it returns the body.
func (ts *testServer) must(tb testing.TB, want int, method, path, token string, body any) []byte {
	tb.Helper()
	status, out := ts.do(tb, method, path, token, body)
	if status != want {
		tb.Fatalf("%s %s = %d %s, want %d", method, path, status, out, want)
	}
	return out
}

// decodeInto unmarshals a response body, failing tb if it is not JSON of v's shape.
func decodeInto(tb testing.TB, body []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		tb.Fatalf("body %.300q: %v", body, err)
	}
}

// apiError is the shape of every error answer: {"error":{"code","message"}}.
type apiError struct {
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// errorOf checks body has exactly the error shape with a code and a message, and returns them.
func errorOf(tb testing.TB, body []byte) (code, message string) {
	tb.Helper()
	code, message, err := parseError(body)
	if err != nil {
		tb.Fatalf("error body %.300q: %v", body, err)
	}
	return code, message
}

// parseError is errorOf without tb, for the fuzz targets' reports.
func parseError(body []byte) (code, message string, err error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var e apiError
	if err := dec.Decode(&e); err != nil {
		return "", "", fmt.Errorf("not the error shape: %w", err)
	}
	if e.Error == nil || e.Error.Code == "" || e.Error.Message == "" {
		return "", "", fmt.Errorf(`want {"error":{"code","message"}} with both set`)
	}
	return e.Error.Code, e.Error.Message, nil
}

// uniq returns a fresh suffix for emails and names.
func (ts *testServer) uniq() string { return fmt.Sprint(ts.seq.Add(1)) }

type apiToken struct {
	Token     string       `json:"token"`
	Role      judging.Role `json:"role"`
	ExpiresAt time.Time    `json:"expires_at"`
	UserID    string       `json:"user_id"`
}

// login logs in through POST /auth/login and returns the token and the user id.
func (ts *testServer) login(tb testing.TB, email, pw string) (token, id string) {
	tb.Helper()
	var tk apiToken
	decodeInto(tb, ts.must(tb, http.StatusOK, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": pw}), &tk)
	return tk.Token, tk.UserID
}

// setProgramme puts p through PUT /programme as the admin.
func (ts *testServer) setProgramme(tb testing.TB, p judging.Programme) {
	tb.Helper()
	ts.must(tb, http.StatusOK, "PUT", "/api/v1/programme", ts.admin, p)
}

// testUser is an account a test acts as.
type testUser struct {
	ID, Email, Token, Company string
}

func (u testUser) actor(r judging.Role) judging.Actor { return judging.Actor{ID: u.ID, Role: r} }

// exhibitor registers an exhibitor of company and logs in through POST /auth/login.
func (ts *testServer) exhibitor(tb testing.TB, company string) testUser {
	tb.Helper()
	u := testUser{Email: "exhibitor" + ts.uniq() + "@awards.test", Company: company}
	// Registered in-process (no client IP): the limit of registrations per IP would stop a
	// test that needs more than a few exhibitors. Register's HTTP route has tests of its own.
	reg, err := ts.svc.Register(context.Background(), judging.Registration{
		Email: u.Email, Password: password, Company: company, Country: "FR", Startup: true,
	}, "")
	if err != nil {
		tb.Fatalf("Register: %v", err)
	}
	u.Token, u.ID = ts.login(tb, u.Email, password)
	if u.ID != reg.ID {
		tb.Fatalf("login user_id %q, register id %q", u.ID, reg.ID)
	}
	return u
}

// judge invites a judge through POST /judges and accepts through POST /auth/invite.
func (ts *testServer) judge(tb testing.TB, affiliations []string, categories ...string) testUser {
	tb.Helper()
	u := testUser{Email: "judge" + ts.uniq() + "@awards.test"}
	var inv struct {
		ID          string `json:"id"`
		InviteToken string `json:"invite_token"`
	}
	decodeInto(tb, ts.must(tb, http.StatusCreated, "POST", "/api/v1/judges", ts.admin, map[string]any{
		"name": "Judge " + u.Email, "email": u.Email, "affiliations": affiliations, "categories": categories,
	}), &inv)
	var tk apiToken
	decodeInto(tb, ts.must(tb, http.StatusOK, "POST", "/api/v1/auth/invite", "", map[string]string{
		"invite_token": inv.InviteToken, "password": password,
	}), &tk)
	u.ID, u.Token = inv.ID, tk.Token
	if tk.Role != judging.RoleJudge || tk.UserID != inv.ID {
		tb.Fatalf("invite answered role %q user %q, want judge %q", tk.Role, tk.UserID, inv.ID)
	}
	return u
}

// screen creates a ceremony display through POST /screens and returns its token.
func (ts *testServer) screen(tb testing.TB) testUser {
	tb.Helper()
	var tk apiToken
	decodeInto(tb, ts.must(tb, http.StatusCreated, "POST", "/api/v1/screens", ts.admin, map[string]string{"name": "Hall " + ts.uniq()}), &tk)
	return testUser{ID: tk.UserID, Token: tk.Token}
}

// entryBody is a valid POST /entries body.
func entryBody(category, title string) map[string]any {
	return map[string]any{
		"category_id": category, "title": title, "summary": "In one line.",
		"description": "At length.", "links": []string{"https://example.com/" + strings.ReplaceAll(title, " ", "-")},
	}
}

// apiEntry is an entry as the API shows it.
type apiEntry struct {
	ID          string     `json:"id"`
	CategoryID  string     `json:"category_id"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	Description string     `json:"description"`
	Links       []string   `json:"links"`
	Status      string     `json:"status"`
	OwnerID     string     `json:"owner_id"`
	Company     string     `json:"company"`
	Country     string     `json:"country"`
	Startup     bool       `json:"startup"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	SubmittedAt *time.Time `json:"submitted_at"`
}

// createEntry creates a draft through POST /entries and returns its id.
func (ts *testServer) createEntry(tb testing.TB, owner testUser, category, title string) string {
	tb.Helper()
	var e apiEntry
	decodeInto(tb, ts.must(tb, http.StatusCreated, "POST", "/api/v1/entries", owner.Token, entryBody(category, title)), &e)
	return e.ID
}

// submit submits an entry through POST /entries/{id}/submit.
func (ts *testServer) submit(tb testing.TB, owner testUser, id string) {
	tb.Helper()
	ts.must(tb, http.StatusOK, "POST", "/api/v1/entries/"+id+"/submit", owner.Token, nil)
}

// submitted creates and submits an entry.
func (ts *testServer) submitted(tb testing.TB, owner testUser, category, title string) string {
	tb.Helper()
	id := ts.createEntry(tb, owner, category, title)
	ts.submit(tb, owner, id)
	return id
}

// assign assigns a judge to an entry through POST /assignments.
func (ts *testServer) assign(tb testing.TB, j testUser, entryID string) {
	tb.Helper()
	ts.must(tb, http.StatusCreated, "POST", "/api/v1/assignments", ts.admin, map[string]string{"judge_id": j.ID, "entry_id": entryID})
}

// apiScore is the answer of PUT /entries/{id}/scores/me.
type apiScore struct {
	EntryID string             `json:"entry_id"`
	JudgeID string             `json:"judge_id"`
	Version int                `json:"version"`
	Total   float64            `json:"total"`
	Scores  map[string]float64 `json:"scores"`
}

// score gives a judge's marks through PUT /entries/{id}/scores/me.
func (ts *testServer) score(tb testing.TB, j testUser, entryID string, marks map[string]float64) apiScore {
	tb.Helper()
	var sc apiScore
	decodeInto(tb, ts.must(tb, http.StatusOK, "PUT", "/api/v1/entries/"+entryID+"/scores/me", j.Token,
		map[string]any{"scores": marks, "comment": "fine work"}), &sc)
	return sc
}

// apiRow and apiResults are GET /results.
type apiRow struct {
	Rank    int      `json:"rank"`
	EntryID string   `json:"entry_id"`
	Title   string   `json:"title"`
	Company string   `json:"company"`
	Score   *float64 `json:"score"`
	Judges  int      `json:"judges"`
	Tie     bool     `json:"tie"`
}

type apiCategory struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Revealed    bool     `json:"revealed"`
	PlacesShown int      `json:"places_shown"`
	Ranking     []apiRow `json:"ranking"`
	Normalised  *struct {
		Ranking       []apiRow `json:"ranking"`
		WinnerChanges bool     `json:"winner_changes"`
	} `json:"normalised"`
}

type apiResults struct {
	Categories []apiCategory `json:"categories"`
}

func (r apiResults) category(tb testing.TB, id string) apiCategory {
	tb.Helper()
	for _, c := range r.Categories {
		if c.ID == id {
			return c
		}
	}
	tb.Fatalf("results have no category %q", id)
	return apiCategory{}
}

// results reads GET /results as token.
func (ts *testServer) results(tb testing.TB, token string) apiResults {
	tb.Helper()
	var r apiResults
	decodeInto(tb, ts.must(tb, http.StatusOK, "GET", "/api/v1/results", token, nil), &r)
	return r
}
