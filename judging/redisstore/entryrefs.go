package redisstore

import (
	"context"
	"encoding/json"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

// EntryRefs returns the id, title and company of a category's submitted entries, in creation
// order. It reads four short fields of each entry hash in one pipeline, never the JSON with
// the description, except for an entry stored before title and company became fields.
func (s *Store) EntryRefs(ctx context.Context, categoryID string) ([]judging.EntryRef, error) {
	ids, err := s.rdb.ZRange(ctx, s.k.entriesOfCat(categoryID), 0, -1).Result()
	if err != nil || len(ids) == 0 {
		return nil, wrap("entry refs", err)
	}
	cmds := make([]*redis.SliceCmd, len(ids))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HMGet(ctx, s.k.entry(id), "status", "cat", "title", "company")
		}
		return nil
	})
	if err != nil {
		return nil, wrap("entry refs", err)
	}
	refs := make([]judging.EntryRef, 0, len(ids))
	var older []int // indexes in refs of entries without the title and company fields
	for i, c := range cmds {
		v := c.Val()
		status, _ := v[0].(string)
		cat, _ := v[1].(string)
		if status != string(judging.StatusSubmitted) || cat != categoryID {
			continue
		}
		title, hasTitle := v[2].(string)
		company, hasCompany := v[3].(string)
		if !hasTitle || !hasCompany {
			older = append(older, len(refs))
		}
		refs = append(refs, judging.EntryRef{ID: ids[i], Title: title, Company: company})
	}
	if len(older) > 0 {
		if err := s.fillOlderRefs(ctx, refs, older); err != nil {
			return nil, err
		}
	}
	return refs, nil
}

// fillOlderRefs reads the title and company of refs[i], for i in older, from the entries' JSON.
func (s *Store) fillOlderRefs(ctx context.Context, refs []judging.EntryRef, older []int) error {
	cmds := make([]*redis.StringCmd, len(older))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for k, i := range older {
			cmds[k] = p.HGet(ctx, s.k.entry(refs[i].ID), "json")
		}
		return nil
	})
	if err != nil {
		return wrap("entry refs", err)
	}
	for k, i := range older {
		var e struct {
			Title   string `json:"title"`
			Company string `json:"company"`
		}
		if err := json.Unmarshal([]byte(cmds[k].Val()), &e); err != nil {
			return wrapValue("entry refs: entry "+refs[i].ID, err)
		}
		refs[i].Title, refs[i].Company = e.Title, e.Company
	}
	return nil
}
