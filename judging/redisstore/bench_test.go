package redisstore_test

import (
	"fmt"
	"testing"

	"github.com/awards-dev/awards/judging"
)

// BenchmarkSaveScore is one judge rescoring one entry with alternating bodies through the
// Service: every call is a new version (an atomic Lua write with its audit record).
func BenchmarkSaveScore(b *testing.B) {
	r := newRig(b)
	e, j := r.entry("Acme"), r.judge()
	r.assign(j, e)
	bodies := []judging.ScoreInput{marks(5, 3), marks(6, 3)}
	i := 0
	for b.Loop() {
		if _, err := r.svc.SubmitScore(r.ctx, j, e.ID, bodies[i%2]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkResults is an admin's GET /results over 30 entries scored by 3 judges each.
func BenchmarkResults(b *testing.B) {
	r := newRig(b)
	js := []judging.Actor{r.judge(), r.judge(), r.judge()}
	for i := range 30 {
		e := r.entry(fmt.Sprintf("Company %d", i))
		for k, j := range js {
			r.assign(j, e)
			r.score(j, e, marks(float64((i+k)%11), float64(1+(i*k)%5)))
		}
	}
	for b.Loop() {
		res, err := r.svc.Results(r.ctx, r.admin)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Categories[0].Ranking) != 30 {
			b.Fatalf("%d rows", len(res.Categories[0].Ranking))
		}
	}
}
