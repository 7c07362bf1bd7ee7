package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// User is a person who may sign in, as callers see them: never the
// password hash, never a token.
type User struct {
	Name            string
	Role            Role
	Disabled        bool
	Created         time.Time
	PasswordChanged time.Time
	Tokens          []TokenInfo
}

// TokenInfo describes an API token without the token itself, which is
// shown once, by NewToken, and never stored.
type TokenInfo struct {
	ID      string
	Created time.Time
	// Last4 is the token's last four characters, to tell tokens apart.
	Last4 string
}

// Users is the store of users, one JSON file (mode 0600) that several
// processes share: the server reads it, and `vigia users` changes it while
// the server runs.
//
// Every change takes an exclusive flock on PATH.lock, reads the file
// afresh, and replaces it atomically (temporary file, fsync, rename, fsync
// of the folder), so two writers never lose each other's change. Every read
// first checks whether the file changed (inode, mtime, size) since it was
// last loaded and reloads it if so: a new user or token works at once,
// a disabled one stops at once, without a restart. A file that cannot be
// read fails every read (closed), never falls back to an older copy.
//
// Users are never deleted, since the audit log refers to them: Disable
// them. At most two password hashes (64 MiB each) run at once; more logins
// wait their turn. Users is safe for concurrent use.
type Users struct {
	path    string
	params  argonParams      // of new hashes, and of the dummy hash
	now     func() time.Time // the clock, replaced in tests
	hashing chan struct{}    // bounds concurrent argon2 (64 MiB each)

	throttle throttle

	mu     sync.Mutex
	loaded os.FileInfo // the file as last read; nil when it did not exist
	file   usersFile
	tokens map[string]string // hex SHA-256 of a token → user name
}

