// Package config reads the service's settings and the programmes it ships with.
//
// Glossary:
//   - Config: the settings of one process, from the AWARDS_* environment variables of API.md,
//     then flags of the same name in kebab-case (a flag wins over the environment).
//   - Programme file: a YAML file in the shape of judging.Programme, read strictly.
//   - Milipol 2023: the built-in programme of the Milipol Paris 2023 innovation awards.
//   - Demo: the data `awards --demo` loads: the Milipol programme moved to now, fictional
//     exhibitors and their entries, judges and a ceremony screen.
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
)

// Config is the service's configuration: environment variables of API.md, then flags of the
// same name in kebab-case (flags win).
type Config struct {
	Addr           string   // AWARDS_ADDR, --addr, default ":8080"
	RedisURL       string   // AWARDS_REDIS_URL, --redis-url (redis:// or rediss://); empty: embedded store
	RedisCluster   []string // AWARDS_REDIS_CLUSTER, --redis-cluster, comma-separated host:port
	DataDir        string   // AWARDS_DATA_DIR, --data-dir, default "./data"
	JWTSecret      string   // AWARDS_JWT_SECRET, --jwt-secret, ≥ 32 bytes when set
	AdminEmail     string   // AWARDS_ADMIN_EMAIL, --admin-email
	AdminPassword  string   // AWARDS_ADMIN_PASSWORD, --admin-password (≥ 10 chars; both or neither)
	Programme      string   // AWARDS_PROGRAMME, --programme: path to a programme YAML file (must exist)
	AllowedOrigins []string // AWARDS_ALLOWED_ORIGINS, --allowed-origins: http(s) origins, scheme://host[:port]
	TrustedProxies []string // AWARDS_TRUSTED_PROXIES, --trusted-proxies: CIDRs (a bare IP becomes /32 or /128)
	MaxLive        int      // AWARDS_MAX_LIVE, --max-live, default 20000, > 0
	PublicURL      string   // AWARDS_PUBLIC_URL, --public-url, default "http://localhost:8080", no trailing slash
	LogLevel       string   // AWARDS_LOG_LEVEL, --log-level: debug|info|warn|error, default info
	MetricsToken   string   // AWARDS_METRICS_TOKEN, --metrics-token: when set, GET /metrics needs it as a bearer token
	Demo           bool     // --demo (or AWARDS_DEMO=1): load the demo programme and accounts
	Version        bool     // --version: print the version and exit
	Healthcheck    bool     // --healthcheck: GET /healthz on this instance and exit 0 (up) or 1
}

// setting is one configuration value: its variable, its flag, its default and how it is read.
type setting struct {
	env, flag string // env is "" for a flag-only setting
	def       string
	kind      string // shown in the help: "string", "list", "int" or "" for a boolean
	usage     string
	apply     func(c *Config, raw string) error // the error names the rule, not the setting
}

