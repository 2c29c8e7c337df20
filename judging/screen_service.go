package judging

import (
	"cmp"
	"context"
	"slices"
)

// Screens lists the ceremony displays, oldest first, for an admin to find one to revoke.
func (s *Service) Screens(ctx context.Context, a Actor) ([]User, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	us, err := s.users.UsersByRole(ctx, RoleScreen)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(us, func(x, y User) int {
		return cmp.Or(x.CreatedAt.Compare(y.CreatedAt), cmp.Compare(x.ID, y.ID))
	})
	if us == nil {
		us = []User{}
	}
	return us, nil
}

// DeleteScreen revokes a ceremony display: its account is deleted, so its long-lived token is
// refused (401) from the next request on. ErrNotFound if no screen has this id.
func (s *Service) DeleteScreen(ctx context.Context, a Actor, id string) error {
	if err := requireRole(a, RoleAdmin); err != nil {
		return err
	}
	if id == "" || len(id) > maxIDLen {
		return ErrNotFound
	}
	return s.users.DeleteScreen(ctx, id)
}
