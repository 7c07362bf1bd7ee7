package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// CookieName is the name of the session cookie.
const CookieName = "vigia_session"

// How a request was authenticated, as Authenticate reports it.
const (
	ViaToken   = "token"   // an API token in Authorization: Bearer
	ViaSession = "session" // the session cookie
)

// SessionOptions tune Sessions.
type SessionOptions struct {
	// Secure sets the cookie's Secure flag: the browser sends it over HTTPS
	// only. Set it unless serving plain HTTP on loopback.
	Secure bool
	// TTL is how long a session lasts from its start, however active
	// (default 8h).
	TTL time.Duration
}

// Sessions are the browser sessions of signed-in users, held in memory: a
// restart of the server signs everyone out, and sessions are not shared
// between servers. The cookie holds only a random ID.
//
// Every request re-reads the user from the Users store, so a new role
// applies at once, and a disabled user, or one whose password changed
// after the session started, is signed out at once. Sessions is safe for
// concurrent use.
type Sessions struct {
	users *Users
	opts  SessionOptions
	now   func() time.Time

	mu        sync.Mutex
	byID      map[[sha256.Size]byte]*Session // keyed by the SHA-256 of the cookie
	lastSweep time.Time
}

// Session is one browser session. It does not change once started.
type Session struct {
	user    string
	csrf    string
	started time.Time
	expires time.Time
}

// CSRF returns the session's CSRF token, for the forms a page sends (field
// "csrf") or the X-CSRF-Token header of its scripts.
func (s *Session) CSRF() string { return s.csrf }

// Expires returns when the session ends.
func (s *Session) Expires() time.Time { return s.expires }

// NewSessions returns an empty set of sessions of users.
func NewSessions(users *Users, opts SessionOptions) *Sessions {
	if opts.TTL <= 0 {
		opts.TTL = 8 * time.Hour
	}
	return &Sessions{
		users: users,
		opts:  opts,
		now:   time.Now,
		byID:  map[[sha256.Size]byte]*Session{},
	}
}

func randomText() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Start starts a session for u, who has just logged in (see Users.Login),
// and sets its cookie on w: HttpOnly, SameSite=Lax, Path=/, Secure as the
// options say, lasting the TTL. The ID is new each time, so a session
// cookie planted before login is of no use.
func (s *Sessions) Start(w http.ResponseWriter, u *User) (*Session, error) {
	if u == nil {
		return nil, fmt.Errorf("start session: %w", ErrNoUser)
	}
	r, err := s.users.current(u.Name)
	if err != nil {
		return nil, fmt.Errorf("start session of %q: %w", u.Name, err)
	}
	if r.Disabled {
		return nil, fmt.Errorf("start session of %q: %w", u.Name, ErrDisabled)
	}
	now := s.now()
	id := randomText()
	sess := &Session{user: u.Name, csrf: randomText(), started: now, expires: now.Add(s.opts.TTL)}
	s.mu.Lock()
	s.sweep(now)
	s.byID[sha256.Sum256([]byte(id))] = sess
	s.mu.Unlock()
	http.SetCookie(w, s.cookie(id, int(s.opts.TTL/time.Second)))
	return sess, nil
}

func (s *Sessions) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     CookieName,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.opts.Secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// End ends the session of r, if any, and clears its cookie on w.
func (s *Sessions) End(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil {
		s.mu.Lock()
		delete(s.byID, sha256.Sum256([]byte(c.Value)))
		s.mu.Unlock()
	}
	http.SetCookie(w, s.cookie("", -1))
}

// User returns the user and session of r's session cookie, or nils when
// there is none or it is no longer valid.
func (s *Sessions) User(r *http.Request) (*User, *Session) {
	u, sess, _ := s.session(r)
	return u, sess
}

