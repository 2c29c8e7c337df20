package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
)

// programmeWith is testProgramme as a JSON object with max_entries_per_exhibitor set to max.
func programmeWith(tb testing.TB, max any) map[string]any {
	tb.Helper()
	b, err := json.Marshal(testProgramme())
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	decodeInto(tb, b, &m)
	m["max_entries_per_exhibitor"] = max
	return m
}

// post sends a JSON POST without a testing.TB, for goroutines: it returns the status or an error.
func (ts *testServer) post(path, token string, body any) (int, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest("POST", ts.URL+path, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := ts.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

func TestEntries_Cap(t *testing.T) {
	t.Run("ErrTooManyEntries by default after 20", func(t *testing.T) {
		// Limits: ≤ 20 entries per exhibitor; a larger value → 422. Drafts count.
		ts := newTestServer(t)
		x := ts.exhibitor(t, "Acme Secure")
		for range 20 {
			ts.createEntry(t, x, catCyber, "Entry "+ts.uniq())
		}
		ts.wantError(t, http.StatusUnprocessableEntity, "too_many_entries", "POST", "/api/v1/entries", x.Token, entryBody(catCSR, "One too many"))
		if got := len(ts.listIDs(t, "/api/v1/entries", x.Token)); got != 20 {
			t.Fatalf("the exhibitor has %d entries, want 20", got)
		}
		// Another exhibitor has their own allowance.
		ts.createEntry(t, ts.exhibitor(t, "Bravo Systems"), catCyber, "Bastion")
	})

	t.Run("ErrTooManyEntries under 50 parallel creates", func(t *testing.T) {
		// One exhibitor sending 50 creates at once stores exactly 20: the cap is checked in the
		// same atomic step that stores the entry.
		ts := newTestServer(t)
		x := ts.exhibitor(t, "Acme Secure")
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			statuses = map[int]int{}
			errs     []error
		)
		for range 50 {
			wg.Go(func() {
				status, err := ts.post("/api/v1/entries", x.Token, entryBody(catCyber, "Spam"))
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				}
				statuses[status]++
			})
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("%d requests failed, the first: %v", len(errs), errs[0])
		}
		if statuses[http.StatusCreated] != 20 || statuses[http.StatusUnprocessableEntity] != 30 {
			t.Fatalf("statuses %v, want 20 × 201 and 30 × 422", statuses)
		}
		if got := len(ts.listIDs(t, "/api/v1/entries", x.Token)); got != 20 {
			t.Fatalf("the exhibitor has %d entries, want 20", got)
		}
		if got := len(ts.listIDs(t, "/api/v1/entries", ts.admin)); got != 20 {
			t.Fatalf("the store holds %d entries, want 20", got)
		}
	})

	t.Run("OK the programme sets the cap", func(t *testing.T) {
		// max_entries_per_exhibitor: 0 or absent means 20; 1 to 1000 else 422 invalid_programme.
		ts := newTestServer(t)
		for _, bad := range []any{-1, 1001, 1000000, 2.5, "20"} {
			ts.wantError(t, http.StatusUnprocessableEntity, "", "PUT", "/api/v1/programme", ts.admin, programmeWith(t, bad))
		}
		ts.wantError(t, http.StatusUnprocessableEntity, "invalid_programme", "PUT", "/api/v1/programme", ts.admin, programmeWith(t, 1001))
		ts.must(t, http.StatusOK, "PUT", "/api/v1/programme", ts.admin, programmeWith(t, 2))
		var got map[string]any
		decodeInto(t, ts.must(t, http.StatusOK, "GET", "/api/v1/programme", "", nil), &got)
		if got["max_entries_per_exhibitor"] != 2.0 {
			t.Fatalf("GET /programme max_entries_per_exhibitor = %v, want 2", got["max_entries_per_exhibitor"])
		}
		x := ts.exhibitor(t, "Acme Secure")
		ts.createEntry(t, x, catCyber, "One")
		ts.createEntry(t, x, catCSR, "Two")
		ts.wantError(t, http.StatusUnprocessableEntity, "too_many_entries", "POST", "/api/v1/entries", x.Token, entryBody(catCyber, "Three"))

		ts.must(t, http.StatusOK, "PUT", "/api/v1/programme", ts.admin, programmeWith(t, 0))
		ts.createEntry(t, x, catCyber, "Three")
	})
}
