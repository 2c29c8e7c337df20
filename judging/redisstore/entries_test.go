package redisstore_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
	"github.com/awards-dev/awards/judging/redisstore"
	"github.com/awards-dev/awards/judging/redisstore/redistest"
)

// newEntry is a draft of owner's in category, created at judgingtest.T0 + sec seconds.
func newEntry(id, owner, category string, sec int) judging.Entry {
	at := judgingtest.T0.Add(time.Duration(sec) * time.Second)
	return judging.Entry{ID: id, CategoryID: category, Title: "Title of " + id, Company: "Co of " + owner, Links: []string{},
		Status: judging.StatusDraft, OwnerID: owner, CreatedAt: at, UpdatedAt: at}
}

func TestStore_CreateEntry(t *testing.T) {
	t.Run("ErrTooManyEntries", func(t *testing.T) {
		// An owner with maxPerOwner entries (drafts count) gets ErrTooManyEntries and nothing
		// is written; another owner is not affected.
		ctx := t.Context()
		s := redisstore.New(redistest.New(t))
		for i := range 3 {
			judgingtest.Must(0, s.CreateEntry(ctx, newEntry(fmt.Sprintf("e_%d", i), "u_1", judgingtest.CatCyber, i), 3))(t)
		}
		err := s.CreateEntry(ctx, newEntry("e_3", "u_1", judgingtest.CatCyber, 3), 3)
		judgingtest.WantErr(t, err, judging.ErrTooManyEntries)
		if _, err := s.Entry(ctx, "e_3"); !errors.Is(err, judging.ErrNotFound) {
			t.Fatalf("the refused entry: err = %v, want not found", err)
		}
		if got := len(judgingtest.Must(s.Entries(ctx, judging.EntryScope{}))(t)); got != 3 {
			t.Fatalf("%d entries stored, want 3", got)
		}
		judgingtest.Must(0, s.CreateEntry(ctx, newEntry("e_4", "u_2", judgingtest.CatCyber, 4), 3))(t)
	})

	t.Run("ErrTooManyEntries under 50 parallel creates", func(t *testing.T) {
		// The count and the write are one script: 50 parallel creates by one owner store 20.
		ctx := t.Context()
		s := redisstore.New(redistest.New(t))
		var (
			wg          sync.WaitGroup
			mu          sync.Mutex
			ok, tooMany int
			unexpected  error
		)
		for i := range 50 {
			wg.Go(func() {
				err := s.CreateEntry(ctx, newEntry(fmt.Sprintf("e_%02d", i), "u_1", judgingtest.CatCyber, i), 20)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, judging.ErrTooManyEntries):
					tooMany++
				default:
					unexpected = err
				}
			})
		}
		wg.Wait()
		if unexpected != nil {
			t.Fatal(unexpected)
		}
		if ok != 20 || tooMany != 30 {
			t.Fatalf("%d created, %d refused; want 20 and 30", ok, tooMany)
		}
		for _, scope := range []judging.EntryScope{{}, {OwnerID: "u_1"}, {CategoryID: judgingtest.CatCyber}} {
			if got := len(judgingtest.Must(s.Entries(ctx, scope))(t)); got != 20 {
				t.Fatalf("Entries(%+v) holds %d, want 20", scope, got)
			}
		}
	})
}

func TestStore_EntryRefs(t *testing.T) {
	// A category's submitted entries, in creation order, with the title and company a ranking
	// shows; drafts and other categories' entries are left out.
	ctx := t.Context()
	rdb := redistest.New(t)
	s := redisstore.New(rdb)
	create := func(e judging.Entry) judging.Entry {
		t.Helper()
		judgingtest.Must(0, s.CreateEntry(ctx, e, 20))(t)
		return e
	}
	submit := func(e judging.Entry) {
		t.Helper()
		judgingtest.Must(s.SubmitEntry(ctx, e.ID, judgingtest.T0))(t)
	}
	b := create(newEntry("e_b", "u_1", judgingtest.CatCyber, 1))
	a := create(newEntry("e_a", "u_2", judgingtest.CatCyber, 2))
	create(newEntry("e_draft", "u_1", judgingtest.CatCyber, 3))
	other := create(newEntry("e_other", "u_1", judgingtest.CatCSR, 4))
	for _, e := range []judging.Entry{b, a, other} {
		submit(e)
	}
	// An entry stored before title and company were fields of the hash: only its JSON has them.
	old := newEntry("e_old", "u_3", judgingtest.CatCyber, 5)
	create(old)
	submit(old)
	judgingtest.Must(0, rdb.HDel(ctx, "awards:{jury}:entry:e_old", "title", "company").Err())(t)
	// An admin's edit changes the title a ranking shows.
	a.Title = "Renamed"
	judgingtest.Must(s.UpdateEntry(ctx, a, false))(t)

	want := []judging.EntryRef{
		{ID: "e_b", Title: "Title of e_b", Company: "Co of u_1"},
		{ID: "e_a", Title: "Renamed", Company: "Co of u_2"},
		{ID: "e_old", Title: "Title of e_old", Company: "Co of u_3"},
	}
	if diff := cmp.Diff(want, judgingtest.Must(s.EntryRefs(ctx, judgingtest.CatCyber))(t)); diff != "" {
		t.Fatalf("EntryRefs(%s) (-want +got):\n%s", judgingtest.CatCyber, diff)
	}
	if diff := cmp.Diff([]judging.EntryRef{{ID: "e_other", Title: "Title of e_other", Company: "Co of u_1"}}, judgingtest.Must(s.EntryRefs(ctx, judgingtest.CatCSR))(t)); diff != "" {
		t.Fatalf("EntryRefs(%s) (-want +got):\n%s", judgingtest.CatCSR, diff)
	}
	if got := judgingtest.Must(s.EntryRefs(ctx, "empty"))(t); len(got) != 0 {
		t.Fatalf("EntryRefs of an empty category = %v", got)
	}
}

