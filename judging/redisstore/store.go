// Package redisstore is the one store behind every judging port (Store.Ports): Redis through a
// go-redis UniversalClient (one server, Redis Cluster, or the embedded miniredis), with the key
// schema in keys.go and the Lua scripts in lua/.
package redisstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/judging"
)

//go:embed lua/*.lua
var luaFiles embed.FS

// scripts are loaded once; those that append to the audit trail get audit.lua in front, those
// that refuse changes to a revealed category frozen.lua.
type scripts struct {
	saveScore, withdraw, assign, putProgramme, createEntry, updateEntry, submitEntry,
	createUser, redeemInvite, reinvite, deleteScreen, freeze, revealStep, reserve, limitReserve, limitRelease,
	raiseSchema *redis.Script
}

func loadScripts() scripts {
	read := func(name string) string {
		b, err := luaFiles.ReadFile("lua/" + name + ".lua")
		if err != nil {
			panic(err) // embedded at build time
		}
		return string(b)
	}
	audit, frozen := read("audit"), read("frozen")
	return scripts{
		saveScore:    redis.NewScript(audit + frozen + read("save_score")),
		withdraw:     redis.NewScript(audit + frozen + read("withdraw")),
		assign:       redis.NewScript(frozen + read("assign")),
		putProgramme: redis.NewScript(read("put_programme")),
		createEntry:  redis.NewScript(read("create_entry")),
		updateEntry:  redis.NewScript(read("update_entry")),
		submitEntry:  redis.NewScript(frozen + read("submit_entry")),
		createUser:   redis.NewScript(read("create_user")),
		redeemInvite: redis.NewScript(read("redeem_invite")),
		reinvite:     redis.NewScript(read("reinvite")),
		deleteScreen: redis.NewScript(read("delete_screen")),
		freeze:       redis.NewScript(read("freeze")),
		revealStep:   redis.NewScript(read("reveal_step")),
		reserve:      redis.NewScript(read("reserve")),
		limitReserve: redis.NewScript(read("limit_reserve")),
		limitRelease: redis.NewScript(read("limit_release")),
		raiseSchema:  redis.NewScript(read("raise_schema")),
	}
}

// Store keeps an awards programme in Redis.
type Store struct {
	rdb    redis.UniversalClient
	k      keys
	s      scripts
	scores *batcher // save_score's calls, pipelined together
	log    *slog.Logger
	bad    sync.Map // records reported unreadable, so each is logged once
}

// Option configures a Store.
type Option func(*Store)

// WithPrefix puts every key under prefix (default "awards:"), so that several programmes or
// tests can share one Redis. The prefix must not contain braces (they would move the hash tag).
func WithPrefix(prefix string) Option {
	return func(s *Store) {
		if !validPrefix(prefix) {
			panic("redisstore: key prefix must not contain { or }")
		}
		s.k = newKeys(prefix)
	}
}

// WithLogger gives the Store a logger for what it survives rather than fails on, such as a
// stored score it cannot read (default: discard).
func WithLogger(log *slog.Logger) Option {
	return func(s *Store) { s.log = log }
}

// New returns a Store on rdb.
func New(rdb redis.UniversalClient, opts ...Option) *Store {
	s := &Store{rdb: rdb, k: newKeys("awards:"), s: loadScripts(), log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	s.scores = newBatcher(rdb, s.s.saveScore)
	return s
}

// Ports returns the Store as every port a judging.Service needs.
func (s *Store) Ports() judging.Ports {
	return judging.Ports{
		Users: s, Secrets: s, Invitations: s, Limiter: s, Programmes: s, Entries: s,
		Assignments: s, Scores: s, Audit: s, Ceremony: s, Health: s,
	}
}

var (
	_ judging.Pinger  = (*Store)(nil)
	_ judging.Secrets = (*Store)(nil)
)

// Ping reports whether Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	return wrap("ping", s.rdb.Ping(ctx).Err())
}

// EnsureSecret returns the secret under name, storing candidate first if there is none.
func (s *Store) EnsureSecret(ctx context.Context, name string, candidate []byte) ([]byte, error) {
	if err := s.rdb.SetNX(ctx, s.k.secret(name), candidate, 0).Err(); err != nil {
		return nil, wrap("ensure secret", err)
	}
	b, err := s.rdb.Get(ctx, s.k.secret(name)).Bytes()
	return b, wrap("ensure secret", err)
}

// Publish announces an event to every instance on the events channel.
func (s *Store) Publish(ctx context.Context, e judging.Event) error {
	b, err := jsonMarshal(e)
	if err != nil {
		return wrapValue("publish", err)
	}
	return wrap("publish", s.rdb.Publish(ctx, s.k.events(), b).Err())
}

// EventsChannel is the pub/sub channel events are published on.
func (s *Store) EventsChannel() string { return s.k.events() }

// unreadable reports, once per record for the life of the Store, a stored record that cannot
// be read and is left out of what a read returns.
func (s *Store) unreadable(record string, err error) {
	if _, seen := s.bad.LoadOrStore(record, true); !seen {
		s.log.Warn("redisstore: a stored record cannot be read and is left out", "record", record, "err", err)
	}
}

// wrap adds the operation to a Redis error; a failure to reach Redis also matches
// judging.ErrUnavailable (503), a reply error stays internal (500).
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var re redis.Error
	if errors.As(err, &re) && !isNetworkReply(re.Error()) {
		return fmt.Errorf("redisstore: %s: %w", op, err)
	}
	return fmt.Errorf("redisstore: %s: %w: %w", op, judging.ErrUnavailable, err)
}

// wrapValue adds the operation to an error that is not Redis's: a value that cannot be encoded
// or a stored record that cannot be decoded (500, never 503).
func wrapValue(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("redisstore: %s: %w", op, err)
}

// unexpected is the error of a script that answered what its caller does not know.
func unexpected(op string, reply any) error {
	return fmt.Errorf("redisstore: %s: unexpected reply %v", op, reply)
}

// flag is a boolean as a script argument: "1" or "0".
func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// auditMembers is v (a struct) as JSON object members without the braces, for a script that
// writes them into an audit record between its sequence number and what it reads itself.
func auditMembers(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b[1 : len(b)-1]), nil
}

// isNetworkReply recognises the reply errors that mean "Redis cannot serve now".
func isNetworkReply(msg string) bool {
	for _, p := range []string{"LOADING", "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "READONLY"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
