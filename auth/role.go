package auth

import (
	"fmt"
)

// Role is what a person may see and do. The zero Role is not valid; a
// request without a user acts as Public (see RoleOf).
type Role string

// The roles, from least to most trusted. Each sees everything the one
// before it sees.
const (
	// Public is anyone, signed in or not: posts classified as official.
	Public Role = "public"
	// Archivist also sees posts classified as personal and reviews
	// classifications.
	Archivist Role = "archivist"
	// Admin also manages users and tokens.
	Admin Role = "admin"
)

// ParseRole returns the Role named s, which must be spelled exactly as one
// of the constants ("public", "archivist", "admin").
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Public, Archivist, Admin:
		return r, nil
	}
	return "", fmt.Errorf("parse role %q: %w", s, ErrRole)
}

// SeesPersonal reports whether r may see posts classified as personal, and
// the personal details of a post.
func (r Role) SeesPersonal() bool { return r == Archivist || r == Admin }

// Reviews reports whether r may review a classification (record a
// decision).
func (r Role) Reviews() bool { return r == Archivist || r == Admin }

// Administers reports whether r may manage users, roles and tokens.
func (r Role) Administers() bool { return r == Admin }

// RoleOf returns u's role, or Public when u is nil (an anonymous request).
func RoleOf(u *User) Role {
	if u == nil {
		return Public
	}
	return u.Role
}
