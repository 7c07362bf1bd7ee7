package redact

import (
	"bufio"
	"errors"
	"fmt"
	"os"
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
