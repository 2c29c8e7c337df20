package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/judging"
)

// fakeUsers is the users the store knows: id → current role. "u-broken" stands for a store
// that does not answer.
type fakeUsers map[string]judging.Role

var errStoreDown = errors.New("store down")

func (f fakeUsers) CheckActor(_ context.Context, a judging.Actor) error {
	if a.ID == "u-broken" {
		return errStoreDown
	}
	if r, ok := f[a.ID]; !ok || r != a.Role {
		return judging.ErrUnauthorized
	}
	return nil
}

// testFail stands in for web's error writer: the Kind → status table, cut down.
func testFail(c *gin.Context, err error) {
	status, code := http.StatusInternalServerError, "internal"
	var e *judging.Error
	if errors.As(err, &e) {
		code = e.Code
		switch e.Kind {
		case judging.KindUnauthorized:
			status = http.StatusUnauthorized
		case judging.KindForbidden:
			status = http.StatusForbidden
		}
	}
	c.AbortWithStatusJSON(status, gin.H{"error": gin.H{"code": code, "message": err.Error()}})
}

// testRouter is a gin engine with Authenticate on every route: /open (public, echoes the
// actor), /admin (admin only) and /staff (admin or judge).
func testRouter(tb testing.TB) (*gin.Engine, *Tokens) {
	tb.Helper()
	gin.SetMode(gin.TestMode)
	tk := newTestTokens(tb)
	users := fakeUsers{
		"u-admin":   judging.RoleAdmin,
		"u-judge":   judging.RoleJudge,
		"u-demoted": judging.RoleJudge, // was an admin
	}
	m := NewMiddleware(tk, users, testFail)
	r := gin.New()
	r.Use(m.Authenticate())
	echo := func(c *gin.Context) {
		a := ActorFrom(c)
		c.JSON(http.StatusOK, gin.H{"id": a.ID, "role": a.Role})
	}
	r.GET("/open", echo)
	r.GET("/admin", m.Require(judging.RoleAdmin), echo)
	r.GET("/staff", m.Require(judging.RoleAdmin, judging.RoleJudge), echo)
	return r, tk
}

// token issues a TokenTTL token for id with role.
func token(tb testing.TB, tk *Tokens, id string, role judging.Role) string {
	tb.Helper()
	s, _, err := tk.Issue(judging.Actor{ID: id, Role: role}, TokenTTL)
	if err != nil {
		tb.Fatalf("Issue: %v", err)
	}
	return s
}

// response is what testFail or echo wrote.
type response struct {
	Status int
	ID     string
	Role   judging.Role
	Code   string
}

// do sends GET path with the headers and decodes the answer.
func do(tb testing.TB, r http.Handler, path string, header map[string]string) response {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	var body struct {
		ID    string       `json:"id"`
		Role  judging.Role `json:"role"`
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		tb.Fatalf("GET %s: body %q: %v", path, w.Body.String(), err)
	}
	return response{Status: w.Code, ID: body.ID, Role: body.Role, Code: body.Error.Code}
}

// bearerOf is the Authorization header for tok.
func bearerOf(tok string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + tok}
}

