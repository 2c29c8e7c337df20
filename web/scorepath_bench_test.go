package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

// scorePathParallelism is how many HTTP clients per core write at once.
const scorePathParallelism = 16

// BenchmarkScorePath measures judges' score writes over real HTTP, many clients at once, on
// one Redis: "product" is the whole router (PUT /entries/{id}/scores/me, every rule, the
// audit trail, the events), "bare" is Gin with the same JWT verification and one comparable
// Lua script (the same assignment check and writes: counting score, body, history, audit
// record) and nothing else. Each client is its own judge and alternates two bodies, so every
// write changes the score. Both report writes/s. So that a machine busy with other work
// slows both alike, product runs in rounds of 8 writes per client, each paired with a round
// of bare (untimed; which goes first alternates), and reports the median over the pairs of
// its speed relative to bare's (%bare), which the log line (with -v) prints too:
//
//	go test -run '^$' -bench ScorePath ./web
func BenchmarkScorePath(b *testing.B) {
	ts := newTestServer(b)
	clients := runtime.GOMAXPROCS(0) * scorePathParallelism
	x := ts.exhibitor(b, "Acme Secure")
	var entries []string
	for i := range 4 {
		entries = append(entries, ts.submitted(b, x, catCyber, fmt.Sprintf("Aegis %d", i)))
	}
	bare := newBareScorer(b, ts)
	writers := make([]*scoreWriter, clients)
	for i := range writers {
		j := ts.judge(b, nil, catCyber)
		e := entries[i%len(entries)]
		ts.assign(b, j, e)
		bare.assign(b, e, j.ID)
		writers[i] = &scoreWriter{token: j.Token, path: "/api/v1/entries/" + e + "/scores/me"}
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: 2 * clients, MaxIdleConnsPerHost: 2 * clients}}
	b.Cleanup(hc.CloseIdleConnections)
	hs := httptest.NewServer(bare.engine)
	b.Cleanup(hs.Close)

	b.Run("bare", func(b *testing.B) {
		d := fire(b, hc, hs.URL, writers, b.N)
		b.ReportMetric(float64(b.N)/d.Seconds(), "writes/s")
	})
	var ratio, product, bareRate float64
	b.Run("product", func(b *testing.B) {
		round := 8 * clients
		var inProduct, inBare time.Duration
		var ratios []float64
		for done, i := 0, 0; done < b.N; done, i = done+round, i+1 {
			n := min(round, b.N-done)
			var p, q time.Duration
			if i%2 == 0 { // which goes first alternates, so that a trend favours neither
				p = fire(b, hc, ts.URL, writers, n)
				b.StopTimer()
				q = fire(b, hc, hs.URL, writers, n)
				b.StartTimer()
			} else {
				b.StopTimer()
				q = fire(b, hc, hs.URL, writers, n)
				b.StartTimer()
				p = fire(b, hc, ts.URL, writers, n)
			}
			inProduct, inBare = inProduct+p, inBare+q
			ratios = append(ratios, q.Seconds()/p.Seconds())
		}
		product, bareRate = float64(b.N)/inProduct.Seconds(), float64(b.N)/inBare.Seconds()
		slices.Sort(ratios)
		ratio = 100 * ratios[len(ratios)/2]
		b.ReportMetric(product, "writes/s")
		b.ReportMetric(bareRate, "bare-writes/s")
		b.ReportMetric(ratio, "%bare")
	})
	if ratio > 0 {
		b.Logf("score path: product %.0f writes/s, bare %.0f writes/s (interleaved), product/bare = %.0f %%", product, bareRate, ratio)
	}
}

// scoreWriter is one parallel client: a judge, the score path of their entry, and which of
// the two bodies they send next.
type scoreWriter struct {
	token, path string
	flip        bool
}

// scoreBodies are the two bodies a writer alternates.
var scoreBodies = [2][]byte{
	[]byte(`{"scores":{"innovation":7,"impact":4},"comment":"solid work"}`),
	[]byte(`{"scores":{"innovation":6,"impact":3},"comment":"solid work"}`),
}

