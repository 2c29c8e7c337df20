package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

// userRecord is a user as stored: the domain's User plus its password hash.
type userRecord struct {
	ID           string    `json:"id"`
	Role         string    `json:"role"`
	Email        string    `json:"email,omitempty"`
	PasswordHash string    `json:"password_hash,omitempty"`
	Name         string    `json:"name,omitempty"`
	Company      string    `json:"company,omitempty"`
	Country      string    `json:"country,omitempty"`
	Startup      bool      `json:"startup,omitempty"`
	Affiliations []string  `json:"affiliations,omitempty"`
	Categories   []string  `json:"categories,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

func toRecord(u judging.User) userRecord {
	return userRecord{u.ID, string(u.Role), u.Email, u.PasswordHash, u.Name, u.Company, u.Country, u.Startup, u.Affiliations, u.Categories, u.CreatedAt}
}

func (r userRecord) user() judging.User {
	return judging.User{ID: r.ID, Role: judging.Role(r.Role), Email: r.Email, PasswordHash: r.PasswordHash, Name: r.Name,
		Company: r.Company, Country: r.Country, Startup: r.Startup, Affiliations: r.Affiliations, Categories: r.Categories, CreatedAt: r.CreatedAt}
}

func jsonMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// loginEmail is the login index's form of an email: trimmed and lower-cased, as it has always
// been, so that every account ever created is found by the address it was created with.
func loginEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

var _ judging.Users = (*Store)(nil)

// CreateUser stores a new user, claiming its email in the same step (ErrEmailTaken if the
// email, or a look-alike of it (judging.EmailKey), belongs to another account) and storing
// its invitation, if any.
func (s *Store) CreateUser(ctx context.Context, u judging.User, inv judging.Invitation) error {
	b, err := jsonMarshal(toRecord(u))
	if err != nil {
		return wrapValue("create user", err)
	}
	if inv.Hash != "" {
		if err := checkInvitation(inv); err != nil {
			return err
		}
	}
	keys := []string{s.k.email(loginEmail(u.Email)), s.k.user(u.ID), s.k.role(string(u.Role)), s.k.invite(inv.Hash), s.k.inviteOf(u.ID), s.k.emailKey(judging.EmailKey(u.Email))}
	res, err := s.s.createUser.Run(ctx, s.rdb, keys, u.ID, b, flag(u.Email != ""), flag(inv.Hash != ""), inv.Hash, inv.TTL.Milliseconds()).Text()
	if err != nil {
		return wrap("create user", err)
	}
	switch res {
	case "OK":
		return nil
	case "EMAIL_TAKEN":
		return judging.ErrEmailTaken
	}
	return unexpected("create user", res)
}

// User returns the user with this id.
func (s *Store) User(ctx context.Context, id string) (judging.User, error) {
	b, err := s.rdb.Get(ctx, s.k.user(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return judging.User{}, judging.ErrNotFound
	}
	if err != nil {
		return judging.User{}, wrap("user", err)
	}
	return decodeUser(id, b)
}

// decodeUser reads the stored record of user id.
func decodeUser(id string, b []byte) (judging.User, error) {
	var r userRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return judging.User{}, wrapValue("user "+id, err)
	}
	return r.user(), nil
}

// UserByEmail returns the user with this email, compared case-insensitively. An email typed
// with invisible or fullwidth characters also finds the account stored in its clean form.
func (s *Store) UserByEmail(ctx context.Context, email string) (judging.User, error) {
	id, err := s.rdb.Get(ctx, s.k.email(loginEmail(email))).Result()
	if clean := loginEmail(judging.CleanEmail(email)); errors.Is(err, redis.Nil) && clean != loginEmail(email) {
		id, err = s.rdb.Get(ctx, s.k.email(clean)).Result()
	}
	if errors.Is(err, redis.Nil) {
		return judging.User{}, judging.ErrNotFound
	}
	if err != nil {
		return judging.User{}, wrap("user by email", err)
	}
	return s.User(ctx, id)
}

// EmailTaken reports whether an account holds this email or a look-alike of it: the same
// claims CreateUser checks, read without writing.
func (s *Store) EmailTaken(ctx context.Context, email string) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.k.email(loginEmail(email)), s.k.emailKey(judging.EmailKey(email))).Result()
	if err != nil {
		return false, wrap("email taken", err)
	}
	return n > 0, nil
}

// UsersByRole returns every user holding the role, by id.
func (s *Store) UsersByRole(ctx context.Context, r judging.Role) ([]judging.User, error) {
	ids, err := s.rdb.SMembers(ctx, s.k.role(string(r))).Result()
	if err != nil {
		return nil, wrap("users by role", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = s.k.user(id)
	}
	vals, err := s.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, wrap("users by role", err)
	}
	users := make([]judging.User, 0, len(vals))
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue
		}
		u, err := decodeUser(ids[i], []byte(str))
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	sortBy(users, func(u judging.User) string { return u.ID })
	return users, nil
}

// DeleteScreen deletes a ceremony screen's account: its record and its role membership.
func (s *Store) DeleteScreen(ctx context.Context, id string) error {
	keys := []string{s.k.user(id), s.k.role(string(judging.RoleScreen))}
	res, err := s.s.deleteScreen.Run(ctx, s.rdb, keys, id).Text()
	if err != nil {
		return wrap("delete screen", err)
	}
	switch res {
	case "OK":
		return nil
	case "NOT_FOUND":
		return judging.ErrNotFound
	}
	return unexpected("delete screen", res)
}
