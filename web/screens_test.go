package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestServer_Screens(t *testing.T) {
	ts := newTestServer(t)
	names := []string{"Main hall", "Press room"}
	var made []testUser
	for i, name := range names {
		ts.clock.T = t0.Add(time.Duration(i) * time.Minute)
		var tk apiToken
		decodeInto(t, ts.must(t, http.StatusCreated, "POST", "/api/v1/screens", ts.admin, map[string]string{"name": name}), &tk)
		made = append(made, testUser{ID: tk.UserID, Token: tk.Token})
	}
	ts.clock.T = t0

	t.Run("OK/listed oldest first", func(t *testing.T) {
		// GET /screens (admin) → [{id, name, created_at}].
		var got []map[string]any
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/screens", ts.admin, nil), &got)
		var want []map[string]any
		for i, s := range made {
			want = append(want, map[string]any{
				"id": s.ID, "name": names[i], "created_at": t0.Add(time.Duration(i) * time.Minute).UTC().Format(time.RFC3339),
			})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("GET /screens (-want +got):\n%s", diff)
		}
	})

	t.Run("OK/a deleted screen's token is refused at once", func(t *testing.T) {
		// DELETE /screens/{id} (admin) → 204: that screen's token → 401 from then on, on every route.
		gone, kept := made[0], made[1]
		for _, path := range []string{"/api/v1/results", "/api/v1/ceremony"} {
			ts.must(t, http.StatusOK, "GET", path, gone.Token, nil)
		}
		ts.must(t, http.StatusNoContent, "DELETE", "/api/v1/screens/"+gone.ID, ts.admin, nil)
		for _, path := range []string{"/api/v1/results", "/api/v1/ceremony", "/api/v1/programme"} {
			status, out := ts.do(t, "GET", path, gone.Token, nil)
			if status != http.StatusUnauthorized {
				t.Fatalf("GET %s with the deleted screen's token = %d %s, want 401", path, status, out)
			}
			errorOf(t, out)
			ts.must(t, http.StatusOK, "GET", path, kept.Token, nil)
		}
		var left []map[string]any
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/screens", ts.admin, nil), &left)
		if len(left) != 1 || left[0]["id"] != kept.ID {
			t.Fatalf("screens left %v, want only %s", left, kept.ID)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// 404 for an unknown id, or an id that is not a screen's.
		j := ts.judge(t, nil, catCyber)
		for _, id := range []string{made[0].ID, "s_nobody", j.ID} {
			status, out := ts.do(t, "DELETE", "/api/v1/screens/"+id, ts.admin, nil)
			if code, _ := errorOf(t, out); status != http.StatusNotFound || code != "not_found" {
				t.Fatalf("DELETE /screens/%s = %d %s, want 404 not_found", id, status, out)
			}
		}
		ts.must(t, http.StatusOK, "GET", "/api/v1/judge/queue", j.Token, nil)
	})
}

func TestServer_Reinvite(t *testing.T) {
	ts := newTestServer(t)
	var j struct {
		ID          string `json:"id"`
		InviteToken string `json:"invite_token"`
	}
	decodeInto(t, ts.must(t, http.StatusCreated, "POST", "/api/v1/judges", ts.admin, map[string]any{
		"name": "Lost", "email": "lost@awards.test", "categories": []string{catCyber},
	}), &j)
	accept := func(invite string) (int, []byte) {
		return ts.do(t, "POST", "/api/v1/auth/invite", "", map[string]string{"invite_token": invite, "password": password})
	}

	t.Run("OK/the earlier invitation stops working", func(t *testing.T) {
		// POST /judges/{id}/invite (admin) → 201 {invite_token}: a new invitation; the judge's earlier one stops working.
		var got map[string]string
		decodeInto(t, ts.must(t, http.StatusCreated, "POST", "/api/v1/judges/"+j.ID+"/invite", ts.admin, nil), &got)
		if len(got) != 1 || got["invite_token"] == "" || got["invite_token"] == j.InviteToken {
			t.Fatalf("answer %v, want only a fresh invite_token", got)
		}
		if status, out := accept(j.InviteToken); status != http.StatusUnauthorized {
			t.Fatalf("the earlier invitation = %d %s, want 401", status, out)
		}
		if status, out := accept(got["invite_token"]); status != http.StatusOK {
			t.Fatalf("the new invitation = %d %s, want 200", status, out)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		// 404 for an unknown id, or an id that is not a judge's.
		ex := ts.exhibitor(t, "Acme")
		for _, id := range []string{"u_nobody", ex.ID, ts.adminActor.ID} {
			status, out := ts.do(t, "POST", "/api/v1/judges/"+id+"/invite", ts.admin, nil)
			if code, _ := errorOf(t, out); status != http.StatusNotFound || code != "not_found" {
				t.Fatalf("POST /judges/%s/invite = %d %s, want 404 not_found", id, status, out)
			}
		}
	})
}
