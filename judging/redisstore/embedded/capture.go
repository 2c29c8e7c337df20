package embedded

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// known is what the previous capture saw: each key's type, and each stream's entries, which
// are only ever appended to or deleted, so that the next capture reads only the new ones.
type known struct {
	types   map[string]string
	entries map[string][]streamEntry
}

// knownOf is what a snapshot holds.
func knownOf(snap *snapshot) *known {
	k := &known{types: make(map[string]string, len(snap.Keys)), entries: map[string][]streamEntry{}}
	for _, rec := range snap.Keys {
		k.types[rec.Key] = rec.Type
		if rec.Stream != nil && len(rec.Stream.Entries) > 0 {
			k.entries[rec.Key] = rec.Stream.Entries
		}
	}
	return k
}

// capture reads a consistent copy of database 0, never half of a script's or transaction's
// writes, and what it saw for the next capture (prev may be nil). skipped receives each key of
// a type the snapshot cannot hold (only miniredis' HyperLogLog), with that type.
func capture(ctx context.Context, c redis.Cmdable, prev *known, skipped func(key, typ string)) (*snapshot, *known, error) {
	// Everything is read in one MULTI/EXEC, which miniredis runs under its lock: TIME, DBSIZE,
	// and for each key prev knows PTTL and the reads for its type. That holds the whole dataset
	// when no key changed type and DBSIZE counts no key beyond the known ones. Else the new types
	// are learned and the transaction is sent again, this time ending with captureScript, which
	// reads the keys still unknown. Only a key that changes type again in between needs a third
	// try: captureScript alone, which is as atomic but costs about 50 µs per key inside the lock
	// (each redis.call does, in miniredis).
	if prev == nil {
		prev = &known{}
	}
	for _, script := range []bool{false, true} {
		snap, seen, err := captureTx(ctx, c, prev, script, skipped)
		if err != nil {
			return nil, nil, fmt.Errorf("read dataset: %w", err)
		}
		if snap != nil {
			return snap, seen, nil
		}
		prev = seen
	}
	snap, seen, err := captureScripted(ctx, c, skipped)
	if err != nil {
		return nil, nil, fmt.Errorf("read dataset: %w", err)
	}
	return snap, seen, nil
}

// captureScripted reads everything with captureScript.
func captureScripted(ctx context.Context, c redis.Cmdable, skipped func(key, typ string)) (*snapshot, *known, error) {
	return captureTx(ctx, c, &known{}, true, skipped)
}

// reads are the commands that read a key of each type, after its PTTL. A stream whose earlier
// entries are known is read with streamTail instead.
var reads = map[string][][]string{
	"string": {{"GET"}},
	"hash":   {{"HGETALL"}},
	"list":   {{"LRANGE", "", "0", "-1"}},
	"set":    {{"SMEMBERS"}},
	"zset":   {{"ZRANGE", "", "0", "-1", "WITHSCORES"}},
	"stream": {{"XRANGE", "", "-", "+"}, {"XINFO", "STREAM"}, {"XINFO", "GROUPS"}},
}

// streamTail reads a stream after its known entries: XLEN, XRANGE from the id after the last
// known one (filled in), and the XINFOs.
var streamTail = [][]string{{"XLEN"}, {"XRANGE", "", "", "+"}, {"XINFO", "STREAM"}, {"XINFO", "GROUPS"}}

// readArgs places the key in a read, after the command or after its subcommand, and after
// the key the arguments given ("" is filled with from).
func readArgs(read []string, key, from string) []any {
	args := []any{read[0]}
	switch {
	case len(read) == 1:
		args = append(args, key)
	case read[1] == "":
		args = append(args, key)
		for _, a := range read[2:] {
			args = append(args, cmp.Or(a, from))
		}
	default:
		args = append(args, read[1], key)
	}
	return args
}

