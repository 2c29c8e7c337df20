package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

func (s *Server) getProgramme(c *gin.Context) {
	p, err := s.judging.Programme(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) putProgramme(c *gin.Context) {
	var p judging.Programme
	if !s.decode(c, &p) {
		return
	}
	p, err := s.judging.PutProgramme(c.Request.Context(), auth.ActorFrom(c), p)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
