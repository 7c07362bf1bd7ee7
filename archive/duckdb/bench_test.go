package duckdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/archive/archivetest"
)

// Run: go test ./archive/duckdb -run '^$' -bench . -benchtime 3x

func benchOpen(b *testing.B) archive.Store {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "a.duckdb"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkAppend(b *testing.B) { archivetest.BenchAppend(b, benchOpen) }
func BenchmarkSearch(b *testing.B) { archivetest.BenchSearch(b, benchOpen) }
