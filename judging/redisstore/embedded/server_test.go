package embedded

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
)

// Scores that a text round trip with too few digits would change.
var trickyScores = map[string]float64{
	"point3":  add(0.1, 0.2), // 0.30000000000000004; the constant 0.1 + 0.2 would be exactly 0.3
	"tiny":    1e-300,
	"third":   73.33333333333333,
	"denorm":  5e-324,
	"huge":    math.MaxFloat64,
	"neg":     -2.5,
	"big-int": 123456789012345678,
	"pos-inf": math.Inf(1),
	"neg-inf": math.Inf(-1),
}

func add(a, b float64) float64 { return a + b }

func openTest(tb testing.TB, dir string) *Server {
	tb.Helper()
	e, err := Open(dir, slog.New(slog.NewTextHandler(tb.Output(), nil)))
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	tb.Cleanup(func() { e.Close() })
	return e
}

func mustClose(tb testing.TB, e *Server) {
	tb.Helper()
	if err := e.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
}

// writeEveryType fills the store with one key of each kind the snapshot keeps.
func writeEveryType(tb testing.TB, c redis.UniversalClient) {
	tb.Helper()
	ctx := context.Background()
	zs := make([]redis.Z, 0, len(trickyScores))
	for m, s := range trickyScores {
		zs = append(zs, redis.Z{Score: s, Member: m})
	}
	must(tb, c.Set(ctx, "str", "hello", 0).Err())
	must(tb, c.Set(ctx, "bin\xff\x00key", "\x00\xfe\xffvalue\n", 0).Err())
	must(tb, c.Set(ctx, "unicode", "Cérémonie — 表彰", 0).Err())
	must(tb, c.HSet(ctx, "hash", "a", "1", "b", "", "c\xff", "3").Err())
	must(tb, c.RPush(ctx, "list", "c", "a", "b", "a").Err())
	must(tb, c.SAdd(ctx, "set", "x", "y", "z").Err())
	must(tb, c.ZAdd(ctx, "zset", zs...).Err())
	must(tb, c.Do(ctx, "XADD", "stream", "5-0", "z", "1", "a", "2", "m", "3").Err())
	must(tb, c.Do(ctx, "XADD", "stream", "6-0", "only", "field").Err())
	must(tb, c.Do(ctx, "XADD", "stream", "7-0", "gone", "soon").Err())
	must(tb, c.Do(ctx, "XDEL", "stream", "7-0").Err())
	must(tb, c.Do(ctx, "XGROUP", "CREATE", "stream", "readers", "5-0").Err())
	must(tb, c.Set(ctx, "ttl", "v", time.Minute).Err())
	must(tb, c.HSet(ctx, "ttl-hash", "f", "v").Err())
	must(tb, c.PExpire(ctx, "ttl-hash", time.Hour).Err())
}

