package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// The version the warcinfo records and the User-Agent name: set at link
// time, else the module's, else the commit built, else "dev".
func TestVersionFrom(t *testing.T) {
	vcs := func(rev, modified string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/vigia-mx/vigia", Version: "(devel)"}}
		bi.Settings = []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
		return bi
	}
	for _, c := range []struct {
		linked string
		bi     *debug.BuildInfo
		want   string
	}{
		{"v1.4.0", vcs("0123456789abcdef0123", "true"), "v1.4.0"},
		{"", &debug.BuildInfo{Main: debug.Module{Version: "v1.3.2"}}, "v1.3.2"},
		{"", vcs("0123456789abcdef0123", "false"), "dev-0123456789ab"},
		{"", vcs("0123456789abcdef0123", "true"), "dev-0123456789ab+dirty"},
		{"", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{"", nil, "dev"},
	} {
		if got := versionFrom(c.linked, c.bi); got != c.want {
			t.Errorf("versionFrom(%q, …) = %q, want %q", c.linked, got, c.want)
		}
	}
	out, _, code := vigia(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "vigia "+vigiaVersion()+" ") {
		t.Errorf("vigia version: exit %d: %q", code, out)
	}
}
