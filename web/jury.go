package web

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

type autoAssignRequest struct {
	JudgesPerEntry int `json:"judges_per_entry"`
}

func (s *Server) autoAssign(c *gin.Context) {
	var req autoAssignRequest
	if !s.decode(c, &req) {
		return
	}
	res, err := s.judging.AutoAssign(c.Request.Context(), auth.ActorFrom(c), req.JudgesPerEntry)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

type assignmentRequest struct {
	JudgeID string `json:"judge_id"`
	EntryID string `json:"entry_id"`
}

func (s *Server) addAssignment(c *gin.Context) {
	var req assignmentRequest
	if !s.decode(c, &req) {
		return
	}
	a := judging.Assignment(req)
	if err := s.judging.Assign(c.Request.Context(), auth.ActorFrom(c), a); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, a)
}

func (s *Server) removeAssignment(c *gin.Context) {
	var req assignmentRequest
	if !s.decode(c, &req) {
		return
	}
	if err := s.judging.Unassign(c.Request.Context(), auth.ActorFrom(c), judging.Assignment(req)); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) recuse(c *gin.Context) {
	id := c.Param("id")
	if err := s.judging.Recuse(c.Request.Context(), auth.ActorFrom(c), id); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entry_id": id, "recused": true})
}

func (s *Server) queue(c *gin.Context) {
	q, err := s.judging.Queue(c.Request.Context(), auth.ActorFrom(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, q)
}

type scoreRequest struct {
	Scores  map[string]json.RawMessage `json:"scores"`
	Comment string                     `json:"comment"`
}

// input turns the request into the domain's input, naming a mark that is not a number; a
// null mark counts as missing.
func (r scoreRequest) input() (judging.ScoreInput, error) {
	in := judging.ScoreInput{Scores: make(map[string]float64, len(r.Scores)), Comment: r.Comment}
	for k, raw := range r.Scores {
		if string(raw) == "null" {
			continue
		}
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			return judging.ScoreInput{}, unprocessable("invalid_type", "scores.%s must be a number", k)
		}
		in.Scores[k] = v
	}
	return in, nil
}

// putMyScore hands the judge's account to SubmitScore to confirm (its route does not); a body
// refused before that call is answered only once the account is confirmed, so that a gone
// account is a 401 first, as on every other route.
func (s *Server) putMyScore(c *gin.Context) {
	a, ctx := auth.ClaimedActorFrom(c), c.Request.Context()
	in, err := decodeScoreBody(c.Writer, c.Request)
	if err != nil {
		if gone := s.judging.CheckActor(ctx, a); gone != nil {
			err = gone
		}
		s.writeError(c, err)
		return
	}
	sc, err := s.judging.SubmitScore(ctx, a, c.Param("id"), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, sc)
}

func (s *Server) entryScores(c *gin.Context) {
	id := c.Param("id")
	js, err := s.judging.EntryScores(c.Request.Context(), auth.ActorFrom(c), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entry_id": id, "judges": js})
}