// fire sends n score writes to base from one goroutine per writer and returns how long they
// took. Every answer must be 200.
func fire(b *testing.B, hc *http.Client, base string, writers []*scoreWriter, n int) time.Duration {
	var left atomic.Int64
	left.Store(int64(n))
	var wg sync.WaitGroup
	start := time.Now()
	for _, w := range writers {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				if err := w.write(hc, base); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// write sends the writer's next body.
func (w *scoreWriter) write(hc *http.Client, base string) error {
	body := scoreBodies[0]
	if w.flip {
		body = scoreBodies[1]
	}
	w.flip = !w.flip
	req, err := http.NewRequest("PUT", base+w.path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("PUT %s = %d %s", w.path, resp.StatusCode, out)
	}
	return nil
}

// bareScore is the bare handler's script: the assignment check, the same-body check, and the
// writes of a score (counting score, body, history, a hash-chained audit record), with none
// of the product's other rules.
var bareScore = redis.NewScript(`
local k_assigned, k_counting, k_bodies, k_history, k_audit, k_head, k_seq = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local judge, entry, body = ARGV[1], ARGV[2], ARGV[3]
if redis.call('SISMEMBER', k_assigned, judge) == 0 then
  return -1
end
local field = entry .. '|' .. judge
if redis.call('HGET', k_bodies, field) == body then
  return redis.call('LLEN', k_history)
end
local version = redis.call('LLEN', k_history) + 1
local score = '{"entry_id":"' .. entry .. '","judge_id":"' .. judge .. '","version":' .. version .. ',' .. string.sub(body, 2)
redis.call('HSET', k_counting, field, score)
redis.call('HSET', k_bodies, field, body)
redis.call('RPUSH', k_history, score)
local seq = redis.call('INCR', k_seq)
local prev = redis.call('GET', k_head) or ''
local payload = '{"seq":' .. seq .. ',"new":' .. score .. '}'
local h = redis.sha1hex(prev .. '\n' .. payload)
redis.call('XADD', k_audit, '*', 'payload', payload, 'prev', prev, 'hash', h)
redis.call('SET', k_head, h)
return version
`)

// bareScorer is bare Gin, the product's JWT verification and one Lua script, on the
// product's Redis client.
type bareScorer struct {
	engine *gin.Engine
	rdb    redis.UniversalClient
	tokens *auth.Tokens
}

func newBareScorer(tb testing.TB, ts *testServer) *bareScorer {
	tb.Helper()
	s := &bareScorer{engine: gin.New(), rdb: ts.rdb, tokens: ts.tokens}
	s.engine.PUT("/api/v1/entries/:id/scores/me", s.put)
	return s
}

const bareKeys = "bare:{jury}:"

func (s *bareScorer) assign(tb testing.TB, entryID, judgeID string) {
	tb.Helper()
	if err := s.rdb.SAdd(tb.Context(), bareKeys+"asg:"+entryID, judgeID).Err(); err != nil {
		tb.Fatal(err)
	}
}

func (s *bareScorer) put(c *gin.Context) {
	scheme, token, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	if scheme != "Bearer" {
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	a, err := s.tokens.Verify(token)
	if err != nil || a.Role != judging.RoleJudge {
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	var req struct {
		Scores  map[string]float64 `json:"scores"`
		Comment string             `json:"comment"`
	}
	if err := json.NewDecoder(c.Request.Body).Decode(&req); err != nil || len(req.Scores) == 0 {
		c.AbortWithStatus(http.StatusUnprocessableEntity)
		return
	}
	body, _ := json.Marshal(req)
	entry := c.Param("id")
	keys := []string{
		bareKeys + "asg:" + entry, bareKeys + "cur", bareKeys + "body", bareKeys + "hist:" + entry + ":" + a.ID,
		bareKeys + "audit", bareKeys + "audit:head", bareKeys + "audit:seq",
	}
	version, err := bareScore.Run(c.Request.Context(), s.rdb, keys, a.ID, entry, body).Int()
	switch {
	case err != nil:
		c.AbortWithStatus(http.StatusInternalServerError)
	case version < 0:
		c.AbortWithStatus(http.StatusForbidden)
	default:
		c.JSON(http.StatusOK, gin.H{"entry_id": entry, "judge_id": a.ID, "version": version})
	}
}
