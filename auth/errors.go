package auth

import "errors"

// Errors of the package, for errors.Is.
var (
	// ErrRole is an unknown role name.
	ErrRole = errors.New("unknown role")
	// ErrName is a user name outside 1 to 64 of [a-z0-9._-].
	ErrName = errors.New("invalid user name")
	// ErrPassword is a password shorter than 12 or longer than 1024 bytes.
	ErrPassword = errors.New("password must be 12 to 1024 bytes")
	// ErrExists is a user name already taken.
	ErrExists = errors.New("user already exists")
	// ErrNoUser is a user name not in the store.
	ErrNoUser = errors.New("no such user")
	// ErrBadLogin is a failed login: unknown user or wrong password alike.
	ErrBadLogin = errors.New("wrong user name or password")
	// ErrThrottled is a login refused without checking the password because
	// the name had too many recent failures.
	ErrThrottled = errors.New("too many failed logins; try again later")
	// ErrDisabled is a disabled user (who never passes authentication).
	ErrDisabled = errors.New("user disabled")
	// ErrBadToken is an Authorization header that is not a live API token.
	ErrBadToken = errors.New("invalid API token")
	// ErrCSRF is an unsafe request of a cookie session without the
	// session's CSRF token.
	ErrCSRF = errors.New("missing or wrong CSRF token")
	// ErrCrossOrigin is an unsafe request sent from another origin.
	ErrCrossOrigin = errors.New("cross-origin request")
	// ErrDamaged is an audit log or users file that cannot be read as
	// written; the error names the place.
	ErrDamaged = errors.New("damaged file")
)
