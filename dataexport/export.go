package dataexport

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/archive"
)

// Export is what vigia reads of one platform's data export.
type Export struct {
	Network archive.Network
	// Layout names the layout read, in words ("X archive (data/tweets.js,
	// 2022 onwards)"): exports change over the years.
	Layout string
	// Handle is the account as the export names it, and HandleAt where:
	// a file and a field ("data/account.js: account.username").
	Handle   string
	HandleAt string
	// Generated is when the platform made the export, when it says.
	Generated time.Time
	// Whole: the export says it holds the account's whole history (an X
	// archive's manifest: not partial, and every part holds the count it
	// lists). Only a whole export's missing posts may be deleted ones.
	Whole bool
	// WholeWhy says, in words, why the export counts as whole or not.
	WholeWhy string
	Posts    []Post
	Deleted  []Deleted
}

// Post is one post of an export: its versions, oldest first, where the
// export keeps earlier ones (an X archive keeps each edit), else one. Each
// version's Raw is the post's JSON as the export holds it.
type Post struct {
	Versions []archive.Post
	File     string // the file of the export that holds it
}

// Latest is the post as it stands in the export.
func (p *Post) Latest() *archive.Post { return &p.Versions[len(p.Versions)-1] }

// Deleted is a post the export itself lists as deleted (an X archive's
// data/deleted-tweets.js).
type Deleted struct {
	Post      archive.Post
	DeletedAt time.Time // zero when the export does not say
	File      string
}

// Reader reads one platform's exports.
type Reader struct {
	Network archive.Network
	Name    string // "X archive", "Facebook export": for messages
	// Looks says what Detect looks for, for messages: "data/tweets.js".
	Looks string
	// Detect reports whether fsys has the platform's layout (or one of its
	// known older forms, which Read then refuses by name).
	Detect func(fsys fs.FS) bool
	Read   func(fsys fs.FS) (*Export, error)
}

// Error is a problem found in an export: the file inside it (or the
// export itself), the line when known, the field, and what is wrong.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(quoteControls(e.File))
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// quoteControls quotes a name from an export that holds control or
// bidirectional formatting characters, or bytes that are not UTF-8 (0x9b
// is a control to some terminals), which would otherwise reach the
// terminal of whoever reads the error.
func quoteControls(s string) string {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }) {
		return strconv.Quote(s)
	}
	return s
}

// Errorf returns an *Error about file and field.
func Errorf(file, field, format string, args ...any) error {
	return &Error{File: file, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// maxFile bounds one file of an export read as JSON.
const maxFile = 1 << 30

// A zip entry that inflates to more than bombSize bytes at more than
// bombRatio times its compressed size is not read: JSON and JavaScript
// compress about ten times, a zip bomb a thousand.
const (
	bombSize  = 64 << 20
	bombRatio = 200
)

// ReadFile reads a file of the export, naming it in any error: an entry of
// a zip cut short fails its checksum here. A file larger than vigia reads
// is refused before it is read, by the size its zip entry declares
// (archive/zip fails an entry that inflates past it).
func ReadFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &Error{File: name, Msg: "cannot open: " + errMsg(err)}
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
		if zh, ok := st.Sys().(*zip.FileHeader); ok && zh.UncompressedSize64 > bombSize &&
			zh.UncompressedSize64/max(zh.CompressedSize64, 1) > bombRatio {
			return nil, &Error{File: name, Msg: fmt.Sprintf("inflates to %d bytes from %d, more than %d times: not a file as a platform writes it (a zip bomb?); ask the holder for the export again, as downloaded", zh.UncompressedSize64, zh.CompressedSize64, bombRatio)}
		}
	}
	if size > maxFile {
		return nil, &Error{File: name, Msg: fmt.Sprintf("%d bytes, more than the %d vigia reads of one file of an export: ask the holder for the export without media, or in several parts", size, maxFile)}
	}
	buf := bytes.NewBuffer(make([]byte, 0, max(size, 0)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, maxFile+1)); err != nil {
		return nil, &Error{File: name, Msg: "cannot read (the export may be cut short: ask for it again): " + errMsg(err)}
	}
	if buf.Len() > maxFile {
		return nil, &Error{File: name, Msg: fmt.Sprintf("more than the %d bytes vigia reads of one file of an export: ask the holder for the export without media, or in several parts", maxFile)}
	}
	return buf.Bytes(), nil
}

// Exists reports whether name is a file of fsys.
func Exists(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}

// Glob returns the files of fsys matching pattern, sorted.
func Glob(fsys fs.FS, pattern string) []string {
	m, _ := fs.Glob(fsys, pattern)
	return m
}

// Decode decodes data, the contents of file, into v; a syntax error names
// its line (a file cut short ends in the middle of a value).
func Decode(file string, data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	e := &Error{File: file}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		e.Line = lineAt(data, syn.Offset)
		e.Msg = "not valid JSON (cut short?): " + syn.Error()
	case errors.As(err, &typ):
		e.Line = lineAt(data, typ.Offset)
		e.Field = typ.Field
		e.Msg = fmt.Sprintf("a %s where the layout has a %s", typ.Value, typ.Type)
	case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON input"):
		e.Line = lineAt(data, int64(len(data)))
		e.Msg = "the file ends in the middle of its data (cut short: ask for the export again)"
	default:
		e.Msg = err.Error()
	}
	return e
}

func lineAt(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

func errMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// FixMeta undoes the encoding of text in Meta's exports (Facebook,
// Instagram): their JSON writes each byte of a UTF-8 character as a
// character of its own ("\u00c3\u00a1" for "á"). A string made only of
// such characters whose bytes are valid UTF-8 is read as those bytes;
// any other string is returned unchanged.
func FixMeta(s string) string {
	high := false
	for _, r := range s {
		if r > 0xFF {
			return s
		}
		if r >= 0x80 {
			high = true
		}
	}
	if !high {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	if !utf8.Valid(b) {
		return s
	}
	return string(b)
}

// MediaKind says what a file of an export is, by its name.
func MediaKind(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".mp4", ".mov", ".m4v", ".webm":
		return "video"
	case ".mp3", ".m4a", ".aac", ".ogg":
		return "audio"
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic":
		return "image"
	}
	return "document"
}

// SameHandle reports whether two ways of writing an account's handle name
// the same account: case and a leading @ aside.
// Only ASCII letters fold: the platforms' usernames are ASCII, and
// Unicode's folding would take the Kelvin sign for a k.
func SameHandle(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimPrefix(strings.TrimSpace(s), "@")
		return strings.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, s)
	}
	return norm(a) != "" && norm(a) == norm(b)
}

// UniqueIDs gives posts that share an id (an export without ids names posts
// by their second of publication) the suffixes -2, -3…, in their order.
func UniqueIDs(posts []Post) {
	seen := map[string]int{}
	for i := range posts {
		id := posts[i].Versions[0].PostID
		seen[id]++
		if n := seen[id]; n > 1 {
			for j := range posts[i].Versions {
				posts[i].Versions[j].PostID = fmt.Sprintf("%s-%d", id, n)
			}
		}
	}
}
