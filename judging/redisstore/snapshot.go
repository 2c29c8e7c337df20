package redisstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"
)

// snapshotName is the file, inside the data directory, that holds the embedded dataset.
const snapshotName = "awards-snapshot.json"

// snapshotVersion is the format written; a file of another version is refused.
const snapshotVersion = 1

// snapshot is the whole dataset of database 0 at one instant.
type snapshot struct {
	Version int         `json:"version"`
	SavedAt time.Time   `json:"saved_at"`
	Keys    []keyRecord `json:"keys"`
}

// keyRecord is one key: its type, its payload in the field named after the type, and its
// expiry as an absolute Unix time in milliseconds (0: none), so that time spent stopped counts.
// When one of its strings is not valid UTF-8 (which JSON cannot carry), Encoding is "base64"
// and all of its strings (key, values, members, fields, group names) are in base64.
type keyRecord struct {
	Key       string      `json:"key"`
	Type      string      `json:"type"`
	Encoding  string      `json:"encoding,omitempty"`
	ExpiresAt int64       `json:"expires_at_ms,omitempty"`
	String    *string     `json:"string,omitempty"`
	Hash      [][2]string `json:"hash,omitempty"`
	List      []string    `json:"list,omitempty"`
	Set       []string    `json:"set,omitempty"`
	ZSet      []zMember   `json:"zset,omitempty"`
	Stream    *streamData `json:"stream,omitempty"`
}

// zMember is one sorted-set member. Score is the shortest text that parses back to the same
// float64, or "inf" / "-inf".
type zMember struct {
	Member string `json:"member"`
	Score  string `json:"score"`
}

// streamData is a stream's entries in id order, its last generated id, and its consumer
// groups' positions (pending entries lists are not kept).
type streamData struct {
	Entries []streamEntry `json:"entries"`
	LastID  string        `json:"last_id,omitempty"`
	Groups  []streamGroup `json:"groups,omitempty"`
}

// streamEntry is one stream entry; Fields alternates field and value, in their order.
type streamEntry struct {
	ID     string   `json:"id"`
	Fields []string `json:"fields"`
}

// streamGroup is a consumer group and the last id it delivered.
type streamGroup struct {
	Name            string `json:"name"`
	LastDeliveredID string `json:"last_delivered_id"`
}

// base64Encoding marks a record whose strings are in base64.
const base64Encoding = "base64"

// eachString calls f on every string of the record that holds data (not ids or scores).
func (r *keyRecord) eachString(f func(*string)) {
	f(&r.Key)
	if r.String != nil {
		f(r.String)
	}
	for i := range r.Hash {
		f(&r.Hash[i][0])
		f(&r.Hash[i][1])
	}
	for i := range r.List {
		f(&r.List[i])
	}
	for i := range r.Set {
		f(&r.Set[i])
	}
	for i := range r.ZSet {
		f(&r.ZSet[i].Member)
	}
	if r.Stream != nil {
		for i := range r.Stream.Entries {
			for j := range r.Stream.Entries[i].Fields {
				f(&r.Stream.Entries[i].Fields[j])
			}
		}
		for i := range r.Stream.Groups {
			f(&r.Stream.Groups[i].Name)
		}
	}
}

// encodedBinary is the record itself, or when one of its strings is not valid UTF-8 a copy
// in base64 (a copy: its slices may be shared with the next capture's knowledge).
func (r keyRecord) encodedBinary() keyRecord {
	binary := false
	r.eachString(func(s *string) { binary = binary || !utf8.ValidString(*s) })
	if !binary {
		return r
	}
	c := r.clone()
	c.Encoding = base64Encoding
	c.eachString(func(s *string) { *s = base64.StdEncoding.EncodeToString([]byte(*s)) })
	return c
}

// clone copies the record's slices, deeply.
func (r keyRecord) clone() keyRecord {
	if r.String != nil {
		s := *r.String
		r.String = &s
	}
	r.Hash = slices.Clone(r.Hash)
	r.List = slices.Clone(r.List)
	r.Set = slices.Clone(r.Set)
	r.ZSet = slices.Clone(r.ZSet)
	if r.Stream != nil {
		st := *r.Stream
		st.Entries = slices.Clone(st.Entries)
		for i := range st.Entries {
			st.Entries[i].Fields = slices.Clone(st.Entries[i].Fields)
		}
		st.Groups = slices.Clone(st.Groups)
		r.Stream = &st
	}
	return r
}

