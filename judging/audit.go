package judging

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// AuditRecord is one link of the hash-chained audit trail: a score version given or withdrawn.
type AuditRecord struct {
	ID      string // the store's record id
	Payload string // the JSON that was hashed
	Prev    string // the hash of the record before ("" for the first)
	Hash    string // sha1(Prev + "\n" + Payload), hex
}

// AuditEvent is the decoded payload of an audit record.
type AuditEvent struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	By         string    `json:"by"`     // who made the change: the judge, or the admin who unassigned
	Action     string    `json:"action"` // "score", "withdraw"
	Reason     string    `json:"reason,omitempty"`
	EntryID    string    `json:"entry_id"`
	JudgeID    string    `json:"judge_id"`
	CategoryID string    `json:"category_id"`
	Version    int       `json:"version,omitempty"`
	Old        *Score    `json:"old"`
	New        *Score    `json:"new"`
}

// AuditCheck is the result of checking the audit trail's hash chain.
type AuditCheck struct {
	OK      bool   `json:"ok"`
	Records int    `json:"records"`
	Head    string `json:"head"`
	Problem string `json:"problem,omitempty"`
}

// ReplayAudit rebuilds the scores that count from an audit trail: the last score each judge
// gave each entry, unless withdrawn since.
func ReplayAudit(recs []AuditRecord) []Score {
	state := map[[2]string]Score{}
	var order [][2]string
	for _, r := range recs {
		ev, err := decodeAuditEvent(r.Payload)
		if err != nil {
			continue // VerifyAudit reports it
		}
		k := [2]string{ev.EntryID, ev.JudgeID}
		switch {
		case ev.Action == "score" && ev.New != nil:
			if _, ok := state[k]; !ok {
				order = append(order, k)
			}
			state[k] = *ev.New
		case ev.Action == "withdraw":
			delete(state, k)
		}
	}
	out := make([]Score, 0, len(state))
	for _, k := range order {
		if sc, ok := state[k]; ok {
			out = append(out, sc)
			delete(state, k)
		}
	}
	return out
}

// VerifyChain checks a hash chain of audit records against the head the store keeps, so that
// a changed, inserted or deleted record shows.
func VerifyChain(recs []AuditRecord, head string) AuditCheck {
	prev := ""
	res := AuditCheck{Records: len(recs)}
	fail := func(i int, why string) AuditCheck {
		res.Problem = "record " + strconv.Itoa(i+1) + ": " + why
		res.Head = prev
		return res
	}
	for i, r := range recs {
		if r.Prev != prev {
			return fail(i, "does not follow the record before it")
		}
		if ChainHash(prev, r.Payload) != r.Hash {
			return fail(i, "its content does not match its hash")
		}
		if seq, ok := auditSeq(r.Payload); !ok || seq != int64(i+1) {
			return fail(i, "sequence number out of order")
		}
		prev = r.Hash
	}
	res.Head = prev
	if head != prev {
		res.Problem = "the last record is not the head the store keeps"
		return res
	}
	res.OK = true
	return res
}

// auditSeq reads the sequence number an audit payload starts with ({"seq":N,…}) without
// reading the rest, so that the chain can be checked even when a score in it cannot be read.
func auditSeq(payload string) (int64, bool) {
	dec := json.NewDecoder(strings.NewReader(payload))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, false
	}
	if t, err := dec.Token(); err != nil || t != "seq" {
		return 0, false
	}
	t, err := dec.Token()
	n, ok := t.(json.Number)
	if err != nil || !ok {
		return 0, false
	}
	seq, err := n.Int64()
	return seq, err == nil
}

// decodeAuditEvent reads an audit payload whole; it fails on a score that cannot be read,
// such as a total that is not a number (stored by a version that allowed it).
func decodeAuditEvent(payload string) (AuditEvent, error) {
	var ev AuditEvent
	err := json.Unmarshal([]byte(payload), &ev)
	return ev, err
}

// ChainHash is the hash of an audit record: sha1 over the previous hash, a newline and the
// payload, in hex. (SHA-1 because both Redis and the embedded store compute it in Lua; the
// chain detects edits, and no unkeyed chain resists someone who rewrites all of it.)
func ChainHash(prev, payload string) string {
	h := sha1.Sum([]byte(prev + "\n" + payload))
	return hex.EncodeToString(h[:])
}