// checkEveryType checks what writeEveryType wrote, read back with plain commands.
func checkEveryType(tb testing.TB, c redis.UniversalClient) {
	tb.Helper()
	ctx := context.Background()
	for k, want := range map[string]string{"str": "hello", "bin\xff\x00key": "\x00\xfe\xffvalue\n", "unicode": "Cérémonie — 表彰"} {
		if got, err := c.Get(ctx, k).Result(); err != nil || got != want {
			tb.Errorf("GET %q = %q, %v; want %q", k, got, err, want)
		}
	}
	if diff := cmp.Diff(map[string]string{"a": "1", "b": "", "c\xff": "3"}, c.HGetAll(ctx, "hash").Val()); diff != "" {
		tb.Errorf("HGETALL hash (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c", "a", "b", "a"}, c.LRange(ctx, "list", 0, -1).Val()); diff != "" {
		tb.Errorf("LRANGE list (-want +got):\n%s", diff)
	}
	members := c.SMembers(ctx, "set").Val()
	slices.Sort(members)
	if diff := cmp.Diff([]string{"x", "y", "z"}, members); diff != "" {
		tb.Errorf("SMEMBERS set (-want +got):\n%s", diff)
	}
	for m, want := range trickyScores {
		got, err := c.ZScore(ctx, "zset", m).Result()
		if err != nil || got != want {
			tb.Errorf("ZSCORE zset %s = %v (%b), %v; want exactly %v (%b)", m, got, got, err, want, want)
		}
	}
	// Entry ids and field order survive.
	entries, err := c.Do(ctx, "XRANGE", "stream", "-", "+").Slice()
	want := []any{
		[]any{"5-0", []any{"z", "1", "a", "2", "m", "3"}},
		[]any{"6-0", []any{"only", "field"}},
	}
	if diff := cmp.Diff(want, entries); err != nil || diff != "" {
		tb.Errorf("XRANGE stream: %v (-want +got):\n%s", err, diff)
	}
	// The group keeps its position.
	if got := groupLastDelivered(tb, c, "stream", "readers"); got != "5-0" {
		tb.Errorf("group readers last-delivered-id = %q, want 5-0", got)
	}
	for k, max := range map[string]time.Duration{"ttl": time.Minute, "ttl-hash": time.Hour} {
		if got := c.PTTL(ctx, k).Val(); got <= 0 || got > max {
			tb.Errorf("PTTL %s = %v, want in (0, %v]", k, got, max)
		}
	}
	if got := c.PTTL(ctx, "str").Val(); got != -1 {
		tb.Errorf("PTTL str = %v, want -1 (no expiry)", got)
	}
}

// groupLastDelivered reads a consumer group's last-delivered-id from XINFO GROUPS (a RESP3 map
// per group).
func groupLastDelivered(tb testing.TB, c redis.UniversalClient, key, group string) string {
	tb.Helper()
	groups, err := c.Do(context.Background(), "XINFO", "GROUPS", key).Slice()
	if err != nil {
		tb.Fatalf("XINFO GROUPS %s: %v", key, err)
	}
	for _, g := range groups {
		m, _ := g.(map[any]any)
		if m["name"] == group {
			id, _ := m["last-delivered-id"].(string)
			return id
		}
	}
	return ""
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func TestServer_Close(t *testing.T) {
	t.Run("OKKeepsEveryType", func(t *testing.T) {
		// Every key type, binary keys and values, exact scores, stream ids, field order,
		// groups and TTLs are the same after a clean Close and a reopen.
		dir := t.TempDir()
		e := openTest(t, dir)
		writeEveryType(t, e.Client())
		checkEveryType(t, e.Client())
		mustClose(t, e)

		e = openTest(t, dir)
		checkEveryType(t, e.Client())
		// The stream's last id was 7-0 (deleted): a new id at 7 must come after it.
		id, err := e.Client().Do(context.Background(), "XADD", "stream", "7-*", "new", "1").Text()
		if err != nil || id != "7-1" {
			t.Errorf("XADD stream 7-* = %q, %v; want 7-1", id, err)
		}
		mustClose(t, e)

		// A second generation still holds everything (the restored data is saved again).
		e = openTest(t, dir)
		if got := e.Client().XLen(context.Background(), "stream").Val(); got != 3 {
			t.Errorf("XLEN stream = %d, want 3", got)
		}
	})
	t.Run("OKWritesWithoutWaitingForTheLoop", func(t *testing.T) {
		// A write acknowledged just before Close is in the snapshot.
		dir := t.TempDir()
		e := openTest(t, dir)
		must(t, e.Client().Set(context.Background(), "last", "write", 0).Err())
		mustClose(t, e)
		e = openTest(t, dir)
		if got := e.Client().Get(context.Background(), "last").Val(); got != "write" {
			t.Fatalf("GET last = %q, want write", got)
		}
	})
	t.Run("OKTwice", func(t *testing.T) {
		// Close may be called again, and after Client() was closed by the caller.
		e := openTest(t, t.TempDir())
		must(t, e.Client().Close())
		mustClose(t, e)
		mustClose(t, e)
	})
}

func TestServer_flush(t *testing.T) {
	t.Run("OKNothingChanged", func(t *testing.T) {
		// Reads leave the dataset clean: flush writes no file.
		dir := t.TempDir()
		e := openTest(t, dir)
		ctx := context.Background()
		e.Client().Get(ctx, "nothing")
		e.Client().Ping(ctx)
		e.Client().Publish(ctx, "ch", "hi")
		e.Client().Eval(ctx, "return 1", nil) // EVAL counts as a write; write it out now
		must(t, e.flush())
		before, err := os.Stat(e.path)
		must(t, err)
		e.Client().Get(ctx, "nothing")
		e.Client().Do(ctx, "EVAL_RO", "return 1", 0)
		if e.dirty.Load() {
			t.Fatal("dirty after read-only commands")
		}
		must(t, e.flush())
		after, err := os.Stat(e.path)
		must(t, err)
		if !after.ModTime().Equal(before.ModTime()) {
			t.Fatal("flush rewrote the snapshot though nothing changed")
		}
	})
	t.Run("OKAfterWrite", func(t *testing.T) {
		// After a write, flush returns once the snapshot on disk holds it.
		dir := t.TempDir()
		e := openTest(t, dir)
		ctx := context.Background()
		must(t, e.Client().Set(ctx, "k", "v", 0).Err())
		must(t, e.flush())
		if !snapshotHas(t, e.path, "k") {
			t.Fatal("snapshot does not hold k after flush")
		}
	})
	t.Run("OKScriptAndPipeline", func(t *testing.T) {
		// Scripts and pipelined (MULTI/EXEC) writes mark the dataset dirty.
		e := openTest(t, t.TempDir())
		ctx := context.Background()
		must(t, e.flush())
		e.dirty.Store(false)
		must(t, e.Client().Eval(ctx, "return redis.call('SET', KEYS[1], 'v')", []string{"s"}).Err())
		if !e.dirty.Load() {
			t.Fatal("EVAL did not mark the dataset dirty")
		}
		e.dirty.Store(false)
		_, err := e.Client().TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Get(ctx, "s")
			p.Incr(ctx, "n")
			return nil
		})
		must(t, err)
		if !e.dirty.Load() {
			t.Fatal("MULTI/INCR/EXEC did not mark the dataset dirty")
		}
	})
}

