package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
		return wrapValue("create entry", err)
	}
	keys := []string{s.k.entry(e.ID), s.k.entries(), s.k.entriesOfCat(e.CategoryID), s.k.entriesOf(e.OwnerID)}
	res, err := s.s.createEntry.Run(ctx, s.rdb, keys, e.ID, b, string(e.Status), e.CategoryID,
		e.CreatedAt.UnixMilli(), e.Title, e.Company, maxPerOwner).Text()
	if err != nil {
		return wrap("create entry", err)
	}
	switch res {
	case "OK":
		return nil
	case "TOO_MANY":
		return judging.ErrTooManyEntries
	}
	return unexpected("create entry", res)
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
	return decodeEntry(id, m)
}

// decodeEntry reads the entry hash of id; ErrNotFound if there is none.
func decodeEntry(id string, m map[string]string) (judging.Entry, error) {
	if m["json"] == "" {
		return judging.Entry{}, judging.ErrNotFound
	}
	var e judging.Entry
	if err := json.Unmarshal([]byte(m["json"]), &e); err != nil {
		return judging.Entry{}, wrapValue("entry "+id, err)
	}
	e.Status = judging.EntryStatus(m["status"])
	e.CategoryID = m["cat"]
	if at := m["submitted_at"]; at != "" {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return judging.Entry{}, wrapValue("entry "+id+": submitted_at", err)
		}
		e.SubmittedAt = &t
	}
	if e.Links == nil {
		e.Links = []string{}
	}
	return e, nil
}

// updateAttempts bounds the retries of UpdateEntry when concurrent edits move the entry.
const updateAttempts = 8

// UpdateEntry replaces an entry's fields, checking its status and moving its index entry in
// one script. The script must name the index of the category the entry is in, so that is
// read first; if a concurrent edit moved the entry meanwhile, it reads again.
func (s *Store) UpdateEntry(ctx context.Context, e judging.Entry, draftOnly bool) (judging.Entry, error) {
	b, err := entryJSON(e)
	if err != nil {
		return judging.Entry{}, wrapValue("update entry", err)
	}
	for range updateAttempts {
		current, err := s.rdb.HGet(ctx, s.k.entry(e.ID), "cat").Result()
		if errors.Is(err, redis.Nil) {
			return judging.Entry{}, judging.ErrNotFound
		}
		if err != nil {
			return judging.Entry{}, wrap("update entry", err)
		}
		keys := []string{s.k.entry(e.ID), s.k.entriesOfCat(current), s.k.entriesOfCat(e.CategoryID)}
		res, err := s.s.updateEntry.Run(ctx, s.rdb, keys, b, flag(draftOnly), current, e.ID, e.CategoryID, e.Title, e.Company).Text()
		if err != nil {
			return judging.Entry{}, wrap("update entry", err)
		}
		switch res {
		case "OK":
			return s.Entry(ctx, e.ID)
		case "NOT_FOUND":
			return judging.Entry{}, judging.ErrNotFound
		case "SUBMITTED":
			return judging.Entry{}, judging.ErrAlreadySubmitted
		case "MOVED":
			continue
		}
		return judging.Entry{}, unexpected("update entry", res)
	}
	return judging.Entry{}, fmt.Errorf("redisstore: update entry %s: the entry kept moving under %d attempts", e.ID, updateAttempts)
}

// SubmitEntry moves a draft to submitted, unless its category is revealed or being revealed.
func (s *Store) SubmitEntry(ctx context.Context, id string, at time.Time) (judging.Entry, error) {
	keys := []string{s.k.entry(id), s.k.revealed(), s.k.partial()}
	res, err := s.s.submitEntry.Run(ctx, s.rdb, keys, at.UTC().Format(time.RFC3339Nano)).Text()
	if err != nil {
		return judging.Entry{}, wrap("submit entry", err)
	}
	switch res {
	case "OK":
		return s.Entry(ctx, id)
	case "NOT_FOUND":
		return judging.Entry{}, judging.ErrNotFound
	case "SUBMITTED":
		return judging.Entry{}, judging.ErrAlreadySubmitted
	case "REVEALED":
		return judging.Entry{}, judging.ErrCategoryRevealed
	}
	return judging.Entry{}, unexpected("submit entry", res)
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
	for i, c := range cmds {
		e, err := decodeEntry(ids[i], c.Val())
		if errors.Is(err, judging.ErrNotFound) {
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