// readsOf are the reads for key given what is known of it.
func (k *known) readsOf(key string) [][]string {
	if len(k.entries[key]) > 0 && k.types[key] == "stream" {
		return streamTail
	}
	return reads[k.types[key]]
}

// nextStreamID is the smallest id after id.
func nextStreamID(id string) string {
	p := parseStreamID(id)
	if p[1] == math.MaxUint64 {
		return strconv.FormatUint(p[0]+1, 10) + "-0"
	}
	return strconv.FormatUint(p[0], 10) + "-" + strconv.FormatUint(p[1]+1, 10)
}

// captureScript reads the keys not named in ARGV, with their type and PTTL. Values travel as
// RESP bulk strings (binary-safe); scores as miniredis prints them, which parses back to the
// same float64.
const captureScript = `
local skip = {}
for _, k in ipairs(ARGV) do skip[k] = true end
local out = {}
for _, k in ipairs(redis.call('KEYS', '*')) do
	if not skip[k] then
		local t = redis.call('TYPE', k)
		if type(t) == 'table' then t = t.ok end
		local v = ''
		if t == 'string' then
			v = redis.call('GET', k)
		elseif t == 'hash' then
			v = redis.call('HGETALL', k)
		elseif t == 'list' then
			v = redis.call('LRANGE', k, 0, -1)
		elseif t == 'set' then
			v = redis.call('SMEMBERS', k)
		elseif t == 'zset' then
			v = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')
		elseif t == 'stream' then
			v = {redis.call('XRANGE', k, '-', '+'), redis.call('XINFO', 'STREAM', k), redis.call('XINFO', 'GROUPS', k)}
		end
		out[#out + 1] = {k, t, redis.call('PTTL', k), v}
	end
end
return out
`

