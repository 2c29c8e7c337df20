package redisstore

import "strings"

// The whole key schema (docs/redis-keys.md explains it). Everything the jury's scripts touch
// together — users, the programme, entries, assignments, scores, the audit trail, the
// ceremony — shares the hash tag {jury}, so one script or transaction can check and write it
// atomically on Redis Cluster too. The data is small (thousands of entries, hundreds of
// judges). The rate-limit counters share {rl}, so that one script reserves an attempt on all
// the counters of a request at once; votes, later, are spread over the cluster.
type keys struct {
	p  string // prefix, e.g. "awards:"
	j  string // prefix + "{jury}:"
	rl string // prefix + "{rl}:"
}

func newKeys(prefix string) keys { return keys{p: prefix, j: prefix + "{jury}:", rl: prefix + "{rl}:"} }

// Accounts.
func (k keys) user(id string) string         { return k.j + "user:" + id }      // string: userRecord JSON
func (k keys) email(email string) string     { return k.j + "email:" + email }  // string: user id (email trimmed, lower-cased): the login index
func (k keys) emailKey(key string) string    { return k.j + "emailkey:" + key } // string: user id (judging.EmailKey): the look-alike claim
func (k keys) role(role string) string       { return k.j + "role:" + role }    // set: user ids
func (k keys) invite(hash string) string     { return k.j + "invite:" + hash }  // string: user id (sha256 of the token)
func (k keys) secret(name string) string     { return k.j + "secret:" + name }  // string
func (k keys) events() string                { return k.p + "events" }          // pub/sub channel
func (k keys) idempotency(key string) string { return k.p + "idem:" + key }     // string: a retried request's response, with a TTL: no tag

// Rate limits.
func (k keys) limit(name string) string { return k.rl + name } // string counter with a TTL; name is judging's Limit.Key (hashes)

// A judge's current invitation, so that a new one voids it; it expires with the invitation.
func (k keys) inviteOf(user string) string { return k.j + "invite:of:" + user } // string: invitation hash

// The schema version Migrate brings the data to.
func (k keys) schema() string { return k.j + "schema" } // string: version number

// The programme.
func (k keys) programme() string { return k.j + "programme" } // hash: json, rev
func (k keys) scored() string    { return k.j + "scored" }    // set: category ids ever scored (criteria frozen)

// Entries.
func (k keys) entry(id string) string         { return k.j + "entry:" + id }            // hash: json, status, submitted_at, cat, created
func (k keys) entries() string                { return k.j + "entries" }                // zset: entry ids by creation (ms)
func (k keys) entriesOfCat(cat string) string { return k.j + "entries:cat:" + cat }     // zset: entry ids by creation
func (k keys) entriesOf(owner string) string  { return k.j + "entries:owner:" + owner } // zset: entry ids by creation

// Assignments.
func (k keys) assignments() string             { return k.j + "asg" }                // set: "entry|judge|category"
func (k keys) assignedInCat(cat string) string { return k.j + "asg:cat:" + cat }     // set: "entry|judge"
func (k keys) assignedTo(judge string) string  { return k.j + "asg:judge:" + judge } // set: entry ids
func (k keys) judgesOf(entry string) string    { return k.j + "asg:entry:" + entry } // set: judge ids
func (k keys) recused() string                 { return k.j + "recused" }            // set: "entry|judge"

// Scores and the tally state.
func (k keys) counting(cat string) string         { return k.j + "cur:" + cat }                  // hash: "entry|judge" → score JSON (counting scores)
func (k keys) bodies(cat string) string           { return k.j + "body:" + cat }                 // hash: "entry|judge" → canonical body of the counting score
func (k keys) history(entry, judge string) string { return k.j + "hist:" + entry + ":" + judge } // list: score JSON per version
func (k keys) scorers(entry string) string        { return k.j + "scorers:" + entry }            // set: judges who ever scored the entry

// The audit trail.
func (k keys) audit() string     { return k.j + "audit" }      // stream: payload, prev, hash
func (k keys) auditHead() string { return k.j + "audit:head" } // string: hash of the last record
func (k keys) auditSeq() string  { return k.j + "audit:seq" }  // string: last sequence number

// The ceremony.
func (k keys) revealed() string { return k.j + "revealed" } // set: category ids
func (k keys) partial() string  { return k.j + "partial" }  // hash: category id → places shown

func validPrefix(p string) bool { return !strings.ContainsAny(p, "{}") }
