package redisstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

var _ judging.Entries = (*Store)(nil)

// An entry is a hash: json (the entry without its status), status, submitted_at, cat (its
// category), created (ms, the score of its place in the indexes), and title and company (what
// a ranking shows, readable without decoding the JSON; absent on entries stored before them).
// Status lives apart from the JSON so that an admin's edit and the owner's submit never
// overwrite each other.

// CreateEntry stores a new entry and indexes it in one script, if its owner has fewer than
// maxPerOwner entries.
func (s *Store) CreateEntry(ctx context.Context, e judging.Entry, maxPerOwner int) error {
	b, err := entryJSON(e)
	if err != nil {
		return err
	}
	keys := []string{s.k.entry(e.ID), s.k.entries(), s.k.entriesOfCat(e.CategoryID), s.k.entriesOf(e.OwnerID)}
	res, err := s.s.createEntry.Run(ctx, s.rdb, keys, e.ID, b, string(e.Status), e.CategoryID,
		e.CreatedAt.UnixMilli(), e.Title, e.Company, maxPerOwner).Text()
	if err != nil {
		return wrap("create entry", err)
	}
	if res == "TOO_MANY" {
		return judging.ErrTooManyEntries
	}
	return nil
}

func entryJSON(e judging.Entry) (string, error) {
	e.Status, e.SubmittedAt = "", nil
	return jsonMarshal(e)
}

// Entry returns the entry with this id.
func (s *Store) Entry(ctx context.Context, id string) (judging.Entry, error) {
	m, err := s.rdb.HGetAll(ctx, s.k.entry(id)).Result()
	if err != nil {
		return judging.Entry{}, wrap("entry", err)
	}
	return decodeEntry(m)
}

func decodeEntry(m map[string]string) (judging.Entry, error) {
	if m["json"] == "" {
		return judging.Entry{}, judging.ErrNotFound
	}
	var e judging.Entry
	if err := json.Unmarshal([]byte(m["json"]), &e); err != nil {
		return judging.Entry{}, err
	}
	e.Status = judging.EntryStatus(m["status"])
	e.CategoryID = m["cat"]
	if at := m["submitted_at"]; at != "" {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return judging.Entry{}, err
		}
		e.SubmittedAt = &t
	}
	if e.Links == nil {
		e.Links = []string{}
	}
	return e, nil
}

// UpdateEntry replaces an entry's fields, checking its status in the same step.
func (s *Store) UpdateEntry(ctx context.Context, e judging.Entry, draftOnly bool) (judging.Entry, error) {
	old, err := s.Entry(ctx, e.ID)
	if err != nil {
		return judging.Entry{}, err
	}
	b, err := entryJSON(e)
	if err != nil {
		return judging.Entry{}, err
	}
	flag := "0"
	if draftOnly {
		flag = "1"
	}
	keys := []string{s.k.entry(e.ID), s.k.entriesOfCat(old.CategoryID), s.k.entriesOfCat(e.CategoryID)}
	res, err := s.s.updateEntry.Run(ctx, s.rdb, keys, b, flag, e.CategoryID, e.ID, e.Title, e.Company).Text()
	if err != nil {
		return judging.Entry{}, wrap("update entry", err)
	}
	switch res {
	case "NOT_FOUND":
		return judging.Entry{}, judging.ErrNotFound
	case "SUBMITTED":
		return judging.Entry{}, judging.ErrAlreadySubmitted
	}
	return s.Entry(ctx, e.ID)
}

// SubmitEntry moves a draft to submitted, unless its category is revealed or being revealed.
func (s *Store) SubmitEntry(ctx context.Context, id string, at time.Time) (judging.Entry, error) {
	keys := []string{s.k.entry(id), s.k.revealed(), s.k.partial()}
	res, err := s.s.submitEntry.Run(ctx, s.rdb, keys, at.UTC().Format(time.RFC3339Nano)).Text()
	if err != nil {
		return judging.Entry{}, wrap("submit entry", err)
	}
	switch res {
	case "NOT_FOUND":
		return judging.Entry{}, judging.ErrNotFound
	case "SUBMITTED":
		return judging.Entry{}, judging.ErrAlreadySubmitted
	case "REVEALED":
		return judging.Entry{}, judging.ErrCategoryRevealed
	}
	return s.Entry(ctx, id)
}

// Entries lists entries in creation order: all, one owner's, one judge's assigned, or one
// category's.
func (s *Store) Entries(ctx context.Context, scope judging.EntryScope) ([]judging.Entry, error) {
	var (
		ids []string
		err error
	)
	switch {
	case scope.JudgeID != "":
		ids, err = s.rdb.SMembers(ctx, s.k.assignedTo(scope.JudgeID)).Result()
	case scope.OwnerID != "":
		ids, err = s.rdb.ZRange(ctx, s.k.entriesOf(scope.OwnerID), 0, -1).Result()
	case scope.CategoryID != "":
		ids, err = s.rdb.ZRange(ctx, s.k.entriesOfCat(scope.CategoryID), 0, -1).Result()
	default:
		ids, err = s.rdb.ZRange(ctx, s.k.entries(), 0, -1).Result()
	}
	if err != nil {
		return nil, wrap("entries", err)
	}
	return s.entriesByID(ctx, ids)
}

func (s *Store) entriesByID(ctx context.Context, ids []string) ([]judging.Entry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGetAll(ctx, s.k.entry(id))
		}
		return nil
	})
	if err != nil {
		return nil, wrap("entries", err)
	}
	out := make([]judging.Entry, 0, len(ids))
	for _, c := range cmds {
		e, err := decodeEntry(c.Val())
		if err == judging.ErrNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b judging.Entry) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func sortBy[T any](xs []T, key func(T) string) {
	slices.SortFunc(xs, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
