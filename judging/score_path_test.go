package judging_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/judgingtest"
)

func TestService_SubmitScore_oneStoreCall(t *testing.T) {
	// A score write is one store call on what the Service remembers (the programme, the entry's
	// category); the store checks both, so what another instance changed meanwhile is seen.
	h := judgingtest.New(t)
	x := h.Exhibitor("Acme")
	cyber, csr := h.Entry(x, judgingtest.CatCyber, "Firewall"), h.Entry(x, judgingtest.CatCSR, "Green")
	j := h.Judge([]string{judgingtest.CatCyber, judgingtest.CatCSR})
	h.Assign(j, cyber, csr)
	other := h.NewService(t, func(*judging.Deps) {}) // another instance, with hints of its own
	h.Score(j, cyber, judgingtest.Cyber(5, 3))       // h.Svc now remembers the programme

	t.Run("OK/criteria changed by another instance", func(t *testing.T) {
		// A category never scored may change its criteria: the marks are judged by the new ones.
		p := judgingtest.Must(other.Programme(h.Ctx))(t)
		cat, _ := p.Category(judgingtest.CatCSR)
		cat.Criteria[0].ID = "engagement"
		judgingtest.Must(other.PutProgramme(h.Ctx, h.Admin, p))(t)
		sc := judgingtest.Must(h.Svc.SubmitScore(h.Ctx, j, csr.ID, judging.ScoreInput{Scores: map[string]float64{"engagement": 3}}))(t)
		if sc.Version != 1 || sc.Scores["engagement"] != 3 {
			t.Fatalf("score = %+v, want version 1 with engagement 3", sc)
		}
		_, err := h.Svc.SubmitScore(h.Ctx, j, csr.ID, judging.ScoreInput{Scores: map[string]float64{"commitment": 3}})
		judgingtest.WantInvalid(t, err, "unknown_criterion")
	})

	t.Run("OK/judging reopened by another instance", func(t *testing.T) {
		// Judging closed is judged by the programme as it is now, not as the Service last read it.
		h := h.On(t)
		h.Clock.T = judgingtest.T0.Add(49 * time.Hour) // past JudgingClose
		defer func() { h.Clock.T = judgingtest.T0 }()
		_, err := h.Svc.SubmitScore(h.Ctx, j, cyber.ID, judgingtest.Cyber(6, 3))
		judgingtest.WantErr(t, err, judging.ErrJudgingClosed)
		p := judgingtest.Must(other.Programme(h.Ctx))(t)
		p.JudgingClose = judgingtest.T0.Add(50 * time.Hour)
		judgingtest.Must(other.PutProgramme(h.Ctx, h.Admin, p))(t)
		sc := judgingtest.Must(h.Svc.SubmitScore(h.Ctx, j, cyber.ID, judgingtest.Cyber(6, 3)))(t)
		if sc.Version != 2 {
			t.Fatalf("version %d, want 2", sc.Version)
		}
	})

	t.Run("ErrUnauthorized/the judge's account is gone", func(t *testing.T) {
		// A token whose user was deleted or whose role changed → 401 at once, before 404 or 403.
		h := h.On(t)
		gone := h.Judge([]string{judgingtest.CatCyber})
		h.Assign(gone, cyber)
		h.Score(gone, cyber, judgingtest.Cyber(1, 1))
		judgingtest.Must(0, h.RDB.Del(h.Ctx, "awards:{jury}:user:"+gone.ID).Err())(t)
		for _, entry := range []string{cyber.ID, "e_nowhere", csr.ID} {
			_, err := h.Svc.SubmitScore(h.Ctx, gone, entry, judgingtest.Cyber(2, 2))
			judgingtest.WantErr(t, err, judging.ErrUnauthorized)
		}
	})
}

func TestService_SubmitScore_events(t *testing.T) {
	// A changed score announces tally and progress; when the store is the Service's Publisher it
	// announces them from inside the write, on the same channel and in the same JSON.
	h := judgingtest.New(t)
	e, j := h.Entry(h.Exhibitor("Acme"), judgingtest.CatCyber, "Firewall"), h.Judge([]string{judgingtest.CatCyber})
	h.Assign(j, e)
	h.Pub.Take()
	svc := h.NewService(t, func(d *judging.Deps) { d.Publisher = h.Store })
	sub := h.RDB.Subscribe(h.Ctx, h.Store.EventsChannel())
	defer sub.Close()
	if _, err := sub.Receive(h.Ctx); err != nil { // the subscription is confirmed
		t.Fatal(err)
	}
	for _, in := range []judging.ScoreInput{judgingtest.Cyber(5, 3), judgingtest.Cyber(5, 3)} { // a change, then a repeat
		judgingtest.Must(svc.SubmitScore(h.Ctx, j, e.ID, in))(t)
	}
	marker := judging.Event{Type: judging.EventProgramme} // published after: what came before it is the writes'
	judgingtest.Must(0, h.Store.Publish(h.Ctx, marker))(t)
	var got []judging.Event
	ctx, cancel := context.WithTimeout(h.Ctx, 5*time.Second)
	defer cancel()
	for {
		msg := judgingtest.Must(sub.ReceiveMessage(ctx))(t)
		var ev judging.Event
		judgingtest.Must(0, json.Unmarshal([]byte(msg.Payload), &ev))(t)
		if ev == marker {
			break
		}
		got = append(got, ev)
	}
	want := []judging.Event{{Type: judging.EventTally, CategoryID: judgingtest.CatCyber}, {Type: judging.EventProgress, CategoryID: judgingtest.CatCyber}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("events on the channel (-want +got):\n%s", diff)
	}
	h.WantEvents() // the rig's Recorder is not this Service's Publisher
}