// captureTx reads the keys prev knows in one transaction, and with script the others too.
// When that was the whole dataset it returns the snapshot; else a nil snapshot and, in seen,
// what to know for the next try.
func captureTx(ctx context.Context, c redis.Cmdable, prev *known, script bool, skipped func(key, typ string)) (snap *snapshot, seen *known, err error) {
	// A key of a kept type is read with PTTL and its reads: PTTL -2 means it is gone, an error
	// (WRONGTYPE) that it changed type, and for a stream read from its tail an XLEN other than
	// the known entries plus the new ones that entries were deleted. A key of another type is
	// asked its TYPE.
	keys := slices.Sorted(maps.Keys(prev.types))
	from := func(k string) string {
		if e := prev.entries[k]; len(e) > 0 {
			return nextStreamID(e[len(e)-1].ID)
		}
		return ""
	}
	want := 2
	cmds, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Do(ctx, "TIME")
		p.Do(ctx, "DBSIZE")
		for _, k := range keys {
			if !supportedTypes[prev.types[k]] {
				p.Do(ctx, "TYPE", k)
				want++
			}
			p.Do(ctx, "PTTL", k)
			want++
			for _, r := range prev.readsOf(k) {
				p.Do(ctx, readArgs(r, k, from(k))...)
				want++
			}
		}
		if script {
			p.Eval(ctx, captureScript, nil, anys(keys)...)
			want++
		}
		return nil
	})
	if len(cmds) != want {
		return nil, nil, fmt.Errorf("transaction: %d replies for %d commands: %w", len(cmds), want, err)
	}
	now, err := serverTime(cmds[0].(*redis.Cmd).Slice())
	if err != nil {
		return nil, nil, err
	}
	dbsize, err := cmds[1].(*redis.Cmd).Int64()
	if err != nil {
		return nil, nil, fmt.Errorf("DBSIZE: %w", err)
	}
	cmds = cmds[2:]
	next := func() *redis.Cmd {
		cmd := cmds[0].(*redis.Cmd)
		cmds = cmds[1:]
		return cmd
	}

	snap = &snapshot{Version: snapshotVersion, SavedAt: now.UTC(), Keys: make([]keyRecord, 0, len(keys))}
	seen = &known{types: make(map[string]string, len(keys)), entries: map[string][]streamEntry{}}
	add := func(raw any, head []streamEntry) error {
		rec, ok, err := decodeKey(raw, now)
		if err != nil || !ok {
			return err
		}
		seen.types[rec.Key] = rec.Type
		if !supportedTypes[rec.Type] {
			skipped(rec.Key, rec.Type)
			return nil
		}
		if rec.Stream != nil {
			rec.Stream.Entries = slices.Concat(head, rec.Stream.Entries)
			if len(rec.Stream.Entries) > 0 {
				seen.entries[rec.Key] = rec.Stream.Entries
			}
		}
		snap.Keys = append(snap.Keys, rec)
		return nil
	}
	complete := true
	for _, k := range keys {
		typ := prev.types[k]
		if !supportedTypes[typ] {
			typ, _ = next().Text()
		}
		pttl, _ := next().Int64()
		rs := prev.readsOf(k)
		values := make([]any, len(rs))
		var readErr error
		for j := range rs {
			v, err := next().Result()
			if err != nil && !errors.Is(err, redis.Nil) {
				readErr = err
			}
			values[j] = v
		}
		head := prev.entries[k]
		switch {
		case typ == "none" || pttl == -2:
			continue
		case typ != prev.types[k] || readErr != nil:
			complete = false // changed type: learned below
			continue
		}
		var value any = values
		switch {
		case len(rs) == 1:
			value = values[0]
		case typ == "stream" && len(head) > 0:
			xlen, _ := values[0].(int64)
			tail, _ := values[1].([]any)
			if xlen != int64(len(head)+len(tail)) {
				// Entries were deleted: read the whole stream next time.
				seen.types[k] = typ
				complete = false
				continue
			}
			value = values[1:]
		default:
			head = nil
		}
		if err := add([]any{k, typ, pttl, value}, head); err != nil {
			return nil, nil, err
		}
	}
	if script {
		res, err := next().Slice()
		if err != nil {
			return nil, nil, fmt.Errorf("capture script: %w", err)
		}
		for _, raw := range res {
			if err := add(raw, nil); err != nil {
				return nil, nil, err
			}
		}
	}
	if complete && dbsize == int64(len(seen.types)) {
		slices.SortFunc(snap.Keys, func(a, b keyRecord) int { return strings.Compare(a.Key, b.Key) })
		return snap, seen, nil
	}
	if err := seen.learnTypes(ctx, c); err != nil {
		return nil, nil, err
	}
	return nil, seen, nil
}

