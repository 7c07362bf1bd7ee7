package auth

import (
	"errors"
	"slices"
	"testing"
)

func TestParseRole(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Role
		err  error
	}{
		{"public", Public, nil},
		{"archivist", Archivist, nil},
		{"admin", Admin, nil},
		{"Admin", "", ErrRole},
		{" admin", "", ErrRole},
		{"", "", ErrRole},
		{"root", "", ErrRole},
	} {
		got, err := ParseRole(tc.in)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// TestRoleCapabilities: each role sees what the one before sees, and an
// unknown role (or none) may do nothing.
func TestRoleCapabilities(t *testing.T) {
	for _, tc := range []struct {
		role                               Role
		seesPersonal, reviews, administers bool
	}{
		{Public, false, false, false},
		{Archivist, true, true, false},
		{Admin, true, true, true},
		{"", false, false, false},
		{"root", false, false, false},
	} {
		if got := tc.role.SeesPersonal(); got != tc.seesPersonal {
			t.Errorf("%q.SeesPersonal() = %v", tc.role, got)
		}
		if got := tc.role.Reviews(); got != tc.reviews {
			t.Errorf("%q.Reviews() = %v", tc.role, got)
		}
		if got := tc.role.Administers(); got != tc.administers {
			t.Errorf("%q.Administers() = %v", tc.role, got)
		}
	}
	if got := RoleOf(nil); got != Public {
		t.Errorf("RoleOf(nil) = %q, want public", got)
	}
	if got := RoleOf(&User{Role: Admin}); got != Admin {
		t.Errorf("RoleOf(admin) = %q", got)
	}
}

// TestRolesTable: every role of the table and every capability, Can agrees
// with the row; every capability is described; each role can do what the
// one before it can.
func TestRolesTable(t *testing.T) {
	described := map[Capability]bool{}
	for _, c := range Capabilities {
		if c.Does == "" || c.Permite == "" {
			t.Errorf("capability %q is not described", c.Capability)
		}
		described[c.Capability] = true
	}
	for i, row := range Roles {
		if got, err := ParseRole(string(row.Role)); got != row.Role || err != nil {
			t.Errorf("ParseRole(%q) = %q, %v", row.Role, got, err)
		}
		for _, c := range row.Caps {
			if !described[c] {
				t.Errorf("%s: capability %q is not in Capabilities", row.Role, c)
			}
		}
		for _, c := range Capabilities {
			if got, want := row.Role.Can(c.Capability), slices.Contains(row.Caps, c.Capability); got != want {
				t.Errorf("%s.Can(%s) = %v, want %v", row.Role, c.Capability, got, want)
			}
			if i > 0 && Roles[i-1].Role.Can(c.Capability) && !row.Role.Can(c.Capability) {
				t.Errorf("%s cannot %s, which %s can", row.Role, c.Capability, Roles[i-1].Role)
			}
		}
		if (row.Role.Can(Review) || row.Role.Can(Export)) && !row.Role.Can(SeePersonal) {
			t.Errorf("%s reviews or exports, which shows personal content, but cannot %s", row.Role, SeePersonal)
		}
		if row.Role.Describe(false) == "" || row.Role.Describe(true) == "" {
			t.Errorf("%s: no description", row.Role)
		}
	}
	for _, c := range Capabilities {
		if Role("root").Can(c.Capability) || Role("").Can(c.Capability) {
			t.Errorf("an unknown role can %s", c.Capability)
		}
	}
}
