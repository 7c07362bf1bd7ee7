package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestSharedPosts crawls the sample network into each engine and reads
// back, as a user would, the posts that carry someone else's: the
// treasurer's Telegram forward of a notice, whose text is now the post's
// own and found by a search, and the director's Mastodon boost of the
// government's post, whose text is kept with it. The forward's origin and
// the boosted post round-trip through search --format jsonl and show; the
// review list and the review page over HTTP show what the boost carries.
func TestSharedPosts(t *testing.T) {
	for _, engine := range []string{"duckdb", "clickhouse"} {
		t.Run(engine, func(t *testing.T) {
			_, srvURL, dirFile, arc := liveSample(t)
			if engine == "clickhouse" {
				arc = clickhouseArchive(t)
			}
			if out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0",
				"--mirror", srvURL, "--progress=false"); code != 0 {
				t.Fatalf("crawl: exit %d\n%s%s", code, out, errs)
			}

			// The forward: found by words that are only in the forwarded text.
			hits := searchJSONL(t, "--archive", arc, "--account", "tesorero", "--text", "jardines del country")
			if len(hits) != 1 {
				t.Fatalf("the treasurer's posts holding the forwarded words: %d, want the forward", len(hits))
			}
			fwd := hits[0]
			sh, _ := fwd["shared"].(map[string]any)
			if text, _ := fwd["text"].(string); !strings.Contains(text, "Corte de agua programado") ||
				sh["kind"] != "forward" || sh["author"] != "avisos_gdl_muestra" || sh["author_name"] != "Avisos Guadalajara (muestra)" ||
				!strings.HasPrefix(fwd["repost_of"].(string), "https://t.me/avisos_gdl_muestra/") || sh["url"] != fwd["repost_of"] {
				t.Errorf("the forward as searched: text %q, repost_of %v, shared %v", fwd["text"], fwd["repost_of"], fwd["shared"])
			}
			ref := "tesorero/" + fwd["post_id"].(string)
			out, errs, code := vigia(t, "", "show", "--archive", arc, ref)
			if code != 0 || !strings.Contains(out, "forwarded from Avisos Guadalajara (muestra) (avisos_gdl_muestra)") ||
				!strings.Contains(out, "another account wrote it") || !strings.Contains(out, "Jardines del Country") {
				t.Errorf("show %s: exit %d\n%s%s", ref, code, out, errs)
			}
			if out, _, _ := vigia(t, "", "search", "--archive", arc, "--account", "tesorero"); !strings.Contains(out, "[forwarded from Avisos Guadalajara") {
				t.Errorf("search's table does not mark the forward:\n%s", out)
			}

			// The boost: no text of its own, the government's words kept with it
			// and found by them.
			hits = searchJSONL(t, "--archive", arc, "--account", "obras-director", "--text", "Huentitán")
			if len(hits) != 1 {
				t.Fatalf("the director's posts found by the boosted words: %d, want the boost", len(hits))
			}
			boost := hits[0]
			sh, _ = boost["shared"].(map[string]any)
			if boost["text"] != "" || sh["kind"] != "repost" || !strings.Contains(sh["text"].(string), "Programa Emergente de Bacheo 2026") ||
				!strings.Contains(sh["author"].(string), "gobierno") {
				t.Errorf("the boost as searched: text %q, shared %v", boost["text"], boost["shared"])
			}
			ref = "obras-director/" + boost["post_id"].(string)
			if out, _, code := vigia(t, "", "show", "--archive", arc, ref); code != 0 || !strings.Contains(out, "repost of") ||
				!strings.Contains(out, "their words:") || !strings.Contains(out, "Programa Emergente de Bacheo 2026") {
				t.Errorf("show %s:\n%s", ref, out)
			}
			out, errs, code = vigia(t, "", "review", "list", "--archive", arc)
			if code != 0 || !strings.Contains(out, "↻ Arrancamos el Programa Emergente") {
				t.Errorf("review list: exit %d, the boost's words missing:\n%s%s", code, out, errs)
			}

			// The review page, over HTTP.
			// users and audit log in the test's folder (beside a DuckDB file;
			// a ClickHouse archive would put them in the working directory)
			local := t.TempDir()
			c := cli{"VIGIA_USERS": filepath.Join(local, "users.json"), "VIGIA_AUDIT": filepath.Join(local, "audit.jsonl")}
			token := c.newToken(t, arc, "revisora", "archivist")
			base := startServe(t, c.getenv, "--archive", arc)
			code, page := apiGet(t, base, "/revision?limit=100", token)
			if code != http.StatusOK || !strings.Contains(page, "Compartió una publicación de otra cuenta") || !strings.Contains(page, "Arrancamos el Programa Emergente") ||
				!strings.Contains(page, "Palabras de otra cuenta") {
				t.Errorf("review page: %d, no block of the boosted post:\n%.3000s", code, page)
			}
		})
	}
}
