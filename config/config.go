// Package config reads the service's settings and the programmes it ships with.
//
// Glossary:
//   - Config: the settings of one process, from the AWARDS_* environment variables, then flags
//     of the same name in kebab-case (a flag wins over the environment).
//   - Setting: one entry of the settings table: its variable, flag, default, help, and how its
//     text is read and checked. Load, Validate, Usage, String and the README's table all come
//     from that one table.
//   - Programme file: a YAML file in the shape of judging.Programme, read strictly.
//   - Milipol 2023: the built-in programme of the Milipol Paris 2023 innovation awards.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"github.com/awards-dev/awards/auth"
	"github.com/awards-dev/awards/judging"
)

// Config is the service's configuration; settings lists where each field comes from.
type Config struct {
	Addr           string
	RedisURL       string
	RedisCluster   []string
	DataDir        string
	JWTSecret      string
	AdminEmail     string
	AdminPassword  string
	Programme      string
	AllowedOrigins []string
	TrustedProxies []string
	MaxLive        int
	PublicURL      string
	PollShards     int
	LogLevel       string
	MetricsToken   string
	Demo           bool
	Version        bool
	Healthcheck    bool
}

// setting is one configuration value: where it is read from, its default and help, how its
// text is read into a Config, the rule it must then follow, and how the startup log shows it.
type setting struct {
	env, flag string // env is "" for a flag-only setting
	def       string
	kind      string // shown in the help: "string", "list", "int", or "" for a boolean
	help      string // one line; `code` in backticks, which --help leaves out
	unused    string // why the setting does nothing yet, or ""
	secret    bool   // masked in String and LogValue
	parse     func(c *Config, raw string) error
	check     func(c Config) error      // nil: any value parse accepts
	show      func(c Config) slog.Value // nil: not logged
}

// settings lists every setting in the order of the help text and the README's table. An
// error of parse or check names the rule broken; Load and Validate put the setting in front.
// It is filled by init, since rules that involve two settings name the other through byFlag.
var settings []setting

