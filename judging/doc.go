// Package judging is the domain of an awards programme: the rules and use cases, with no
// knowledge of HTTP, Redis, JWT or websockets.
//
// Glossary:
//   - Programme: the awards being run: categories, their weighted criteria, and the deadlines
//     (submissions_close, judging_close, ceremony_at).
//   - Category: one award (e.g. "Cyber security"), with its criteria and tally method.
//   - Criterion: one scored aspect of an entry, with a weight and a [min, max] range.
//   - Entry: an exhibitor's application to one category; a draft until submitted.
//   - Judge: a user who scores the entries assigned to them; never one whose affiliations
//     match the entry's company (a conflict), never after recusal.
//   - Assignment: one judge asked to score one entry.
//   - Score: one judge's marks for one entry, versioned; its weighted total is on 0–100.
//   - Tally: the ranking of a category's entries by the mean (or trimmed mean) of their
//     judges' totals, ties shared and flagged.
//   - Reveal: the moment a category's ranking becomes visible to everyone but admins,
//     whole or one place at a time.
//   - Audit trail: every score version, hash-chained so that tampering shows.
//   - Invitation: the one-use token with which a judge sets a password; it expires after
//     14 days, and a new one voids the earlier (also how an admin resets a judge's password).
//   - Screen: a ceremony display's account; its long-lived token is revoked by deleting it.
//   - Actor: who is calling: a user id and a role, or the public.
//   - Ports: the stores the use cases need, one small interface per noun (Users, Secrets,
//     Invitations, Limiter, Programmes, Entries, Assignments, Scores, AuditTrail, Ceremony,
//     Pinger), each next to the use cases that call it; redisstore implements them all.
//   - Publisher: where state changes are announced (the live feed listens).
//   - Limit: a counter of attempts (failed logins, registrations) per email or client IP in a
//     window; the Limiter keeps them where every instance sees them.
//   - Hashing gate: the bound on password hashes running at once (ErrBusy past a short wait).
package judging
