package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/judging"
)

// statusOf is the one table from a domain error's kind to its HTTP status.
var statusOf = map[judging.Kind]int{
	judging.KindUnauthorized: http.StatusUnauthorized,
	judging.KindForbidden:    http.StatusForbidden,
	judging.KindNotFound:     http.StatusNotFound,
	judging.KindConflict:     http.StatusConflict,
	judging.KindInvalid:      http.StatusUnprocessableEntity,
	judging.KindRateLimited:  http.StatusTooManyRequests,
	judging.KindUnavailable:  http.StatusServiceUnavailable,
}

// requestError is an error only HTTP has: a body that cannot be read or is too large, a
// header refused. The domain never sees one, so it carries its status itself.
type requestError struct {
	Status  int
	Code    string
	Message string
}

func (e *requestError) Error() string { return e.Code + ": " + e.Message }

// The request errors of more than one place.
var (
	errTooLarge = &requestError{http.StatusRequestEntityTooLarge, "body_too_large", "The request body is over 1 MiB."}
	errNoMethod = &requestError{http.StatusMethodNotAllowed, "method_not_allowed", "This route does not take this method."}
)

// badRequest is a 400: the body is not JSON web can read into the request.
func badRequest(code, msg string) error { return &requestError{http.StatusBadRequest, code, msg} }

// malformed is a 400 malformed_json.
func malformed(msg string) error { return badRequest("malformed_json", msg) }

// unprocessable is a 422: the body is JSON, but a value has the wrong type or form.
func unprocessable(code, format string, args ...any) error {
	return &requestError{http.StatusUnprocessableEntity, code, fmt.Sprintf(format, args...)}
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
// every 429 and on errors that carry a wait. Anything that is neither a *judging.Error nor a
// *requestError is a 500 "internal" with no detail, logged here, once.
func (s *Server) writeError(c *gin.Context, err error) {
	var re *requestError
	if errors.As(err, &re) {
		c.AbortWithStatusJSON(re.Status, errorBody{errorDetail{re.Code, re.Message}})
		return
	}
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
