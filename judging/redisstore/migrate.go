package redisstore

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

// schemaVersion is the version of the data this code writes. Version 1: every account with
// an email holds a look-alike claim, emailkey:<judging.EmailKey of the email>.
const schemaVersion = 1

// Migrate brings data written by earlier versions up to schemaVersion; run it at start,
// before serving. It is idempotent, and safe when several instances run it at once: each
// step only claims what is free.
func (s *Store) Migrate(ctx context.Context) error {
	raw, err := s.rdb.Get(ctx, s.k.schema()).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return wrap("migrate: schema version", err)
	}
	v := 0
	if raw != "" {
		if v, err = strconv.Atoi(raw); err != nil {
			return wrapValue("migrate: schema version", err)
		}
	}
	if v >= schemaVersion {
		return nil
	}
	if err := s.claimEmailKeys(ctx); err != nil {
		return err
	}
	return wrap("migrate: schema version", s.s.raiseSchema.Run(ctx, s.rdb, []string{s.k.schema()}, schemaVersion).Err())
}

// claimEmailKeys gives every account with an email its look-alike claim, oldest account
// first. Two existing accounts whose emails look alike keep both their logins (the login
// index is untouched); the older holds the claim and the collision is logged for an admin.
func (s *Store) claimEmailKeys(ctx context.Context) error {
	var users []judging.User
	for _, r := range []judging.Role{judging.RoleAdmin, judging.RoleJudge, judging.RoleExhibitor, judging.RoleScreen, judging.RoleVoter} {
		us, err := s.UsersByRole(ctx, r)
		if err != nil {
			return err
		}
		for _, u := range us {
			if u.Email != "" {
				users = append(users, u)
			}
		}
	}
	slices.SortFunc(users, func(a, b judging.User) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	for _, u := range users {
		key := s.k.emailKey(judging.EmailKey(u.Email))
		ok, err := s.rdb.SetNX(ctx, key, u.ID, 0).Result()
		if err != nil {
			return wrap("migrate: claim email", err)
		}
		if ok {
			continue
		}
		holder, err := s.rdb.Get(ctx, key).Result()
		if err != nil {
			return wrap("migrate: claim email", err)
		}
		if holder != u.ID {
			s.log.Warn("redisstore: two existing accounts have look-alike emails; both can still log in, an admin should check them",
				"user", u.ID, "email", u.Email, "claimed_by", holder)
		}
	}
	return nil
}
