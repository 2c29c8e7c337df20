package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/auth"
)

func (s *Server) ceremony(c *gin.Context) {
	st, err := s.judging.Ceremony(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, st)
}

type revealRequest struct {
	CategoryID string `json:"category_id"`
	Step       bool   `json:"step"`
}

func (s *Server) reveal(c *gin.Context) {
	var req revealRequest
	if !s.decode(c, &req) {
		return
	}
	res, err := s.judging.Reveal(c.Request.Context(), auth.ActorFrom(c), req.CategoryID, req.Step)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
