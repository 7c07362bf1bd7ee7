package wacz

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vigia-mx/vigia/archive/warc"
)

// Ref names a record of a crawl's WARC files: the base name of its file
// in the WARC folder, and its WARC-Record-ID.
type Ref struct {
	File, RecordID string
}

// Extract copies out of the WARC files in dir the records refs name, each
// with the records that make it whole for a replay: the request written
// with it (WARC-Concurrent-To), the warcinfo record of its file, and for a
// revisit the response it refers to (found in any file of dir). It writes,
// into out, one file per source file, named as the source, holding those
// records' gzip members byte for byte in the source's order, and returns
// them. Refs whose file or record cannot be found are returned in missing.
func Extract(dir string, refs []Ref, out string) (files []File, missing []Ref, err error) {
	want := map[string]map[string]bool{} // file → record IDs
	for _, r := range refs {
		if r.File != filepath.Base(r.File) || r.File == "." || r.File == ".." || r.RecordID == "" {
			missing = append(missing, r)
			continue
		}
		if want[r.File] == nil {
			want[r.File] = map[string]bool{}
		}
		want[r.File][r.RecordID] = true
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	index := map[string][]warc.Member{}
	var refersTo []string // originals of revisits, found in no file read so far
	for _, name := range names {
		members, err := readMembers(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			for id := range want[name] {
				missing = append(missing, Ref{name, id})
			}
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("extract from %s: %w", name, err)
		}
		index[name] = members
		found := map[string]bool{}
		for _, m := range members {
			if want[name][m.RecordID] {
				found[m.RecordID] = true
				if m.Type == "revisit" && m.RefersTo != "" {
					refersTo = append(refersTo, m.RefersTo)
				}
			}
		}
		for id := range want[name] {
			if !found[id] {
				missing = append(missing, Ref{name, id})
			}
		}
	}
	if err := findOriginals(dir, refersTo, index, want); err != nil {
		return nil, nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		members := index[name]
		if members == nil {
			continue
		}
		keep := closure(members, want[name])
		if len(keep) == 0 {
			continue
		}
		if err := copyMembers(filepath.Join(dir, name), filepath.Join(out, name), members, keep); err != nil {
			return nil, nil, fmt.Errorf("extract from %s: %w", name, err)
		}
		files = append(files, File{Name: name, Path: filepath.Join(out, name)})
	}
	slices.SortFunc(missing, func(a, b Ref) int { return strings.Compare(a.File+a.RecordID, b.File+b.RecordID) })
	return files, missing, nil
}

// findOriginals adds to want the responses that revisits refer to, reading
// the files of dir not read yet only when some are not found in those read.
func findOriginals(dir string, ids []string, index map[string][]warc.Member, want map[string]map[string]bool) error {
	look := func(name string, members []warc.Member) {
		for _, m := range members {
			for i, id := range ids {
				if id != "" && m.RecordID == id {
					if want[name] == nil {
						want[name] = map[string]bool{}
					}
					want[name][id] = true
					ids[i] = ""
				}
			}
		}
	}
	for name, members := range index {
		look(name, members)
	}
	if !slices.ContainsFunc(ids, func(id string) bool { return id != "" }) {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || index[name] != nil || !strings.HasSuffix(name, ".warc.gz") {
			continue
		}
		members, err := readMembers(filepath.Join(dir, name))
		if err != nil {
			continue // a damaged file: vigia verify reports it; the revisit stays without its original
		}
		index[name] = members
		look(name, members)
		if !slices.ContainsFunc(ids, func(id string) bool { return id != "" }) {
			return nil
		}
	}
	return nil
}

// closure is the set of members to copy for the records ids: each, the
// records concurrent to it either way, and the warcinfo records they name.
func closure(members []warc.Member, ids map[string]bool) map[string]bool {
	keep := map[string]bool{}
	for _, m := range members {
		if !ids[m.RecordID] {
			continue
		}
		keep[m.RecordID] = true
		if m.WarcinfoID != "" {
			keep[m.WarcinfoID] = true
		}
		for _, c := range m.ConcurrentTo {
			keep[c] = true
		}
	}
	for _, m := range members {
		for _, c := range m.ConcurrentTo {
			if ids[c] {
				keep[m.RecordID] = true
			}
		}
	}
	return keep
}

// copyMembers writes to dst the bytes of the members of src that keep
// holds, in order.
func copyMembers(src, dst string, members []warc.Member, keep map[string]bool) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	for _, m := range members {
		if !keep[m.RecordID] {
			continue
		}
		if _, err = io.Copy(out, io.NewSectionReader(in, m.Offset, m.Length)); err != nil {
			break
		}
	}
	if err == nil {
		err = out.Sync()
	}
	return errors.Join(err, out.Close())
}
