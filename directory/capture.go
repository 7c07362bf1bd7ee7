package directory

import (
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/vigia-mx/vigia/internal/suggest"
)

// Capture says how an account's posts reach the archive.
type Capture string

// The ways of capture.
const (
	// CapturePublic: vigia lists the account's public posts without
	// logging in (Mastodon, Bluesky, Telegram, YouTube, RSS/Atom).
	CapturePublic Capture = "public"
	// CaptureExport: the account's holder hands in the platform's data
	// export, which vigia import reads (X, Facebook, Instagram, TikTok).
	CaptureExport Capture = "export"
	// CaptureAPI: vigia reads the platform's official API with the
	// office's token (X API v2, Meta Graph API), for official accounts.
	CaptureAPI Capture = "api"
)

// DefaultExportEvery is how often an export is due when neither the
// account nor the directory says (export_every:).
const DefaultExportEvery = 30 * 24 * time.Hour

// tokenKeys are keys that would put a credential in the directory: they
// are refused with a message saying where the token goes instead.
var tokenKeys = []string{"token", "access_token", "bearer_token", "password", "secret"}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// CaptureModes returns the ways the network's accounts can be captured, the
// default first.
func (s NetworkSpec) CaptureModes() []Capture {
	if len(s.Captures) == 0 {
		return []Capture{CapturePublic}
	}
	return s.Captures
}

// ExportDue is how often the account's export is due: its export_every,
// the directory's, or DefaultExportEvery.
func (d *Directory) ExportDue(a *Account) time.Duration {
	switch {
	case a.ExportEvery > 0:
		return a.ExportEvery
	case d.ExportEvery > 0:
		return d.ExportEvery
	}
	return DefaultExportEvery
}

// parseEvery reads a period written as days ("30d"), weeks ("2w") or a Go
// duration ("720h").
func parseEvery(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v <= 0 || v > 3660 {
				return 0, false
			}
			return time.Duration(v) * unit, true
		}
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d > 0
}

func every(ps *problems, v *yaml.Node, field string) time.Duration {
	s := scalar(ps, v, field)
	d, ok := parseEvery(s)
	if !ok {
		ps.add(v.Line, field, s, "expected a period such as 30d (days), 2w (weeks) or 720h")
		return 0
	}
	return d
}

// checkCapture checks capture:, token_file:, token_env: and export_every:
// against what the network offers (spec.Captures) and sets the default
// capture. dirFile is the directory's file, against whose folder a
// relative token_file is read.
func (a *Account) checkCapture(ps *problems, spec NetworkSpec, known bool, at func(string) (int, string), dirFile string) {
	modes := spec.CaptureModes()
	if a.Capture == "" {
		if known {
			a.Capture = modes[0]
		}
	} else if known && !a.invalid["capture"] && !slices.Contains(modes, a.Capture) {
		line, field := at("capture")
		names := make([]string, len(modes))
		for i, m := range modes {
			names[i] = string(m)
		}
		switch {
		case !slices.Contains([]Capture{CapturePublic, CaptureExport, CaptureAPI}, a.Capture):
			ps.add(line, field, string(a.Capture), "expected public, export or api%s", suggest.DidYouMean(string(a.Capture), []string{"public", "export", "api"}))
		case a.Capture == CaptureAPI:
			ps.add(line, field, string(a.Capture), "vigia has no adapter for the official API of %s; capture its posts with %s", a.Network, strings.Join(names, " or "))
		default:
			ps.add(line, field, string(a.Capture), "%s accounts are captured with %s", a.Network, strings.Join(names, " or "))
		}
	}
	_, hasFile := a.fields["token_file"]
	_, hasEnv := a.fields["token_env"]
	if a.Capture == CaptureAPI {
		if a.Type == Personal {
			line, field := at("capture")
			ps.add(line, field, "api", "the official API is read with the office's token, for official accounts only; a personal account (Séptima B) is captured from the export its servant hands in (capture: export)")
		}
		switch {
		case !hasFile && !hasEnv:
			line, field := at("capture")
			ps.add(line, field, "api", "needs token_file: (a file only its owner may read, mode 600) or token_env: (an environment variable) naming where the office's token is; never the token itself")
		case hasFile && hasEnv:
			line, field := at("token_env")
			ps.add(line, field, a.TokenEnv, "give token_file: or token_env:, not both")
		}
	} else {
		for _, k := range []string{"token_file", "token_env"} {
			if _, ok := a.fields[k]; ok {
				line, field := at(k)
				ps.add(line, field, "", "only for capture: api (the office's token for the platform's official API)")
			}
		}
	}
	if hasEnv && a.TokenEnv != "" && !envName.MatchString(a.TokenEnv) {
		line, field := at("token_env")
		ps.add(line, field, a.TokenEnv, "expected the name of an environment variable (letters, digits and _), such as VIGIA_TOKEN_OBRAS")
	}
	if hasFile && a.TokenFile == "" && !a.invalid["token_file"] {
		line, field := at("token_file")
		ps.add(line, field, "", "empty: name the file that holds the token")
	}
	if a.TokenFile != "" {
		a.TokenPath = a.TokenFile
		if !filepath.IsAbs(a.TokenPath) {
			a.TokenPath = filepath.Join(filepath.Dir(dirFile), a.TokenPath)
		}
	}
	if _, ok := a.fields["export_every"]; ok && a.Capture != CaptureExport && !a.invalid["export_every"] {
		line, field := at("export_every")
		ps.add(line, field, "", "only for capture: export (how often the holder hands in the export)")
	}
}

// tokenKey reports a key that would put a credential in the directory,
// without repeating its value.
func tokenKey(ps *problems, line int, field string) {
	ps.add(line, field, "", "a token, password or secret never goes in the directory (it is read by whoever reads the directory, and kept in its history); put the token in a file only its owner may read (chmod 600) and name it with token_file:, or in an environment variable named with token_env:")
}

// String returns the capture's name.
func (c Capture) String() string { return string(c) }

// NextExport is when account a's next export is due: ExportDue after the
// last one imported (last), or after its registration for its first; now
// when it has neither, for an export never handed in is due at once.
func (d *Directory) NextExport(a *Account, last, now time.Time) time.Time {
	switch {
	case !last.IsZero():
		return last.Add(d.ExportDue(a))
	case !a.RegisteredOn.IsZero():
		loc := d.Location
		if loc == nil {
			loc = time.UTC
		}
		return a.RegisteredOn.Start(loc).Add(d.ExportDue(a))
	}
	return now
}