// OpenUsers opens the users file at path. A missing file is an empty store;
// it is created by the first change.
func OpenUsers(path string) (*Users, error) {
	u := &Users{
		path:     path,
		params:   defaultParams,
		now:      time.Now,
		hashing:  make(chan struct{}, 2),
		throttle: throttle{names: map[string]*attempts{}},
		file:     usersFile{Version: usersVersion},
		tokens:   map[string]string{},
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.refresh(); err != nil {
		return nil, err
	}
	return u, nil
}

const (
	usersVersion = 1
	tokenPrefix  = "vigia_"
	tokenLen     = len(tokenPrefix) + 43 // 32 bytes in unpadded base64url
)

// usersFile is the JSON of the users file.
type usersFile struct {
	Version int          `json:"version"`
	Users   []userRecord `json:"users"`
}

type userRecord struct {
	Name            string    `json:"name"`
	Role            Role      `json:"role"`
	Disabled        bool      `json:"disabled,omitempty"`
	Created         time.Time `json:"created"`
	PasswordChanged time.Time `json:"password_changed"`
	// SessionsAfter ends the browser sessions started before it (set when
	// the password changes or the user is disabled).
	SessionsAfter time.Time     `json:"sessions_after"`
	Password      string        `json:"password"` // argon2id PHC string
	Tokens        []tokenRecord `json:"tokens,omitempty"`
}

type tokenRecord struct {
	ID      string    `json:"id"`
	SHA256  string    `json:"sha256"` // hex, of the whole token
	Created time.Time `json:"created"`
	Last4   string    `json:"last4"`
}

func (r *userRecord) user() *User {
	u := &User{
		Name:            r.Name,
		Role:            r.Role,
		Disabled:        r.Disabled,
		Created:         r.Created,
		PasswordChanged: r.PasswordChanged,
	}
	for _, t := range r.Tokens {
		u.Tokens = append(u.Tokens, TokenInfo{ID: t.ID, Created: t.Created, Last4: t.Last4})
	}
	return u
}

func (f *usersFile) find(name string) *userRecord {
	for i := range f.Users {
		if f.Users[i].Name == name {
			return &f.Users[i]
		}
	}
	return nil
}

func (f *usersFile) clone() usersFile {
	c := usersFile{Version: f.Version, Users: slices.Clone(f.Users)}
	for i := range c.Users {
		c.Users[i].Tokens = slices.Clone(c.Users[i].Tokens)
	}
	return c
}

// validName reports whether name is 1 to 64 of [a-z0-9._-].
func validName(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// refresh reloads the file if it changed since it was last read. u.mu is
// held.
func (u *Users) refresh() error {
	fi, err := os.Stat(u.path)
	if errors.Is(err, fs.ErrNotExist) {
		if u.loaded != nil {
			u.set(usersFile{Version: usersVersion}, nil)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read users: %w", err)
	}
	if u.loaded != nil && os.SameFile(u.loaded, fi) && u.loaded.ModTime().Equal(fi.ModTime()) && u.loaded.Size() == fi.Size() {
		return nil
	}
	return u.reload()
}

// reload reads the file. u.mu is held.
func (u *Users) reload() error {
	f, err := os.Open(u.path)
	if errors.Is(err, fs.ErrNotExist) {
		u.set(usersFile{Version: usersVersion}, nil)
		return nil
	}
	if err != nil {
		return fmt.Errorf("read users: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat() // of the file read, which a rename cannot swap
	if err != nil {
		return fmt.Errorf("read users: %w", err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("read users: %w", err)
	}
	uf, err := decodeUsers(u.path, data)
	if err != nil {
		return err
	}
	u.set(uf, fi)
	return nil
}

// set makes uf, read from or written as fi, the current state. u.mu is
// held.
func (u *Users) set(uf usersFile, fi os.FileInfo) {
	u.file, u.loaded = uf, fi
	clear(u.tokens)
	for _, r := range uf.Users {
		for _, t := range r.Tokens {
			u.tokens[t.SHA256] = r.Name
		}
	}
}

// decodeUsers decodes and checks a users file strictly: unknown keys,
// unknown roles, bad names, duplicates and unreadable hashes are errors
// that name the file and the line or user.
func decodeUsers(path string, data []byte) (usersFile, error) {
	var uf usersFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&uf)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON object")
	}
	if err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return uf, fmt.Errorf("users file %s line %d: %v: %w", path, lineOf(data, syn.Offset), err, ErrDamaged)
		case errors.As(err, &typ):
			return uf, fmt.Errorf("users file %s line %d: %v: %w", path, lineOf(data, typ.Offset), err, ErrDamaged)
		}
		return uf, fmt.Errorf("users file %s: %v: %w", path, err, ErrDamaged)
	}
	if uf.Version != usersVersion {
		return uf, fmt.Errorf("users file %s: version %d, want %d: %w", path, uf.Version, usersVersion, ErrDamaged)
	}
	names := map[string]bool{}
	tokens := map[string]bool{}
	for i, r := range uf.Users {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("users file %s: user %d %q: %s: %w", path, i+1, r.Name, fmt.Sprintf(format, args...), ErrDamaged)
		}
		switch {
		case !validName(r.Name):
			return uf, bad("name is not 1 to 64 of [a-z0-9._-]")
		case names[r.Name]:
			return uf, bad("name appears twice")
		}
		names[r.Name] = true
		if _, err := ParseRole(string(r.Role)); err != nil {
			return uf, bad("role %q is unknown", r.Role)
		}
		if _, err := parsePHC(r.Password); err != nil {
			return uf, bad("password: %v", err)
		}
		for _, t := range r.Tokens {
			if b, err := hex.DecodeString(t.SHA256); err != nil || len(b) != sha256.Size {
				return uf, bad("token %q: sha256 is not 64 hex digits", t.ID)
			}
			if tokens[t.SHA256] {
				return uf, bad("token %q appears twice", t.ID)
			}
			tokens[t.SHA256] = true
		}
	}
	return uf, nil
}

func lineOf(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

// update applies change to the file as it is on disk, under the lock, and
// writes the result. A change that fails writes nothing.
func (u *Users) update(change func(*usersFile) error) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	lock, err := lockPath(u.path + ".lock")
	if err != nil {
		return fmt.Errorf("lock users: %w", err)
	}
	defer lock.Close()
	if err := u.reload(); err != nil {
		return err
	}
	uf := u.file.clone()
	if err := change(&uf); err != nil {
		return err
	}
	data, err := json.MarshalIndent(uf, "", "  ")
	if err != nil {
		return fmt.Errorf("write users: %w", err)
	}
	if err := replaceFile(u.path, append(data, '\n')); err != nil {
		return fmt.Errorf("write users: %w", err)
	}
	fi, err := os.Stat(u.path)
	if err != nil {
		return fmt.Errorf("write users: %w", err)
	}
	u.set(uf, fi)
	return nil
}

// edit applies change to the user called name.
func (u *Users) edit(name string, change func(*userRecord) error) error {
	return u.update(func(f *usersFile) error {
		r := f.find(name)
		if r == nil {
			return ErrNoUser
		}
		return change(r)
	})
}

// current returns a copy of the user called name, as the file now says.
func (u *Users) current(name string) (userRecord, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.refresh(); err != nil {
		return userRecord{}, err
	}
	r := u.file.find(name)
	if r == nil {
		return userRecord{}, ErrNoUser
	}
	return *r, nil
}

// hash runs argon2id on password with a new salt, a few at a time.
func (u *Users) hash(password []byte) string {
	u.hashing <- struct{}{}
	defer func() { <-u.hashing }()
	return hashPassword(password, u.params)
}

// Add adds a user. The name must be 1 to 64 of [a-z0-9._-] and not taken;
// the password 12 to 1024 bytes. Only its argon2id hash is stored.
func (u *Users) Add(name string, role Role, password []byte) error {
	if !validName(name) {
		return fmt.Errorf("add user %q: %w", name, ErrName)
	}
	if _, err := ParseRole(string(role)); err != nil {
		return fmt.Errorf("add user %q: %w", name, err)
	}
	if err := checkPassword(password); err != nil {
		return fmt.Errorf("add user %q: %w", name, err)
	}
	hash := u.hash(password)
	now := u.now().UTC()
	err := u.update(func(f *usersFile) error {
		if f.find(name) != nil {
			return ErrExists
		}
		f.Users = append(f.Users, userRecord{
			Name:            name,
			Role:            role,
			Created:         now,
			PasswordChanged: now,
			Password:        hash,
		})
		return nil
	})
	if err != nil {
		return fmt.Errorf("add user %q: %w", name, err)
	}
	return nil
}

// SetPassword replaces name's password, and ends the browser sessions name
// started before (in every process that shares the file). API tokens stay.
func (u *Users) SetPassword(name string, password []byte) error {
	if err := checkPassword(password); err != nil {
		return fmt.Errorf("set password of %q: %w", name, err)
	}
	hash := u.hash(password)
	now := u.now().UTC()
	err := u.edit(name, func(r *userRecord) error {
		r.Password, r.PasswordChanged, r.SessionsAfter = hash, now, now
		return nil
	})
	if err != nil {
		return fmt.Errorf("set password of %q: %w", name, err)
	}
	return nil
}

// SetRole changes name's role; live sessions and tokens get the new role
// with their next request.
func (u *Users) SetRole(name string, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return fmt.Errorf("set role of %q: %w", name, err)
	}
	err := u.edit(name, func(r *userRecord) error {
		r.Role = role
		return nil
	})
	if err != nil {
		return fmt.Errorf("set role of %q: %w", name, err)
	}
	return nil
}

