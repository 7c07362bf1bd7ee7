// Package durable holds what the packages that write files share to make
// them survive a crash.
package durable

import (
	"errors"
	"os"
	"path/filepath"
)

// SyncDir fsyncs a directory, so that the names created, renamed or
// removed in it are on stable storage, not only the files' contents.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	return errors.Join(err, d.Close())
}

// WriteFile replaces the file at path with data: a temporary file beside
// it, written and fsynced, renamed over it, and the directory fsynced. A
// crash leaves the old file or the new one, whole.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return SyncDir(dir)
}