func init() {
	settings = []setting{
		{env: "AWARDS_ADDR", flag: "addr", def: ":8080", kind: "string", help: "listen address, `host:port`",
			parse: func(c *Config, s string) error { c.Addr = strings.TrimSpace(s); return nil },
			check: func(c Config) error { return quoted(c.Addr, checkHostPort(c.Addr, false)) },
			show:  func(c Config) slog.Value { return slog.StringValue(c.Addr) }},
		{env: "AWARDS_REDIS_URL", flag: "redis-url", kind: "string", help: "one Redis server, `redis://…` or `rediss://…`; empty: the embedded store",
			parse: func(c *Config, s string) error { c.RedisURL = strings.TrimSpace(s); return nil },
			check: func(c Config) error {
				if c.RedisURL == "" {
					return nil
				}
				if err := checkRedisURL(c.RedisURL); err != nil {
					return err
				}
				if len(c.RedisCluster) > 0 {
					return fmt.Errorf("and %s cannot both be set: use one server or one cluster", label(byFlag("redis-cluster")))
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.StringValue(redactURL(c.RedisURL)) }},
		{env: "AWARDS_REDIS_CLUSTER", flag: "redis-cluster", kind: "list", help: "Redis Cluster seed addresses, comma-separated `host:port`",
			parse: func(c *Config, s string) error { c.RedisCluster = splitList(s); return nil },
			check: func(c Config) error {
				for _, seed := range c.RedisCluster {
					if err := checkHostPort(seed, true); err != nil {
						return fmt.Errorf("seed %q %v", seed, err)
					}
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.StringValue(strings.Join(c.RedisCluster, ",")) }},
		{env: "AWARDS_DATA_DIR", flag: "data-dir", def: "./data", kind: "string", help: "where the embedded store keeps its snapshot",
			parse: func(c *Config, s string) error { c.DataDir = s; return nil },
			check: func(c Config) error {
				if strings.TrimSpace(c.DataDir) == "" {
					return errors.New("must not be empty")
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.StringValue(c.DataDir) }},
		{env: "AWARDS_JWT_SECRET", flag: "jwt-secret", kind: "string", secret: true,
			help:  fmt.Sprintf("HS256 signing secret, at least %d bytes; empty: generated once and kept in the store; prefer the environment", auth.MinSecretLen),
			parse: func(c *Config, s string) error { c.JWTSecret = s; return nil },
			check: func(c Config) error {
				if c.JWTSecret != "" && len(c.JWTSecret) < auth.MinSecretLen {
					return fmt.Errorf("must be at least %d bytes, got %d", auth.MinSecretLen, len(c.JWTSecret))
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.StringValue(c.JWTSecret) }},
		{env: "AWARDS_ADMIN_EMAIL", flag: "admin-email", kind: "string", help: "create this admin at start if no admin exists; set with the password",
			parse: func(c *Config, s string) error { c.AdminEmail = strings.TrimSpace(s); return nil },
			check: func(c Config) error {
				switch {
				case c.AdminEmail == "":
					return nil
				case c.AdminPassword == "":
					return fmt.Errorf("is set but %s is not: set both or neither", label(byFlag("admin-password")))
				}
				if a, err := mail.ParseAddress(c.AdminEmail); err != nil || a.Address != c.AdminEmail {
					return fmt.Errorf("must be a plain email address such as admin@example.org, got %q", c.AdminEmail)
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.StringValue(c.AdminEmail) }},
		{env: "AWARDS_ADMIN_PASSWORD", flag: "admin-password", kind: "string", secret: true,
			help:  fmt.Sprintf("that admin's password, at least %d characters; prefer the environment", judging.MinPasswordLen),
			parse: func(c *Config, s string) error { c.AdminPassword = s; return nil },
			check: func(c Config) error {
				switch {
				case c.AdminPassword == "":
					return nil
				case c.AdminEmail == "":
					return fmt.Errorf("is set but %s is not: set both or neither", label(byFlag("admin-email")))
				}
				if n := utf8.RuneCountInString(c.AdminPassword); n < judging.MinPasswordLen {
					return fmt.Errorf("must be at least %d characters, got %d", judging.MinPasswordLen, n)
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.StringValue(c.AdminPassword) }},
		{env: "AWARDS_PROGRAMME", flag: "programme", kind: "string", help: "programme YAML file loaded at start if no programme exists (see `config/milipol-2023.yaml`)",
			parse: func(c *Config, s string) error { c.Programme = strings.TrimSpace(s); return nil },
			check: func(c Config) error {
				if c.Programme == "" {
					return nil
				}
				return checkFile(c.Programme)
			},
			show: func(c Config) slog.Value { return slog.StringValue(c.Programme) }},
		{env: "AWARDS_ALLOWED_ORIGINS", flag: "allowed-origins", kind: "list", unused: "the live feed is not built",
			help:  "extra origins allowed to open the live feed, comma-separated `scheme://host[:port]`",
			parse: func(c *Config, s string) error { c.AllowedOrigins = splitList(s); return nil },
			check: func(c Config) error {
				for _, o := range c.AllowedOrigins {
					if err := checkOrigin(o); err != nil {
						return quoted(o, err)
					}
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.StringValue(strings.Join(c.AllowedOrigins, ",")) }},
		{env: "AWARDS_TRUSTED_PROXIES", flag: "trusted-proxies", kind: "list", help: "proxies whose X-Forwarded-For is believed, comma-separated CIDRs or IPs",
			parse: func(c *Config, s string) error { c.TrustedProxies = normaliseProxies(splitList(s)); return nil },
			check: func(c Config) error {
				for _, p := range c.TrustedProxies {
					if !validProxy(p) {
						return fmt.Errorf("%q is not a CIDR (such as 10.0.0.0/8) or an IP address", p)
					}
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.StringValue(strings.Join(c.TrustedProxies, ",")) }},
		{env: "AWARDS_MAX_LIVE", flag: "max-live", def: "20000", kind: "int", unused: "the live feed is not built",
			help:  "live connections one instance accepts",
			parse: func(c *Config, s string) error { return parseInt(&c.MaxLive, s) },
			check: func(c Config) error { return checkPositive(c.MaxLive) },
			show:  func(c Config) slog.Value { return slog.IntValue(c.MaxLive) }},
		{env: "AWARDS_PUBLIC_URL", flag: "public-url", def: "http://localhost:8080", kind: "string", unused: "the pages and the audience vote that link to it are not built",
			help: "the address visitors use, for links and QR codes",
			parse: func(c *Config, s string) error {
				c.PublicURL = strings.TrimRight(strings.TrimSpace(s), "/")
				return nil
			},
			check: func(c Config) error { return checkPublicURL(c.PublicURL) },
			show:  func(c Config) slog.Value { return slog.StringValue(c.PublicURL) }},
		{env: "AWARDS_POLL_SHARDS", flag: "poll-shards", def: "8", kind: "int", unused: "the audience vote is not built",
			help:  "hash-tag shards of each poll's counters, so one poll's votes spread over Redis Cluster masters",
			parse: func(c *Config, s string) error { return parseInt(&c.PollShards, s) },
			check: func(c Config) error {
				if c.PollShards < 1 || c.PollShards > maxPollShards {
					return fmt.Errorf("must be an integer from 1 to %d, got %d", maxPollShards, c.PollShards)
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.IntValue(c.PollShards) }},
		{env: "AWARDS_LOG_LEVEL", flag: "log-level", def: "info", kind: "string", help: "`debug`, `info`, `warn` or `error`",
			parse: func(c *Config, s string) error { c.LogLevel = strings.ToLower(strings.TrimSpace(s)); return nil },
			check: func(c Config) error {
				switch c.LogLevel {
				case "debug", "info", "warn", "error":
					return nil
				}
				return fmt.Errorf("must be debug, info, warn or error, got %q", c.LogLevel)
			},
			show: func(c Config) slog.Value { return slog.StringValue(c.LogLevel) }},
		{env: "AWARDS_METRICS_TOKEN", flag: "metrics-token", kind: "string", secret: true,
			help:  "when set, `GET /metrics` needs it as a bearer token (else 401); empty: open; prefer the environment",
			parse: func(c *Config, s string) error { c.MetricsToken = s; return nil },
			check: func(c Config) error {
				if strings.IndexFunc(c.MetricsToken, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
					return errors.New("must not contain spaces or control characters")
				}
				return nil
			},
			show: func(c Config) slog.Value { return slog.StringValue(c.MetricsToken) }},
		{env: "AWARDS_DEMO", flag: "demo", def: "false", help: "load the built-in demo programme and accounts and print their credentials",
			parse: func(c *Config, s string) error { return parseBool(&c.Demo, s) },
			show:  func(c Config) slog.Value { return slog.BoolValue(c.Demo) }},
		{flag: "version", def: "false", help: "print the version and exit",
			parse: func(c *Config, s string) error { return parseBool(&c.Version, s) }},
		{flag: "healthcheck", def: "false", help: "ask this instance's `GET /healthz`, exit 0 if it answers, 1 if not (the container's health probe)",
			parse: func(c *Config, s string) error { return parseBool(&c.Healthcheck, s) }},
	}
}

// maxPollShards bounds AWARDS_POLL_SHARDS: more shards than a cluster has masters buy nothing.
const maxPollShards = 1024

// byFlag returns the setting of a flag; the table is fixed, so a missing one is a bug.
func byFlag(name string) setting {
	for _, s := range settings {
		if s.flag == name {
			return s
		}
	}
	panic("config: no setting --" + name)
}

// Load reads getenv, then parses args (os.Args[1:]), then validates; every error is one line
// naming the setting. -h or --help returns flag.ErrHelp (print Usage, exit 0).
func Load(args []string, getenv func(string) string) (Config, error) {
	raw := make(map[string]string, len(settings))
	for _, s := range settings {
		raw[s.flag] = s.def
		if s.env != "" {
			if v := getenv(s.env); v != "" {
				raw[s.flag] = v
			}
		}
	}

	flags := flag.NewFlagSet("awards", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	flags.Usage = func() {}
	for _, s := range settings {
		flags.Var(&rawFlag{raw: raw, name: s.flag, isBool: s.kind == ""}, s.flag, s.help)
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, flag.ErrHelp
		}
		return Config{}, singleLine(fmt.Errorf("config: %v (see --help)", err))
	}
	if flags.NArg() > 0 {
		return Config{}, fmt.Errorf("config: unexpected argument %q: settings are flags such as --addr=:8080 (see --help)", flags.Arg(0))
	}

	var c Config
	for _, s := range settings {
		if err := s.parse(&c, raw[s.flag]); err != nil {
			return Config{}, singleLine(s.fail(err))
		}
	}
	// --version needs nothing else; --healthcheck only the address it asks.
	switch {
	case c.Version:
		return c, nil
	case c.Healthcheck:
		return c, byFlag("addr").validate(c)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks every setting's rule and returns the first broken one as a single line
// naming the setting.
func (c Config) Validate() error {
	for _, s := range settings {
		if err := s.validate(c); err != nil {
			return err
		}
	}
	return nil
}

// validate checks the setting's rule on c.
func (s setting) validate(c Config) error {
	if s.check == nil {
		return nil
	}
	return singleLine(s.fail(s.check(c)))
}

// fail names the setting in front of err.
func (s setting) fail(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("config: %s %v", label(s), err)
}

// Usage returns the flag help text.
func Usage() string {
	var b strings.Builder
	b.WriteString("Usage: awards [flags]\n\n")
	b.WriteString("Each setting is read from its environment variable, then from its flag; a flag wins.\n\n")
	for _, s := range settings {
		head := "  --" + s.flag
		if s.kind != "" {
			head += " " + s.kind
		}
		fmt.Fprintf(&b, "%s\n        %s", head, strings.ReplaceAll(s.describe(), "`", ""))
		var from []string
		if s.env != "" {
			from = append(from, s.env)
		}
		if s.kind != "" && s.def != "" {
			from = append(from, "default "+strconv.Quote(s.def))
		}
		if len(from) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(from, ", "))
		}
		b.WriteString("\n")
	}
	b.WriteString("  -h, --help\n        show this help\n")
	return b.String()
}

// describe is the setting's help, saying so when it does nothing yet.
func (s setting) describe() string {
	if s.unused == "" {
		return s.help
	}
	return s.help + "; not used yet: " + s.unused
}

// readmeTable is the README's configuration table: one row per setting, in Markdown.
func readmeTable() string {
	var b strings.Builder
	b.WriteString("| variable | flag | meaning | default |\n")
	b.WriteString("| --- | --- | --- | --- |\n")
	for _, s := range settings {
		env := "—"
		if s.env != "" {
			env = "`" + s.env + "`"
		}
		def := "empty"
		if s.def != "" {
			def = "`" + s.def + "`"
		}
		help := strings.NewReplacer("|", `\|`, "<", "&lt;", "not used yet", "*not used yet*").Replace(s.describe())
		fmt.Fprintf(&b, "| %s | `--%s` | %s | %s |\n", env, s.flag, help, def)
	}
	return b.String()
}

// SlogLevel returns LogLevel as a slog.Level (info if it is not one of the four names).
func (c Config) SlogLevel() slog.Level {
	switch c.LogLevel {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// rawFlag records a flag's text in the raw map; the setting's apply reads it afterwards, so a
// bad flag value is reported like a bad variable.
type rawFlag struct {
	raw    map[string]string
	name   string
	isBool bool
}

func (f *rawFlag) String() string {
	if f == nil || f.raw == nil {
		return ""
	}
	return f.raw[f.name]
}

func (f *rawFlag) Set(s string) error { f.raw[f.name] = s; return nil }

func (f *rawFlag) IsBoolFlag() bool { return f.isBool }

// label names a setting in an error: its variable and its flag.
func label(s setting) string {
	if s.env == "" {
		return "--" + s.flag
	}
	return s.env + " (--" + s.flag + ")"
}

// quoted puts the value a rule was checked on in front of its error.
func quoted(value string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%q %v", value, err)
}

// singleLine keeps an error on one line, escaping line breaks that came in with a value.
func singleLine(err error) error {
	if err == nil || !strings.ContainsAny(err.Error(), "\r\n") {
		return err
	}
	return errors.New(strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(err.Error()))
}

// splitList splits a comma-separated list, trimming spaces and dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func parseInt(dst *int, s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("must be a positive integer, got %q", s)
	}
	*dst = n
	return nil
}

// checkPositive checks n > 0.
func checkPositive(n int) error {
	if n <= 0 {
		return fmt.Errorf("must be a positive integer, got %d", n)
	}
	return nil
}

func parseBool(dst *bool, s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("must be true or false (or 1 or 0), got %q", s)
	}
	*dst = b
	return nil
}

// checkHostPort accepts host:port with a numeric port; the host may be empty (all interfaces)
// unless needHost.
func checkHostPort(s string, needHost bool) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return errors.New("must be host:port, such as :8080 or redis-1:6379")
	}
	if needHost && host == "" {
		return errors.New("must name a host, such as redis-1:6379")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 || (needHost && n == 0) {
		return fmt.Errorf("must have a numeric port from 1 to 65535, got %q", port)
	}
	return nil
}

// checkRedisURL never quotes the URL back: it may hold a password.
func checkRedisURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("is not a valid URL")
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return fmt.Errorf("must start with redis:// or rediss://, got scheme %q", u.Scheme)
	}
	if _, err := redis.ParseURL(s); err != nil {
		return fmt.Errorf("is not a valid Redis URL: %v", err)
	}
	return nil
}

func checkFile(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("file %q does not exist", path)
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already quoted in the message
		}
		return fmt.Errorf("file %q cannot be read: %v", path, err)
	case fi.IsDir():
		return fmt.Errorf("%q is a directory, not a programme file", path)
	}
	return nil
}

func checkOrigin(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return errors.New("must be an http(s) origin, scheme://host[:port]")
	}
	if u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return errors.New("must be scheme://host[:port] only, with no user, path, query or fragment")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("has a bad port %q", p)
		}
	}
	return nil
}

func checkPublicURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("must be an absolute http(s) URL such as https://awards.example.org, got %q", s)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return fmt.Errorf("must have no user, query or fragment, got %q", s)
	}
	return nil
}

func validProxy(s string) bool {
	if _, err := netip.ParsePrefix(s); err == nil {
		return true
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}

// normaliseProxies writes a bare IP as its one-address CIDR and a CIDR in its masked form;
// anything else is left for Validate to name.
func normaliseProxies(list []string) []string {
	for i, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			list[i] = p.Masked().String()
		} else if a, err := netip.ParseAddr(s); err == nil {
			list[i] = netip.PrefixFrom(a, a.BitLen()).String()
		}
	}
	return list
}

// String renders the config for the startup log on one line, secrets masked: the JWT secret,
// the admin password, the metrics token and the password inside the Redis URL.
func (c Config) String() string {
	var b strings.Builder
	for i, a := range c.attrs() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Key)
		b.WriteByte('=')
		v := a.Value.String()
		if a.Value.Kind() == slog.KindString && (v == "" || strings.ContainsAny(v, " \"=")) {
			v = strconv.Quote(v)
		}
		b.WriteString(v)
	}
	return b.String()
}

// GoString keeps %#v from printing the secrets.
func (c Config) GoString() string { return "config.Config{" + c.String() + "}" }

// LogValue keeps slog (text or JSON) from printing the secrets.
func (c Config) LogValue() slog.Value { return slog.GroupValue(c.attrs()...) }

// attrs are the logged settings, named by their flags in snake_case, secrets masked.
func (c Config) attrs() []slog.Attr {
	out := make([]slog.Attr, 0, len(settings))
	for _, s := range settings {
		if s.show == nil {
			continue
		}
		v := s.show(c)
		if s.secret {
			v = slog.StringValue(mask(v.String()))
		}
		out = append(out, slog.Attr{Key: strings.ReplaceAll(s.flag, "-", "_"), Value: v})
	}
	return out
}

func mask(secret string) string {
	if secret == "" {
		return ""
	}
	return "[set]"
}

// redactURL hides the password of a Redis URL, and the whole URL if it cannot be parsed.
func redactURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return "[unparsable]"
	}
	return u.Redacted()
}
