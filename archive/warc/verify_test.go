package warc

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fixture is a directory with two WARC files: a holds three exchanges, b one.
type fixture struct {
	dir     string
	a, b    string
	exs     []*Exchange // written to a
	refs    []Ref       // of exs
	refB    Ref
	members []int64 // offsets of the records of a: warcinfo, then request and response of each exchange
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	f := fixture{dir: t.TempDir()}
	wa := newWriter(t, Options{Dir: f.dir, Prefix: "a"})
	for i := range 3 {
		ex := exchange(i, 2000)
		f.exs = append(f.exs, ex)
		f.refs = append(f.refs, mustWrite(t, wa, ex))
	}
	mustClose(t, wa)
	wb := newWriter(t, Options{Dir: f.dir, Prefix: "b"})
	f.refB = mustWrite(t, wb, exchange(9, 100))
	mustClose(t, wb)
	f.a, f.b = f.refs[0].File, f.refB.File

	ix, problems := verify(t, f.dir)
	if len(problems) > 0 {
		t.Fatalf("intact files: %v", problems)
	}
	for _, r := range ix.refs {
		if r.File == f.a {
			f.members = append(f.members, r.Offset)
		}
	}
	slices.Sort(f.members)
	if len(f.members) != 7 || f.members[4] != f.refs[1].Offset {
		t.Fatalf("records of %s at %v, want 7 with the second response at %d", f.a, f.members, f.refs[1].Offset)
	}
	return f
}

// damage copies the fixture into a new directory, XORing the byte at offset
// at of file a with mask.
func (f fixture) damage(t *testing.T, at int64, mask byte) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{f.a, f.b} {
		data, err := os.ReadFile(filepath.Join(f.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == f.a {
			data[at] ^= mask
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func (f fixture) size(t *testing.T) int64 {
	fi, err := os.Stat(filepath.Join(f.dir, f.a))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestVerifyReportsDamage(t *testing.T) {
	f := newFixture(t)
	m := f.members
	for _, tc := range []struct {
		name    string
		at      int64
		offset  int64 // of the first problem
		damaged int   // index of the exchange whose response is damaged, -1 for none
	}{
		{"compressed body of a response", m[4] + (m[5]-m[4])/2, m[4], 1},
		{"gzip magic of a response", m[4], m[4], 1},
		{"gzip modification time of a response", m[4] + 5, m[4], 1},
		{"gzip CRC of a response", m[5] - 6, m[4], 1},
		{"gzip size of the last response", f.size(t) - 1, m[6], 2},
		{"a request", m[3] + 30, m[3], -1},
		{"the warcinfo record", 40, 0, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := f.damage(t, tc.at, 0xff)
			ix, problems := verify(t, dir)
			if len(problems) == 0 {
				t.Fatalf("byte %d flipped: no problem reported", tc.at)
			}
			for _, p := range problems {
				if p.File != f.a {
					t.Errorf("problem in %q, want only in %q: %v", p.File, f.a, p)
				}
			}
			p := problems[0]
			if msg := p.Error(); p.Offset != tc.offset || !strings.Contains(msg, f.a) || !strings.Contains(msg, fmt.Sprintf("offset %d", tc.offset)) {
				t.Errorf("first problem %q at offset %d, want it to name %s at offset %d", msg, p.Offset, f.a, tc.offset)
			}
			if ix.Files != 2 {
				t.Errorf("%d files read, want 2", ix.Files)
			}
			for i, ref := range f.refs {
				err := ix.CheckRef(ref)
				switch {
				case i == tc.damaged && !errors.Is(err, ErrRecordDamaged):
					t.Errorf("CheckRef(exchange %d) = %v, want ErrRecordDamaged", i, err)
				case i != tc.damaged && err != nil:
					t.Errorf("CheckRef(exchange %d) = %v: reading must go on past the damage", i, err)
				}
			}
			if err := ix.CheckRef(f.refB); err != nil {
				t.Errorf("CheckRef of the other file: %v", err)
			}
		})
	}
}

// TestVerifyEveryByte flips each byte of a file in turn: Verify must report
// every one of them.
func TestVerifyEveryByte(t *testing.T) {
	src := t.TempDir()
	w := newWriter(t, Options{Dir: src})
	ref := mustWrite(t, w, exchange(1, 40))
	mustClose(t, w)
	data, err := os.ReadFile(filepath.Join(src, ref.File))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, ref.File))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	for at := range data {
		if _, err := f.WriteAt([]byte{data[at] ^ 0xff}, int64(at)); err != nil {
			t.Fatal(err)
		}
		ix, problems := verify(t, dir)
		if _, err := f.WriteAt(data[at:at+1], int64(at)); err != nil {
			t.Fatal(err)
		}
		if len(problems) == 0 || problems[0].File != ref.File {
			t.Errorf("byte %d of %d flipped: problems %v", at, len(data), problems)
		}
		if ix.CheckRef(ref) == nil && at >= int(ref.Offset) {
			t.Errorf("byte %d flipped, in the response's member: CheckRef passes", at)
		}
	}
}

func TestVerifyPlainWARC(t *testing.T) {
	f := newFixture(t)
	data, err := os.ReadFile(filepath.Join(f.dir, f.a))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr) // every member, one after the other: a valid uncompressed WARC file
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	name := strings.TrimSuffix(f.a, ".gz")
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, plain, 0o644); err != nil {
		t.Fatal(err)
	}
	ix, problems := verify(t, dir)
	if len(problems) > 0 || ix.Records != 7 {
		t.Fatalf("plain copy: %d records, problems %v; want 7, none", ix.Records, problems)
	}
	digests := func(r Ref) Ref {
		return Ref{RecordID: r.RecordID, BlockDigest: r.BlockDigest, PayloadDigest: r.PayloadDigest}
	}
	for _, ref := range f.refs {
		if err := ix.CheckRef(digests(ref)); err != nil {
			t.Error(err)
		}
	}

	// Without gzip only the digests can tell a changed body byte.
	at := bytes.Index(plain, f.exs[1].Body[:64]) + 10
	plain[at] ^= 0x01
	if err := os.WriteFile(path, plain, 0o644); err != nil {
		t.Fatal(err)
	}
	ix, problems = verify(t, dir)
	if len(problems) != 1 || problems[0].RecordID != f.refs[1].RecordID || !strings.Contains(problems[0].Msg, "digest") {
		t.Fatalf("body byte %d changed: problems %v, want one digest mismatch of %s", at, problems, f.refs[1].RecordID)
	}
	if err := ix.CheckRef(digests(f.refs[1])); !errors.Is(err, ErrRecordDamaged) {
		t.Errorf("CheckRef of the changed record = %v, want ErrRecordDamaged", err)
	}
	if err := ix.CheckRef(digests(f.refs[2])); err != nil {
		t.Errorf("CheckRef of the next record: %v", err)
	}
}