// learnTypes adds the type of every key not yet known.
func (k *known) learnTypes(ctx context.Context, c redis.Cmdable) error {
	all, err := c.Keys(ctx, "*").Result()
	if err != nil {
		return fmt.Errorf("KEYS: %w", err)
	}
	pipe := c.Pipeline()
	var fresh []*redis.StatusCmd
	for _, key := range all {
		if _, ok := k.types[key]; !ok {
			fresh = append(fresh, pipe.Type(ctx, key))
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("TYPE: %w", err)
	}
	for _, cmd := range fresh {
		if t := cmd.Val(); t != "none" {
			k.types[cmd.Args()[1].(string)] = t
		}
	}
	return nil
}

func serverTime(res []any, err error) (time.Time, error) {
	if err != nil {
		return time.Time{}, fmt.Errorf("TIME: %w", err)
	}
	if len(res) != 2 {
		return time.Time{}, fmt.Errorf("TIME: %v", res)
	}
	sec, err1 := strconv.ParseInt(asString(res[0]), 10, 64)
	usec, err2 := strconv.ParseInt(asString(res[1]), 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return time.Time{}, fmt.Errorf("TIME: %w", err)
	}
	return time.Unix(sec, usec*1000), nil
}

// supportedTypes are the key types a snapshot holds.
var supportedTypes = map[string]bool{"string": true, "hash": true, "list": true, "set": true, "zset": true, "stream": true}

// decodeKey turns one {key, type, pttl, value} reply into a record. ok is false for a key that
// vanished (expired) while being read; a record of another type has only Key and Type.
func decodeKey(raw any, now time.Time) (rec keyRecord, ok bool, err error) {
	parts, isSlice := raw.([]any)
	if !isSlice || len(parts) != 4 {
		return rec, false, fmt.Errorf("unexpected key reply %v", raw)
	}
	rec.Key = asString(parts[0])
	rec.Type = asString(parts[1])
	pttl, _ := parts[2].(int64)
	if rec.Type == "none" || pttl == -2 || parts[3] == nil {
		return rec, false, nil
	}
	if pttl >= 0 {
		rec.ExpiresAt = now.UnixMilli() + pttl
	}
	switch rec.Type {
	case "string":
		s := asString(parts[3])
		rec.String = &s
	case "hash":
		flat := strs(parts[3])
		if len(flat)%2 != 0 {
			return rec, false, fmt.Errorf("key %q: odd HGETALL reply", rec.Key)
		}
		for i := 0; i < len(flat); i += 2 {
			rec.Hash = append(rec.Hash, [2]string{flat[i], flat[i+1]})
		}
		slices.SortFunc(rec.Hash, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	case "list":
		rec.List = strs(parts[3])
	case "set":
		rec.Set = strs(parts[3])
		slices.Sort(rec.Set)
	case "zset":
		flat := strs(parts[3])
		if len(flat)%2 != 0 {
			return rec, false, fmt.Errorf("key %q: odd ZRANGE reply", rec.Key)
		}
		for i := 0; i < len(flat); i += 2 {
			f, err := parseScore(flat[i+1])
			if err != nil {
				return rec, false, fmt.Errorf("key %q: %w", rec.Key, err)
			}
			rec.ZSet = append(rec.ZSet, zMember{Member: flat[i], Score: formatScore(f)})
		}
	case "stream":
		st, err := decodeStream(parts[3])
		if err != nil {
			return rec, false, fmt.Errorf("key %q: %w", rec.Key, err)
		}
		rec.Stream = st
	}
	return rec, true, nil
}

// decodeStream reads {XRANGE, XINFO STREAM, XINFO GROUPS}.
func decodeStream(raw any) (*streamData, error) {
	parts, _ := raw.([]any)
	if len(parts) != 3 {
		return nil, fmt.Errorf("unexpected stream reply %v", raw)
	}
	st := &streamData{Entries: []streamEntry{}}
	entries, _ := parts[0].([]any)
	for _, e := range entries {
		pair, _ := e.([]any)
		if len(pair) != 2 {
			return nil, fmt.Errorf("unexpected stream entry %v", e)
		}
		st.Entries = append(st.Entries, streamEntry{ID: asString(pair[0]), Fields: strs(pair[1])})
	}
	info := pairs(parts[1])
	st.LastID = info["last-generated-id"]
	groups, _ := parts[2].([]any)
	for _, g := range groups {
		gi := pairs(g)
		st.Groups = append(st.Groups, streamGroup{Name: gi["name"], LastDeliveredID: gi["last-delivered-id"]})
	}
	slices.SortFunc(st.Groups, func(a, b streamGroup) int { return strings.Compare(a.Name, b.Name) })
	return st, nil
}

// pairs reads a flat [name, value, ...] reply, keeping the string values.
func pairs(raw any) map[string]string {
	flat, _ := raw.([]any)
	m := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		if v, ok := flat[i+1].(string); ok {
			m[asString(flat[i])] = v
		}
	}
	return m
}

func strs(raw any) []string {
	flat, _ := raw.([]any)
	out := make([]string, len(flat))
	for i, v := range flat {
		out[i] = asString(v)
	}
	return out
}

func asString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	default:
		return ""
	}
}

// restoreBatch bounds the commands held in one pipeline during restore.
const restoreBatch = 1000
