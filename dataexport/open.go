package dataexport

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing/fstest"
	"time"
	"unicode/utf8"
)

// MaxExport bounds what vigia keeps of an export as one evidence record.
// An export with its media in full quality may pass it: the holder can ask
// for media in low quality, or for the posts alone.
const MaxExport = 2 << 30

// File is an export as handed in: its bytes, kept whole as evidence, and
// its files, read by layout.
type File struct {
	Path string // as given
	// Bytes is the file as handed in; for a folder, a zip vigia makes of
	// it (its files in name order, no times), so that what is kept can be
	// read back and its SHA-256 checked.
	Bytes       []byte
	ContentType string // of Bytes: application/zip or application/json
	SHA256      string
	Folder      bool
	// FS holds the export's files; its root is the folder that holds the
	// layout (a zip with one folder at its top is read inside it).
	FS fs.FS
}

// Open reads an export handed in: a zip file, a folder (the zip unpacked),
// or a single JSON file (TikTok's user_data.json).
func Open(name string) (*File, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, &Error{File: name, Msg: "cannot open: " + errMsg(err)}
	}
	f := &File{Path: name}
	switch {
	case st.IsDir():
		f.Folder = true
		if f.Bytes, err = zipFolder(os.DirFS(name)); err != nil {
			return nil, &Error{File: name, Msg: "cannot read the folder: " + errMsg(err)}
		}
		// What is read is the zip kept as evidence, not the folder: a file
		// changed after it was zipped is not read.
		zr, err := zip.NewReader(bytes.NewReader(f.Bytes), int64(len(f.Bytes)))
		if err != nil {
			return nil, &Error{File: name, Msg: "cannot read the folder: " + err.Error()}
		}
		f.FS, f.ContentType = zr, "application/zip"
	case !st.Mode().IsRegular():
		return nil, &Error{File: name, Msg: "not a file nor a folder (a device or a pipe): name the export's zip file"}
	case st.Size() > MaxExport:
		return nil, &Error{File: name, Msg: fmt.Sprintf("%d bytes, more than the %d vigia keeps as one record: ask the holder for the export with media in low quality, or without media", st.Size(), int64(MaxExport))}
	default:
		if f.Bytes, err = os.ReadFile(name); err != nil {
			return nil, &Error{File: name, Msg: "cannot read: " + errMsg(err)}
		}
		if bytes.HasPrefix(f.Bytes, []byte("PK")) || strings.EqualFold(filepath.Ext(name), ".zip") {
			zr, err := zip.NewReader(bytes.NewReader(f.Bytes), int64(len(f.Bytes)))
			if err != nil {
				return nil, &Error{File: name, Msg: "not a whole zip file (cut short in the download or the copy? ask for it again): " + err.Error()}
			}
			if err := checkEntries(zr); err != nil {
				return nil, &Error{File: name, Msg: err.Error()}
			}
			f.FS, f.ContentType = zr, "application/zip"
		} else {
			f.FS = fstest.MapFS{filepath.Base(name): &fstest.MapFile{Data: f.Bytes, Mode: 0o444}}
			f.ContentType = "application/json"
		}
	}
	f.FS = layoutRoot(f.FS)
	sum := sha256.Sum256(f.Bytes)
	f.SHA256 = hex.EncodeToString(sum[:])
	return f, nil
}

// checkEntries refuses a zip holding what no platform's export holds and
// what would make the posts vigia reads differ from the files a person
// unpacking the kept zip sees: an entry named outside the zip's folder
// (an absolute name, or one with ..) or not in UTF-8, a name given twice (vigia would
// read the first, most unzip tools keep the last), a symbolic link.
func checkEntries(zr *zip.Reader) error {
	const again = ": not an export as the platform makes it; ask the holder for the export again, as downloaded"
	seen := make(map[string]bool, len(zr.File))
	for _, e := range zr.File {
		name := strings.TrimSuffix(strings.ReplaceAll(e.Name, `\`, "/"), "/")
		switch {
		case !utf8.ValidString(name):
			return fmt.Errorf("the zip holds an entry whose name, %q, is not UTF-8 as the platforms write names (the zip was made again?)%s", e.Name, again)
		case !fs.ValidPath(name) || name == ".":
			return fmt.Errorf("the zip holds an entry named %q, outside its folder%s", e.Name, again)
		case seen[name]:
			return fmt.Errorf("the zip holds %q twice%s", name, again)
		case e.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("the zip holds %q as a symbolic link%s", name, again)
		}
		seen[name] = true
	}
	return nil
}

// layoutRoot descends into the one folder at the top of fsys, when it holds
// nothing else (an export zipped again with its folder).
func layoutRoot(fsys fs.FS) fs.FS {
	for range 3 {
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			return fsys
		}
		var dirs []fs.DirEntry
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") || e.Name() == "__MACOSX" {
				continue
			}
			if !e.IsDir() {
				return fsys
			}
			dirs = append(dirs, e)
		}
		if len(dirs) != 1 {
			return fsys
		}
		// Keep the root when its one folder is part of a layout.
		switch dirs[0].Name() {
		case "data", "posts", "content", "your_facebook_activity", "your_instagram_activity", "your_activity_across_facebook", "personal_information":
			return fsys
		}
		sub, err := fs.Sub(fsys, dirs[0].Name())
		if err != nil {
			return fsys
		}
		fsys = sub
	}
	return fsys
}

// zipFolder makes a zip of the files of fsys, in name order, with no
// times: the same folder makes the same bytes.
func zipFolder(fsys fs.FS) ([]byte, error) {
	var names []string
	var total int64
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a plain file (a symbolic link?): hand in the zip as downloaded, or a folder of plain files", p)
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			if total += info.Size(); total > MaxExport {
				return fmt.Errorf("more than %d bytes: ask the holder for the export with media in low quality, or without media", int64(MaxExport))
			}
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: time.Time{}})
		if err != nil {
			return nil, err
		}
		r, err := fsys.Open(n)
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(w, r)
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, errors.Join(err)
	}
	return buf.Bytes(), nil
}

// Detect returns the reader whose layout f has; the error names what was
// looked for.
func Detect(f *File, readers []Reader) (*Reader, error) {
	for i := range readers {
		if readers[i].Detect(f.FS) {
			return &readers[i], nil
		}
	}
	if zs := Glob(f.FS, "*.zip"); len(zs) > 0 {
		return nil, &Error{File: f.Path, Msg: fmt.Sprintf("a zip holding the zip %q, not a data export: hand in that zip as the platform delivered it", zs[0])}
	}
	var looked []string
	for _, r := range readers {
		looked = append(looked, fmt.Sprintf("%s (%s)", r.Name, r.Looks))
	}
	return nil, &Error{File: f.Path, Msg: "not a data export vigia reads: found none of " + strings.Join(looked, ", ")}
}
