package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

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

// defaultRetryAfter is the Retry-After of a 429 whose error did not say how long to wait.
const defaultRetryAfter = time.Minute

// writeError answers with err's status and {"error":{"code","message"}}, and Retry-After on
// every 429 and on errors that carry a wait. Anything that is not a *judging.Error is a 500
// "internal" with no detail, logged here, once.
func (s *Server) writeError(c *gin.Context, err error) {
	var e *judging.Error
	if errors.As(err, &e) {
		if status, ok := statusOf[e.Kind]; ok {
			if errors.Is(err, judging.ErrUnavailable) {
				s.log.Error("store unavailable", "route", c.FullPath(), "err", err)
			}
			if v := retryAfter(err, status); v != "" {
				c.Header("Retry-After", v)
			}
			c.AbortWithStatusJSON(status, errorBody{errorDetail{e.Code, e.Message}})
			return
		}
	}
	s.log.Error("internal error", "method", c.Request.Method, "route", c.FullPath(), "err", err)
	c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody{errorDetail{"internal", "Something went wrong on our side."}})
}

// retryAfter is the Retry-After of an answer with err and status, in whole seconds rounded
// up: the wait err carries, else defaultRetryAfter for a 429, else none ("").
func retryAfter(err error, status int) string {
	var wait time.Duration
	if r := (*judging.RetryError)(nil); errors.As(err, &r) {
		wait = r.After
	}
	if wait <= 0 && status == http.StatusTooManyRequests {
		wait = defaultRetryAfter
	}
	if wait <= 0 {
		return ""
	}
	return strconv.FormatInt(max(1, int64((wait+time.Second-1)/time.Second)), 10)
}