// settings lists every setting in the order of the help text.
var settings = []setting{
	{"AWARDS_ADDR", "addr", ":8080", "string", "listen address, host:port",
		func(c *Config, s string) error { c.Addr = strings.TrimSpace(s); return nil }},
	{"AWARDS_REDIS_URL", "redis-url", "", "string", "one Redis server, redis://… or rediss://…; empty: the embedded store",
		func(c *Config, s string) error { c.RedisURL = strings.TrimSpace(s); return nil }},
	{"AWARDS_REDIS_CLUSTER", "redis-cluster", "", "list", "Redis Cluster seed addresses, comma-separated host:port",
		func(c *Config, s string) error { c.RedisCluster = splitList(s); return nil }},
	{"AWARDS_DATA_DIR", "data-dir", "./data", "string", "where the embedded store keeps its snapshot",
		func(c *Config, s string) error { c.DataDir = s; return nil }},
	{"AWARDS_JWT_SECRET", "jwt-secret", "", "string", "HS256 signing secret, at least 32 bytes; empty: generated once and kept in the store; prefer the environment",
		func(c *Config, s string) error { c.JWTSecret = s; return nil }},
	{"AWARDS_ADMIN_EMAIL", "admin-email", "", "string", "create this admin at start if no admin exists",
		func(c *Config, s string) error { c.AdminEmail = strings.TrimSpace(s); return nil }},
	{"AWARDS_ADMIN_PASSWORD", "admin-password", "", "string", "that admin's password, at least 10 characters; prefer the environment",
		func(c *Config, s string) error { c.AdminPassword = s; return nil }},
	{"AWARDS_PROGRAMME", "programme", "", "string", "programme YAML file loaded at start if no programme exists",
		func(c *Config, s string) error { c.Programme = strings.TrimSpace(s); return nil }},
	{"AWARDS_ALLOWED_ORIGINS", "allowed-origins", "", "list", "extra origins allowed to open the live feed, comma-separated scheme://host[:port]",
		func(c *Config, s string) error { c.AllowedOrigins = splitList(s); return nil }},
	{"AWARDS_TRUSTED_PROXIES", "trusted-proxies", "", "list", "proxies whose X-Forwarded-For is believed, comma-separated CIDRs or IPs",
		func(c *Config, s string) error { c.TrustedProxies = normaliseProxies(splitList(s)); return nil }},
	{"AWARDS_MAX_LIVE", "max-live", "20000", "int", "live connections one instance accepts",
		func(c *Config, s string) error {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return fmt.Errorf("must be a positive integer, got %q", s)
			}
			c.MaxLive = n
			return nil
		}},
	{"AWARDS_PUBLIC_URL", "public-url", "http://localhost:8080", "string", "the address visitors use, for links and QR codes",
		func(c *Config, s string) error {
			c.PublicURL = strings.TrimRight(strings.TrimSpace(s), "/")
			return nil
		}},
	{"AWARDS_LOG_LEVEL", "log-level", "info", "string", "debug, info, warn or error",
		func(c *Config, s string) error { c.LogLevel = strings.ToLower(strings.TrimSpace(s)); return nil }},
	{"AWARDS_METRICS_TOKEN", "metrics-token", "", "string", "when set, GET /metrics needs \"Authorization: Bearer <this>\" (else 401); empty: open; prefer the environment",
		func(c *Config, s string) error { c.MetricsToken = s; return nil }},
	{"AWARDS_DEMO", "demo", "false", "", "load the built-in demo programme and accounts and print their credentials",
		func(c *Config, s string) error { return parseBool(&c.Demo, s) }},
	{"", "version", "false", "", "print the version and exit",
		func(c *Config, s string) error { return parseBool(&c.Version, s) }},
	{"", "healthcheck", "false", "", "check that this instance answers GET /healthz, exit 0 if so, 1 if not",
		func(c *Config, s string) error { return parseBool(&c.Healthcheck, s) }},
}