// Disable stops name from signing in, revokes their tokens and ends their
// sessions. The user stays in the file, for the audit trail.
func (u *Users) Disable(name string) error {
	now := u.now().UTC()
	err := u.edit(name, func(r *userRecord) error {
		r.Disabled, r.Tokens, r.SessionsAfter = true, nil, now
		return nil
	})
	if err != nil {
		return fmt.Errorf("disable %q: %w", name, err)
	}
	return nil
}

// Enable lets a disabled user sign in again. Their old tokens and sessions
// stay ended.
func (u *Users) Enable(name string) error {
	err := u.edit(name, func(r *userRecord) error {
		r.Disabled = false
		return nil
	})
	if err != nil {
		return fmt.Errorf("enable %q: %w", name, err)
	}
	return nil
}

// Get returns the user called name, or ErrNoUser.
func (u *Users) Get(name string) (*User, error) {
	r, err := u.current(name)
	if err != nil {
		return nil, fmt.Errorf("get user %q: %w", name, err)
	}
	return r.user(), nil
}

// List returns every user, disabled ones included, in the order they were
// added.
func (u *Users) List() ([]User, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.refresh(); err != nil {
		return nil, err
	}
	list := make([]User, 0, len(u.file.Users))
	for i := range u.file.Users {
		list = append(list, *u.file.Users[i].user())
	}
	return list, nil
}