// snapshotHas reports whether the snapshot file holds key.
func snapshotHas(tb testing.TB, path, key string) bool {
	tb.Helper()
	snap, err := readSnapshot(path)
	if err != nil {
		tb.Fatalf("readSnapshot: %v", err)
	}
	return snap != nil && slices.ContainsFunc(snap.Keys, func(r keyRecord) bool { return r.Key == key })
}

func TestServer_loop(t *testing.T) {
	// A write through Client() reaches the snapshot file by itself, within about a second.
	e := openTest(t, t.TempDir())
	must(t, e.Client().Set(context.Background(), "soon", "on disk", 0).Err())
	deadline := time.Now().Add(5 * time.Second)
	for !snapshotHas(t, e.path, "soon") {
		if time.Now().After(deadline) {
			t.Fatal("the snapshot did not hold the write after 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestServer_Client(t *testing.T) {
	t.Run("OKPubSub", func(t *testing.T) {
		// PUBLISH/SUBSCRIBE work through Client().
		e := openTest(t, t.TempDir())
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		sub := e.Client().Subscribe(ctx, "live")
		defer sub.Close()
		if _, err := sub.Receive(ctx); err != nil {
			t.Fatal(err)
		}
		must(t, e.Client().Publish(ctx, "live", "score").Err())
		msg, err := sub.ReceiveMessage(ctx)
		if err != nil || msg.Payload != "score" {
			t.Fatalf("ReceiveMessage = %v, %v; want score", msg, err)
		}
	})
}

func TestCapture(t *testing.T) {
	// A snapshot never holds half of a script that writes several keys, whether it is read
	// by the transaction (keys known), with new keys appearing, or by the fallback script.
	const script = `local n = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], n)
redis.call('HSET', KEYS[3], 'n', n)
redis.call('ZADD', KEYS[4], n, 'm')
if ARGV[1] == 'new' then redis.call('SET', 'new:' .. n, n) end
return n`
	for name, tc := range map[string]struct {
		newKeys  bool
		scripted bool
	}{
		"OKAtomicKnownKeys":   {},
		"OKAtomicNewKeys":     {newKeys: true},
		"OKAtomicScripted":    {scripted: true},
		"OKAtomicScriptedNew": {newKeys: true, scripted: true},
	} {
		t.Run(name, func(t *testing.T) {
			e := openTest(t, t.TempDir())
			ctx, cancel := context.WithCancel(context.Background())
			arg := ""
			if tc.newKeys {
				arg = "new"
			}
			// Writers write until the captures are done (bounded, so that with new keys the
			// dataset stays small); a capture counts as taken while the script ran only if the
			// writers were still at work after it, so a slow machine cannot fake or fail it.
			var wg sync.WaitGroup
			for range 2 {
				wg.Go(func() {
					for i := 0; i < 3000 && ctx.Err() == nil; i++ {
						e.Client().Eval(ctx, script, []string{"a", "b", "h", "z"}, arg)
					}
				})
			}
			writing := make(chan struct{})
			go func() {
				wg.Wait()
				close(writing)
			}()
			defer func() {
				cancel()
				<-writing
			}()
			// Captures start once the writers have written, else a fast reader could take all
			// its captures of an empty store before the writers are scheduled.
			for deadline := time.Now().Add(10 * time.Second); ; {
				if n, _ := e.Client().Exists(ctx, "a").Result(); n == 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the writers never wrote")
				}
				runtime.Gosched()
			}
			var seenBefore *known
			seen := 0
			for n := 0; n < 50; n++ {
				select {
				case <-writing:
					if n >= 20 {
						goto done
					}
				default:
				}
				var snap *snapshot
				var err error
				if tc.scripted {
					snap, _, err = captureScripted(context.Background(), e.admin, func(string, string) {})
				} else {
					snap, seenBefore, err = capture(context.Background(), e.admin, seenBefore, func(string, string) {})
				}
				must(t, err)
				vals := map[string]string{}
				news := 0
				for _, r := range snap.Keys {
					switch {
					case strings.HasPrefix(r.Key, "new:"):
						news++
					case r.Type == "string":
						vals[r.Key] = *r.String
					case r.Type == "hash":
						vals[r.Key] = r.Hash[0][1]
					case r.Type == "zset":
						vals[r.Key] = r.ZSet[0].Score
					}
				}
				if vals["a"] != vals["b"] || vals["a"] != vals["h"] || vals["a"] != vals["z"] {
					t.Fatalf("torn snapshot: %v", vals)
				}
				if tc.newKeys && vals["a"] != "" && fmt.Sprint(news) != vals["a"] {
					t.Fatalf("snapshot at a=%s holds %d new:* keys", vals["a"], news)
				}
				select {
				case <-writing:
				default:
					if vals["a"] != "" {
						seen++ // the writers were at work before and after this capture
					}
				}
				if seen >= 5 {
					goto done
				}
			}
		done:
			if seen == 0 {
				t.Fatal("no snapshot was taken while the script ran")
			}
		})
	}
	t.Run("OKStaleTypes", func(t *testing.T) {
		// Keys that changed type, vanished or appeared since the last capture are read as
		// they are now.
		e := openTest(t, t.TempDir())
		ctx := context.Background()
		must(t, e.Client().HSet(ctx, "changed", "f", "v").Err())
		must(t, e.Client().Set(ctx, "appeared", "1", 0).Err())
		prev := &known{types: map[string]string{"changed": "string", "gone": "list"}}
		snap, seen, err := capture(ctx, e.admin, prev, func(string, string) {})
		must(t, err)
		if diff := cmp.Diff(map[string]string{"changed": "hash", "appeared": "string"}, seen.types); diff != "" {
			t.Errorf("types (-want +got):\n%s", diff)
		}
		var got []string
		for _, r := range snap.Keys {
			got = append(got, r.Key+":"+r.Type)
		}
		if diff := cmp.Diff([]string{"appeared:string", "changed:hash"}, got); diff != "" {
			t.Errorf("snapshot keys (-want +got):\n%s", diff)
		}
	})
	t.Run("OKStreamTail", func(t *testing.T) {
		// A stream read from its tail equals the stream read whole, after appends, deletions
		// (of old or new entries), trims, and binary fields that the file holds in base64.
		e := openTest(t, t.TempDir())
		ctx := context.Background()
		c := e.Client()
		var prev *known
		step := func(name string, write func()) {
			t.Helper()
			write()
			snap, seen, err := capture(ctx, e.admin, prev, func(string, string) {})
			must(t, err)
			prev = seen
			whole, _, err := captureScripted(ctx, e.admin, func(string, string) {})
			must(t, err)
			if diff := cmp.Diff(whole.Keys, snap.Keys); diff != "" {
				t.Fatalf("after %s (-whole +tail):\n%s", name, diff)
			}
			must(t, writeSnapshot(filepath.Join(t.TempDir(), snapshotName), snap))
		}
		step("first entries", func() {
			for i := range 5 {
				must(t, c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: fmt.Sprintf("%d-0", i+1), Values: []string{"n", fmt.Sprint(i)}}).Err())
			}
		})
		step("appends", func() {
			must(t, c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "6-0", Values: []string{"bin", "\xff\x00"}}).Err())
			must(t, c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "6-1", Values: []string{"n", "6"}}).Err())
		})
		step("nothing new", func() {})
		step("delete an old entry and append", func() {
			must(t, c.XDel(ctx, "s", "2-0").Err())
			must(t, c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "7-0", Values: []string{"n", "7"}}).Err())
		})
		step("delete the last entry", func() { must(t, c.XDel(ctx, "s", "7-0").Err()) })
		step("trim", func() { must(t, c.XTrimMaxLen(ctx, "s", 2).Err()) })
		step("delete and recreate", func() {
			must(t, c.Del(ctx, "s").Err())
			must(t, c.XAdd(ctx, &redis.XAddArgs{Stream: "s", ID: "1-0", Values: []string{"again", "1"}}).Err())
		})
		step("becomes a hash", func() {
			must(t, c.Del(ctx, "s").Err())
			must(t, c.HSet(ctx, "s", "f", "v").Err())
		})
	})
	t.Run("OKSkipsUnsupported", func(t *testing.T) {
		// A HyperLogLog is left out (with a warning); the rest is kept.
		e := openTest(t, t.TempDir())
		ctx := context.Background()
		must(t, e.Client().PFAdd(ctx, "hll", "a").Err())
		must(t, e.Client().Set(ctx, "kept", "1", 0).Err())
		var skipped []string
		snap, _, err := capture(ctx, e.admin, nil, func(k, typ string) { skipped = append(skipped, k+":"+typ) })
		must(t, err)
		if diff := cmp.Diff([]string{"hll:hll"}, skipped); diff != "" {
			t.Errorf("skipped (-want +got):\n%s", diff)
		}
		if len(snap.Keys) != 1 || snap.Keys[0].Key != "kept" {
			t.Errorf("keys = %v, want only kept", snap.Keys)
		}
	})
}

