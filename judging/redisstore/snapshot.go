package redisstore

import (
	"bytes"
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
type keyRecord struct {
	Key       blob        `json:"key"`
	Type      string      `json:"type"`
	ExpiresAt int64       `json:"expires_at_ms,omitempty"`
	String    *blob       `json:"string,omitempty"`
	Hash      [][2]blob   `json:"hash,omitempty"`
	List      []blob      `json:"list,omitempty"`
	Set       []blob      `json:"set,omitempty"`
	ZSet      []zMember   `json:"zset,omitempty"`
	Stream    *streamData `json:"stream,omitempty"`
}

// zMember is one sorted-set member with its exact score.
type zMember struct {
	Member blob  `json:"member"`
	Score  score `json:"score"`
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
	ID     string `json:"id"`
	Fields []blob `json:"fields"`
}

// streamGroup is a consumer group and the last id it delivered.
type streamGroup struct {
	Name            blob   `json:"name"`
	LastDeliveredID string `json:"last_delivered_id"`
}

// blob is a Redis string: a JSON string when it is valid UTF-8, else {"base64": "..."},
// because encoding/json would replace invalid bytes.
type blob string

type base64Blob struct {
	Base64 string `json:"base64"`
}

func (b blob) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(b)) {
		return json.Marshal(string(b))
	}
	return json.Marshal(base64Blob{base64.StdEncoding.EncodeToString([]byte(b))})
}

func (b *blob) UnmarshalJSON(data []byte) error {
	if bytes.HasPrefix(data, []byte("{")) {
		var v base64Blob
		if err := strictUnmarshal(data, &v); err != nil {
			return err
		}
		raw, err := base64.StdEncoding.DecodeString(v.Base64)
		if err != nil {
			return err
		}
		*b = blob(raw)
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*b = blob(s)
	return nil
}

// score is a sorted-set score: a JSON number (shortest form that parses back to the same
// float64), or the string "inf" / "-inf", which JSON numbers cannot express.
type score float64

func (s score) MarshalJSON() ([]byte, error) {
	switch f := float64(s); {
	case math.IsInf(f, 1):
		return []byte(`"inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-inf"`), nil
	case math.IsNaN(f):
		return nil, errors.New("NaN score")
	default:
		return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
	}
}

func (s *score) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case `"inf"`:
		*s = score(math.Inf(1))
	case `"-inf"`:
		*s = score(math.Inf(-1))
	default:
		f, err := strconv.ParseFloat(string(data), 64)
		if err != nil {
			return fmt.Errorf("score %s: %w", data, err)
		}
		*s = score(f)
	}
	return nil
}

// redisArg is the score as ZADD reads it back exactly.
func (s score) redisArg() string {
	return strconv.FormatFloat(float64(s), 'g', -1, 64)
}

// capture reads a consistent copy of database 0, never half of a script's or transaction's
// writes. known maps each key of the previous capture to its type (nil: none known); the
// returned map is the same for this capture. skipped receives each key of a type the snapshot
// cannot hold (only miniredis' HyperLogLog), with that type.
//
// Everything is read in one MULTI/EXEC, which miniredis runs under its lock: TIME, DBSIZE,
// and for each known key TYPE, PTTL and the read for its type. That holds the whole dataset
// when no key changed type and DBSIZE counts no key beyond the known ones. Else the new types
// are learned and the transaction is sent again, this time ending with captureScript, which
// reads the keys still unknown. Only a key that changes type again in between needs a third
// try: captureScript alone, which is as atomic but costs about 50 µs per key inside the lock
// (each redis.call does, in miniredis).
func capture(ctx context.Context, c redis.Cmdable, known map[string]string, skipped func(key, typ string)) (*snapshot, map[string]string, error) {
	for _, script := range []bool{false, true} {
		snap, types, retry, err := captureTx(ctx, c, known, script, skipped)
		if err != nil {
			return nil, nil, fmt.Errorf("read dataset: %w", err)
		}
		if retry == nil {
			return snap, types, nil
		}
		known = retry
	}
	snap, types, err := captureScripted(ctx, c, skipped)
	if err != nil {
		return nil, nil, fmt.Errorf("read dataset: %w", err)
	}
	return snap, types, nil
}

// captureScripted reads everything with captureScript.
func captureScripted(ctx context.Context, c redis.Cmdable, skipped func(key, typ string)) (*snapshot, map[string]string, error) {
	snap, types, _, err := captureTx(ctx, c, nil, true, skipped)
	return snap, types, err
}