// dummySalt salts the hash Login computes for unknown users.
var dummySalt = make([]byte, saltLen)

// Login checks name's password. An unknown name and a wrong password give
// the same ErrBadLogin after the same work (an unknown name is hashed too),
// so a login does not tell whether a name exists. After 5 failures for a
// name within 15 minutes, Login refuses that name for 15 minutes with
// ErrThrottled, without looking at the password; the count is per process
// and forgotten on restart. A disabled user with the right password gets
// ErrDisabled.
func (u *Users) Login(name string, password []byte) (*User, error) {
	if !u.throttle.begin(name, u.now()) {
		return nil, fmt.Errorf("login %q: %w", name, ErrThrottled)
	}
	result := undecided
	defer func() { u.throttle.end(name, u.now(), result) }()

	r, err := u.current(name)
	if err != nil && !errors.Is(err, ErrNoUser) {
		return nil, fmt.Errorf("login %q: %w", name, err)
	}
	u.hashing <- struct{}{}
	defer func() { <-u.hashing }()
	if err != nil {
		p := u.params
		argon2.IDKey(password, dummySalt, p.time, p.memory, p.threads, p.keyLen)
		result = failed
		return nil, ErrBadLogin
	}
	h, err := parsePHC(r.Password)
	if err != nil {
		return nil, fmt.Errorf("login %q: %w", name, err)
	}
	if !h.verify(password) {
		result = failed
		return nil, ErrBadLogin
	}
	result = succeeded
	if r.Disabled {
		return nil, fmt.Errorf("login %q: %w", name, ErrDisabled)
	}
	return r.user(), nil
}

// NewToken makes a new API token for name and returns it: "vigia_" and 32
// random bytes in unpadded base64url. Only its SHA-256 is stored (with an
// ID, the time and its last four characters), so the token cannot be
// shown again: whoever reads the users file cannot use it.
func (u *Users) NewToken(name string) (string, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	id := make([]byte, 6)
	rand.Read(id)
	sum := sha256.Sum256([]byte(token))
	err := u.edit(name, func(r *userRecord) error {
		if r.Disabled {
			return ErrDisabled
		}
		r.Tokens = append(r.Tokens, tokenRecord{
			ID:      hex.EncodeToString(id),
			SHA256:  hex.EncodeToString(sum[:]),
			Created: u.now().UTC(),
			Last4:   token[len(token)-4:],
		})
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("new token for %q: %w", name, err)
	}
	return token, nil
}

// TokenUser returns the user whose API token this is. The token is looked
// up by its SHA-256, so the time a lookup takes says nothing useful about
// the token. Unknown or revoked tokens give ErrBadToken; tokens of a
// disabled user, ErrDisabled.
func (u *Users) TokenUser(token string) (*User, error) {
	if len(token) != tokenLen || !strings.HasPrefix(token, tokenPrefix) {
		return nil, ErrBadToken
	}
	sum := sha256.Sum256([]byte(token))
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.refresh(); err != nil {
		return nil, err
	}
	name, ok := u.tokens[hex.EncodeToString(sum[:])]
	if !ok {
		return nil, ErrBadToken
	}
	r := u.file.find(name)
	if r.Disabled {
		return nil, fmt.Errorf("token of %q: %w", name, ErrDisabled)
	}
	return r.user(), nil
}

// RevokeTokens revokes every API token of name.
func (u *Users) RevokeTokens(name string) error {
	err := u.edit(name, func(r *userRecord) error {
		r.Tokens = nil
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke tokens of %q: %w", name, err)
	}
	return nil
}

// RevokeToken revokes name's API token with the given ID (see TokenInfo).
func (u *Users) RevokeToken(name, id string) error {
	err := u.edit(name, func(r *userRecord) error {
		n := len(r.Tokens)
		r.Tokens = slices.DeleteFunc(r.Tokens, func(t tokenRecord) bool { return t.ID == id })
		if len(r.Tokens) == n {
			return ErrBadToken
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke token %q of %q: %w", id, name, err)
	}
	return nil
}
