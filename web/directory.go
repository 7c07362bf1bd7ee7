package web

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/internal/durable"
)

// maxDirectoryBytes bounds a directory sent from the browser.
const maxDirectoryBytes = 4 << 20

// directoryFilePage shows the directory file to an admin, with its
// problems if it has any, and a form to replace it.
func (s *Server) directoryFilePage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.DirectoryFile == "" {
		s.fail(w, r, false, http.StatusNotFound, "el servidor no tiene un archivo de directorio (vigia serve --directory ARCHIVO)")
		return
	}
	data, err := os.ReadFile(s.cfg.DirectoryFile)
	if err != nil {
		s.internal(w, r, false, fmt.Errorf("read the directory: %w", err))
		return
	}
	view := map[string]any{"File": s.cfg.DirectoryFile, "Text": string(data)}
	describeDirectory(view, s.cfg.DirectoryFile, data, s.cfg.Networks)
	s.render(w, r, "directory", view)
}

// describeDirectory adds to view the accounts of data, or its problems.
func describeDirectory(view map[string]any, name string, data []byte, nets directory.Networks) error {
	d, err := directory.Parse(name, data, nets)
	var verr *directory.ValidationError
	switch {
	case errors.As(err, &verr):
		view["Problems"] = verr.Problems
	case err != nil:
		view["Error"] = err.Error()
	default:
		view["Accounts"] = len(d.Accounts)
		view["Subject"] = d.Subject
	}
	return err
}

// replaceDirectory checks the directory an admin sent and, when it has no
// problem, puts it in place of the file; the version it replaces is kept
// beside it (FILE.YYYYMMDDThhmmss), never deleted.
func (s *Server) replaceDirectory(w http.ResponseWriter, r *http.Request) {
	if s.cfg.DirectoryFile == "" {
		s.fail(w, r, false, http.StatusNotFound, "el servidor no tiene un archivo de directorio (vigia serve --directory ARCHIVO)")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxDirectoryBytes)
	text := strings.ReplaceAll(r.PostFormValue("directorio"), "\r\n", "\n")
	view := map[string]any{"File": s.cfg.DirectoryFile, "Text": text}
	if err := describeDirectory(view, s.cfg.DirectoryFile, []byte(text), s.cfg.Networks); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		view["Rejected"] = true
		s.render(w, r, "directory", view)
		return
	}
	kept, err := s.writeDirectory([]byte(text))
	if err != nil {
		s.internal(w, r, false, err)
		return
	}
	if err := s.record(r, "directory_update", s.cfg.DirectoryFile, "previous version kept as "+filepath.Base(kept), view["Accounts"].(int)); err != nil {
		s.internal(w, r, false, err)
		return
	}
	view["Saved"] = filepath.Base(kept)
	s.render(w, r, "directory", view)
}

// writeDirectory keeps the current file under a dated name and writes data
// in its place, durably; it returns the name the old version has now.
func (s *Server) writeDirectory(data []byte) (string, error) {
	path := s.cfg.DirectoryFile
	dir := filepath.Dir(path)
	kept := path + "." + s.cfg.Now().UTC().Format("20060102T150405")
	if err := os.Link(path, kept); err != nil {
		return "", fmt.Errorf("keep the previous directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".directorio-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name()) // once renamed, this finds nothing
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if fi, err := os.Stat(path); err == nil {
		_ = os.Chmod(tmp.Name(), fi.Mode().Perm())
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return kept, durable.SyncDir(dir)
}
