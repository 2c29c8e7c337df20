package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/judging"
)

// statusOf is the one table from an error's kind to its HTTP status.
var statusOf = map[judging.Kind]int{
	judging.KindMalformed:    http.StatusBadRequest,
	judging.KindUnauthorized: http.StatusUnauthorized,
	judging.KindForbidden:    http.StatusForbidden,
	judging.KindNotFound:     http.StatusNotFound,
	judging.KindConflict:     http.StatusConflict,
	judging.KindTooLarge:     http.StatusRequestEntityTooLarge,
	judging.KindInvalid:      http.StatusUnprocessableEntity,
	judging.KindRateLimited:  http.StatusTooManyRequests,
	judging.KindUnavailable:  http.StatusServiceUnavailable,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError answers with err's status and {"error":{"code","message"}}. Anything that is not
// a *judging.Error is a 500 "internal" with no detail, logged here, once.
func (s *Server) writeError(c *gin.Context, err error) {
	var e *judging.Error
	if errors.As(err, &e) {
		if status, ok := statusOf[e.Kind]; ok {
			if e.Kind == judging.KindUnavailable {
				s.log.Error("store unavailable", "route", c.FullPath(), "err", err)
			}
			c.AbortWithStatusJSON(status, errorBody{errorDetail{e.Code, e.Message}})
			return
		}
	}
	s.log.Error("internal error", "method", c.Request.Method, "route", c.FullPath(), "err", err)
	c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody{errorDetail{"internal", "Something went wrong on our side."}})
}