// Load reads getenv, then parses args (os.Args[1:]), then validates. Every error is one line
// naming the variable and its flag. -h or --help returns flag.ErrHelp (print Usage, exit 0).
// --version skips validation; --healthcheck validates only the listen address.
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
		flags.Var(&rawFlag{raw: raw, name: s.flag, isBool: s.kind == ""}, s.flag, s.usage)
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
		if err := s.apply(&c, raw[s.flag]); err != nil {
			return Config{}, fmt.Errorf("config: %s %v", label(s.env, s.flag), err)
		}
	}
	switch {
	case c.Version:
		return c, nil
	case c.Healthcheck:
		return c, singleLine(c.validateAddr())
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
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
		fmt.Fprintf(&b, "%s\n        %s", head, s.usage)
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
func label(env, flag string) string {
	if env == "" {
		return "--" + flag
	}
	return env + " (--" + flag + ")"
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

func parseBool(dst *bool, s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("must be true or false (or 1 or 0), got %q", s)
	}
	*dst = b
	return nil
}

// Validate checks every rule and returns the first broken one as a single line naming the
// variable and its flag.
func (c Config) Validate() error { return singleLine(c.validate()) }

func (c Config) validate() error {
	if err := c.validateAddr(); err != nil {
		return err
	}
	if c.RedisURL != "" {
		if err := checkRedisURL(c.RedisURL); err != nil {
			return fmt.Errorf("config: %s %v", label("AWARDS_REDIS_URL", "redis-url"), err)
		}
		if len(c.RedisCluster) > 0 {
			return fmt.Errorf("config: %s and %s cannot both be set: use one server or one cluster",
				label("AWARDS_REDIS_URL", "redis-url"), label("AWARDS_REDIS_CLUSTER", "redis-cluster"))
		}
	}
	for _, seed := range c.RedisCluster {
		if err := checkHostPort(seed, true); err != nil {
			return fmt.Errorf("config: %s seed %q %v", label("AWARDS_REDIS_CLUSTER", "redis-cluster"), seed, err)
		}
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return fmt.Errorf("config: %s must not be empty", label("AWARDS_DATA_DIR", "data-dir"))
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < minSecretBytes {
		return fmt.Errorf("config: %s must be at least %d bytes, got %d",
			label("AWARDS_JWT_SECRET", "jwt-secret"), minSecretBytes, len(c.JWTSecret))
	}
	if err := c.validateAdmin(); err != nil {
		return err
	}
	if c.Programme != "" {
		if err := checkFile(c.Programme); err != nil {
			return fmt.Errorf("config: %s %v", label("AWARDS_PROGRAMME", "programme"), err)
		}
	}
	for _, o := range c.AllowedOrigins {
		if err := checkOrigin(o); err != nil {
			return fmt.Errorf("config: %s %q %v", label("AWARDS_ALLOWED_ORIGINS", "allowed-origins"), o, err)
		}
	}
	for _, p := range c.TrustedProxies {
		if !validProxy(p) {
			return fmt.Errorf("config: %s %q is not a CIDR (such as 10.0.0.0/8) or an IP address",
				label("AWARDS_TRUSTED_PROXIES", "trusted-proxies"), p)
		}
	}
	if c.MaxLive <= 0 {
		return fmt.Errorf("config: %s must be a positive integer, got %d", label("AWARDS_MAX_LIVE", "max-live"), c.MaxLive)
	}
	if err := checkPublicURL(c.PublicURL); err != nil {
		return fmt.Errorf("config: %s %v", label("AWARDS_PUBLIC_URL", "public-url"), err)
	}
	if strings.IndexFunc(c.MetricsToken, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("config: %s must not contain spaces or control characters", label("AWARDS_METRICS_TOKEN", "metrics-token"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: %s must be debug, info, warn or error, got %q", label("AWARDS_LOG_LEVEL", "log-level"), c.LogLevel)
	}
	return nil
}

// The smallest secrets the rules of API.md accept.
const (
	minSecretBytes    = 32
	minPasswordLength = 10
)

func (c Config) validateAddr() error {
	if err := checkHostPort(c.Addr, false); err != nil {
		return fmt.Errorf("config: %s %q %v", label("AWARDS_ADDR", "addr"), c.Addr, err)
	}
	return nil
}

func (c Config) validateAdmin() error {
	email, password := label("AWARDS_ADMIN_EMAIL", "admin-email"), label("AWARDS_ADMIN_PASSWORD", "admin-password")
	switch {
	case c.AdminEmail == "" && c.AdminPassword == "":
		return nil
	case c.AdminPassword == "":
		return fmt.Errorf("config: %s is set but %s is not: set both or neither", email, password)
	case c.AdminEmail == "":
		return fmt.Errorf("config: %s is set but %s is not: set both or neither", password, email)
	}
	if a, err := mail.ParseAddress(c.AdminEmail); err != nil || a.Address != c.AdminEmail {
		return fmt.Errorf("config: %s must be a plain email address such as admin@example.org, got %q", email, c.AdminEmail)
	}
	if n := utf8.RuneCountInString(c.AdminPassword); n < minPasswordLength {
		return fmt.Errorf("config: %s must be at least %d characters, got %d", password, minPasswordLength, n)
	}
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

func (c Config) attrs() []slog.Attr {
	return []slog.Attr{
		slog.String("addr", c.Addr),
		slog.String("redis_url", redactURL(c.RedisURL)),
		slog.String("redis_cluster", strings.Join(c.RedisCluster, ",")),
		slog.String("data_dir", c.DataDir),
		slog.String("jwt_secret", mask(c.JWTSecret)),
		slog.String("admin_email", c.AdminEmail),
		slog.String("admin_password", mask(c.AdminPassword)),
		slog.String("programme", c.Programme),
		slog.String("allowed_origins", strings.Join(c.AllowedOrigins, ",")),
		slog.String("trusted_proxies", strings.Join(c.TrustedProxies, ",")),
		slog.Int("max_live", c.MaxLive),
		slog.String("public_url", c.PublicURL),
		slog.String("log_level", c.LogLevel),
		slog.Bool("demo", c.Demo),
		slog.String("metrics_token", mask(c.MetricsToken)),
	}
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
