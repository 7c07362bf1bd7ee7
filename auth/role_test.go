package auth

import (
	"errors"
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
