package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"testing"
)

// fuzzStatus reports whether status is one the contract allows for the route: bad input
// gets a clear error from the contract, never a 500.
func fuzzStatus(status int, ok ...int) bool {
	return slices.Contains(ok, status)
}

// checkErrorBody fails t unless body has the error shape.
func checkErrorBody(t *testing.T, status int, body []byte) {
	t.Helper()
	if _, _, err := parseError(body); err != nil {
		t.Fatalf("status %d with body %.300q: %v", status, body, err)
	}
}

// FuzzEntryBody posts fuzzed bytes to POST /entries as an exhibitor with a valid token, under
// the entry cap, while submissions are open. Bad input gets a clear error from the contract,
// never a 500, a panic or a partial write: the answer is 201 or a refusal of the body itself
// (400, 413, 422 but never too_many_entries), never one about who asks (401, 403), when
// (409) or how often (429); an error answer has the error shape, and a refused body leaves
// the exhibitor's entries as they were.
func FuzzEntryBody(f *testing.F) {
	ts := newTestServer(f)
	for _, s := range []string{
		`{"category_id":"cyber-security","title":"Aegis"}`,
		`{"category_id":"cyber-security","title":"Aegis","summary":"s","description":"d","links":["https://example.com/a"]}`,
		`{"category_id":"cyber-security","title":"Aegis","links":["ftp://example.com/a"]}`,
		`{"category_id":"no-such-category","title":"Aegis"}`,
		`{"category_id":"csr","title":5}`,
		`{"category_id":"csr","title":"x","owner_id":"u_someoneelse"}`,
		`{"category_id":"csr","title":"x"} trailing`,
		`{"category_id":"csr","title":"\u0000\ud800"}`,
		`{"category_id":"csr","title":"x","links":null}`,
		`{"category_id":"csr","title":"x","links":[null]}`,
		`null`,
		`[]`,
		``,
	} {
		f.Add([]byte(s))
	}

	// The exhibitor changes once they have as many entries as the programme allows, so that
	// every request is under the cap and listing stays cheap however long the fuzzer runs.
	prog := testProgramme()
	limit := prog.EntriesPerExhibitor()
	var (
		mu    sync.Mutex
		owner testUser
		made  int
	)
	current := func(t *testing.T) testUser {
		mu.Lock()
		defer mu.Unlock()
		if owner.Token == "" || made >= limit {
			owner, made = ts.exhibitor(t, "Fuzz Co"), 0
		}
		return owner
	}
	list := func(t *testing.T, u testUser) []apiEntry {
		t.Helper()
		var es []apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/entries", u.Token, nil), &es)
		return es
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		u := current(t)
		before := list(t, u)
		status, out := ts.do(t, "POST", "/api/v1/entries", u.Token, body)
		if !fuzzStatus(status, 201, 400, 413, 422) {
			t.Fatalf("POST /entries %q = %d %.300s: want 201, or 400, 413 or 422 for the body", body, status, out)
		}
		after := list(t, u)
		if status != http.StatusCreated {
			checkErrorBody(t, status, out)
			if code, _, _ := parseError(out); code == "too_many_entries" {
				t.Fatalf("POST /entries %q = %d %s with %d entries, under the cap of %d", body, status, out, len(before), limit)
			}
			if !slices.EqualFunc(before, after, func(a, b apiEntry) bool { return a.ID == b.ID && a.UpdatedAt.Equal(b.UpdatedAt) }) {
				t.Fatalf("POST /entries %q = %d, but the entries changed from %d to %d", body, status, len(before), len(after))
			}
			return
		}
		var e apiEntry
		if err := json.Unmarshal(out, &e); err != nil || e.ID == "" || e.Status != "draft" || e.Links == nil {
			t.Fatalf("POST /entries %q = 201 %.300s: want a draft with an id and links (%v)", body, out, err)
		}
		if len(after) != len(before)+1 || !slices.ContainsFunc(after, func(x apiEntry) bool { return x.ID == e.ID }) {
			t.Fatalf("POST /entries %q = 201 %s, but the list went from %d to %d entries", body, e.ID, len(before), len(after))
		}
		// What was answered is what was stored.
		var stored apiEntry
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/entries/"+e.ID, u.Token, nil), &stored)
		a, _ := json.Marshal(e)
		b, _ := json.Marshal(stored)
		if string(a) != string(b) {
			t.Fatalf("POST /entries answered %s but stored %s", a, b)
		}
		mu.Lock()
		made++
		mu.Unlock()
	})
}

// FuzzLoginBody posts fuzzed bytes to POST /auth/login. Bad input gets a clear error from the
// contract, never a 500 or a panic: 200 with a token, or an error of the contract with its
// shape.
func FuzzLoginBody(f *testing.F) {
	ts := newTestServer(f)
	u := ts.exhibitor(f, "Fuzz Co")
	for _, s := range []string{
		`{"email":"` + u.Email + `","password":"` + password + `"}`,
		`{"email":"` + u.Email + `","password":"wrong password"}`,
		`{"email":"nobody@awards.test","password":"` + password + `"}`,
		`{"email":"","password":""}`,
		`{"email":5,"password":true}`,
		`{"email":"a@b.c","password":"x","remember":true}`,
		`{"email":"a@b.c"}{"password":"x"}`,
		`{"email":"\u0000","password":"\ud800"}`,
		`not json`,
		`null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		status, out := ts.do(t, "POST", "/api/v1/auth/login", "", body)
		if !fuzzStatus(status, 200, 400, 401, 413, 422, 429, 503) {
			t.Fatalf("POST /auth/login %q = %d %.300s: not a status of the contract", body, status, out)
		}
		if status != http.StatusOK {
			checkErrorBody(t, status, out)
			return
		}
		var tk apiToken
		if err := json.Unmarshal(out, &tk); err != nil || tk.Token == "" || tk.Role == "" || tk.ExpiresAt.IsZero() {
			t.Fatalf("POST /auth/login %q = 200 %.300s: want {token, role, expires_at} (%v)", body, out, err)
		}
	})
}
