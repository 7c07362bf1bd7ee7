package main

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/spool"
	"github.com/vigia-mx/vigia/internal/durable"
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
	since := e.printer().text("never: every post is taken as new until it answers, and numbered again at delivery")
	if !b.HeadsRefreshed.IsZero() {
		since = b.HeadsRefreshed.Local().Format(time.DateTime)
	}
	e.printer().Fprintf(e.stderr, "vigia crawl: the archive is unreachable (%v); crawling on into the spool at %s, with the heads of %d posts it keeps (last read from the archive: %s); %d batches wait there, delivered when the archive returns\n",
		err, spoolDir, b.HeadsPosts, since, b.Batches)
	return offlineStore{Unreachable: spool.NewUnreachable(err), modelFile: filepath.Join(spoolDir, adoptedModelFile)}, nil
}

// adoptedModelFile keeps, in the spool's folder, the model adopted for the
// archive as the archive last gave it, so that a crawl with the archive
// unreachable decides with it too.
const adoptedModelFile = "adopted-model.gob"

// offlineStore is the archive a crawl writes to while it cannot be reached
// (offlineArchive): it answers only which model is adopted for it, from
// the copy in the spool's folder.
type offlineStore struct {
	spool.Unreachable
	modelFile string
}

var _ archive.ModelAdopter = offlineStore{}

func (o offlineStore) AdoptModel(context.Context, *archive.ModelAdoption) error { return o.Err }
func (o offlineStore) ModelAdoptions(context.Context, bool) ([]archive.ModelAdoption, error) {
	return nil, o.Err
}

// AdoptedModel returns the adoption kept in the spool's folder; nil when
// none is (none was adopted, or the archive never answered this spool).
func (o offlineStore) AdoptedModel(context.Context) (*archive.ModelAdoption, error) {
	data, err := os.ReadFile(o.modelFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, errorf("the adopted model kept in the spool: %w", err)
	}
	var a archive.ModelAdoption
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&a); err != nil {
		return nil, errorf("the adopted model kept in %s: %w", o.modelFile, err)
	}
	return &a, nil
}

// useAdoptedKept is useAdopted for a crawl with a spool: the adopted model
// read from the archive is kept in the spool's folder (rewritten when it
// changes, removed when none is adopted), and read from there while the
// archive is unreachable (offlineStore).
func (f *crawlFlags) useAdoptedKept(ctx context.Context, store archive.Reader, spoolDir string) error {
	if f.modelFile != "" {
		return nil
	}
	m, a, err := archiveModel(ctx, store, "")
	if err != nil {
		return err
	}
	f.model = m
	if _, offline := store.(offlineStore); offline {
		return nil
	}
	path := filepath.Join(spoolDir, adoptedModelFile)
	if a == nil {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return errorf("remove the adopted model kept in the spool: %w", err)
		}
		return nil
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(a); err != nil {
		return err
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, buf.Bytes()) {
		return nil
	}
	if err := durable.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return errorf("keep the adopted model in the spool: %w", err)
	}
	return nil
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
