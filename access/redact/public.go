package redact

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// handlePattern is what a line of a public-accounts file may hold: a handle
// with or without "@", optionally with a fediverse instance.
var handlePattern = regexp.MustCompile(`^@?[\p{L}\p{N}_](?:[\p{L}\p{N}\p{M}_.-]*[\p{L}\p{N}\p{M}_])?(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?$`)

// LoadPublic reads the handles of public accounts from a text file: one
// handle per line ("gobiernogdl", "@gobiernogdl", "gdl.bsky.social",
// "gdl@mastodon.social"), with "#" starting a comment and blank lines
// ignored. Every line that is not a handle is reported, with its number.
func LoadPublic(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read public accounts: %w", err)
	}
	defer f.Close()
	var handles []string
	var problems []error
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF") // saved by Notepad
		}
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case !handlePattern.MatchString(line):
			problems = append(problems, fmt.Errorf("%s:%d: %q is not a handle; write one per line, like usuario, @usuario, usuario.bsky.social or usuario@mastodon.social", path, n, line))
		default:
			handles = append(handles, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read public accounts %s: %w", path, err)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return handles, nil
}

// LoadPublicOrList reads the handles of public accounts from the file at
// arg (a path, or a name ending in .txt or .csv), or, when there is no such file, from arg itself as a list separated
// by commas or spaces ("@congresojal, ieperjalisco.bsky.social"). A list
// that holds something that is not a handle is neither, and is refused
// naming it.
func LoadPublicOrList(arg string) ([]string, error) {
	ext := strings.ToLower(filepath.Ext(arg))
	if _, err := os.Stat(arg); err == nil || strings.ContainsAny(arg, `/\`) || ext == ".txt" || ext == ".csv" {
		return LoadPublic(arg) // a file, or what can only be one
	}
	var handles []string
	for _, h := range strings.FieldsFunc(arg, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
		if !handlePattern.MatchString(h) {
			return nil, fmt.Errorf("%q: no file of that name, nor a list of handles (%q is not a handle; write them like usuario, @usuario, usuario.bsky.social or usuario@mastodon.social, separated by commas)", arg, h)
		}
		handles = append(handles, h)
	}
	return handles, nil
}