func TestOpen(t *testing.T) {
	t.Run("OKEmptyDir", func(t *testing.T) {
		// A missing directory is created and the store starts empty.
		dir := filepath.Join(t.TempDir(), "a", "b")
		e := openTest(t, dir)
		if got := e.Client().DBSize(context.Background()).Val(); got != 0 {
			t.Fatalf("DBSIZE = %d, want 0", got)
		}
		if !strings.HasPrefix(e.addr(), "127.0.0.1:") {
			t.Fatalf("addr = %q, want 127.0.0.1:<port>", e.addr())
		}
	})
	t.Run("OKExpiredKeysStayGone", func(t *testing.T) {
		// Expiry is absolute: a key whose time ran out while the store was closed is not restored.
		dir := t.TempDir()
		now := time.Now().UnixMilli()
		writeFile(t, filepath.Join(dir, snapshotName), fmt.Sprintf(`{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[
			{"key":"old","type":"string","expires_at_ms":%d,"string":"x"},
			{"key":"live","type":"string","expires_at_ms":%d,"string":"y"},
			{"key":"/wA=","type":"list","encoding":"base64","list":["YQ==","/w=="]}]}`, now-1000, now+60_000))
		e := openTest(t, dir)
		ctx := context.Background()
		if got := e.Client().Exists(ctx, "old").Val(); got != 0 {
			t.Errorf("EXISTS old = %d, want 0", got)
		}
		if got := e.Client().PTTL(ctx, "live").Val(); got <= 0 || got > time.Minute {
			t.Errorf("PTTL live = %v, want in (0, 1m]", got)
		}
		if diff := cmp.Diff([]string{"a", "\xff"}, e.Client().LRange(ctx, "\xff\x00", 0, -1).Val()); diff != "" {
			t.Errorf("LRANGE of a binary key (-want +got):\n%s", diff)
		}
	})
	for name, content := range map[string]string{
		"ErrGarbage":         "not json at all",
		"ErrTruncated":       `{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[{"key":"a","type":"str`,
		"ErrEmptyFile":       "",
		"ErrOtherVersion":    `{"version":2,"saved_at":"2026-01-01T00:00:00Z","keys":[]}`,
		"ErrUnknownType":     `{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[{"key":"a","type":"blob"}]}`,
		"ErrMissingPayload":  `{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[{"key":"a","type":"hash"}]}`,
		"ErrUnknownField":    `{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[],"extra":1}`,
		"ErrTrailingData":    `{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[]} {}`,
		"ErrBadScore":        `{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[{"key":"z","type":"zset","zset":[{"member":"m","score":"nan"}]}]}`,
		"ErrScoreNotText":    `{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[{"key":"z","type":"zset","zset":[{"member":"m","score":1}]}]}`,
		"ErrBadBase64":       `{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[{"key":"!!","type":"string","encoding":"base64","string":"YQ=="}]}`,
		"ErrUnknownEncoding": `{"version":1,"saved_at":"2026-01-01T00:00:00Z","keys":[{"key":"a","type":"string","encoding":"hex","string":"61"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			// A corrupt snapshot makes Open fail, naming the file, and leaves it untouched.
			dir := t.TempDir()
			path := filepath.Join(dir, snapshotName)
			writeFile(t, path, content)
			e, err := Open(dir, slog.New(slog.NewTextHandler(t.Output(), nil)))
			if err == nil {
				e.Close()
				t.Fatal("Open succeeded over a corrupt snapshot")
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name %s", err, path)
			}
			got, readErr := os.ReadFile(path)
			if readErr != nil || string(got) != content {
				t.Errorf("snapshot changed: %q, %v", got, readErr)
			}
		})
	}
}

func writeFile(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// helperDirEnv makes the test binary act as TestServer_killed's child process.
const helperDirEnv = "AWARDS_TEST_EMBEDDED_HELPER_DIR"

func TestServer_killed(t *testing.T) {
	// A kill -9 of the process loses nothing its snapshot holds: every type comes back. (That
	// a write reaches the snapshot by itself, about a second later, is TestServer_loop's.)
	if testing.Short() {
		t.Skip("starts and kills a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	acked := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "acked" {
				acked <- nil
				return
			}
		}
		acked <- errors.Join(errors.New("child ended without acking"), sc.Err())
	}()
	select {
	case err := <-acked:
		must(t, err)
	case <-time.After(60 * time.Second):
		t.Fatal("child did not ack its writes within 60 s")
	}
	path := filepath.Join(dir, snapshotName)
	for deadline := time.Now().Add(30 * time.Second); !snapshotHas(t, path, "acked-last"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the child's snapshot did not hold its last write within 30 s")
		}
	}
	must(t, cmd.Process.Kill())
	cmd.Wait()

	e := openTest(t, dir)
	checkEveryType(t, e.Client())
	if got := e.Client().Get(context.Background(), "acked-last").Val(); got != "yes" {
		t.Fatalf("GET acked-last = %q, want yes", got)
	}
}

// TestHelperProcess is the child of TestServer_killed: it writes, says "acked" on
// stdout, and waits to be killed.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperDirEnv)
	if dir == "" {
		t.Skip("run by TestServer_killed as its child process")
	}
	e, err := Open(dir, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		t.Fatal(err)
	}
	writeEveryType(t, e.Client())
	must(t, e.Client().Eval(context.Background(), "return redis.call('SET', KEYS[1], ARGV[1])", []string{"acked-last"}, "yes").Err())
	fmt.Println("acked")
	time.Sleep(time.Minute)
	t.Fatal("not killed within a minute")
}

// benchSizes are datasets to snapshot: a mid-size programme, and a very large one.
var benchSizes = []struct {
	name            string
	hashes, entries int
}{
	{"hashes=2000,audit=5000", 2000, 5000},
	{"hashes=10000,audit=20000", 10_000, 20_000},
}

// BenchmarkServer_save measures one snapshot: the capture, the JSON and the fsynced write.
func BenchmarkServer_save(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			e := openTest(b, b.TempDir())
			fill(b, e.Client(), size.hashes, size.entries)
			e.saveMu.Lock() // keep the loop out
			defer e.saveMu.Unlock()
			for b.Loop() {
				if err := e.save(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCapture measures the read alone, in the steady state where the keys are known
// from the previous capture; miniredis serves no one during its EXEC.
func BenchmarkCapture(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			e := openTest(b, b.TempDir())
			fill(b, e.Client(), size.hashes, size.entries)
			must(b, e.flush())
			_, prev, err := capture(context.Background(), e.admin, nil, func(string, string) {})
			must(b, err)
			for b.Loop() {
				if _, _, err := capture(context.Background(), e.admin, prev, func(string, string) {}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCaptureScripted measures the fallback, which holds miniredis' lock throughout.
func BenchmarkCaptureScripted(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			e := openTest(b, b.TempDir())
			fill(b, e.Client(), size.hashes, size.entries)
			must(b, e.flush())
			for b.Loop() {
				if _, _, err := captureScripted(context.Background(), e.admin, func(string, string) {}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// fill writes hashes entry-like hashes, an audit stream of entries records, and 100 sorted
// sets of 100 members.
func fill(tb testing.TB, c redis.UniversalClient, hashes, entries int) {
	tb.Helper()
	ctx := context.Background()
	p := c.Pipeline()
	for i := range hashes {
		p.HSet(ctx, fmt.Sprintf("entry:%d", i), "title", "An entry title", "company", "Acme", "status", "submitted", "summary", strings.Repeat("x", 200))
	}
	for i := range entries {
		p.XAdd(ctx, &redis.XAddArgs{Stream: "audit", Values: []string{"payload", strings.Repeat("p", 300), "prev", "0123456789abcdef0123456789abcdef01234567", "hash", fmt.Sprint(i)}})
	}
	for i := range 100 {
		for j := range 100 {
			p.ZAdd(ctx, fmt.Sprintf("tally:%d", i), redis.Z{Score: float64(j) / 3, Member: fmt.Sprint("entry", j)})
		}
	}
	if _, err := p.Exec(ctx); err != nil {
		tb.Fatal(err)
	}
}