// session is User, with the errors of the users store (a session whose
// user is gone or disabled is no error: it ends).
func (s *Sessions) session(r *http.Request) (*User, *Session, error) {
	c, err := r.Cookie(CookieName)
	if err != nil {
		return nil, nil, nil
	}
	id := sha256.Sum256([]byte(c.Value))
	now := s.now()
	s.mu.Lock()
	sess := s.byID[id]
	if sess != nil && !now.Before(sess.expires) {
		delete(s.byID, id)
		sess = nil
	}
	s.mu.Unlock()
	if sess == nil {
		return nil, nil, nil
	}
	rec, err := s.users.current(sess.user)
	if err != nil && !errors.Is(err, ErrNoUser) {
		return nil, nil, err
	}
	if err != nil || rec.Disabled || sess.started.Before(rec.SessionsAfter) {
		s.mu.Lock()
		delete(s.byID, id)
		s.mu.Unlock()
		return nil, nil, nil
	}
	return rec.user(), sess, nil
}

// sweep drops expired sessions, at most once a minute. s.mu is held.
func (s *Sessions) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < time.Minute {
		return
	}
	s.lastSweep = now
	for id, sess := range s.byID {
		if !now.Before(sess.expires) {
			delete(s.byID, id)
		}
	}
}

// Authenticate tells who sent r, and how (ViaToken or ViaSession):
//
//   - with an Authorization header, only that header counts: it must be
//     "Bearer " and a live API token, or Authenticate fails (ErrBadToken,
//     ErrDisabled) even if a valid session cookie came along;
//   - otherwise the session cookie, if valid;
//   - otherwise nobody: (nil, "", nil), an anonymous request, which
//     handlers treat as Public.
//
// Authenticate only identifies: what the user may do is for the handler
// to decide, from the Role, denying by default.
func (s *Sessions) Authenticate(r *http.Request) (*User, string, error) {
	if h := r.Header.Values("Authorization"); len(h) > 0 {
		scheme, token, ok := strings.Cut(h[0], " ")
		if len(h) != 1 || !ok || !strings.EqualFold(scheme, "Bearer") {
			return nil, "", ErrBadToken
		}
		u, err := s.users.TokenUser(strings.TrimSpace(token))
		if err != nil {
			return nil, "", err
		}
		return u, ViaToken, nil
	}
	u, _, err := s.session(r)
	if err != nil || u == nil {
		return nil, "", err
	}
	return u, ViaSession, nil
}

// CheckCSRF guards the unsafe requests (any method but GET, HEAD, OPTIONS
// and TRACE) against cross-site request forgery:
//
//   - a request whose Sec-Fetch-Site is not same-origin or none, or whose
//     Origin is not of r.Host, is refused (ErrCrossOrigin) — this covers
//     the login form too, which has no session yet;
//   - a request of a cookie session must carry the session's CSRF token
//     in the form field "csrf" or the X-CSRF-Token header (ErrCSRF).
//
// Requests with an Authorization header are exempt: a browser never adds
// one on its own, and Authenticate never falls back to the cookie for them.
// Behind a reverse proxy, the proxy must pass the Host header on.
func (s *Sessions) CheckCSRF(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return nil
	}
	if len(r.Header.Values("Authorization")) > 0 {
		return nil
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return fmt.Errorf("%w: Sec-Fetch-Site %q", ErrCrossOrigin, site)
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		o, err := url.Parse(origin)
		if err != nil || o.Host == "" || !strings.EqualFold(o.Host, r.Host) {
			return fmt.Errorf("%w: origin %q is not host %q", ErrCrossOrigin, origin, r.Host)
		}
	}
	_, sess, err := s.session(r)
	if err != nil {
		return err
	}
	if sess == nil {
		return nil // nothing to forge: the request acts as nobody
	}
	token := r.Header.Get("X-CSRF-Token")
	if token == "" {
		token = r.PostFormValue("csrf")
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(sess.csrf)) != 1 {
		return ErrCSRF
	}
	return nil
}

type userKey struct{}

// WithUser returns a copy of ctx carrying u.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the user WithUser put in ctx, or nil (anonymous).
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}
