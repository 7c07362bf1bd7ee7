package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/spool"
)

// offlineArchive is what a crawl writes to when opening the archive failed
// with err: for a ClickHouse server that cannot be reached, an archive that
// refuses everything, so that the crawl reads the posts' heads from the
// spool's cache and its records wait in the spool (spool.Front); any other
// failure is returned.
func offlineArchive(e *env, spec string, sp *spool.Spool, spoolDir string, err error) (archive.Store, error) {
	if !strings.HasPrefix(spec, "clickhouse://") || !unreachable(err) {
		return nil, err
	}
	b := sp.Backlog()
	since := "never: every post is taken as new until it answers, and numbered again at delivery"
	if !b.HeadsRefreshed.IsZero() {
		since = b.HeadsRefreshed.Local().Format(time.DateTime)
	}
	fmt.Fprintf(e.stderr, "vigia crawl: the archive is unreachable (%v); crawling on into the spool at %s, with the heads of %d posts it keeps (last read from the archive: %s); %d batches wait there, delivered when the archive returns\n",
		err, spoolDir, b.HeadsPosts, since, b.Batches)
	return spool.NewUnreachable(err), nil
}

// unreachable tells whether err is the network's: a server that refuses or
// drops connections, a name that does not resolve, a timeout. An error the
// server answered with (a wrong password, a bad schema) is not.
func unreachable(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
