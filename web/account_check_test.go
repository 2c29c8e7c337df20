package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/awards-dev/awards/judging"
)

func TestRoutes_goneAccount(t *testing.T) {
	// A token whose user was deleted or whose role changed → 401 at once, on every route: the
	// score write (whose use case confirms the account inside its atomic write) as on the
	// others (whose middleware confirms it), whatever the body.
	ts := newTestServer(t)
	x := ts.exhibitor(t, "Acme Secure")
	e := ts.submitted(t, x, catCyber, "Aegis")
	gone, demoted, kept := ts.judge(t, nil, catCyber), ts.judge(t, nil, catCyber), ts.judge(t, nil, catCyber)
	scorePath := "/api/v1/entries/" + e + "/scores/me"
	marks := map[string]any{"scores": map[string]float64{"innovation": 7, "impact": 4}}
	for _, j := range []testUser{gone, demoted, kept} {
		ts.assign(t, j, e)
		ts.must(t, http.StatusOK, "PUT", scorePath, j.Token, marks)
	}
	ctx := t.Context()
	if err := ts.rdb.Del(ctx, "awards:{jury}:user:"+gone.ID).Err(); err != nil {
		t.Fatal(err)
	}
	rec, err := ts.rdb.Get(ctx, "awards:{jury}:user:"+demoted.ID).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	var u map[string]any
	if err := json.Unmarshal(rec, &u); err != nil {
		t.Fatal(err)
	}
	u["role"] = string(judging.RoleExhibitor)
	if rec, err = json.Marshal(u); err != nil {
		t.Fatal(err)
	}
	if err := ts.rdb.Set(ctx, "awards:{jury}:user:"+demoted.ID, rec, 0).Err(); err != nil {
		t.Fatal(err)
	}

	for _, j := range []struct {
		name string
		u    testUser
	}{{"deleted", gone}, {"role changed", demoted}} {
		t.Run(j.name+"/score route", func(t *testing.T) {
			for _, tc := range []struct {
				name string
				path string
				body any
			}{
				{"valid marks", scorePath, map[string]any{"scores": map[string]float64{"innovation": 6, "impact": 3}}},
				{"the same marks", scorePath, marks},
				{"unknown entry", "/api/v1/entries/e_nowhere/scores/me", marks},
				{"marks out of range", scorePath, map[string]any{"scores": map[string]float64{"innovation": 60, "impact": 3}}},
				{"a mark not a number", scorePath, `{"scores":{"innovation":"7","impact":4}}`},
				{"not JSON", scorePath, `{"scores":`},
				{"unknown field", scorePath, `{"scores":{"innovation":7,"impact":4},"extra":1}`},
			} {
				status, out := ts.do(t, "PUT", tc.path, j.u.Token, tc.body)
				if status != http.StatusUnauthorized {
					t.Errorf("%s: PUT %s = %d %s, want 401", tc.name, tc.path, status, out)
					continue
				}
				if code, _ := errorOf(t, out); code != "unauthorized" {
					t.Errorf("%s: code %q, want unauthorized", tc.name, code)
				}
			}
		})
		t.Run(j.name+"/every other route", func(t *testing.T) {
			for _, r := range ts.srv.engine.Routes() {
				if !strings.HasPrefix(r.Path, "/api/v1/") {
					continue
				}
				path := strings.Replace(r.Path, ":id", e, 1)
				status, out := ts.do(t, r.Method, path, j.u.Token, map[string]any{})
				if status != http.StatusUnauthorized {
					t.Errorf("%s %s = %d %.200s, want 401", r.Method, path, status, out)
				}
			}
		})
	}

	t.Run("OK/a live judge is unaffected", func(t *testing.T) {
		var sc apiScore
		decodeInto(t, ts.must(t, http.StatusOK, "PUT", scorePath, kept.Token, map[string]any{"scores": map[string]float64{"innovation": 6, "impact": 3}}), &sc)
		if sc.Version != 2 {
			t.Fatalf("version %d, want 2", sc.Version)
		}
		ts.must(t, http.StatusOK, "GET", "/api/v1/judge/queue", kept.Token, nil)
	})
}
