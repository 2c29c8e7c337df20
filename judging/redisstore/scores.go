package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

var _ judging.Scores = (*Store)(nil)

// stamp formats a time for stored records: UTC, milliseconds, fixed width.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// SaveScore makes every check of w and, if none refuses, writes a score version with its
// history, tally state and audit record, and publishes w.Events, in one script run, pipelined
// with other callers' score writes.
func (s *Store) SaveScore(ctx context.Context, w judging.ScoreWrite) (judging.Score, bool, error) {
	keys := []string{
		s.k.user(w.JudgeID), s.k.entry(w.EntryID), s.k.programme(), s.k.judgesOf(w.EntryID),
		s.k.counting(w.CategoryID), s.k.bodies(w.CategoryID), s.k.history(w.EntryID, w.JudgeID), s.k.scored(), s.k.scorers(w.EntryID),
		s.k.audit(), s.k.auditHead(), s.k.auditSeq(), s.k.revealed(), s.k.partial(),
	}
	args := make([]any, 0, 11+len(w.Events))
	args = append(args, w.JudgeID, string(judging.RoleJudge), w.EntryID, w.CategoryID, w.ProgrammeRev,
		flag(w.Closed), flag(w.Refusal != nil), w.Body, strconv.FormatFloat(w.Total, 'g', -1, 64), stamp(w.At), s.k.events())
	for _, e := range w.Events {
		b, err := jsonMarshal(e)
		if err != nil {
			return judging.Score{}, false, err
		}
		args = append(args, b)
	}
	res, err := s.scores.Run(ctx, keys, args...).StringSlice()
	if err != nil {
		return judging.Score{}, false, wrap("save score", err)
	}
	switch res[0] {
	case "OK":
		version, err := strconv.Atoi(res[1])
		if err != nil {
			return judging.Score{}, false, fmt.Errorf("redisstore: save score: version %q: %w", res[1], err)
		}
		if !finite(w.Total) { // as a stored score with such a total reads back
			return judging.Score{}, false, errors.New("redisstore: save score: the stored score cannot be read: its total is not a finite number")
		}
		return judging.Score{
			EntryID: w.EntryID, JudgeID: w.JudgeID, CategoryID: w.CategoryID, Version: version, Total: w.Total,
			Scores: w.Scores, Comment: w.Comment, At: w.At.UTC().Truncate(time.Millisecond), // stamp's precision
		}, true, nil
	case "SAME":
		sc, err := decodeScore(res[1])
		if err != nil {
			return judging.Score{}, false, fmt.Errorf("redisstore: save score: the stored score cannot be read: %w", err)
		}
		return sc, false, nil
	case "CATEGORY":
		return judging.Score{}, false, &judging.CategoryMismatch{CategoryID: res[1]}
	case "REFUSED":
		return judging.Score{}, false, w.Refusal
	}
	if err, ok := saveScoreRefusals[res[0]]; ok {
		return judging.Score{}, false, err
	}
	return judging.Score{}, false, fmt.Errorf("redisstore: save score: unexpected answer %q", res[0])
}

// saveScoreRefusals are the save_score script's answers that are the same error every time.
var saveScoreRefusals = map[string]error{
	"UNAUTHORIZED": judging.ErrUnauthorized,
	"NOT_FOUND":    judging.ErrNotFound,
	"STALE":        judging.ErrStale,
	"NOT_ASSIGNED": judging.ErrNotAssigned,
	"CLOSED":       judging.ErrJudgingClosed,
	"REVEALED":     judging.ErrCategoryRevealed,
}

// decodeScore reads a stored score; one whose total is not a finite number (stored by a
// version that allowed it) is an error too.
func decodeScore(s string) (judging.Score, error) {
	var sc judging.Score
	if err := json.Unmarshal([]byte(s), &sc); err != nil {
		return judging.Score{}, err
	}
	if !finite(sc.Total) {
		return judging.Score{}, errors.New("its total is not a finite number")
	}
	return sc, nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// CategoryScores returns the counting scores of a category. A stored score that cannot be
// read is left out and logged, so that one bad record does not take the category down.
func (s *Store) CategoryScores(ctx context.Context, categoryID string) ([]judging.Score, error) {
	key := s.k.counting(categoryID)
	vals, err := s.rdb.HGetAll(ctx, key).Result()
	if err != nil {
		return nil, wrap("category scores", err)
	}
	out := make([]judging.Score, 0, len(vals))
	for field, v := range vals {
		sc, err := decodeScore(v)
		if err != nil {
			s.unreadable(key+" "+field, err)
			continue
		}
		out = append(out, sc)
	}
	return out, nil
}

// ScoreHistory returns every version each judge gave the entry, oldest first; a version that
// cannot be read is left out and logged.
func (s *Store) ScoreHistory(ctx context.Context, entryID string) (map[string][]judging.Score, error) {
	judges, err := s.rdb.SMembers(ctx, s.k.scorers(entryID)).Result()
	if err != nil {
		return nil, wrap("score history", err)
	}
	cmds := make([]*redis.StringSliceCmd, len(judges))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, j := range judges {
			cmds[i] = p.LRange(ctx, s.k.history(entryID, j), 0, -1)
		}
		return nil
	})
	if err != nil {
		return nil, wrap("score history", err)
	}
	out := make(map[string][]judging.Score, len(judges))
	for i, j := range judges {
		for n, v := range cmds[i].Val() {
			sc, err := decodeScore(v)
			if err != nil {
				s.unreadable(s.k.history(entryID, j)+" "+strconv.Itoa(n), err)
				continue
			}
			out[j] = append(out[j], sc)
		}
	}
	return out, nil
}

// Progress returns how many of a category's assignments have a counting score.
func (s *Store) Progress(ctx context.Context, categoryID string) (judging.Progress, error) {
	var scored, expected *redis.IntCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		scored = p.HLen(ctx, s.k.counting(categoryID))
		expected = p.SCard(ctx, s.k.assignedInCat(categoryID))
		return nil
	})
	if err != nil {
		return judging.Progress{}, wrap("progress", err)
	}
	return judging.Progress{CategoryID: categoryID, Scored: int(scored.Val()), Expected: int(expected.Val())}, nil
}
