package auth

import (
	"fmt"
	"slices"
	"strings"
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

// Capability is something a role may do; handlers ask for one, never for a
// role.
type Capability string

// The capabilities, in the order they are listed to people.
const (
	// ReadPublic: search and read public information (the posts classified
	// as related to the servant's functions), masked as a versión pública.
	ReadPublic Capability = "read_public"
	// SeePersonal: posts classified as personal or awaiting review, raw
	// captures and personal details; each view audited.
	SeePersonal Capability = "see_personal"
	// Review: record a person's decision on a classification. The review
	// queue shows personal content: a role that reviews also SeePersonal
	// (TestRolesTable), and so does one that exports.
	Review Capability = "review"
	// Export: build the package answering an access request.
	Export Capability = "export"
	// Administer: users and tokens, the directory file, the audit log.
	Administer Capability = "administer"
)

// CapabilitySpec is a capability and what it lets a person do, in English
// (the command line) and Spanish (the web application).
type CapabilitySpec struct {
	Capability
	Does, Permite string
}

// RoleSpec is a role and the capabilities it has.
type RoleSpec struct {
	Role
	Caps []Capability
}

// Capabilities lists every capability, with what it lets a person do, in
// English (the command line) and Spanish (the web application).
var Capabilities = []CapabilitySpec{
	{ReadPublic, "reads public information (function-related posts)", "consulta la información pública"},
	{SeePersonal, "sees personal content and raw captures, each view audited", "ve contenido personal y capturas, con bitácora"},
	{Review, "reviews classifications", "revisa clasificaciones"},
	{Export, "exports access-request packages", "exporta paquetes de solicitudes de acceso"},
	{Administer, "manages users, tokens and the directory file and reads the audit log", "administra usuarios, tokens y el archivo del directorio; lee la bitácora"},
}

// Roles is the role → capabilities table every check reads: the web
// application's routes, the templates, the users page and `vigia users`.
// Adding a role is adding a row.
var Roles = []RoleSpec{
	{Public, []Capability{ReadPublic}},
	{Archivist, []Capability{ReadPublic, SeePersonal, Review, Export}},
	{Admin, []Capability{ReadPublic, SeePersonal, Review, Export, Administer}},
}

// ParseRole returns the Role named s, which must be spelled exactly as one
// of Roles ("public", "archivist", "admin").
func ParseRole(s string) (Role, error) {
	for _, row := range Roles {
		if row.Role == Role(s) {
			return row.Role, nil
		}
	}
	return "", fmt.Errorf("parse role %q: %w", s, ErrRole)
}

// Can reports whether r may do c; an unknown role may do nothing.
func (r Role) Can(c Capability) bool {
	for _, row := range Roles {
		if row.Role == r {
			return slices.Contains(row.Caps, c)
		}
	}
	return false
}

// Describe says what r may do, in English, or in Spanish when spanish is
// set: the capabilities' texts joined.
func (r Role) Describe(spanish bool) string {
	var parts []string
	for _, c := range Capabilities {
		if r.Can(c.Capability) {
			if spanish {
				parts = append(parts, c.Permite)
			} else {
				parts = append(parts, c.Does)
			}
		}
	}
	return strings.Join(parts, "; ")
}

// RoleNames returns the roles' names, in Roles order.
func RoleNames() []string {
	names := make([]string, len(Roles))
	for i, row := range Roles {
		names[i] = string(row.Role)
	}
	return names
}

// SeesPersonal reports whether r may see posts classified as personal, and
// the personal details of a post.
func (r Role) SeesPersonal() bool { return r.Can(SeePersonal) }

// Reviews reports whether r may review a classification (record a
// decision).
func (r Role) Reviews() bool { return r.Can(Review) }

// Administers reports whether r may manage users, roles and tokens.
func (r Role) Administers() bool { return r.Can(Administer) }

// RoleOf returns u's role, or Public when u is nil (an anonymous request).
func RoleOf(u *User) Role {
	if u == nil {
		return Public
	}
	return u.Role
}
