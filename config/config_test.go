package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// env returns a getenv over a map.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// programmeFile writes a file for AWARDS_PROGRAMME and returns its path.
func programmeFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "programme.yaml")
	if err := os.WriteFile(path, milipol2023YAML, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	prog := programmeFile(t)
	dir := t.TempDir()
	secret := strings.Repeat("s", 32)

	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string                       // the whole error line, or a part of it; "" means no error
		check   func(t *testing.T, c Config) // for cases that load
	}{
		{
			name: "defaults: AWARDS_ADDR :8080, AWARDS_DATA_DIR ./data, AWARDS_MAX_LIVE 20000, AWARDS_PUBLIC_URL http://localhost:8080, AWARDS_POLL_SHARDS 8, info",
			check: func(t *testing.T, c Config) {
				want := Config{Addr: ":8080", DataDir: "./data", MaxLive: 20000, PublicURL: "http://localhost:8080", PollShards: 8, LogLevel: "info"}
				if diff := cmp.Diff(want, c); diff != "" {
					t.Fatalf("defaults (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "every setting is read from its variable",
			env: map[string]string{
				"AWARDS_ADDR": "127.0.0.1:9000", "AWARDS_REDIS_URL": "rediss://:pw@redis.internal:6380/2",
				"AWARDS_DATA_DIR": dir, "AWARDS_JWT_SECRET": secret, "AWARDS_ADMIN_EMAIL": "admin@example.org",
				"AWARDS_ADMIN_PASSWORD": "long-enough-1", "AWARDS_PROGRAMME": prog,
				"AWARDS_ALLOWED_ORIGINS": "https://screens.example.org, http://localhost:3000",
				"AWARDS_TRUSTED_PROXIES": "10.0.0.0/8,192.168.1.7", "AWARDS_MAX_LIVE": "500",
				"AWARDS_PUBLIC_URL": "https://awards.example.org", "AWARDS_LOG_LEVEL": "debug", "AWARDS_DEMO": "1",
				"AWARDS_METRICS_TOKEN": "scrape-me", "AWARDS_POLL_SHARDS": "16",
			},
			check: func(t *testing.T, c Config) {
				want := Config{
					Addr: "127.0.0.1:9000", RedisURL: "rediss://:pw@redis.internal:6380/2", DataDir: dir,
					JWTSecret: secret, AdminEmail: "admin@example.org", AdminPassword: "long-enough-1",
					Programme: prog, AllowedOrigins: []string{"https://screens.example.org", "http://localhost:3000"},
					TrustedProxies: []string{"10.0.0.0/8", "192.168.1.7/32"}, MaxLive: 500,
					PublicURL: "https://awards.example.org", PollShards: 16, LogLevel: "debug", Demo: true, MetricsToken: "scrape-me",
				}
				if diff := cmp.Diff(want, c); diff != "" {
					t.Fatalf("config (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "every setting is read from its kebab-case flag",
			args: []string{
				"--addr=127.0.0.1:9000", "--redis-cluster", "r1:7000, r2:7001", "--data-dir", dir,
				"--jwt-secret", secret, "--admin-email", "admin@example.org", "--admin-password", "long-enough-1",
				"--programme", prog, "--allowed-origins", "https://screens.example.org",
				"--trusted-proxies", "2001:db8::1", "--max-live", "500", "--public-url", "https://awards.example.org/",
				"--log-level", "WARN", "--demo", "--metrics-token", "scrape-me", "--poll-shards", "4",
			},
			check: func(t *testing.T, c Config) {
				want := Config{
					Addr: "127.0.0.1:9000", RedisCluster: []string{"r1:7000", "r2:7001"}, DataDir: dir,
					JWTSecret: secret, AdminEmail: "admin@example.org", AdminPassword: "long-enough-1",
					Programme: prog, AllowedOrigins: []string{"https://screens.example.org"},
					TrustedProxies: []string{"2001:db8::1/128"}, MaxLive: 500,
					PublicURL: "https://awards.example.org", PollShards: 4, LogLevel: "warn", Demo: true, MetricsToken: "scrape-me",
				}
				if diff := cmp.Diff(want, c); diff != "" {
					t.Fatalf("config (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "a flag wins over its variable",
			env:  map[string]string{"AWARDS_ADDR": ":9000", "AWARDS_MAX_LIVE": "10", "AWARDS_DEMO": "1"},
			args: []string{"--addr", ":7000", "--max-live=20", "--demo=false"},
			check: func(t *testing.T, c Config) {
				if c.Addr != ":7000" || c.MaxLive != 20 || c.Demo {
					t.Fatalf("got addr %q max_live %d demo %v, want :7000 20 false", c.Addr, c.MaxLive, c.Demo)
				}
			},
		},
		{
			name: "an empty flag wins over its variable: --redis-url= means the embedded store",
			env:  map[string]string{"AWARDS_REDIS_URL": "redis://redis:6379/0"},
			args: []string{"--redis-url="},
			check: func(t *testing.T, c Config) {
				if c.RedisURL != "" {
					t.Fatalf("RedisURL = %q, want empty", c.RedisURL)
				}
			},
		},
		{
			name:    "AWARDS_METRICS_TOKEN fits in an Authorization header",
			env:     map[string]string{"AWARDS_METRICS_TOKEN": "two words"},
			wantErr: "config: AWARDS_METRICS_TOKEN (--metrics-token) must not contain spaces or control characters",
		},
		{
			name:    "AWARDS_ADDR is host:port",
			env:     map[string]string{"AWARDS_ADDR": "8080"},
			wantErr: `config: AWARDS_ADDR (--addr) "8080" must be host:port, such as :8080 or redis-1:6379`,
		},
		{
			name:    "--addr has a numeric port",
			args:    []string{"--addr", "localhost:http"},
			wantErr: `config: AWARDS_ADDR (--addr) "localhost:http" must have a numeric port from 1 to 65535, got "http"`,
		},
		{
			name:    "AWARDS_REDIS_URL is redis:// or rediss://",
			env:     map[string]string{"AWARDS_REDIS_URL": "http://redis:6379"},
			wantErr: `config: AWARDS_REDIS_URL (--redis-url) must start with redis:// or rediss://, got scheme "http"`,
		},
		{
			name:    "--redis-url parses as a Redis URL",
			args:    []string{"--redis-url", "redis://redis:6379/not-a-db"},
			wantErr: `config: AWARDS_REDIS_URL (--redis-url) is not a valid Redis URL: redis: invalid database number: "not-a-db"`,
		},
		{
			name:    "AWARDS_REDIS_URL and AWARDS_REDIS_CLUSTER are not both set",
			env:     map[string]string{"AWARDS_REDIS_URL": "redis://redis:6379/0", "AWARDS_REDIS_CLUSTER": "r1:7000"},
			wantErr: "config: AWARDS_REDIS_URL (--redis-url) and AWARDS_REDIS_CLUSTER (--redis-cluster) cannot both be set",
		},
		{
			name:    "each AWARDS_REDIS_CLUSTER seed is host:port",
			env:     map[string]string{"AWARDS_REDIS_CLUSTER": "r1:7000,r2"},
			wantErr: `config: AWARDS_REDIS_CLUSTER (--redis-cluster) seed "r2" must be host:port`,
		},
		{
			name:    "each --redis-cluster seed has a numeric port",
			args:    []string{"--redis-cluster", "r1:redis"},
			wantErr: `config: AWARDS_REDIS_CLUSTER (--redis-cluster) seed "r1:redis" must have a numeric port from 1 to 65535, got "redis"`,
		},
		{
			name:    "each --redis-cluster seed names a host",
			args:    []string{"--redis-cluster", ":7000"},
			wantErr: `config: AWARDS_REDIS_CLUSTER (--redis-cluster) seed ":7000" must name a host`,
		},
		{
			name:    "--data-dir is not empty",
			args:    []string{"--data-dir="},
			wantErr: "config: AWARDS_DATA_DIR (--data-dir) must not be empty",
		},
		{
			name:    "AWARDS_JWT_SECRET is at least 32 bytes",
			env:     map[string]string{"AWARDS_JWT_SECRET": "twelve-bytes"},
			wantErr: "config: AWARDS_JWT_SECRET (--jwt-secret) must be at least 32 bytes, got 12",
		},
		{
			name:    "--jwt-secret is at least 32 bytes",
			args:    []string{"--jwt-secret", strings.Repeat("x", 31)},
			wantErr: "config: AWARDS_JWT_SECRET (--jwt-secret) must be at least 32 bytes, got 31",
		},
		{
			name:    "AWARDS_ADMIN_EMAIL and AWARDS_ADMIN_PASSWORD: both or neither (no password)",
			env:     map[string]string{"AWARDS_ADMIN_EMAIL": "admin@example.org"},
			wantErr: "config: AWARDS_ADMIN_EMAIL (--admin-email) is set but AWARDS_ADMIN_PASSWORD (--admin-password) is not: set both or neither",
		},
		{
			name:    "AWARDS_ADMIN_EMAIL and AWARDS_ADMIN_PASSWORD: both or neither (no email)",
			args:    []string{"--admin-password", "long-enough-1"},
			wantErr: "config: AWARDS_ADMIN_PASSWORD (--admin-password) is set but AWARDS_ADMIN_EMAIL (--admin-email) is not: set both or neither",
		},
		{
			name:    "AWARDS_ADMIN_PASSWORD is at least 10 characters",
			env:     map[string]string{"AWARDS_ADMIN_EMAIL": "admin@example.org", "AWARDS_ADMIN_PASSWORD": "short12"},
			wantErr: "config: AWARDS_ADMIN_PASSWORD (--admin-password) must be at least 10 characters, got 7",
		},
		{
			name:    "AWARDS_ADMIN_EMAIL is an email address",
			args:    []string{"--admin-email", "Admin <admin@example.org>", "--admin-password", "long-enough-1"},
			wantErr: `config: AWARDS_ADMIN_EMAIL (--admin-email) must be a plain email address such as admin@example.org, got "Admin <admin@example.org>"`,
		},
		{
			name:    "AWARDS_PROGRAMME names a file that exists",
			env:     map[string]string{"AWARDS_PROGRAMME": filepath.Join(dir, "missing.yaml")},
			wantErr: fmt.Sprintf("config: AWARDS_PROGRAMME (--programme) file %q does not exist", filepath.Join(dir, "missing.yaml")),
		},
		{
			name:    "--programme names a file, not a directory",
			args:    []string{"--programme", dir},
			wantErr: fmt.Sprintf("config: AWARDS_PROGRAMME (--programme) %q is a directory, not a programme file", dir),
		},
		{
			name:    "AWARDS_ALLOWED_ORIGINS are http(s) origins",
			env:     map[string]string{"AWARDS_ALLOWED_ORIGINS": "https://ok.example.org,ftp://files.example.org"},
			wantErr: `config: AWARDS_ALLOWED_ORIGINS (--allowed-origins) "ftp://files.example.org" must be an http(s) origin, scheme://host[:port]`,
		},
		{
			name:    "--allowed-origins have no path",
			args:    []string{"--allowed-origins", "https://screens.example.org/live"},
			wantErr: `config: AWARDS_ALLOWED_ORIGINS (--allowed-origins) "https://screens.example.org/live" must be scheme://host[:port] only, with no user, path, query or fragment`,
		},
		{
			name:    "AWARDS_TRUSTED_PROXIES are CIDRs or IPs",
			env:     map[string]string{"AWARDS_TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"},
			wantErr: `config: AWARDS_TRUSTED_PROXIES (--trusted-proxies) "proxy.internal" is not a CIDR (such as 10.0.0.0/8) or an IP address`,
		},
		{
			name:    "--trusted-proxies are CIDRs or IPs",
			args:    []string{"--trusted-proxies", "10.0.0.0/33"},
			wantErr: `config: AWARDS_TRUSTED_PROXIES (--trusted-proxies) "10.0.0.0/33" is not a CIDR`,
		},
		{
			name:    "AWARDS_MAX_LIVE is a number",
			env:     map[string]string{"AWARDS_MAX_LIVE": "lots"},
			wantErr: `config: AWARDS_MAX_LIVE (--max-live) must be a positive integer, got "lots"`,
		},
		{
			name:    "--max-live is positive",
			args:    []string{"--max-live", "0"},
			wantErr: "config: AWARDS_MAX_LIVE (--max-live) must be a positive integer, got 0",
		},
		{
			name:    "AWARDS_PUBLIC_URL is an absolute http(s) URL",
			env:     map[string]string{"AWARDS_PUBLIC_URL": "awards.example.org"},
			wantErr: `config: AWARDS_PUBLIC_URL (--public-url) must be an absolute http(s) URL such as https://awards.example.org, got "awards.example.org"`,
		},
		{
			name:    "--public-url has no query",
			args:    []string{"--public-url", "https://awards.example.org/?x=1"},
			wantErr: `config: AWARDS_PUBLIC_URL (--public-url) must have no user, query or fragment`,
		},
		{
			name:    "AWARDS_POLL_SHARDS is a number",
			env:     map[string]string{"AWARDS_POLL_SHARDS": "eight"},
			wantErr: `config: AWARDS_POLL_SHARDS (--poll-shards) must be a positive integer, got "eight"`,
		},
		{
			name:    "--poll-shards is at least 1",
			args:    []string{"--poll-shards", "0"},
			wantErr: "config: AWARDS_POLL_SHARDS (--poll-shards) must be an integer from 1 to 1024, got 0",
		},
		{
			name:    "--poll-shards is at most 1024",
			args:    []string{"--poll-shards", "1025"},
			wantErr: "config: AWARDS_POLL_SHARDS (--poll-shards) must be an integer from 1 to 1024, got 1025",
		},
		{
			name:    "AWARDS_LOG_LEVEL is debug, info, warn or error",
			env:     map[string]string{"AWARDS_LOG_LEVEL": "verbose"},
			wantErr: `config: AWARDS_LOG_LEVEL (--log-level) must be debug, info, warn or error, got "verbose"`,
		},
		{
			name:    "AWARDS_DEMO is a boolean",
			env:     map[string]string{"AWARDS_DEMO": "yes please"},
			wantErr: `config: AWARDS_DEMO (--demo) must be true or false (or 1 or 0), got "yes please"`,
		},
		{
			name:    "an unknown flag is an error",
			args:    []string{"--no-such-flag"},
			wantErr: "config: flag provided but not defined: -no-such-flag (see --help)",
		},
		{
			name:    "a stray argument is an error",
			args:    []string{"--demo", "serve"},
			wantErr: `config: unexpected argument "serve"`,
		},
		{
			name: "--version loads without validating the rest",
			env:  map[string]string{"AWARDS_JWT_SECRET": "short"},
			args: []string{"--version"},
			check: func(t *testing.T, c Config) {
				if !c.Version {
					t.Fatal("Version = false, want true")
				}
			},
		},
		{
			name: "--healthcheck needs only a valid listen address",
			env:  map[string]string{"AWARDS_JWT_SECRET": "short", "AWARDS_ADDR": ":8081"},
			args: []string{"--healthcheck"},
			check: func(t *testing.T, c Config) {
				if !c.Healthcheck || c.Addr != ":8081" {
					t.Fatalf("Healthcheck %v Addr %q, want true :8081", c.Healthcheck, c.Addr)
				}
			},
		},
		{
			name:    "--healthcheck still checks the listen address",
			env:     map[string]string{"AWARDS_ADDR": "nowhere"},
			args:    []string{"--healthcheck"},
			wantErr: `config: AWARDS_ADDR (--addr) "nowhere" must be host:port`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.args, env(tt.env))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				tt.check(t, c)
				return
			}
			if err == nil {
				t.Fatalf("Load: no error, want %q", tt.wantErr)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantErr) {
				t.Fatalf("Load error:\n got %q\nwant %q", msg, tt.wantErr)
			}
			if !strings.HasPrefix(msg, "config: ") || strings.Contains(msg, "\n") {
				t.Fatalf("Load error %q: want one line starting with \"config: \"", msg)
			}
		})
	}
}

func TestLoad_Help(t *testing.T) {
	for _, arg := range []string{"-h", "--help"} {
		if _, err := Load([]string{arg}, env(nil)); !errors.Is(err, flag.ErrHelp) {
			t.Fatalf("Load(%s) = %v, want flag.ErrHelp", arg, err)
		}
	}
}

func TestConfig_String(t *testing.T) {
	const (
		secret   = "jwt-secret-0123456789-0123456789-abcdef"
		password = "admin-password-42"
		redisPW  = "redis-pass-77"
		metrics  = "metrics-token-99"
	)
	c, err := Load(nil, env(map[string]string{
		"AWARDS_JWT_SECRET":     secret,
		"AWARDS_ADMIN_EMAIL":    "admin@example.org",
		"AWARDS_ADMIN_PASSWORD": password,
		"AWARDS_REDIS_URL":      "rediss://app:" + redisPW + "@redis.internal:6380/0",
		"AWARDS_METRICS_TOKEN":  metrics,
	}))
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("start", "config", c)
	var text bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("start", "config", c)
	renders := map[string]string{
		"String":      c.String(),
		"%v":          fmt.Sprintf("%v", c),
		"%+v":         fmt.Sprintf("%+v", c),
		"%#v":         fmt.Sprintf("%#v", c),
		"slog JSON":   js.String(),
		"slog text":   text.String(),
		"pointer %+v": fmt.Sprintf("%+v", &c),
	}
	for how, s := range renders {
		for _, secret := range []string{secret, password, redisPW, metrics} {
			if strings.Contains(s, secret) {
				t.Errorf("%s shows the secret %q: %s", how, secret, s)
			}
		}
	}
	for _, want := range []string{"jwt_secret=[set]", "admin_password=[set]", "metrics_token=[set]", "rediss://app:xxxxx@redis.internal:6380/0", "admin_email=admin@example.org", "max_live=20000"} {
		if !strings.Contains(c.String(), want) {
			t.Errorf("String() = %s, want it to contain %q", c.String(), want)
		}
	}
	if strings.Contains(c.String(), "\n") {
		t.Errorf("String() spans lines: %q", c.String())
	}
}

// documented lists the settings the README's configuration table names, written out here
// rather than read from the settings table, so that a setting missing from the help (or one the
// help has and nobody documented) fails TestUsage. Each variable's flag is its name in
// kebab-case without AWARDS_ (see flagOf).
var documented = []struct{ env, def string }{
	{"AWARDS_ADDR", ":8080"},
	{"AWARDS_REDIS_URL", ""},
	{"AWARDS_REDIS_CLUSTER", ""},
	{"AWARDS_DATA_DIR", "./data"},
	{"AWARDS_JWT_SECRET", ""},
	{"AWARDS_ADMIN_EMAIL", ""},
	{"AWARDS_ADMIN_PASSWORD", ""},
	{"AWARDS_PROGRAMME", ""},
	{"AWARDS_ALLOWED_ORIGINS", ""},
	{"AWARDS_TRUSTED_PROXIES", ""},
	{"AWARDS_MAX_LIVE", "20000"},
	{"AWARDS_PUBLIC_URL", "http://localhost:8080"},
	{"AWARDS_POLL_SHARDS", "8"},
	{"AWARDS_LOG_LEVEL", "info"},
	{"AWARDS_METRICS_TOKEN", ""},
	{"AWARDS_DEMO", ""},
}

// flagOnly are the flags with no variable.
var flagOnly = []string{"version", "healthcheck", "help"}

// flagOf is a variable's flag: AWARDS_MAX_LIVE → max-live.
func flagOf(env string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(env, "AWARDS_"), "_", "-"))
}

func TestUsage(t *testing.T) {
	// --help lists every documented setting, once, as its kebab-case flag with its variable
	// and its default, and no flag that is not documented.
	lines := strings.Split(Usage(), "\n")
	help := map[string]string{} // flag → the line that explains it
	for i, line := range lines {
		if !strings.HasPrefix(line, "  -") || i+1 == len(lines) {
			continue
		}
		head := strings.Fields(strings.TrimPrefix(line, "  -h, "))[0]
		flag := strings.TrimPrefix(head, "--")
		if _, dup := help[flag]; dup || flag == head {
			t.Errorf("Usage() has %q twice or not as --flag", line)
		}
		help[flag] = lines[i+1]
	}
	want := slices.Clone(flagOnly)
	for _, d := range documented {
		flag := flagOf(d.env)
		want = append(want, flag)
		text, ok := help[flag]
		if !ok {
			t.Errorf("Usage() does not list --%s (%s)", flag, d.env)
			continue
		}
		if !strings.Contains(text, "("+d.env) {
			t.Errorf("Usage() for --%s does not name %s: %q", flag, d.env, text)
		}
		if d.def != "" && !strings.Contains(text, "default "+strconv.Quote(d.def)) {
			t.Errorf("Usage() for --%s does not give its default %q: %q", flag, d.def, text)
		}
	}
	got := slices.Sorted(maps.Keys(help))
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the flags Usage() lists (-documented +listed):\n%s", diff)
	}
}

func TestConfig_SlogLevel(t *testing.T) {
	for level, want := range map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError} {
		if got := (Config{LogLevel: level}).SlogLevel(); got != want {
			t.Errorf("SlogLevel(%q) = %v, want %v", level, got, want)
		}
	}
}

// FuzzLoad checks, for any one variable and any one argument: Load never panics, every error
// is one line starting with "config: ", a documented variable is read like its flag (the same
// value gives the same config or the same error) and any other variable is ignored, and
// String never shows the JWT secret, the admin password or the metrics token.
func FuzzLoad(f *testing.F) {
	f.Add("AWARDS_ADDR", ":8080", "--max-live=5")
	f.Add("AWARDS_REDIS_URL", "redis://:pw@redis:6379/0", "--redis-cluster=r1:7000")
	f.Add("AWARDS_JWT_SECRET", strings.Repeat("k", 40), "--admin-email=a@b.c")
	f.Add("AWARDS_TRUSTED_PROXIES", "10.0.0.1,::1", "--allowed-origins=https://x.example:8443")
	f.Add("AWARDS_PROGRAMME", "/no/such\nfile", "--public-url=http://h/")
	f.Add("AWARDS_DEMO", "1", "--healthcheck")
	f.Add("AWARDS_METRICS_TOKEN", "scrape-me", "--metrics-token=x\ty")
	f.Add("AWARDS_LOG_LEVEL", "WARN", "--version")
	f.Add("AWARDS_MAX_LIVE", "0x10", "--addr=:1")
	f.Add("AWARDS_NO_SUCH_SETTING", "1", "--log-level=debug")
	f.Fuzz(func(t *testing.T, key, value, arg string) {
		c, err := Load([]string{arg}, env(map[string]string{key: value}))
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			if msg := err.Error(); !strings.HasPrefix(msg, "config: ") || strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("error %q: want one line starting with \"config: \"", msg)
			}
		}

		// The same setting given the other way: as its flag (before arg, which still wins),
		// or, for a variable that is not a setting, not at all.
		other, otherArgs := "not at all", []string{arg}
		if value != "" && slices.ContainsFunc(documented, func(d struct{ env, def string }) bool { return d.env == key }) {
			other, otherArgs = "as --"+flagOf(key), []string{"--" + flagOf(key) + "=" + value, arg}
		}
		c2, err2 := Load(otherArgs, env(nil))
		if fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("%s=%q with %q: error %v; given %s: error %v", key, value, arg, err, other, err2)
		}
		if diff := cmp.Diff(c, c2); diff != "" {
			t.Fatalf("%s=%q with %q, and given %s, load differently (-variable +other):\n%s", key, value, arg, other, diff)
		}

		masked := c
		masked.JWTSecret, masked.AdminPassword, masked.MetricsToken = mask(c.JWTSecret), mask(c.AdminPassword), mask(c.MetricsToken)
		if c.String() != masked.String() {
			t.Fatalf("String() depends on the secrets' values: %s", c.String())
		}
	})
}
