package web

import (
	"net/http"
	"slices"
	"sort"
	"testing"
	"time"
)

// listIDs reads GET path as token and returns the entry ids, sorted.
func (ts *testServer) listIDs(tb testing.TB, path, token string) []string {
	tb.Helper()
	var es []apiEntry
	decodeInto(tb, ts.must(tb, http.StatusOK, "GET", path, token, nil), &es)
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	sort.Strings(ids)
	return ids
}

func sorted(ids ...string) []string {
	ids = slices.Clone(ids)
	sort.Strings(ids)
	return ids
}

// wantError fails tb unless the request answers status with the error shape and code.
func (ts *testServer) wantError(tb testing.TB, status int, code, method, path, token string, body any) {
	tb.Helper()
	got, out := ts.do(tb, method, path, token, body)
	if got != status {
		tb.Fatalf("%s %s = %d %s, want %d %s", method, path, got, out, status, code)
	}
	if c, _ := errorOf(tb, out); code != "" && c != code {
		tb.Fatalf("%s %s: code %q, want %q", method, path, c, code)
	}
}

func TestEntries_Lifecycle(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.exhibitor(t, "Acme Secure")
	other := ts.exhibitor(t, "Bravo Systems")
	j := ts.judge(t, nil, catCyber, catCSR)

	var e apiEntry
	t.Run("OK create", func(t *testing.T) {
		// POST /entries (exhibitor) → 201 {id, status: "draft", …}; links defaults to [];
		// the server adds id, status, company, country, startup, created_at, updated_at.
		decodeInto(t, ts.must(t, http.StatusCreated, "POST", "/api/v1/entries", owner.Token,
			map[string]any{"category_id": catCyber, "title": "  Aegis  "}), &e)
		want := apiEntry{
			ID: e.ID, CategoryID: catCyber, Title: "Aegis", Links: []string{}, Status: "draft", OwnerID: owner.ID,
			Company: "Acme Secure", Country: "FR", Startup: true, CreatedAt: ts.clock.T.UTC(), UpdatedAt: ts.clock.T.UTC(),
		}
		if e.ID == "" || !e.CreatedAt.Equal(want.CreatedAt) || !e.UpdatedAt.Equal(want.UpdatedAt) {
			t.Fatalf("created %+v, want %+v", e, want)
		}
		e.CreatedAt, e.UpdatedAt = want.CreatedAt, want.UpdatedAt
		if e.Links == nil || !slices.Equal(e.Links, want.Links) || e.Title != want.Title || e.Status != want.Status ||
			e.Company != want.Company || e.Country != want.Country || e.Startup != want.Startup || e.OwnerID != want.OwnerID {
			t.Fatalf("created %+v, want %+v", e, want)
		}
	})
	path := "/api/v1/entries/" + e.ID

	t.Run("OK owner edits the draft", func(t *testing.T) {
		// PUT /entries/{id} (owner while draft) → 200.
		ts.clock.T = t0.Add(10 * time.Minute)
		var got apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "PUT", path, owner.Token, entryBody(catCSR, "Aegis 2")), &got)
		if got.Title != "Aegis 2" || got.CategoryID != catCSR || got.Status != "draft" || !got.UpdatedAt.Equal(ts.clock.T) || !got.CreatedAt.Equal(e.CreatedAt) {
			t.Fatalf("edited = %+v", got)
		}
		var read apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "GET", path, owner.Token, nil), &read)
		if read.Title != "Aegis 2" || read.CategoryID != catCSR {
			t.Fatalf("GET after PUT = %+v", read)
		}
	})

	t.Run("ErrNotFound another exhibitor", func(t *testing.T) {
		// 404 not found (also for things the caller may not know exist): another exhibitor's entry.
		ts.wantError(t, http.StatusNotFound, "", "GET", path, other.Token, nil)
		ts.wantError(t, http.StatusNotFound, "", "PUT", path, other.Token, entryBody(catCyber, "Hijacked"))
		ts.wantError(t, http.StatusNotFound, "", "POST", path+"/submit", other.Token, nil)
		var read apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "GET", path, owner.Token, nil), &read)
		if read.Title != "Aegis 2" || read.Status != "draft" {
			t.Fatalf("another exhibitor changed the entry: %+v", read)
		}
	})

	t.Run("ErrNotFound unknown id", func(t *testing.T) {
		// 404 not found.
		for _, tok := range []string{owner.Token, ts.admin, j.Token} {
			ts.wantError(t, http.StatusNotFound, "", "GET", "/api/v1/entries/e_nosuchentry", tok, nil)
		}
		ts.wantError(t, http.StatusNotFound, "", "PUT", "/api/v1/entries/e_nosuchentry", owner.Token, entryBody(catCyber, "x"))
		ts.wantError(t, http.StatusNotFound, "", "POST", "/api/v1/entries/e_nosuchentry/submit", owner.Token, nil)
	})

	t.Run("ErrNotFound judge not assigned", func(t *testing.T) {
		// GET /entries/{id} (owner, admin, a judge assigned to it): to another judge it does not exist.
		ts.wantError(t, http.StatusNotFound, "", "GET", path, j.Token, nil)
	})

	t.Run("OK admin reads and edits", func(t *testing.T) {
		// GET /entries/{id} (… admin) → 200; PUT /entries/{id} (… admin) → 200.
		ts.must(t, http.StatusOK, "GET", path, ts.admin, nil)
		ts.must(t, http.StatusOK, "PUT", path, ts.admin, entryBody(catCyber, "Aegis 3"))
	})

	t.Run("OK submit", func(t *testing.T) {
		// POST /entries/{id}/submit (owner) → 200 {status: "submitted"}.
		var got apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "POST", path+"/submit", owner.Token, nil), &got)
		if got.Status != "submitted" || got.SubmittedAt == nil || !got.SubmittedAt.Equal(ts.clock.T) {
			t.Fatalf("submitted = %+v", got)
		}
	})

	t.Run("ErrAlreadySubmitted", func(t *testing.T) {
		// 409 state conflict (… already submitted): PUT /entries/{id} after submit → 409, and
		// submitting twice.
		ts.wantError(t, http.StatusConflict, "already_submitted", "PUT", path, owner.Token, entryBody(catCyber, "Too late"))
		ts.wantError(t, http.StatusConflict, "already_submitted", "POST", path+"/submit", owner.Token, nil)
		var read apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "GET", path, owner.Token, nil), &read)
		if read.Title != "Aegis 3" || read.Status != "submitted" {
			t.Fatalf("after refused edit: %+v", read)
		}
	})

	t.Run("OK admin edits a submitted entry", func(t *testing.T) {
		// PUT /entries/{id} (owner while draft — after submit 409 —, admin) → 200.
		var got apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "PUT", path, ts.admin, entryBody(catCyber, "Aegis (typo fixed)")), &got)
		if got.Title != "Aegis (typo fixed)" || got.Status != "submitted" {
			t.Fatalf("admin edit = %+v", got)
		}
	})

	// Entries for the listing: owner has Aegis (cyber, submitted) and a csr draft; other has
	// one cyber draft; j is assigned to Aegis only.
	csrDraft := ts.createEntry(t, owner, catCSR, "Green")
	otherDraft := ts.createEntry(t, other, catCyber, "Bravo")
	otherSubmitted := ts.submitted(t, other, catCSR, "Bravo green")
	ts.assign(t, j, e.ID)

	t.Run("OK list scoped by role", func(t *testing.T) {
		// GET /entries → admin: all; exhibitor: own; judge: assigned to them. Query ?category_id= filters.
		tests := []struct {
			who   string
			token string
			query string
			want  []string
		}{
			{"admin", ts.admin, "", sorted(e.ID, csrDraft, otherDraft, otherSubmitted)},
			{"admin", ts.admin, "?category_id=" + catCyber, sorted(e.ID, otherDraft)},
			{"admin", ts.admin, "?category_id=" + catCSR, sorted(csrDraft, otherSubmitted)},
			{"admin", ts.admin, "?category_id=" + catDrones, []string{}},
			{"owner", owner.Token, "", sorted(e.ID, csrDraft)},
			{"owner", owner.Token, "?category_id=" + catCSR, []string{csrDraft}},
			{"other", other.Token, "", sorted(otherDraft, otherSubmitted)},
			{"other", other.Token, "?category_id=" + catCyber, []string{otherDraft}},
			{"judge", j.Token, "", []string{e.ID}},
			{"judge", j.Token, "?category_id=" + catCyber, []string{e.ID}},
			{"judge", j.Token, "?category_id=" + catCSR, []string{}},
		}
		for _, tt := range tests {
			if got := ts.listIDs(t, "/api/v1/entries"+tt.query, tt.token); !slices.Equal(got, tt.want) {
				t.Errorf("%s: GET /entries%s = %v, want %v", tt.who, tt.query, got, tt.want)
			}
		}
	})

	t.Run("OK judge reads an assigned entry", func(t *testing.T) {
		// GET /entries/{id} (… a judge assigned to it) → 200.
		ts.must(t, http.StatusOK, "GET", path, j.Token, nil)
		ts.wantError(t, http.StatusNotFound, "", "GET", "/api/v1/entries/"+otherSubmitted, j.Token, nil)
	})

	t.Run("ErrSubmissionsClosed", func(t *testing.T) {
		// POST /entries/{id}/submit … After submissions_close → 409; so are new entries and
		// the owner's edits (409 state conflict: deadline passed).
		ts.clock.T = submissionsClose
		ts.wantError(t, http.StatusConflict, "submissions_closed", "POST", "/api/v1/entries/"+csrDraft+"/submit", owner.Token, nil)
		ts.wantError(t, http.StatusConflict, "submissions_closed", "PUT", "/api/v1/entries/"+csrDraft, owner.Token, entryBody(catCSR, "Late"))
		ts.wantError(t, http.StatusConflict, "submissions_closed", "POST", "/api/v1/entries", owner.Token, entryBody(catCSR, "Late"))
		if got, want := ts.listIDs(t, "/api/v1/entries", owner.Token), sorted(e.ID, csrDraft); !slices.Equal(got, want) {
			t.Fatalf("owner's entries after refused calls = %v, want %v", got, want)
		}
		var read apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/entries/"+csrDraft, owner.Token, nil), &read)
		if read.Status != "draft" || read.Title != "Green" {
			t.Fatalf("draft after the deadline = %+v", read)
		}
		// The admin may still correct an entry.
		ts.must(t, http.StatusOK, "PUT", "/api/v1/entries/"+csrDraft, ts.admin, entryBody(catCSR, "Green (admin)"))
	})
}
