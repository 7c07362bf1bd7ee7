package main

import (
	"bytes"
	"io"
	"os"
	"time"

	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
)

// directoryFile is the directory a continuous crawl (crawl --every, serve
// --crawl-every) follows: read again before each slot of its schedule, so
// that a directory replaced (from the web application, or by hand) is
// crawled from the next slot, without a restart. A replacement with
// problems is reported, each problem with its line, once per version of
// the file, and the crawl goes on with the directory it read before; the
// gauge vigia_directory_valid says so.
type directoryFile struct {
	path           string
	shardI, shardN int
	command        string // whose messages: "crawl", "serve"
	log            io.Writer
	p              printer // of log's reader
	metrics        *crawler.Metrics

	dir      *directory.Directory
	accounts []directory.Account // of dir, in the shard
	read     []byte              // the file as dir was read from it
	readAt   time.Time
	bad      []byte // the latest version found with problems
	told     string // the latest problem reported, not repeated
}

// newDirectoryFile starts following the directory dir, read from path as
// data.
func newDirectoryFile(path string, dir *directory.Directory, data []byte, shardI, shardN int, command string, p printer, log io.Writer, m *crawler.Metrics) *directoryFile {
	f := &directoryFile{path: path, shardI: shardI, shardN: shardN, command: command, log: log, p: p, metrics: m}
	f.use(dir, data)
	return f
}

// loadDirectoryFile reads and checks the directory at path: the file and
// its problems (file:line) are bad input.
func loadDirectoryFile(path string) (*directory.Directory, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, badInput("read directory: %v", err)
	}
	dir, err := directory.Parse(path, data, networks())
	if err != nil {
		return nil, nil, &badInputError{err}
	}
	return dir, data, nil
}

func (f *directoryFile) use(dir *directory.Directory, data []byte) {
	f.dir, f.read, f.readAt, f.bad, f.told = dir, data, time.Now(), nil, ""
	f.accounts = shardAccounts(dir.Accounts, f.shardI, f.shardN)
	f.metrics.DirectoryAccounts(f.accounts)
	f.metrics.DirectoryValid(true)
}

// current reads the file again when it changed, and returns the directory
// to crawl with and its accounts of the shard.
func (f *directoryFile) current() (*directory.Directory, []directory.Account) {
	data, err := os.ReadFile(f.path)
	switch {
	case err != nil:
		f.reject(nil, errorf("read directory: %w", err))
	case bytes.Equal(data, f.read):
		f.metrics.DirectoryValid(true) // back as it was
		f.bad, f.told = nil, ""
	case f.bad != nil && bytes.Equal(data, f.bad):
	default:
		dir, err := directory.Parse(f.path, data, networks())
		if err == nil && len(shardAccounts(dir.Accounts, f.shardI, f.shardN)) == 0 {
			err = errorf("directory %s: holds no account of this crawler's shard %d/%d", f.path, f.shardI, f.shardN)
		}
		if err != nil {
			f.reject(data, err)
			break
		}
		before := len(f.accounts)
		f.use(dir, data)
		f.p.Fprintf(f.log, "vigia %s: the directory %s changed: %s to crawl (%d before), from the next slot\n", f.command, f.path, f.p.Sprintf("%d accounts", len(f.accounts)), before)
	}
	return f.dir, f.accounts
}

// reject reports a version of the file that cannot be crawled with (once
// per version) and keeps the directory read before.
func (f *directoryFile) reject(data []byte, err error) {
	f.metrics.DirectoryValid(false)
	f.bad = data
	if err.Error() == f.told {
		return
	}
	f.told = err.Error()
	f.p.Fprintf(f.log, "vigia %s: the directory file changed and cannot be used; crawling goes on with the directory read at %s (%d accounts) until it is fixed:\n%v\n",
		f.command, f.readAt.Local().Format(time.DateTime), len(f.accounts), err)
}
