package redisstore_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

// BenchmarkSaveScore is one judge rescoring one entry with alternating bodies through the
// Service: every call is a new version (an atomic Lua write with its audit record).
func BenchmarkSaveScore(b *testing.B) {
	r := newRig(b)
	e, j := r.entry("Acme"), r.judge()
	r.Assign(j, e)
	bodies := []judging.ScoreInput{judgingtest.Cyber(5, 3), judgingtest.Cyber(6, 3)}
	i := 0
	for b.Loop() {
		if _, err := r.Svc.SubmitScore(r.Ctx, j, e.ID, bodies[i%2]); err != nil {
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
			r.Assign(j, e)
			r.Score(j, e, judgingtest.Cyber(float64((i+k)%11), float64(1+(i*k)%5)))
		}
	}
	for b.Loop() {
		res, err := r.Svc.Results(r.Ctx, r.Admin)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Categories[0].Ranking) != 30 {
			b.Fatalf("%d rows", len(res.Categories[0].Ranking))
		}
	}
}

// BenchmarkResults_Public is the public's GET /results of a revealed category of 30 scored
// entries while 15 exhibitors hold 20 drafts of 20 KB each (300 drafts) in the same category:
// drafts are never ranked, so they should cost the public nothing.
func BenchmarkResults_Public(b *testing.B) {
	r := newRig(b)
	js := []judging.Actor{r.judge(), r.judge(), r.judge()}
	for i := range 30 {
		e := r.entry(fmt.Sprintf("Company %d", i))
		for k, j := range js {
			r.Assign(j, e)
			r.Score(j, e, judgingtest.Cyber(float64((i+k)%11), float64(1+(i*k)%5)))
		}
	}
	body := strings.Repeat("spam ", 4000) // 20 KB
	for s := range 15 {
		u := judgingtest.Must(r.Svc.Register(r.Ctx, judging.Registration{Email: fmt.Sprintf("spam%d@awards.test", s), Password: "correct horse battery", Company: fmt.Sprintf("Spam %d", s), Country: "FR"}, ""))(b)
		ex := judging.Actor{ID: u.ID, Role: judging.RoleExhibitor}
		for d := range 20 {
			judgingtest.Must(r.Svc.CreateEntry(r.Ctx, ex, judging.EntryInput{CategoryID: judgingtest.CatCyber, Title: fmt.Sprintf("Spam %d-%d", s, d), Description: body}))(b)
		}
	}
	judgingtest.Must(r.Svc.Reveal(r.Ctx, r.Admin, judgingtest.CatCyber, false))(b)
	public := judging.Actor{}
	for b.Loop() {
		res, err := r.Svc.Results(r.Ctx, public)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Categories[0].Ranking) != 30 {
			b.Fatalf("%d rows", len(res.Categories[0].Ranking))
		}
	}
}