// indexedIn returns the categories whose index lists entry id, of those given.
func indexedIn(t *testing.T, s *redisstore.Store, id string, cats ...string) []string {
	t.Helper()
	var in []string
	for _, c := range cats {
		for _, e := range judgingtest.Must(s.Entries(t.Context(), judging.EntryScope{CategoryID: c}))(t) {
			if e.ID == id {
				in = append(in, c)
			}
		}
	}
	return in
}

func TestStore_UpdateEntry_concurrent(t *testing.T) {
	cats := []string{"cat-a", "cat-b", "cat-c", "cat-d"}

	t.Run("OK/concurrent moves leave the entry in one category", func(t *testing.T) {
		// Store: checks and writes are one atomic step. Edits racing to move one entry to
		// different categories leave it listed in exactly the category it is in.
		ctx := t.Context()
		s := redisstore.New(redistest.New(t))
		e := newEntry("e_1", "u_1", cats[0], 0)
		judgingtest.Must(0, s.CreateEntry(ctx, e, 20))(t)
		for round := range 20 {
			var wg sync.WaitGroup
			for i, c := range cats {
				wg.Go(func() {
					edit := e
					edit.CategoryID, edit.Title = c, fmt.Sprintf("round %d, edit %d", round, i)
					if _, err := s.UpdateEntry(ctx, edit, false); err != nil {
						t.Errorf("round %d: UpdateEntry to %s: %v", round, c, err)
					}
				})
			}
			wg.Wait()
			got := judgingtest.Must(s.Entry(ctx, e.ID))(t)
			if in := indexedIn(t, s, e.ID, cats...); len(in) != 1 || in[0] != got.CategoryID {
				t.Fatalf("round %d: the entry is in %s and listed in %v", round, got.CategoryID, in)
			}
		}
	})

	t.Run("OK/an edit racing the submission", func(t *testing.T) {
		// A submitted entry keeps its category, and its owner edits only a draft: an owner's
		// edit racing the submission either lands before it or is refused whole.
		ctx := t.Context()
		s := redisstore.New(redistest.New(t))
		for round := range 30 {
			e := newEntry(fmt.Sprintf("e_%02d", round), "u_1", cats[0], round)
			judgingtest.Must(0, s.CreateEntry(ctx, e, 50))(t)
			edit := e
			edit.CategoryID, edit.Title = cats[1], "Edited"
			draftOnly := round%2 == 0 // the owner's edit; else an admin's, which may not move a submitted entry
			var updateErr, submitErr error
			var wg sync.WaitGroup
			wg.Go(func() { _, updateErr = s.UpdateEntry(ctx, edit, draftOnly) })
			wg.Go(func() { _, submitErr = s.SubmitEntry(ctx, e.ID, judgingtest.T0) })
			wg.Wait()
			if submitErr != nil {
				t.Fatalf("round %d: SubmitEntry: %v", round, submitErr)
			}
			got := judgingtest.Must(s.Entry(ctx, e.ID))(t)
			want := edit
			if updateErr != nil {
				judgingtest.WantErr(t, updateErr, judging.ErrAlreadySubmitted)
				want = e
			}
			if got.Status != judging.StatusSubmitted || got.CategoryID != want.CategoryID || got.Title != want.Title {
				t.Fatalf("round %d (update err %v): entry %s in %s titled %q, want submitted in %s titled %q",
					round, updateErr, got.Status, got.CategoryID, got.Title, want.CategoryID, want.Title)
			}
			if in := indexedIn(t, s, e.ID, cats...); len(in) != 1 || in[0] != got.CategoryID {
				t.Fatalf("round %d: the entry is in %s and listed in %v", round, got.CategoryID, in)
			}
		}
	})
}
