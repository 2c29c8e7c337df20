// Package auth proves who is calling: it issues and verifies the service's tokens, turns a
// request's token into a judging.Actor for the handlers, enforces the roles a route admits,
// and hashes passwords.
//
// Glossary:
//   - Token: a JWT signed with HS256 and the service's secret, carrying sub (the user id),
//     role, iss and aud ("awards"), iat and exp. Anything else is refused with a 401.
//   - Tokens: the issuer and strict verifier of tokens.
//   - Actor: what a verified token stands for (judging.Actor); the public when there is no
//     token.
//   - Users: the check that a token's subject is still a user holding that role, so that a
//     deleted user or a changed role stops working before the token expires.
//   - Middleware: Authenticate (bearer token → actor in the Gin context), AuthenticateLive
//     (the same, or ?token= on the live feed's websocket upgrade) and Require (the roles a
//     route admits: 401 for the public, 403 for a wrong role).
//   - Argon2id: the password hash, stored as a PHC string that records its own parameters.
package auth