// reads are the commands that read a key of each type, after its TYPE and PTTL.
var reads = map[string][][]string{
	"string": {{"GET"}},
	"hash":   {{"HGETALL"}},
	"list":   {{"LRANGE", "", "0", "-1"}},
	"set":    {{"SMEMBERS"}},
	"zset":   {{"ZRANGE", "", "0", "-1", "WITHSCORES"}},
	"stream": {{"XRANGE", "", "-", "+"}, {"XINFO", "STREAM"}, {"XINFO", "GROUPS"}},
}

// readArgs places the key in a read: after the command, or after its subcommand.
func readArgs(read []string, key string) []any {
	args := []any{read[0]}
	switch {
	case len(read) == 1:
		args = append(args, key)
	case read[1] == "":
		args = append(args, key)
		for _, a := range read[2:] {
			args = append(args, a)
		}
	default:
		args = append(args, read[1], key)
	}
	return args
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

// captureTx reads the known keys in one transaction, and with script the others too.
// retry is non-nil, holding the types to use next time, when that was not the whole dataset.
func captureTx(ctx context.Context, c redis.Cmdable, known map[string]string, script bool, skipped func(key, typ string)) (snap *snapshot, types, retry map[string]string, err error) {
	keys := slices.Sorted(maps.Keys(known))
	nReads := 0
	cmds, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Do(ctx, "TIME")
		p.Do(ctx, "DBSIZE")
		for _, k := range keys {
			p.Do(ctx, "TYPE", k)
			p.Do(ctx, "PTTL", k)
			for _, r := range reads[known[k]] {
				p.Do(ctx, readArgs(r, k)...)
				nReads++
			}
		}
		if script {
			args := make([]any, len(keys))
			for i, k := range keys {
				args[i] = k
			}
			p.Eval(ctx, captureScript, nil, args...)
		}
		return nil
	})
	want := 2 + 2*len(keys) + nReads
	if script {
		want++
	}
	if len(cmds) != want {
		return nil, nil, nil, fmt.Errorf("transaction: %d replies for %d commands: %w", len(cmds), want, err)
	}
	now, err := serverTime(cmds[0].(*redis.Cmd).Slice())
	if err != nil {
		return nil, nil, nil, err
	}
	dbsize, err := cmds[1].(*redis.Cmd).Int64()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("DBSIZE: %w", err)
	}
	snap = &snapshot{Version: snapshotVersion, SavedAt: now.UTC(), Keys: make([]keyRecord, 0, len(keys))}
	types = make(map[string]string, len(keys))
	add := func(raw any) error {
		rec, ok, err := decodeKey(raw, now)
		if err != nil || !ok {
			return err
		}
		types[string(rec.Key)] = rec.Type
		if !supportedTypes[rec.Type] {
			skipped(string(rec.Key), rec.Type)
			return nil
		}
		snap.Keys = append(snap.Keys, rec)
		return nil
	}
	var changed map[string]string
	i := 2
	for _, k := range keys {
		typ, _ := cmds[i].(*redis.Cmd).Text()
		pttl, _ := cmds[i+1].(*redis.Cmd).Int64()
		i += 2
		n := len(reads[known[k]])
		values := make([]any, n)
		var readErr error
		for j := range n {
			v, err := cmds[i+j].(*redis.Cmd).Result()
			if err != nil && !errors.Is(err, redis.Nil) {
				readErr = err
			}
			values[j] = v
		}
		i += n
		switch {
		case typ == "none":
			continue
		case typ != known[k]:
			if changed == nil {
				changed = map[string]string{}
			}
			changed[k] = typ
			continue
		case readErr != nil:
			return nil, nil, nil, fmt.Errorf("key %q: %w", k, readErr)
		}
		var value any = values
		if n == 1 {
			value = values[0]
		}
		if err := add([]any{k, typ, pttl, value}); err != nil {
			return nil, nil, nil, err
		}
	}
	if script {
		res, err := cmds[i].(*redis.Cmd).Slice()
		if err != nil {
			return nil, nil, nil, fmt.Errorf("capture script: %w", err)
		}
		for _, raw := range res {
			if err := add(raw); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	slices.SortFunc(snap.Keys, func(a, b keyRecord) int { return strings.Compare(string(a.Key), string(b.Key)) })
	if changed == nil && dbsize == int64(len(types)) {
		return snap, types, nil, nil
	}
	retry, err = learnTypes(ctx, c, types, changed)
	return nil, nil, retry, err
}

// learnTypes returns types, plus changed, plus the type of every key not in either.
func learnTypes(ctx context.Context, c redis.Cmdable, types, changed map[string]string) (map[string]string, error) {
	learned := maps.Clone(types)
	maps.Copy(learned, changed)
	all, err := c.Keys(ctx, "*").Result()
	if err != nil {
		return nil, fmt.Errorf("KEYS: %w", err)
	}
	pipe := c.Pipeline()
	var fresh []*redis.StatusCmd
	for _, k := range all {
		if _, ok := learned[k]; !ok {
			fresh = append(fresh, pipe.Type(ctx, k))
		}
	}
	if len(fresh) == 0 {
		return learned, nil
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("TYPE: %w", err)
	}
	for _, cmd := range fresh {
		if t := cmd.Val(); t != "none" {
			learned[cmd.Args()[1].(string)] = t
		}
	}
	return learned, nil
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
	rec.Key = blob(asString(parts[0]))
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
		s := blob(asString(parts[3]))
		rec.String = &s
	case "hash":
		flat := blobs(parts[3])
		if len(flat)%2 != 0 {
			return rec, false, fmt.Errorf("key %q: odd HGETALL reply", rec.Key)
		}
		for i := 0; i < len(flat); i += 2 {
			rec.Hash = append(rec.Hash, [2]blob{flat[i], flat[i+1]})
		}
		slices.SortFunc(rec.Hash, func(a, b [2]blob) int { return strings.Compare(string(a[0]), string(b[0])) })
	case "list":
		rec.List = blobs(parts[3])
	case "set":
		rec.Set = blobs(parts[3])
		slices.Sort(rec.Set)
	case "zset":
		flat := blobs(parts[3])
		if len(flat)%2 != 0 {
			return rec, false, fmt.Errorf("key %q: odd ZRANGE reply", rec.Key)
		}
		for i := 0; i < len(flat); i += 2 {
			f, err := strconv.ParseFloat(string(flat[i+1]), 64)
			if err != nil {
				return rec, false, fmt.Errorf("key %q: score %q: %w", rec.Key, flat[i+1], err)
			}
			rec.ZSet = append(rec.ZSet, zMember{Member: flat[i], Score: score(f)})
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
		st.Entries = append(st.Entries, streamEntry{ID: asString(pair[0]), Fields: blobs(pair[1])})
	}
	info := pairs(parts[1])
	st.LastID = info["last-generated-id"]
	groups, _ := parts[2].([]any)
	for _, g := range groups {
		gi := pairs(g)
		st.Groups = append(st.Groups, streamGroup{Name: blob(gi["name"]), LastDeliveredID: gi["last-delivered-id"]})
	}
	slices.SortFunc(st.Groups, func(a, b streamGroup) int { return strings.Compare(string(a.Name), string(b.Name)) })
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

func blobs(raw any) []blob {
	flat, _ := raw.([]any)
	out := make([]blob, len(flat))
	for i, v := range flat {
		out[i] = blob(asString(v))
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
// and returns the type of each key restored.
func restore(ctx context.Context, c redis.UniversalClient, snap *snapshot, now time.Time) (map[string]string, error) {
	types := make(map[string]string, len(snap.Keys))
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
		k := string(rec.Key)
		types[k] = rec.Type
		switch rec.Type {
		case "string":
			pipe.Set(ctx, k, string(*rec.String), 0)
		case "hash":
			args := make([]any, 0, 2*len(rec.Hash))
			for _, fv := range rec.Hash {
				args = append(args, string(fv[0]), string(fv[1]))
			}
			pipe.HSet(ctx, k, args...)
		case "list":
			pipe.RPush(ctx, k, anys(rec.List)...)
		case "set":
			pipe.SAdd(ctx, k, anys(rec.Set)...)
		case "zset":
			args := []any{"ZADD", k}
			for _, m := range rec.ZSet {
				args = append(args, m.Score.redisArg(), string(m.Member))
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
	return types, nil
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
		pipe.Do(ctx, "XGROUP", "CREATE", k, string(g.Name), g.LastDeliveredID)
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

func anys(bs []blob) []any {
	out := make([]any, len(bs))
	for i, b := range bs {
		out[i] = string(b)
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
	for i, rec := range snap.Keys {
		if err := rec.validate(); err != nil {
			return nil, fmt.Errorf("key #%d %q: %w", i, rec.Key, err)
		}
	}
	return &snap, nil
}

// validate checks that the payload matches the type.
func (r keyRecord) validate() error {
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
// fsync, rename, fsync of the directory.
func writeSnapshot(path string, snap *snapshot) (err error) {
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