// websocket is the headers of a websocket handshake, plus extra.
func websocket(extra map[string]string) map[string]string {
	h := map[string]string{"Connection": "Upgrade", "Upgrade": "websocket"}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

func TestMiddleware_Authenticate(t *testing.T) {
	r, tk := testRouter(t)
	admin := token(t, tk, "u-admin", judging.RoleAdmin)
	judge := token(t, tk, "u-judge", judging.RoleJudge)

	tests := []struct {
		name   string
		path   string
		header map[string]string
		want   response
	}{
		{
			// Auth: Authorization: Bearer <JWT> — the actor reaches the handler.
			name: "OK bearer", path: "/open", header: bearerOf(judge),
			want: response{Status: 200, ID: "u-judge", Role: judging.RoleJudge},
		},
		{
			// Auth: Authorization: Bearer <JWT> (the scheme is case-insensitive, RFC 9110).
			name: "OK bearer in lower case", path: "/open", header: map[string]string{"Authorization": "bearer " + judge},
			want: response{Status: 200, ID: "u-judge", Role: judging.RoleJudge},
		},
		{
			// (public) routes: no token is the public, and the request goes on.
			name: "no token is the public", path: "/open",
			want: response{Status: 200},
		},
		{
			// 401 no/invalid/expired token — even on a public route, a bad token is not ignored.
			name: "invalid token", path: "/open", header: bearerOf("not-a-token"),
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// 401 no/invalid/expired token (Authorization: "Bearer" with nothing).
			name: "Bearer with nothing", path: "/open", header: map[string]string{"Authorization": "Bearer"},
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// 401 no/invalid/expired token (Authorization: "Bearer " and spaces).
			name: "Bearer and spaces", path: "/open", header: map[string]string{"Authorization": "Bearer   "},
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// 401 no/invalid/expired token (another scheme).
			name: "Basic scheme", path: "/open", header: map[string]string{"Authorization": "Basic dTpw"},
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// 401 no/invalid/expired token (a bare token without the scheme).
			name: "token without scheme", path: "/open", header: map[string]string{"Authorization": judge},
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// 401 no/invalid/expired token (two tokens).
			name: "two tokens", path: "/open", header: map[string]string{"Authorization": "Bearer " + judge + " " + admin},
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// A sub that is not a user → 401 (the user was deleted).
			name: "deleted user", path: "/open", header: bearerOf(token(t, tk, "u-gone", judging.RoleJudge)),
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// A role that is not that user's → 401 (an admin since demoted to judge).
			name: "changed role", path: "/staff", header: bearerOf(token(t, tk, "u-demoted", judging.RoleAdmin)),
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// Anything else is a 500 internal: an error of CheckActor that is not a *judging.Error
			// reaches fail as it is.
			name: "store error passed on", path: "/open", header: bearerOf(token(t, tk, "u-broken", judging.RoleJudge)),
			want: response{Status: 500, Code: "internal"},
		},
		{
			// ?token= is accepted on the live feed only (AuthenticateLive): a websocket upgrade to
			// any other route with ?token= and no header is the public.
			name: "?token= ignored on a websocket upgrade", path: "/admin?token=" + admin, header: websocket(nil),
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// GET /live — Auth: ?token=<JWT> or the bearer header (the header wins).
			name: "bearer header wins over ?token=", path: "/admin?token=" + admin, header: websocket(bearerOf(judge)),
			want: response{Status: 403, Code: "forbidden"},
		},
		{
			// GET /live — none → public view.
			name: "websocket without a token is the public", path: "/open", header: websocket(nil),
			want: response{Status: 200},
		},
		{
			// ?token= is accepted on the live feed only: elsewhere even a bad one is not read.
			name: "bad ?token= ignored on a websocket upgrade", path: "/open?token=garbage", header: websocket(nil),
			want: response{Status: 200},
		},
		{
			// Auth: Authorization: Bearer <JWT> — ?token= is only for the websocket, so a
			// plain request that carries one is the public (tokens stay out of access logs).
			name: "?token= ignored without an upgrade", path: "/admin?token=" + admin,
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// Auth: Authorization: Bearer <JWT> — ?token= ignored on a plain public request.
			name: "?token= ignored on a public route", path: "/open?token=" + admin,
			want: response{Status: 200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := do(t, r, tt.path, tt.header); got != tt.want {
				t.Fatalf("GET %s = %+v, want %+v", tt.path, got, tt.want)
			}
		})
	}
}

func TestMiddleware_AuthenticateLive(t *testing.T) {
	gin.SetMode(gin.TestMode)
	tk := newTestTokens(t)
	m := NewMiddleware(tk, fakeUsers{"u-admin": judging.RoleAdmin, "u-judge": judging.RoleJudge}, testFail)
	echo := func(c *gin.Context) {
		a := ActorFrom(c)
		c.JSON(http.StatusOK, gin.H{"id": a.ID, "role": a.Role})
	}
	r := gin.New()
	r.GET("/live", m.AuthenticateLive(), echo)
	r.GET("/other", m.Authenticate(), echo)
	hs := httptest.NewServer(r)
	t.Cleanup(hs.Close)
	admin := token(t, tk, "u-admin", judging.RoleAdmin)
	judge := token(t, tk, "u-judge", judging.RoleJudge)

	get := func(t *testing.T, path string, header map[string]string) response {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, hs.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := hs.Client().Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		var body struct {
			ID    string       `json:"id"`
			Role  judging.Role `json:"role"`
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return response{Status: resp.StatusCode, ID: body.ID, Role: body.Role, Code: body.Error.Code}
	}

	for _, tt := range []struct {
		name   string
		path   string
		header map[string]string
		want   response
	}{
		{
			// GET /live — Auth: ?token=<JWT> on the websocket upgrade.
			name: "OK ?token= on the live feed", path: "/live?token=" + admin, header: websocket(nil),
			want: response{Status: 200, ID: "u-admin", Role: judging.RoleAdmin},
		},
		{
			// GET /live — Auth: ?token=<JWT> or the bearer header (the header wins).
			name: "the bearer header wins", path: "/live?token=" + admin, header: websocket(bearerOf(judge)),
			want: response{Status: 200, ID: "u-judge", Role: judging.RoleJudge},
		},
		{
			// GET /live — an invalid ?token= → 401.
			name: "invalid ?token= on the live feed", path: "/live?token=garbage", header: websocket(nil),
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// GET /live — none → public view.
			name: "no token on the live feed is the public", path: "/live", header: websocket(nil),
			want: response{Status: 200},
		},
		{
			// ?token= is for the websocket only: a plain GET /live with one is the public
			// (tokens stay out of access logs).
			name: "?token= without an upgrade is ignored", path: "/live?token=" + admin,
			want: response{Status: 200},
		},
		{
			// ?token= is accepted on the live feed only: a websocket upgrade to another route
			// with ?token= and no header is the public.
			name: "?token= on another route's upgrade is ignored", path: "/other?token=" + admin, header: websocket(nil),
			want: response{Status: 200},
		},
		{
			// Elsewhere the bearer header still works on an upgrade.
			name: "bearer on another route's upgrade", path: "/other?token=" + admin, header: websocket(bearerOf(judge)),
			want: response{Status: 200, ID: "u-judge", Role: judging.RoleJudge},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := get(t, tt.path, tt.header); got != tt.want {
				t.Fatalf("GET %s = %+v, want %+v", tt.path, got, tt.want)
			}
		})
	}
}

func TestMiddleware_Require(t *testing.T) {
	r, tk := testRouter(t)
	admin := token(t, tk, "u-admin", judging.RoleAdmin)
	judge := token(t, tk, "u-judge", judging.RoleJudge)

	tests := []struct {
		name   string
		path   string
		header map[string]string
		want   response
	}{
		{
			// 401 no/invalid/expired token: the public on an admin route.
			name: "public on admin route", path: "/admin",
			want: response{Status: 401, Code: "unauthorized"},
		},
		{
			// 403 role or ownership forbids it: a judge on an admin route.
			name: "wrong role", path: "/admin", header: bearerOf(judge),
			want: response{Status: 403, Code: "forbidden"},
		},
		{
			// Roles: admin — the right role passes.
			name: "OK right role", path: "/admin", header: bearerOf(admin),
			want: response{Status: 200, ID: "u-admin", Role: judging.RoleAdmin},
		},
		{
			// Every route names the roles it admits: any one of them passes.
			name: "OK second of two roles", path: "/staff", header: bearerOf(judge),
			want: response{Status: 200, ID: "u-judge", Role: judging.RoleJudge},
		},
		{
			// 401 no/invalid/expired token: an expired admin token on an admin route.
			name: "expired token", path: "/admin",
			header: bearerOf(func() string {
				old, err := NewTokens(testSecret, WithClock(func() time.Time { return testNow.Add(-TokenTTL) }))
				if err != nil {
					t.Fatal(err)
				}
				return token(t, old, "u-admin", judging.RoleAdmin)
			}()),
			want: response{Status: 401, Code: "unauthorized"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := do(t, r, tt.path, tt.header); got != tt.want {
				t.Fatalf("GET %s = %+v, want %+v", tt.path, got, tt.want)
			}
		})
	}

	t.Run("without Authenticate the caller is the public", func(t *testing.T) {
		// 401 no/invalid/expired token: Require alone never admits anyone.
		m := NewMiddleware(tk, fakeUsers{}, testFail)
		e := gin.New()
		e.GET("/admin", m.Require(judging.RoleAdmin), func(c *gin.Context) { c.Status(http.StatusOK) })
		req := httptest.NewRequest(http.MethodGet, "/admin", nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		if got, want := w.Code, http.StatusUnauthorized; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
	})

	t.Run("ErrNoRoles panics", func(t *testing.T) {
		// Every route names the roles it admits.
		for name, roles := range map[string][]judging.Role{"none": nil, "unknown": {"root"}, "public": {""}} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("Require(%s) did not panic", name)
					}
				}()
				NewMiddleware(tk, fakeUsers{}, testFail).Require(roles...)
			}()
		}
	})
}

