package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/config"
	"github.com/awards-dev/awards/judging"
	"github.com/awards-dev/awards/judging/redisstore"
	"github.com/awards-dev/awards/judging/redisstore/embedded"
	"github.com/awards-dev/awards/web"
)

// app is the wired service: its store, its use cases and its router.
type app struct {
	log      *slog.Logger
	rdb      redis.UniversalClient
	embedded *embedded.Server // nil on a real Redis
	handler  http.Handler
}

// open connects the store, prepares the secret, the admin, the programme and the demo, and
// builds the router.
func open(ctx context.Context, cfg config.Config, log *slog.Logger, stdout io.Writer) (*app, error) {
	a := &app{log: log}
	if err := a.connect(ctx, cfg); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			a.close()
		}
	}()
	h, err := build(ctx, cfg, a.rdb, auth.DefaultArgon2id(), log, stdout)
	if err != nil {
		return nil, err
	}
	a.handler = h
	ok = true
	return a, nil
}

// build wires the use cases and the router on a connected Redis, and prepares the secret, the
// demo, the admin and the programme.
func build(ctx context.Context, cfg config.Config, rdb redis.UniversalClient, hasher judging.Hasher, log *slog.Logger, stdout io.Writer) (http.Handler, error) {
	store := redisstore.New(rdb, redisstore.WithLogger(log))
	if err := store.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrate the store: %w", err)
	}
	svc, err := judging.NewService(judging.Deps{
		Ports: store.Ports(), Publisher: store, Hasher: hasher, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	secret := []byte(cfg.JWTSecret)
	if len(secret) == 0 {
		candidate := make([]byte, auth.MinSecretLen)
		rand.Read(candidate)
		if secret, err = svc.Secret(ctx, "jwt", candidate); err != nil {
			return nil, fmt.Errorf("jwt secret: %w", err)
		}
	}
	tokens, err := auth.NewTokens(secret)
	if err != nil {
		return nil, err
	}
	if cfg.Demo {
		if err := loadDemo(ctx, svc, tokens, stdout, log); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	if cfg.AdminEmail != "" {
		created, err := svc.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword)
		if err != nil {
			return nil, fmt.Errorf("admin: %w", err)
		}
		if created {
			log.Info("admin created", "email", cfg.AdminEmail)
		}
	}
	if ok, err := svc.HasAdmin(ctx); err == nil && !ok {
		log.Warn("no admin account exists: set AWARDS_ADMIN_EMAIL and AWARDS_ADMIN_PASSWORD, or try the demo with --demo")
	}
	if cfg.Programme != "" {
		p, err := config.LoadProgramme(cfg.Programme)
		if err != nil {
			return nil, err
		}
		loaded, err := svc.LoadProgramme(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("programme %s: %w", cfg.Programme, err)
		}
		log.Info("programme file", "path", cfg.Programme, "loaded", loaded, "note", "a programme already in the store is kept")
	}
	srv, err := web.New(web.Deps{
		Service: svc, Tokens: tokens, Logger: log, TrustedProxies: cfg.TrustedProxies, Idempotency: store, MetricsToken: cfg.MetricsToken,
	})
	if err != nil {
		return nil, err
	}
	return srv.Handler(), nil
}

// connect opens the store the configuration names: one Redis, a cluster, or the embedded one.
func (a *app) connect(ctx context.Context, cfg config.Config) error {
	switch {
	case cfg.RedisURL != "":
		opt, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return err
		}
		a.rdb = redis.NewClient(opt)
	case len(cfg.RedisCluster) > 0:
		a.rdb = redis.NewClusterClient(&redis.ClusterOptions{Addrs: cfg.RedisCluster})
	default:
		e, err := embedded.Open(cfg.DataDir, a.log)
		if err != nil {
			return err
		}
		a.embedded, a.rdb = e, e.Client()
		return nil
	}
	// Wait for Redis a little: in a compose file the app may start first.
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := a.rdb.Ping(ctx).Err()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			a.rdb.Close()
			return fmt.Errorf("redis does not answer: %w", err)
		}
		a.log.Warn("waiting for redis", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// serve answers HTTP until ctx ends, then drains requests for up to 10 s.
func (a *app) serve(ctx context.Context, cfg config.Config) error {
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           a.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	a.log.Info("listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// close flushes the embedded store's snapshot (or closes the Redis client).
func (a *app) close() {
	if a.embedded != nil {
		if err := a.embedded.Close(); err != nil {
			a.log.Error("closing the embedded store", "err", err)
		}
		return
	}
	a.rdb.Close()
}
