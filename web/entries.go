package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

type entryRequest struct {
	CategoryID  string   `json:"category_id"`
	Title       string   `json:"title"`
	Summary     string   `json:"summary"`
	Description string   `json:"description"`
	Links       []string `json:"links"`
}

func (s *Server) createEntry(c *gin.Context) {
	var req entryRequest
	if !s.decode(c, &req) {
		return
	}
	e, err := s.judging.CreateEntry(c.Request.Context(), auth.ActorFrom(c), judging.EntryInput(req))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, e)
}

func (s *Server) getEntry(c *gin.Context) {
	e, err := s.judging.Entry(c.Request.Context(), auth.ActorFrom(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) updateEntry(c *gin.Context) {
	var req entryRequest
	if !s.decode(c, &req) {
		return
	}
	e, err := s.judging.UpdateEntry(c.Request.Context(), auth.ActorFrom(c), c.Param("id"), judging.EntryInput(req))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) submitEntry(c *gin.Context) {
	e, err := s.judging.SubmitEntry(c.Request.Context(), auth.ActorFrom(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) listEntries(c *gin.Context) {
	es, err := s.judging.Entries(c.Request.Context(), auth.ActorFrom(c), judging.EntryFilter{CategoryID: c.Query("category_id")})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, es)
}
