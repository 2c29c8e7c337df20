package redisstore

import (
	"context"
	"time"

	"github.com/awards-dev/awards/judging"
)

var _ judging.Limiter = (*Store)(nil)

// ReserveAttempt counts one attempt on every limit in one script, or none if one is full;
// then it returns the longest time left of the full ones.
func (s *Store) ReserveAttempt(ctx context.Context, limits []judging.Limit) (time.Duration, error) {
	if len(limits) == 0 {
		return 0, nil
	}
	keys := make([]string, len(limits))
	args := make([]any, 0, 2*len(limits))
	for i, l := range limits {
		keys[i] = s.k.limit(l.Key)
		args = append(args, l.Max, max(l.Window.Milliseconds(), 1))
	}
	ms, err := s.s.limitReserve.Run(ctx, s.rdb, keys, args...).Int64()
	if err != nil {
		return 0, wrap("reserve attempt", err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// ReleaseAttempt gives back an attempt on every limit that holds one.
func (s *Store) ReleaseAttempt(ctx context.Context, limits []judging.Limit) error {
	if len(limits) == 0 {
		return nil
	}
	keys := make([]string, len(limits))
	for i, l := range limits {
		keys[i] = s.k.limit(l.Key)
	}
	return wrap("release attempt", s.s.limitRelease.Run(ctx, s.rdb, keys).Err())
}
