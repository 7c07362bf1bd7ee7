package web

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"

	"github.com/vigia-mx/vigia/auth"
)

// Every field name the API writes is snake_case (issue 19: the API mixed
// snake_case and PascalCase), read from the answers as a client reads them.
func TestAPIFieldNamesAreSnakeCase(t *testing.T) {
	s := newSite(t)
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	for _, path := range []string{
		"/api/v1/posts", "/api/v1/facets", "/api/v1/accounts", "/api/v1/review", "/api/v1/users",
		"/api/v1/posts/" + string(official.Network) + "/" + official.AccountID + "/" + official.PostID,
		"/api/v1/posts/" + string(personal.Network) + "/" + personal.AccountID + "/" + personal.PostID,
	} {
		code, body := s.get(t, auth.Admin, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, code, body)
		}
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		keys := 0
		var walk func(any, string)
		walk = func(v any, at string) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					keys++
					if !snake.MatchString(k) {
						t.Errorf("GET %s: field %s.%s is not snake_case", path, at, k)
					}
					walk(x, at+"."+k)
				}
			case []any:
				for _, x := range v {
					walk(x, at+"[]")
				}
			}
		}
		walk(v, "")
		if keys < 2 {
			t.Errorf("GET %s: %d fields in %s", path, keys, body)
		}
	}
}
