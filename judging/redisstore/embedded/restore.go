package embedded

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// restore writes the snapshot into an empty server, leaving out keys that expired meanwhile,
// and returns what it holds, for the first capture.
func restore(ctx context.Context, c redis.UniversalClient, snap *snapshot, now time.Time) (*known, error) {
	restored := &snapshot{Keys: make([]keyRecord, 0, len(snap.Keys))}
	pipe := c.Pipeline()
	flush := func() error {
		cmds, err := pipe.Exec(ctx)
		for _, cmd := range cmds {
			if cmd.Err() != nil {
				return fmt.Errorf("%s %v: %w", cmd.Name(), cmd.Args()[1], cmd.Err())
			}
		}
		return err
	}
	for _, rec := range snap.Keys {
		if rec.ExpiresAt != 0 && rec.ExpiresAt <= now.UnixMilli() {
			continue
		}
		k := rec.Key
		restored.Keys = append(restored.Keys, rec)
		switch rec.Type {
		case "string":
			pipe.Set(ctx, k, *rec.String, 0)
		case "hash":
			args := make([]any, 0, 2*len(rec.Hash))
			for _, fv := range rec.Hash {
				args = append(args, fv[0], fv[1])
			}
			pipe.HSet(ctx, k, args...)
		case "list":
			pipe.RPush(ctx, k, anys(rec.List)...)
		case "set":
			pipe.SAdd(ctx, k, anys(rec.Set)...)
		case "zset":
			args := []any{"ZADD", k}
			for _, m := range rec.ZSet {
				args = append(args, m.Score, m.Member)
			}
			pipe.Do(ctx, args...)
		case "stream":
			restoreStream(ctx, pipe, k, rec.Stream)
		}
		if rec.ExpiresAt != 0 {
			pipe.PExpireAt(ctx, k, time.UnixMilli(rec.ExpiresAt))
		}
		if pipe.Len() >= restoreBatch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return knownOf(restored), nil
}

// restoreStream re-adds the entries with their ids, then moves the stream's last generated
// id past them when entries at the end had been deleted, then recreates the groups.
func restoreStream(ctx context.Context, pipe redis.Pipeliner, k string, st *streamData) {
	last := "0-0"
	for _, e := range st.Entries {
		args := append([]any{"XADD", k, e.ID}, anys(e.Fields)...)
		pipe.Do(ctx, args...)
		last = e.ID
	}
	if len(st.Entries) == 0 || streamIDLess(last, st.LastID) {
		id := st.LastID
		if !streamIDLess("0-0", id) {
			id = "0-1"
		}
		pipe.Do(ctx, "XADD", k, id, "_", "_")
		pipe.Do(ctx, "XDEL", k, id)
	}
	for _, g := range st.Groups {
		pipe.Do(ctx, "XGROUP", "CREATE", k, g.Name, g.LastDeliveredID)
	}
}

// streamIDLess compares "ms-seq" ids; an unparsable id counts as 0-0.
func streamIDLess(a, b string) bool {
	pa, pb := parseStreamID(a), parseStreamID(b)
	return pa[0] < pb[0] || (pa[0] == pb[0] && pa[1] < pb[1])
}

func parseStreamID(id string) [2]uint64 {
	ms, seq, _ := strings.Cut(id, "-")
	a, _ := strconv.ParseUint(ms, 10, 64)
	b, _ := strconv.ParseUint(seq, 10, 64)
	return [2]uint64{a, b}
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
