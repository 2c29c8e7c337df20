// Package embedded is the store the service runs on when no Redis is configured: an
// in-process miniredis whose whole dataset is snapshotted into a directory (AWARDS_DATA_DIR)
// within a second of each write and on Close, and restored from there by Open. redisstore
// talks to it through the client it hands out, as to any Redis, so the embedded store runs
// the same code and Lua scripts as production; redisstore does not import it, cmd/awards
// wires the two.
//
// Glossary:
//   - Server: the running miniredis, its snapshot loop and its clock (Open, Client, Close).
//   - Snapshot: the JSON file awards-snapshot.json holding every key of database 0 with its
//     type, value and expiry, written to a temporary file, fsynced and renamed into place.
//   - Capture: one consistent read of the dataset for a snapshot, in one MULTI/EXEC (or one
//     script) so that it never holds half of a script's writes; streams are read from where
//     the previous capture left off ("known").
//   - Restore: writing a snapshot back into an empty server, leaving out keys that expired.
//   - Dirty: a write went through Client since the last snapshot; the loop saves only then.
package embedded
