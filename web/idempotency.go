package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/awards-dev/awards/auth"
)

// Idempotency keeps the responses of requests sent with an Idempotency-Key header, so that a
// client retrying after a lost answer (a tablet on a show floor's Wi-Fi) gets the first
// answer again instead of a second entry. redisstore.Store implements it.
type Idempotency interface {
	// Reserve claims key, or returns what an earlier request with it left ("pending" while
	// it runs).
	Reserve(ctx context.Context, key string, ttl time.Duration) (prior []byte, reserved bool, err error)
	Remember(ctx context.Context, key string, response []byte, ttl time.Duration) error
	Forget(ctx context.Context, key string) error
}

const (
	// IdempotencyHeader is the request header that names a retried request.
	IdempotencyHeader = "Idempotency-Key"
	// idempotencyTTL is how long a response is kept for replay.
	idempotencyTTL = 24 * time.Hour
	// idempotencyPending is how long a reservation lasts while its request runs: longer than
	// any handler, short enough that a reservation whose recording failed is soon free.
	idempotencyPending = time.Minute
	maxIdempotencyKey  = 200
)

// recorded is a response kept for replay, with a hash of the request it answered.
type recorded struct {
	Request     string `json:"request"`
	Status      int    `json:"status"`
	ContentType string `json:"content_type"`
	Body        []byte `json:"body"`
}

// idempotent replays the recorded response of an authenticated POST whose Idempotency-Key
// was seen before from the same caller; the same key with another body or route is a 409.
func (s *Server) idempotent() gin.HandlerFunc {
	// A 5xx, or a response that carries a secret (see noStore), is not kept: the reservation is
	// released and a retry runs the request again; so is that of a handler that panics.
	return func(c *gin.Context) {
		key := c.GetHeader(IdempotencyHeader)
		actor := auth.ActorFrom(c)
		if s.idem == nil || key == "" || c.Request.Method != http.MethodPost || actor.Public() {
			c.Next()
			return
		}
		if len(key) > maxIdempotencyKey {
			s.writeError(c, unprocessable("invalid_idempotency_key", "%s must be at most %d characters", IdempotencyHeader, maxIdempotencyKey))
			return
		}
		body, err := io.ReadAll(io.LimitReader(c.Request.Body, MaxBody+1))
		if err != nil {
			s.writeError(c, malformed("the request body could not be read"))
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(c.Request.Method+" "+c.Request.URL.Path+"\n"), body...))
		request := hex.EncodeToString(sum[:])
		kh := sha256.Sum256([]byte(key))
		slot := actor.ID + ":" + hex.EncodeToString(kh[:])

		ctx := c.Request.Context()
		prior, reserved, err := s.idem.Reserve(ctx, slot, idempotencyPending)
		if err != nil {
			s.writeError(c, err)
			return
		}
		if !reserved {
			s.replay(c, prior, request)
			return
		}
		release := func() {
			if err := s.idem.Forget(context.WithoutCancel(ctx), slot); err != nil {
				s.log.Warn("idempotency: forget", "err", err)
			}
		}
		defer func() {
			if v := recover(); v != nil {
				release()
				panic(v) // for the recovery middleware to answer 500
			}
		}()
		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		c.Next()
		status := rec.Status()
		if status >= 500 || c.GetBool(secretKey{}) {
			release()
			return
		}
		b, _ := json.Marshal(recorded{Request: request, Status: status, ContentType: rec.Header().Get("Content-Type"), Body: rec.body.Bytes()})
		if err := s.idem.Remember(context.WithoutCancel(ctx), slot, b, idempotencyTTL); err != nil {
			s.log.Warn("idempotency: remember", "err", err)
			release()
		}
	}
}

// secretKey is the Gin context key under which noStore marks a response that carries a secret.
type secretKey struct{}

// noStore marks the response as carrying a secret (a token or an invitation): no cache may
// keep it, and it is never recorded for an Idempotency-Key replay.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Set(secretKey{}, true)
}

func (s *Server) replay(c *gin.Context, prior []byte, request string) {
	var rec recorded
	switch {
	case prior == nil || string(prior) == "pending":
		s.writeError(c, &requestError{http.StatusConflict, "request_in_progress",
			"A request with this Idempotency-Key is still running; retry in a moment."})
	case json.Unmarshal(prior, &rec) != nil:
		s.writeError(c, nil)
	case rec.Request != request:
		s.writeError(c, &requestError{http.StatusConflict, "idempotency_key_reused",
			"This Idempotency-Key was used for another request."})
	default:
		c.Header("Idempotent-Replayed", "true")
		c.Data(rec.Status, rec.ContentType, rec.Body)
		c.Abort()
	}
}

// recorder keeps a copy of the response body as it is written.
type recorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.body.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}
