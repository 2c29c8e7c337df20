// Package judgingtest holds what the tests of judging, its store and its adapters share, so
// that each fixture is written once.
//
// Glossary:
//   - Rig: a judging.Service on a throwaway real Redis (redistest), with a fixed clock, a cheap
//     hasher and a recording publisher; New also creates the admin and sets the Programme.
//   - Programme: the programme the rigs start from: three categories, one of them trimmed_mean,
//     criteria of different weights and ranges, deadlines a day apart after T0.
//   - T0: when every rig's clock starts; submissions and judging are open.
//   - CheapHasher: argon2id at its lowest cost, so that tests hash fast.
//   - ProbeHasher: a Hasher that counts, and can hold, the calls made through it.
//   - Recorder: a Publisher that keeps the events it is told.
//   - Logs: a slog.Handler that keeps the records at or above a level.
//   - Must, Must2, WantErr, WantInvalid: one-line checks of a call's error.
package judgingtest
