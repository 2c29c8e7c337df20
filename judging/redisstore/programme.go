package redisstore

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/awards-dev/awards/judging"
)

var _ judging.Programmes = (*Store)(nil)

// Programme returns the programme and its revision.
func (s *Store) Programme(ctx context.Context) (judging.Programme, int64, error) {
	vals, err := s.rdb.HMGet(ctx, s.k.programme(), "json", "rev").Result()
	if err != nil {
		return judging.Programme{}, 0, wrap("programme", err)
	}
	js, ok := vals[0].(string)
	if !ok {
		return judging.Programme{}, 0, judging.ErrNoProgramme
	}
	var p judging.Programme
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		return judging.Programme{}, 0, wrapValue("programme", err)
	}
	rev, _ := vals[1].(string)
	n, err := strconv.ParseInt(rev, 10, 64)
	if err != nil {
		return judging.Programme{}, 0, wrapValue("programme: rev", err)
	}
	return p, n, nil
}

// PutProgramme replaces the programme if it is still at expectRev, no changed category was
// ever scored and no removed category holds entries.
func (s *Store) PutProgramme(ctx context.Context, p judging.Programme, expectRev int64, changed, removed []string) (int64, error) {
	b, err := jsonMarshal(p)
	if err != nil {
		return 0, wrapValue("put programme", err)
	}
	keys := []string{s.k.programme(), s.k.scored()}
	for _, c := range removed {
		keys = append(keys, s.k.entriesOfCat(c))
	}
	args := []any{expectRev, b}
	for _, c := range changed {
		args = append(args, c)
	}
	res, err := s.s.putProgramme.Run(ctx, s.rdb, keys, args...).StringSlice()
	if err != nil {
		return 0, wrap("put programme", err)
	}
	switch {
	case len(res) == 1 && res[0] == "STALE":
		return 0, judging.ErrStale
	case len(res) == 2 && res[0] == "FROZEN":
		return 0, &judging.Error{Kind: judging.KindConflict, Code: judging.ErrCriteriaFrozen.Code,
			Message: "Category " + res[1] + " has scores: its criteria and tally can no longer change."}
	case len(res) == 1 && res[0] == "IN_USE":
		return 0, judging.ErrCategoryInUse
	case len(res) == 2 && res[0] == "OK":
		rev, err := strconv.ParseInt(res[1], 10, 64)
		return rev, wrapValue("put programme: rev", err)
	}
	return 0, unexpected("put programme", res)
}
