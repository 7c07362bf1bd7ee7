package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/samplenet"
)

// TestCrawlPrivateNetworkPerAccount crawls, without
// --allow-private-networks, the sample network on loopback (an instance on
// the office's network) with allow_private_network: true on each of its
// accounts, plus two accounts that may not reach it: one naming the same
// endpoint without the field, and one allowed on another host of the
// network that redirects into an internal server. The sample is archived;
// the other two are refused, each saying why, and the internal server
// gets no request.
func TestCrawlPrivateNetworkPerAccount(t *testing.T) {
	sn, err := samplenet.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sn.Handler())
	t.Cleanup(srv.Close)
	var internal atomic.Int32
	intranet := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		internal.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Nómina</title>` +
			`<item><guid>1</guid><title>Claves del servidor interno</title></item></channel></rss>`))
	}))
	t.Cleanup(intranet.Close)
	hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, intranet.URL+"/nomina.xml", http.StatusFound)
	}))
	t.Cleanup(hop.Close)

	dir, err := directory.Parse("sample.yaml", sn.DirectoryAt(srv.URL), networks())
	if err != nil {
		t.Fatal(err)
	}
	for i := range dir.Accounts {
		dir.Accounts[i].AllowPrivateNetwork = true
	}
	dir.Accounts = append(dir.Accounts,
		directory.Account{ID: "ajena", Network: archive.Mastodon, Handle: "@ajena@social.guadalajara.example",
			Endpoint: srv.URL, Type: directory.Official, Area: "Pruebas"},
		directory.Account{ID: "salto", Network: archive.RSS, Handle: hop.URL + "/boletin.xml", AllowPrivateNetwork: true,
			Type: directory.Official, Area: "Pruebas"},
	)
	var y strings.Builder
	if err := dir.WriteYAML(&y); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(y.String(), "allow_private_network: true"); got != len(dir.Accounts)-1 {
		t.Fatalf("the directory allows %d accounts, want %d:\n%s", got, len(dir.Accounts)-1, y.String())
	}
	tmp := t.TempDir()
	dirFile, arc := filepath.Join(tmp, "directorio.yaml"), filepath.Join(tmp, "a.duckdb")
	if err := os.WriteFile(dirFile, []byte(y.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--host-rate", "0", "--once", "--progress=false")
	if code != 0 {
		t.Fatalf("crawl: exit %d, want 0\n%s\n%s", code, out, errs)
	}
	if want := len(dir.Accounts); !strings.Contains(out, " accounts (2 failed)") || !strings.Contains(out, "run ") {
		t.Errorf("summary of %d accounts lacks the two refused:\n%s", want, out)
	}
	for _, want := range []string{
		"account=ajena", srv.URL + "/robots.txt", "private or loopback address refused",
		"an instance on the office's network needs allow_private_network: true on its account in the directory",
		"account=salto", hop.URL + "/boletin.xml", intranet.URL + "/nomina.xml",
		"only the account's own endpoint, " + strings.TrimPrefix(hop.URL, "http://") + ", may be on a private network",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if n := internal.Load(); n != 0 {
		t.Errorf("the internal server got %d requests, want none", n)
	}
	hits := searchJSONL(t, "--archive", arc)
	if got, want := len(hits), 88; got != want {
		t.Errorf("archive holds %d posts, want the sample's %d", got, want)
	}
	for _, h := range hits {
		if a := h["account"]; a == "ajena" || a == "salto" {
			t.Errorf("a post of %v was archived: %v", a, h)
		}
	}
}
