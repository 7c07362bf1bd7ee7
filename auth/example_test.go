package auth_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/vigia-mx/vigia/auth"
)

// A handler authenticates each request, guards unsafe ones against CSRF,
// decides by capability (denying by default) and records the access.
func Example() {
	dir, err := os.MkdirTemp("", "vigia-auth")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	users, err := auth.OpenUsers(filepath.Join(dir, "archive-users.json"))
	if err != nil {
		panic(err)
	}
	// The key that signs each line of the audit log, kept apart from it.
	key, err := auth.AuditKeyFile(filepath.Join(dir, "archive-audit.key"), true)
	if err != nil {
		panic(err)
	}
	audit, err := auth.OpenAudit(filepath.Join(dir, "audit.jsonl"), key)
	if err != nil {
		panic(err)
	}
	defer audit.Close()
	sessions := auth.NewSessions(users, auth.SessionOptions{Secure: true})

	post := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _, err := sessions.Authenticate(r)
		if err != nil {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if err := sessions.CheckCSRF(r); err != nil {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if !auth.RoleOf(u).SeesPersonal() {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		err = audit.Record(auth.Entry{User: u.Name, Role: u.Role, Action: "view_personal", Target: "mastodon:109", Results: 1, Remote: r.RemoteAddr})
		if err != nil {
			http.Error(w, "audit unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "post for %s", u.Name)
	})

	if err := users.Add("ana", auth.Archivist, []byte("a long passphrase")); err != nil {
		panic(err)
	}
	u, err := users.Login("ana", []byte("a long passphrase"))
	if err != nil {
		panic(err)
	}
	login := httptest.NewRecorder()
	if _, err := sessions.Start(login, u); err != nil {
		panic(err)
	}

	for _, signedIn := range []bool{false, true} {
		r := httptest.NewRequest("GET", "/posts/mastodon:109", nil)
		if signedIn {
			r.AddCookie(login.Result().Cookies()[0])
		}
		w := httptest.NewRecorder()
		post.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Body.String())
	}
	v, err := auth.VerifyChain(filepath.Join(dir, "audit.jsonl"), key, auth.Head{})
	fmt.Println(v.Entries, v.Signed, err)
	// Output:
	// 404 not found
	//
	// 200 post for ana
	// 1 1 <nil>
}
