package embedded

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
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
