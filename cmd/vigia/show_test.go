package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"testing"
)

// vigia show --format json speaks the API's contract: snake_case field
// names (the network's own raw capture aside), the post as search found it.
func TestShowJSONIsSnakeCase(t *testing.T) {
	arc := filepath.Join(t.TempDir(), "demo.duckdb")
	if _, errs, code := vigia(t, "", "demo", "--archive", arc); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	hits := searchJSONL(t, "--archive", arc, "--edited")
	if len(hits) == 0 {
		t.Fatal("the demo archive holds no edited post")
	}
	hit := hits[0]
	ref := hit["account"].(string) + "/" + hit["post_id"].(string)
	out, errs, code := vigia(t, "", "show", "--archive", arc, "--format", "json", ref)
	if code != 0 {
		t.Fatalf("show %s: exit %d: %s", ref, code, errs)
	}
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("show %s: %v\n%s", ref, err, out)
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	var walk func(any, string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !snake.MatchString(k) {
					t.Errorf("show --format json: field %s.%s is not snake_case", at, k)
				}
				if k != "raw" {
					walk(x, at+"."+k)
				}
			}
		case []any:
			for _, x := range v {
				walk(x, at+"[]")
			}
		}
	}
	walk(v, "")
	m := v.(map[string]any)
	versions, _ := m["versions"].([]any)
	if m["account"] != hit["account"] || m["post_id"] != hit["post_id"] || m["label"] != hit["label"] ||
		float64(len(versions)) != hit["versions"].(float64) || len(versions) < 2 {
		t.Errorf("show --format json of %s: account %v, post %v, label %v, %d versions; search says %v %v %v %v",
			ref, m["account"], m["post_id"], m["label"], len(versions), hit["account"], hit["post_id"], hit["label"], hit["versions"])
	}
}