func TestCheckRef(t *testing.T) {
	f := newFixture(t)
	ix, _ := verify(t, f.dir)
	good := f.refs[1]
	edit := func(e func(*Ref)) Ref {
		r := good
		e(&r)
		return r
	}
	for _, tc := range []struct {
		name string
		ref  Ref
		want error
	}{
		{"intact", good, nil},
		{"as the archive keeps it", Ref{File: good.File, RecordID: good.RecordID, BlockDigest: good.BlockDigest}, nil},
		{"missing file", edit(func(r *Ref) { r.File = "vigia-20260101000000-00001-000000.warc.gz" }), ErrFileMissing},
		{"missing record", edit(func(r *Ref) { r.RecordID = "<urn:uuid:00000000-0000-4000-8000-000000000000>" }), ErrRecordMissing},
		{"other block digest", edit(func(r *Ref) { r.BlockDigest = f.refs[0].BlockDigest }), ErrDigestMismatch},
		{"other payload digest", edit(func(r *Ref) { r.PayloadDigest = f.refs[0].PayloadDigest }), ErrDigestMismatch},
		{"other offset", edit(func(r *Ref) { r.Offset = f.refs[0].Offset }), ErrLocationMismatch},
		{"other file", edit(func(r *Ref) { r.File = f.b }), ErrLocationMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ix.CheckRef(tc.ref)
			if tc.want == nil && err != nil || !errors.Is(err, tc.want) {
				t.Errorf("CheckRef = %v, want %v", err, tc.want)
			}
		})
	}

	if err := os.Remove(filepath.Join(f.dir, f.b)); err != nil {
		t.Fatal(err)
	}
	ix, problems := verify(t, f.dir)
	if err := ix.CheckRef(f.refB); len(problems) > 0 || !errors.Is(err, ErrFileMissing) {
		t.Errorf("after removing %s: problems %v, CheckRef = %v; want no problem, ErrFileMissing", f.b, problems, err)
	}
}

func TestVerifySkipsOpenFiles(t *testing.T) {
	dir := t.TempDir()
	w := newWriter(t, Options{Dir: dir})
	ref := mustWrite(t, w, exchange(1, 100))
	if _, err := os.Stat(filepath.Join(dir, ref.File+".open")); err != nil {
		t.Fatalf("file being written: %v", err)
	}
	ix, problems := verify(t, dir)
	if ix.Files != 0 || len(problems) > 0 || !errors.Is(ix.CheckRef(ref), ErrFileMissing) {
		t.Errorf("with only an open file: %d files, problems %v; want none", ix.Files, problems)
	}
	mustClose(t, w)
	if ix, _ := verify(t, dir); ix.CheckRef(ref) != nil {
		t.Errorf("after Close: %v", ix.CheckRef(ref))
	}
}

func TestVerifyErrors(t *testing.T) {
	if _, _, err := Verify(context.Background(), filepath.Join(t.TempDir(), "none"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Verify of a missing directory = %v, want ErrNotExist", err)
	}
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ix, _, err := Verify(ctx, f.dir, nil)
	if !errors.Is(err, context.Canceled) || ix.Files > 1 {
		t.Errorf("Verify with a cancelled context = %v after %d files, want context.Canceled at the first", err, ix.Files)
	}
}

func TestVerifyTrailingBytes(t *testing.T) {
	f := newFixture(t)
	size := f.size(t)
	for _, tail := range []string{"abc", "WARC/1.1\r\nWARC-Type: response\r\n"} {
		dir := f.damage(t, 0, 0)
		file, err := os.OpenFile(filepath.Join(dir, f.a), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = file.WriteString(tail)
		if cerr := file.Close(); err != nil || cerr != nil {
			t.Fatal(err, cerr)
		}
		ix, problems := verify(t, dir)
		if len(problems) != 1 || problems[0].File != f.a || problems[0].Offset != size {
			t.Errorf("%q appended: problems %v, want one in %s at offset %d", tail, problems, f.a, size)
		}
		for _, ref := range f.refs {
			if err := ix.CheckRef(ref); err != nil {
				t.Errorf("%q appended: %v", tail, err)
			}
		}
	}
}
