// Package durable holds what the packages that write files share to make
// them survive a crash.
package durable

import (
	"errors"
	"os"
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
