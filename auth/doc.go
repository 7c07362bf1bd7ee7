// Package auth says who is asking and keeps a record of what they did: the
// roles, the users file, API tokens, browser sessions with CSRF protection,
// and the audit log of every access.
//
// # Roles
//
// A Public user sees only the posts classified as related to the
// servant's functions (public information). An Archivist also sees the
// posts classified as personal or awaiting review, and reviews
// classifications; an Admin also manages users and tokens. Each role sees
// everything the one before it sees. What each may do is one table, Roles
// (role → Capabilities), read by Role.Can, by the web application's routes,
// its users page and `vigia users`; adding a role is adding a row. RoleOf
// treats a request without a user as Public.
//
// This package only identifies. Deciding what a request may see is for each
// handler, and it must deny by default: check the capability it needs
// (RoleOf(u).Can(SeePersonal)) rather than test for the roles that may not.
//
// # Threat model
//
// The server faces the Internet; its users are a handful of officers, its
// data (personal posts of public servants, who looked at them) sensitive.
// What this package defends against, and how:
//
//   - Password guessing: argon2id (RFC 9106, t=3, 64 MiB, p=4) makes each
//     guess costly, Login throttles a name after 5 failures in 15 minutes,
//     and an unknown name costs the same hash and gives the same error as
//     a wrong password, so names cannot be probed. The throttle lets
//     someone lock a known name out for 15 minutes: a limit per client
//     address belongs in front of the server.
//   - A leaked users file (a backup, a copy): it holds argon2id hashes and
//     the SHA-256 of each API token, never a token, so nothing in it signs
//     anyone in. A token is 32 random bytes, so its plain SHA-256 is as
//     strong as a slow hash would be.
//   - Stolen cookies and forged requests: the session cookie is HttpOnly,
//     SameSite=Lax and Secure (over HTTPS) and holds only a random ID;
//     unsafe requests of a session must come from the same origin and carry
//     the session's CSRF token (CheckCSRF). API tokens travel in an
//     Authorization header, which no browser sends by itself, so they need
//     no CSRF token; a request with that header is judged by it alone,
//     never by a cookie that came along.
//   - Revocation: a disabled user is refused everywhere (login, sessions,
//     tokens) on the next request, also when another process (`vigia
//     users`) disabled them, since the users file is reloaded when it
//     changes.
//   - Denial by the record keepers: the audit log is append-only; each
//     line carries the SHA-256 of the line before and an HMAC-SHA256 of
//     itself under a key kept outside the log (AuditKeyFile), so changing,
//     removing or reordering a past entry breaks the chain where it
//     happened (VerifyChain), and rewriting the chain after it needs the
//     key. Someone who can write the file can still cut its end; a Head
//     kept outside the server (vigia audit verify --anchor, the
//     vigia_audit_entries metric) shows that. Whoever holds the key can
//     rewrite the log unseen, up to the last head kept elsewhere.
//   - A log that breaks the service: every field of an entry and the
//     whole line are bounded when written; a line that is not an entry (a
//     crash, a damaged disk) is reported by file and line and skipped, and
//     the next entry chains over it.
//
// Sessions live in the server's memory: restarting it signs everyone out.
//
// # Files
//
// The users file (Users) is one JSON document, mode 0600, shared by
// processes through an flock on PATH.lock and atomic replacement. The audit
// log (Audit) is JSON Lines, mode 0600, appended under an flock on itself,
// every line fsynced before Record returns. Its key is hex in a file of
// its own, mode 0600, made on first use.
package auth
