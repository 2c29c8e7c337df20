package judging

import (
	"encoding/json"
	"math"
	"strings"
	"time"
)

// Score is one version of one judge's marks for one entry.
type Score struct {
	EntryID    string             `json:"entry_id"`
	JudgeID    string             `json:"judge_id"`
	CategoryID string             `json:"category_id"`
	Version    int                `json:"version"`
	Total      float64            `json:"total"`
	Scores     map[string]float64 `json:"scores"`
	Comment    string             `json:"comment"`
	At         time.Time          `json:"at"`
}

// ScoreInput is what a judge sends: a mark per criterion and an optional comment.
type ScoreInput struct {
	Scores  map[string]float64
	Comment string
}

// validate checks every criterion of the category is marked within its range and nothing else.
func (in *ScoreInput) validate(c *Category) error {
	if len(in.Scores) == 0 {
		return Invalidf("missing_field", "scores is required")
	}
	if err := checkText("comment", &in.Comment, maxComment, true); err != nil {
		return err
	}
	for id := range in.Scores {
		if !hasCriterion(c, id) {
			return Invalidf("unknown_criterion", "scores.%s is not a criterion of %s", id, c.ID)
		}
	}
	for _, k := range c.Criteria {
		v, ok := in.Scores[k.ID]
		switch {
		case !ok:
			return Invalidf("missing_criterion", "scores.%s is required", k.ID)
		case math.IsNaN(v) || v < k.Min || v > k.Max:
			return Invalidf("score_out_of_range", "scores.%s must be between %g and %g", k.ID, k.Min, k.Max)
		}
	}
	in.Comment = strings.TrimSpace(in.Comment)
	return nil
}

func hasCriterion(c *Category, id string) bool {
	for _, k := range c.Criteria {
		if k.ID == id {
			return true
		}
	}
	return false
}

// canonicalBody is the stored form of a score's marks: the same input always gives the same
// bytes (keys sorted, shortest float form), so repeating a body is recognised as no change.
func (in *ScoreInput) canonicalBody() string {
	b, err := json.Marshal(struct {
		Comment string             `json:"comment"`
		Scores  map[string]float64 `json:"scores"`
	}{in.Comment, in.Scores})
	if err != nil { // unreachable: validated finite floats and a string
		panic(err)
	}
	return string(b)
}

// JudgeScores is one judge's scores for one entry: the counting one (nil if none) and every
// version ever given, oldest first.
type JudgeScores struct {
	JudgeID  string  `json:"judge_id"`
	Name     string  `json:"name"`
	Counting bool    `json:"counting"`
	Current  *Score  `json:"current"`
	History  []Score `json:"history"`
}

// Progress is how far the judging of a category has gone.
type Progress struct {
	CategoryID string `json:"category_id"`
	Scored     int    `json:"scored"`
	Expected   int    `json:"expected"`
}