// decodeBinary undoes encodeBinary.
func (r *keyRecord) decodeBinary() error {
	switch r.Encoding {
	case "":
		return nil
	case base64Encoding:
		var err error
		r.eachString(func(s *string) {
			b, e := base64.StdEncoding.DecodeString(*s)
			err = cmp.Or(err, e)
			*s = string(b)
		})
		r.Encoding = ""
		return err
	default:
		return fmt.Errorf("unknown encoding %q", r.Encoding)
	}
}

// formatScore writes a score as ZADD reads it back exactly.
func formatScore(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	default:
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
}

// parseScore reads a score; NaN is not one.
func parseScore(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err == nil && math.IsNaN(f) {
		err = errors.New("NaN")
	}
	if err != nil {
		return 0, fmt.Errorf("score %q: %w", s, err)
	}
	return f, nil
}

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
// writes, and what it saw for the next capture. prev may be nil. skipped receives each key of
// a type the snapshot cannot hold (only miniredis' HyperLogLog), with that type.
//
// Everything is read in one MULTI/EXEC, which miniredis runs under its lock: TIME, DBSIZE,
// and for each key prev knows PTTL and the reads for its type. That holds the whole dataset
// when no key changed type and DBSIZE counts no key beyond the known ones. Else the new types
// are learned and the transaction is sent again, this time ending with captureScript, which
// reads the keys still unknown. Only a key that changes type again in between needs a third
// try: captureScript alone, which is as atomic but costs about 50 µs per key inside the lock
// (each redis.call does, in miniredis).
func capture(ctx context.Context, c redis.Cmdable, prev *known, skipped func(key, typ string)) (*snapshot, *known, error) {
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
//
// A key of a kept type is read with PTTL and its reads: PTTL -2 means it is gone, an error
// (WRONGTYPE) that it changed type, and for a stream read from its tail an XLEN other than
// the known entries plus the new ones that entries were deleted. A key of another type is
// asked its TYPE.
func captureTx(ctx context.Context, c redis.Cmdable, prev *known, script bool, skipped func(key, typ string)) (snap *snapshot, seen *known, err error) {
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

// readSnapshot loads path; a missing file is (nil, nil); anything unreadable is an error.
func readSnapshot(path string) (*snapshot, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var snap snapshot
	if err := strictUnmarshal(data, &snap); err != nil {
		return nil, err
	}
	if snap.Version != snapshotVersion {
		return nil, fmt.Errorf("format version %d, this build reads version %d", snap.Version, snapshotVersion)
	}
	for i := range snap.Keys {
		rec := &snap.Keys[i]
		if err := rec.decodeBinary(); err != nil {
			return nil, fmt.Errorf("key #%d: %w", i, err)
		}
		if err := rec.validate(); err != nil {
			return nil, fmt.Errorf("key #%d %q: %w", i, rec.Key, err)
		}
	}
	return &snap, nil
}

// validate checks that the payload matches the type, and the scores.
func (r *keyRecord) validate() error {
	var ok bool
	switch r.Type {
	case "string":
		ok = r.String != nil
	case "hash":
		ok = len(r.Hash) > 0
	case "list":
		ok = len(r.List) > 0
	case "set":
		ok = len(r.Set) > 0
	case "zset":
		ok = len(r.ZSet) > 0
	case "stream":
		ok = r.Stream != nil
	default:
		return fmt.Errorf("unknown type %q", r.Type)
	}
	if !ok {
		return fmt.Errorf("no %s payload", r.Type)
	}
	for _, m := range r.ZSet {
		if _, err := parseScore(m.Score); err != nil {
			return err
		}
	}
	return nil
}

func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the snapshot")
	}
	return nil
}

// writeSnapshot replaces path atomically and durably: temp file in the same directory,
// fsync, rename, fsync of the directory. It puts binary records in base64, in snap.Keys.
func writeSnapshot(path string, snap *snapshot) (err error) {
	for i := range snap.Keys {
		snap.Keys[i] = snap.Keys[i].encodedBinary()
	}
	data, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, snapshotName+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// removeStaleTemps deletes temp files left by a write that a crash interrupted.
func removeStaleTemps(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, snapshotName+".*.tmp"))
	for _, m := range matches {
		os.Remove(m)
	}
}
