package redisstore

import (
	"context"
	"time"
)

// The idempotency records of retried requests (web's Idempotency-Key): one key each, spread
// over the cluster by name, gone after their TTL.

// Reserve claims key for a request about to run, or returns what an earlier request with the
// same key left: "pending" while it runs, then its recorded response.
func (s *Store) Reserve(ctx context.Context, key string, ttl time.Duration) ([]byte, bool, error) {
	res, err := s.s.reserve.Run(ctx, s.rdb, []string{s.k.idempotency(key)}, ttl.Milliseconds()).Slice()
	if err != nil {
		return nil, false, wrap("reserve", err)
	}
	if len(res) == 0 {
		return nil, false, unexpected("reserve", res)
	}
	if n, _ := res[0].(int64); n == 1 {
		return nil, true, nil
	}
	if len(res) < 2 {
		return nil, false, nil // expired between the two commands: the caller may try again
	}
	prior, _ := res[1].(string)
	return []byte(prior), false, nil
}

// Remember records the response of the request that reserved key.
func (s *Store) Remember(ctx context.Context, key string, response []byte, ttl time.Duration) error {
	return wrap("remember", s.rdb.Set(ctx, s.k.idempotency(key), response, ttl).Err())
}

// Forget releases key, so that a retry runs the request again (its first run failed).
func (s *Store) Forget(ctx context.Context, key string) error {
	return wrap("forget", s.rdb.Del(ctx, s.k.idempotency(key)).Err())
}
