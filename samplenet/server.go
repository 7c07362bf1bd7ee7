package samplenet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Server serves the sample over HTTP. Build it with New; serve it with
// Start (on loopback) or mount Handler in an httptest.Server.
type Server struct {
	sample  *sample
	media   map[string]*mediaFile // by the last segment of the URL path
	handler http.Handler

	// sampleMu guards the sample against the mutation API (changes.go):
	// requests hold it for reading, mutations for writing.
	sampleMu sync.RWMutex

	mu   sync.Mutex
	srv  *http.Server
	url  string
	done chan struct{}
	err  error // from Serve, other than ErrServerClosed
}

// New parses the embedded sample. It starts nothing.
func New() (*Server, error) {
	smp, err := loadSample(contentFS)
	if err != nil {
		return nil, err
	}
	s := &Server{sample: smp}
	s.media = s.placeholders()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", serveRobots)
	mux.HandleFunc("GET /{$}", s.serveIndex)
	for _, prefix := range []string{"/system/", "/headers/", "/img/", "/file/", "/vi/", "/media/"} {
		mux.HandleFunc("GET "+prefix, s.serveMedia)
	}
	mux.HandleFunc("GET /", s.serveOther)
	s.mastodonRoutes(mux)
	s.blueskyRoutes(mux)
	s.telegramRoutes(mux)
	s.youtubeRoutes(mux)
	s.feedRoutes(mux)
	s.pageRoutes(mux)
	s.handler = s.readLocked(mux)
	return s, nil
}

// Handler returns the handler serving every route of the sample, on any
// host. Bodies are the same whatever address it is mounted at: URLs in them
// name the networks' public hosts (see the package documentation).
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on 127.0.0.1 on a free port and serves in a goroutine that
// Close stops.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return errors.New("start sample server: already started")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("start sample server: %w", err)
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	s.srv, s.url, s.done = srv, "http://"+ln.Addr().String(), done
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
		}
	}()
	return nil
}

// URL returns the base URL Start listens on, e.g. "http://127.0.0.1:41234",
// or "" before Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close shuts the server down, waiting up to five seconds for requests in
// flight, and waits for its goroutine. Closing a server never started does
// nothing.
func (s *Server) Close() error {
	s.mu.Lock()
	srv, done := s.srv, s.done
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, srv.Close())
	}
	<-done
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		err = s.err
	}
	if err != nil {
		return fmt.Errorf("close sample server: %w", err)
	}
	return nil
}

// Counts returns how many posts each account's listing holds, by directory
// account id: what a complete crawl of the sample archives.
func (s *Server) Counts() map[string]int {
	s.sampleMu.RLock()
	defer s.sampleMu.RUnlock()
	out := make(map[string]int, len(s.sample.accounts))
	for _, a := range s.sample.accounts {
		out[a.spec.ID] = len(a.listed())
	}
	return out
}

const robots = `# vigia samplenet: a local sample of public networks; crawling is allowed.
User-agent: *
Disallow:
`

func serveRobots(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, robots)
}

func (s *Server) serveIndex(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "%s: muestra local de vigia (%d cuentas).\n", s.sample.body.Subject, len(s.sample.accounts))
}

// serveOther serves what no pattern names: t.me/NAME/ID, and 404s.
func (s *Server) serveOther(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) == 2 && s.telegramSingle(w, r, parts[0], parts[1]) {
		return
	}
	http.NotFound(w, r)
}

func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) {
	f, ok := s.media[path.Base(r.URL.Path)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	body := f.bytes()
	w.Header().Set("Content-Type", f.typ)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(body)
}

// baseURL returns the scheme and host a request was made to. Only headers
// clients follow back to the server (Mastodon's Link) use it; bodies never
// do.
func baseURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshalJSON(v)
	if err != nil {
		http.Error(w, "encode response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// marshalJSON encodes like the networks do: HTML characters left as they
// are, no trailing newline.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func truthy(v string) bool { return v == "true" || v == "1" }

func parsePositive(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("parse %q: want a positive number", s)
	}
	return n, nil
}

// Topic tells what a sample post of an account is about, as a reviewer would
// read it (funcion, personal or electoral: see content.go), finding the post
// by the start of its text as archived. ok is false when no post matches.
func (s *Server) Topic(accountID, text string) (topic string, ok bool) {
	s.sampleMu.RLock()
	defer s.sampleMu.RUnlock()
	a := s.sample.byID[accountID]
	if a == nil {
		return "", false
	}
	key := textKey(text)
	if key == "" {
		return "", false
	}
	for _, p := range a.posts {
		if textKey(p.text) == key {
			return p.topic, true
		}
	}
	return "", false
}

// textKey is the first 30 letters and digits of a text, lower case: what the
// networks' renderings of one post share.
func textKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			if b.Len() >= 30 {
				break
			}
		}
	}
	return b.String()
}
