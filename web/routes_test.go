package web

import (
	"context"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

// role is who calls a route in TestRoutes_Authorization.
type role int

const (
	public role = iota
	admin
	judge
	exhibitor
	screen
	voter
	nRoles
)

func (r role) String() string {
	return [...]string{"public", "admin", "judge", "exhibitor", "screen", "voter"}[r]
}

// codes is the status each role gets, in the order public, admin, judge, exhibitor, screen.
// A voter's is derived: every /api/v1 route authenticates, and no voter user exists here.
type codes [5]int

// everyone is the same status for every role.
func everyone(status int) codes { return codes{status, status, status, status, status} }

// adminOnly is the row of a route that admits admins: 401 for the public, 403 for others.
func adminOnly(status int) codes {
	return codes{http.StatusUnauthorized, status, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden}
}

// routeFixture is what the route table's requests refer to, made once.
type routeFixture struct {
	ts    *testServer
	judge testUser // judges cyber-security; assigned to scored
	other testUser // a second cyber-security judge, for (un)assignments
	owner testUser // an exhibitor: owns scored and draft
	scr   testUser
	voter string // a token for role voter whose subject is no user

	scored string // a submitted entry assigned to judge, scored by judge
	draft  string // a draft of owner's
}

// freshSubmitted makes a new submitted cyber-security entry of owner's through the service.
func (f *routeFixture) freshSubmitted(tb testing.TB) string {
	tb.Helper()
	id := f.freshDraft(tb)
	if _, err := f.ts.svc.SubmitEntry(context.Background(), f.owner.actor(judging.RoleExhibitor), id); err != nil {
		tb.Fatalf("SubmitEntry: %v", err)
	}
	return id
}

// freshDraft makes a new draft of owner's through the service.
func (f *routeFixture) freshDraft(tb testing.TB) string {
	tb.Helper()
	e, err := f.ts.svc.CreateEntry(context.Background(), f.owner.actor(judging.RoleExhibitor), judging.EntryInput{
		CategoryID: catCyber, Title: "Fresh " + f.ts.uniq(),
	})
	if err != nil {
		tb.Fatalf("CreateEntry: %v", err)
	}
	return e.ID
}

// freshAssigned makes a new submitted entry assigned to judge.
func (f *routeFixture) freshAssigned(tb testing.TB) string {
	tb.Helper()
	id := f.freshSubmitted(tb)
	if err := f.ts.svc.Assign(context.Background(), f.ts.adminActor, judging.Assignment{JudgeID: f.judge.ID, EntryID: id}); err != nil {
		tb.Fatalf("Assign: %v", err)
	}
	return id
}

// routeProgramme is testProgramme with room for the many entries of one owner the table makes.
func routeProgramme() judging.Programme {
	p := testProgramme()
	p.MaxEntriesPerExhibitor = 1000
	return p
}

func newRouteFixture(t *testing.T) *routeFixture {
	t.Helper()
	ts := newTestServer(t)
	ts.setProgramme(t, routeProgramme())
	f := &routeFixture{ts: ts}
	f.judge = ts.judge(t, nil, catCyber, catCSR)
	f.other = ts.judge(t, nil, catCyber)
	f.owner = ts.exhibitor(t, "Acme Secure")
	f.scr = ts.screen(t)
	f.scored = ts.submitted(t, f.owner, catCyber, "Scored")
	ts.assign(t, f.judge, f.scored)
	ts.score(t, f.judge, f.scored, map[string]float64{"innovation": 7, "impact": 4})
	f.draft = ts.createEntry(t, f.owner, catCyber, "Draft")
	tok, _, err := ts.tokens.Issue(judging.Actor{ID: "v_" + rand.Text(), Role: judging.RoleVoter}, auth.TokenTTL)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	f.voter = tok
	return f
}

func (f *routeFixture) token(r role) string {
	switch r {
	case admin:
		return f.ts.admin
	case judge:
		return f.judge.Token
	case exhibitor:
		return f.owner.Token
	case screen:
		return f.scr.Token
	case voter:
		return f.voter
	}
	return ""
}

// routeCase is one route of the router with a valid request per call and the status each role
// gets for it.
type routeCase struct {
	rule    string // the contract rule the row checks
	method  string
	pattern string                  // as registered in routes()
	id      func(testing.TB) string // the id put in :id; nil: none
	body    func(testing.TB) any    // nil: no body
	want    codes                   // public, admin, judge, exhibitor, screen
}

// routeTable lists every route of the router with valid requests on f's data: bodies are fresh
// where the call changes something, so that the role decides the answer.
func routeTable(f *routeFixture) []routeCase {
	ts := f.ts
	scoreBody := map[string]any{"scores": map[string]float64{"innovation": 7, "impact": 4}, "comment": "fine work"}
	fixed := func(id string) func(testing.TB) string { return func(testing.TB) string { return id } }
	const (
		ok        = http.StatusOK
		created   = http.StatusCreated
		noContent = http.StatusNoContent
		unauth    = http.StatusUnauthorized
		forbid    = http.StatusForbidden
	)
	return []routeCase{
		{
			rule:   "GET /healthz → 200 {\"status\":\"ok\"} when the process is up",
			method: "GET", pattern: "/healthz", want: everyone(ok),
		},
		{
			rule:   "GET /readyz → 200 when the store answers",
			method: "GET", pattern: "/readyz", want: everyone(ok),
		},
		{
			rule:   "GET /metrics → Prometheus text format",
			method: "GET", pattern: "/metrics", want: everyone(ok),
		},
		{
			rule:   "GET /openapi.json (public) → the OpenAPI document of this API",
			method: "GET", pattern: "/api/v1/openapi.json", want: everyone(ok),
		},
		{
			rule:   "POST /auth/register (public) → 201 {id}",
			method: "POST", pattern: "/api/v1/auth/register",
			body: func(testing.TB) any {
				return map[string]any{"email": "new" + ts.uniq() + "@awards.test", "password": password, "company": "New Co", "country": "DE"}
			},
			want: everyone(created),
		},
		{
			rule:   "POST /auth/login {email, password} → 200 {token, role, expires_at}",
			method: "POST", pattern: "/api/v1/auth/login",
			body: func(testing.TB) any { return map[string]string{"email": f.owner.Email, "password": password} },
			want: everyone(ok),
		},
		{
			rule:   "POST /auth/invite {invite_token, password} → 200 {token, role, expires_at}",
			method: "POST", pattern: "/api/v1/auth/invite",
			body: func(tb testing.TB) any {
				_, invite, err := ts.svc.CreateJudge(context.Background(), ts.adminActor, judging.JudgeInput{
					Name: "Invited", Email: "invited" + ts.uniq() + "@awards.test", Categories: []string{catCSR},
				})
				if err != nil {
					tb.Fatalf("CreateJudge: %v", err)
				}
				return map[string]string{"invite_token": invite, "password": password}
			},
			want: everyone(ok),
		},
		{
			rule:   "GET /programme (public)",
			method: "GET", pattern: "/api/v1/programme", want: everyone(ok),
		},
		{
			rule:   "PUT /programme (admin) same shape → 200",
			method: "PUT", pattern: "/api/v1/programme",
			body: func(testing.TB) any { return routeProgramme() },
			want: adminOnly(ok),
		},
		{
			rule:   "POST /entries (exhibitor) → 201 {id, status: \"draft\", …}",
			method: "POST", pattern: "/api/v1/entries",
			body: func(testing.TB) any { return entryBody(catCyber, "New "+ts.uniq()) },
			want: codes{unauth, forbid, forbid, created, forbid},
		},
		{
			rule:   "GET /entries → admin: all; exhibitor: own; judge: assigned to them",
			method: "GET", pattern: "/api/v1/entries",
			want: codes{unauth, ok, ok, ok, forbid},
		},
		{
			rule:   "GET /entries/{id} (owner, admin, a judge assigned to it) → 200",
			method: "GET", pattern: "/api/v1/entries/:id", id: fixed(f.scored),
			want: codes{unauth, ok, ok, ok, forbid},
		},
		{
			rule:   "PUT /entries/{id} (owner while draft, admin) → 200",
			method: "PUT", pattern: "/api/v1/entries/:id", id: fixed(f.draft),
			body: func(testing.TB) any { return entryBody(catCyber, "Draft") },
			want: codes{unauth, ok, forbid, ok, forbid},
		},
		{
			rule:   "POST /entries/{id}/submit (owner) → 200 {status: \"submitted\"}",
			method: "POST", pattern: "/api/v1/entries/:id/submit", id: f.freshDraft,
			want: codes{unauth, forbid, forbid, ok, forbid},
		},
		{
			rule:   "POST /entries/{id}/recuse (judge) → 200",
			method: "POST", pattern: "/api/v1/entries/:id/recuse", id: f.freshAssigned,
			want: codes{unauth, forbid, ok, forbid, forbid},
		},
		{
			rule:   "PUT /entries/{id}/scores/me (judge) {scores, comment} → 200 {entry_id, judge_id, version, total}",
			method: "PUT", pattern: "/api/v1/entries/:id/scores/me", id: fixed(f.scored),
			body: func(testing.TB) any { return scoreBody },
			want: codes{unauth, forbid, ok, forbid, forbid},
		},
		{
			rule:   "GET /entries/{id}/scores (admin) → every judge's current score and its history",
			method: "GET", pattern: "/api/v1/entries/:id/scores", id: fixed(f.scored),
			want: adminOnly(ok),
		},
		{
			rule:   "POST /judges (admin) {name, email, affiliations, categories} → 201 {id, invite_token}",
			method: "POST", pattern: "/api/v1/judges",
			body: func(testing.TB) any {
				return map[string]any{"name": "Judge", "email": "j" + ts.uniq() + "@awards.test", "affiliations": []string{"Other Co"}, "categories": []string{catCyber}}
			},
			want: adminOnly(created),
		},
		{
			rule:   "GET /judges (admin): the judges, for assigning them",
			method: "GET", pattern: "/api/v1/judges", want: adminOnly(ok),
		},
		{
			rule:   "POST /judges/{id}/invite (admin) → 201 {invite_token}: a new invitation",
			method: "POST", pattern: "/api/v1/judges/:id/invite", id: fixed(f.other.ID),
			want: adminOnly(created),
		},
		{
			rule:   "POST /assignments/auto (admin) {judges_per_entry} → 200",
			method: "POST", pattern: "/api/v1/assignments/auto",
			body: func(testing.TB) any { return map[string]int{"judges_per_entry": 1} },
			want: adminOnly(ok),
		},
		{
			rule:   "POST /assignments (admin) {judge_id, entry_id} → 201",
			method: "POST", pattern: "/api/v1/assignments",
			body: func(tb testing.TB) any {
				return map[string]string{"judge_id": f.other.ID, "entry_id": f.freshSubmitted(tb)}
			},
			want: adminOnly(created),
		},
		{
			rule:   "DELETE /assignments (admin) same body → 204",
			method: "DELETE", pattern: "/api/v1/assignments",
			body: func(tb testing.TB) any {
				return map[string]string{"judge_id": f.judge.ID, "entry_id": f.freshAssigned(tb)}
			},
			want: adminOnly(noContent),
		},
		{
			rule:   "GET /judge/queue (judge) → [{entry, my_score|null}]",
			method: "GET", pattern: "/api/v1/judge/queue",
			want: codes{unauth, forbid, ok, forbid, forbid},
		},
		{
			rule:   "GET /results → 200: admin every category; every other role and the public only revealed ones",
			method: "GET", pattern: "/api/v1/results", want: everyone(ok),
		},
		{
			rule:   "GET /results.csv (admin) → text/csv",
			method: "GET", pattern: "/api/v1/results.csv", want: adminOnly(ok),
		},
		{
			rule:   "GET /ceremony (public) → {revealed, partial, ceremony_at}",
			method: "GET", pattern: "/api/v1/ceremony", want: everyone(ok),
		},
		{
			rule:   "POST /ceremony/reveal (admin) {category_id} → 200",
			method: "POST", pattern: "/api/v1/ceremony/reveal",
			body: func(testing.TB) any { return map[string]any{"category_id": catDrones} },
			want: adminOnly(ok),
		},
		{
			rule:   "GET /audit.csv (admin) → every score version",
			method: "GET", pattern: "/api/v1/audit.csv", want: adminOnly(ok),
		},
		{
			rule:   "GET /audit/verify (admin) → {ok, records, head}",
			method: "GET", pattern: "/api/v1/audit/verify", want: adminOnly(ok),
		},
		{
			rule:   "POST /screens (admin) {name} → 201 {id, token}",
			method: "POST", pattern: "/api/v1/screens",
			body: func(testing.TB) any { return map[string]string{"name": "Hall " + ts.uniq()} },
			want: adminOnly(created),
		},
		{
			rule:   "GET /screens (admin) → [{id, name, created_at}]",
			method: "GET", pattern: "/api/v1/screens", want: adminOnly(ok),
		},
		{
			rule:   "DELETE /screens/{id} (admin) → 204",
			method: "DELETE", pattern: "/api/v1/screens/:id",
			id: func(tb testing.TB) string {
				u, err := ts.svc.CreateScreen(context.Background(), ts.adminActor, "Spare "+ts.uniq())
				if err != nil {
					tb.Fatalf("CreateScreen: %v", err)
				}
				return u.ID
			},
			want: adminOnly(noContent),
		},
	}

}

// TestRoutes_Authorization walks every route of the router × every role and checks the
// status. Bodies are valid (and fresh where the call changes something), so that the role
// decides: a route a role may call answers its success status.
func TestRoutes_Authorization(t *testing.T) {
	f := newRouteFixture(t)
	ts := f.ts
	tests := routeTable(f)
	// The table must cover every route of the router, and only those.
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.method+" "+tt.pattern] = true
	}
	registered := map[string]bool{}
	for _, r := range ts.srv.engine.Routes() {
		k := r.Method + " " + r.Path
		registered[k] = true
		if !covered[k] {
			t.Errorf("route %s is not in the table", k)
		}
	}
	for k := range covered {
		if !registered[k] {
			t.Errorf("the table lists %s, which the router does not serve", k)
		}
	}

	for _, tt := range tests {
		t.Run(tt.method+" "+tt.pattern, func(t *testing.T) {
			for r := range nRoles {
				want := http.StatusUnauthorized // voter: a token whose subject is no user → 401
				switch {
				case r < voter:
					want = tt.want[r]
				case !strings.HasPrefix(tt.pattern, "/api/v1/"):
					want = tt.want[public] // no authentication outside the API
				}
				path := tt.pattern
				if tt.id != nil {
					path = strings.Replace(path, ":id", tt.id(t), 1)
				}
				var body any
				if tt.body != nil {
					body = tt.body(t)
				}
				status, out := ts.do(t, tt.method, path, f.token(r), body)
				if got := status; got != want {
					t.Errorf("%s: %s %s = %d %.200s, want %d (the contract: %s)", r, tt.method, path, got, out, want, tt.rule)
					continue
				}
				if status >= 400 {
					errorOf(t, out)
				}
			}
		})
	}

	t.Run("unknown route", func(t *testing.T) {
		// 404 not found: a path the API does not have, whoever asks.
		for r := range nRoles {
			status, out := ts.do(t, "GET", "/api/v1/nowhere", f.token(r), nil)
			if got, want := status, http.StatusNotFound; got != want {
				t.Errorf("%s: GET /api/v1/nowhere = %d %s, want %d", r, got, out, want)
			}
			errorOf(t, out)
		}
	})
	t.Run("method not allowed", func(t *testing.T) {
		// Errors: status code plus {"error": {"code", "message"}} — also for a method a route does not take.
		status, out := ts.do(t, "DELETE", "/api/v1/programme", ts.admin, nil)
		if got, want := status, http.StatusMethodNotAllowed; got != want {
			t.Errorf("DELETE /api/v1/programme = %d %s, want %d", got, out, want)
		}
		errorOf(t, out)
	})
}