func TestActorFrom(t *testing.T) {
	// The zero Role is the public: no token.
	gin.SetMode(gin.TestMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	if got := ActorFrom(c); got != (judging.Actor{}) {
		t.Fatalf("ActorFrom(fresh context) = %+v, want the public", got)
	}
}

// countingUsers is fakeUsers that counts its account checks.
type countingUsers struct {
	fakeUsers
	checks int
}

func (u *countingUsers) CheckActor(ctx context.Context, a judging.Actor) error {
	u.checks++
	return u.fakeUsers.CheckActor(ctx, a)
}

func TestMiddleware_AuthenticateClaimed(t *testing.T) {
	gin.SetMode(gin.TestMode)
	tk := newTestTokens(t)
	users := &countingUsers{fakeUsers: fakeUsers{"u-admin": judging.RoleAdmin, "u-judge": judging.RoleJudge}}
	m := NewMiddleware(tk, users, testFail)
	r := gin.New()
	claimed := func(c *gin.Context) {
		a := ClaimedActorFrom(c)
		c.JSON(http.StatusOK, gin.H{"id": a.ID, "role": a.Role})
	}
	confirmed := func(c *gin.Context) {
		a := ActorFrom(c)
		c.JSON(http.StatusOK, gin.H{"id": a.ID, "role": a.Role})
	}
	r.GET("/score", m.AuthenticateClaimed(), m.Require(judging.RoleJudge), claimed)
	r.GET("/forgot", m.AuthenticateClaimed(), confirmed)
	r.GET("/open", m.AuthenticateClaimed(), claimed)
	judge := token(t, tk, "u-judge", judging.RoleJudge)
	gone := token(t, tk, "u-gone", judging.RoleJudge)

	for _, tt := range []struct {
		name   string
		path   string
		header map[string]string
		want   response
		checks int // account checks the request makes
	}{
		{
			// A route whose use case confirms the account itself: the token is verified and its
			// actor goes on, with no account check of the middleware's.
			name: "OK the claimed actor goes on unchecked", path: "/score", header: bearerOf(judge),
			want: response{Status: 200, ID: "u-judge", Role: judging.RoleJudge}, checks: 0,
		},
		{
			// The account is left to the use case: a gone judge's token passes the middleware
			// (the use case answers 401).
			name: "OK a gone account is left to the use case", path: "/score", header: bearerOf(gone),
			want: response{Status: 200, ID: "u-gone", Role: judging.RoleJudge}, checks: 0,
		},
		{
			// 401 no/invalid/expired token: the token itself is verified as everywhere.
			name: "invalid token", path: "/score", header: bearerOf("not-a-token"),
			want: response{Status: 401, Code: "unauthorized"}, checks: 0,
		},
		{
			// 401 before 403: a wrong role is a 403 only once the account is confirmed.
			name: "wrong role of a live account", path: "/score", header: bearerOf(token(t, tk, "u-admin", judging.RoleAdmin)),
			want: response{Status: 403, Code: "forbidden"}, checks: 1,
		},
		{
			// A token whose subject is no user → 401, even with a role the route refuses.
			name: "wrong role of a gone account", path: "/score", header: bearerOf(token(t, tk, "u-gone", judging.RoleVoter)),
			want: response{Status: 401, Code: "unauthorized"}, checks: 1,
		},
		{
			// 401 no/invalid/expired token: the public on a judge route.
			name: "public", path: "/score",
			want: response{Status: 401, Code: "unauthorized"}, checks: 0,
		},
		{
			// ActorFrom never returns an unconfirmed account: a handler that asks for it by
			// mistake sees the public, so its use case refuses (401) rather than serve it.
			name: "ActorFrom sees the public", path: "/forgot", header: bearerOf(gone),
			want: response{Status: 200}, checks: 0,
		},
		{
			// (public) routes: no token is the public, and the request goes on.
			name: "no token is the public", path: "/open",
			want: response{Status: 200}, checks: 0,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			users.checks = 0
			if got := do(t, r, tt.path, tt.header); got != tt.want {
				t.Fatalf("GET %s = %+v, want %+v", tt.path, got, tt.want)
			}
			if got, want := users.checks, tt.checks; got != want {
				t.Fatalf("%d account checks, want %d", got, want)
			}
		})
	}
}
