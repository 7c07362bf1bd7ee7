package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/classifier"
)

// TestAdoptFromArchive is learning from the office through the CLI: crawl
// the sample, people decide most posts of personal accounts (vigia review
// decide), a candidate is trained on them (train --from-archive), compared
// with the shipped model on the decisions held out (eval --from-archive),
// and adopted; the posts a model decided are then decided by the adopted
// model, people's decisions stand, and the next crawl decides with it. On
// both engines.
func TestAdoptFromArchive(t *testing.T) {
	t.Run("duckdb", func(t *testing.T) { testAdoptFromArchive(t, "") })
	t.Run("clickhouse", func(t *testing.T) { testAdoptFromArchive(t, clickhouseArchive(t)) })
}

func testAdoptFromArchive(t *testing.T, clickhouse string) {
	sn, srvURL, dirFile, arc := liveSample(t)
	if clickhouse != "" {
		arc = clickhouse
	}
	tmp := t.TempDir()
	audit := filepath.Join(tmp, "audit.jsonl")
	c := cli{"VIGIA_AUDIT": audit, "VIGIA_AUDIT_KEY": testAuditKey, "VIGIA_SPOOL_DIR": filepath.Join(tmp, "spool")}
	run := func(args ...string) string {
		t.Helper()
		out, errs, code := c.run(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
		return out
	}
	crawl := func() {
		t.Helper()
		run("crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0",
			"--mirror", srvURL, "--progress=false", "--warc-dir", filepath.Join(tmp, "warc"))
	}
	search := func(args ...string) []map[string]any {
		t.Helper()
		var hits []map[string]any
		sc := bufio.NewScanner(strings.NewReader(run(append([]string{"search", "--format", "jsonl", "--archive", arc}, args...)...)))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var h map[string]any
			if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
				t.Fatal(err)
			}
			hits = append(hits, h)
		}
		return hits
	}
	ref := func(h map[string]any) string { return h["account"].(string) + "/" + h["post_id"].(string) }
	crawl()

	// People decide all but five of the posts of personal accounts a
	// model decided, confirming its reading (personal where it had none).
	shipped := classifier.DefaultModel().Version
	var byModel []map[string]any
	for _, h := range search() {
		if h["account_type"] == "personal" && h["decided_by"] == "model:"+shipped {
			byModel = append(byModel, h)
		}
	}
	slices.SortFunc(byModel, func(a, b map[string]any) int { return strings.Compare(ref(a), ref(b)) })
	if len(byModel) < 15 {
		t.Fatalf("the sample has %d posts of personal accounts decided by the model, want 15 or more", len(byModel))
	}
	decided, left := byModel[:len(byModel)-5], byModel[len(byModel)-5:]
	personLabel := map[string]string{}
	for _, h := range decided {
		label := h["label"].(string)
		if label == "undetermined" {
			label = "personal"
		}
		personLabel[ref(h)] = label
		run("review", "decide", ref(h), label, "--reason", "Revisado por la unidad de transparencia.", "--by", "ana", "--archive", arc)
	}

	// A candidate from the shipped material and those decisions.
	cand := filepath.Join(tmp, "candidato.model")
	out := run("classifier", "train", "--from-archive", arc, "--out", cand)
	m := regexp.MustCompile(`and (\d+) posts decided by people in (\d+) accounts .*; (\d+) held out for evaluation`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("train --from-archive says:\n%s", out)
	}
	trained, _ := strconv.Atoi(m[1])
	held, _ := strconv.Atoi(m[3])
	if trained+held != len(decided) || trained == 0 {
		t.Errorf("train --from-archive: %d trained on and %d held out, want %d decided by people in all:\n%s", trained, held, len(decided), out)
	}
	candidate, err := classifier.LoadModel(cand)
	if err != nil {
		t.Fatal(err)
	}
	ver := candidate.Version
	if ver == shipped {
		t.Fatalf("the candidate is the shipped model %s", ver)
	}
	// It learnt how each account the people reviewed leans, by its key.
	for _, h := range decided {
		if key := h["network"].(string) + "/" + h["account"].(string); !slices.Contains(candidate.Accounts, key) {
			t.Errorf("the candidate's accounts %v lack %s, whose post %s a person decided", candidate.Accounts, key, ref(h))
		}
	}

	var cmp struct {
		HeldOut int `json:"held_out"`
		Current struct {
			Version string             `json:"version"`
			Scores  *classifier.Scores `json:"scores"`
		} `json:"current"`
		Candidate struct {
			Version string             `json:"version"`
			Scores  *classifier.Scores `json:"scores"`
		} `json:"candidate"`
	}
	if err := json.Unmarshal([]byte(run("classifier", "eval", "--from-archive", arc, "--model", cand, "--format", "json")), &cmp); err != nil {
		t.Fatal(err)
	}
	if cmp.HeldOut != held || cmp.Current.Version != shipped || cmp.Candidate.Version != ver ||
		cmp.Candidate.Scores.Examples != held || cmp.Current.Scores.Examples != held {
		t.Errorf("eval --from-archive: %+v; want %d held out, current %s, candidate %s", cmp, held, shipped, ver)
	}
	if table := run("classifier", "eval", "--from-archive", arc, "--model", cand); !strings.Contains(table, "current "+shipped) ||
		!strings.Contains(table, "candidate "+ver) || !strings.Contains(table, "personal decided function ≥ 0.75") {
		t.Errorf("eval --from-archive table:\n%s", table)
	}

	// Adoption refuses what is not a model, an archive it cannot reach,
	// and an adoption that names no one.
	notModel := filepath.Join(tmp, "notas.model")
	if err := os.WriteFile(notModel, []byte("no es un modelo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unreachable := filepath.Join(tmp, "no-existe.duckdb")
	if clickhouse != "" {
		unreachable = "clickhouse://127.0.0.1:1/nada"
	}
	for _, bad := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{notModel, "--archive", arc, "--by", "ana"}, 2, "is not a vigia model"},
		{[]string{cand, "--archive", arc}, 2, "--by is required"},
		{[]string{cand, "--archive", unreachable, "--by", "ana"}, map[bool]int{true: 1, false: 2}[clickhouse != ""], "archive"},
	} {
		out, errs, code := c.run(t, "", append([]string{"classifier", "adopt"}, bad.args...)...)
		if code != bad.code || !strings.Contains(errs, bad.says) {
			t.Errorf("classifier adopt %v: exit %d, want %d saying %q\n%s%s", bad.args, code, bad.code, bad.says, out, errs)
		}
	}
	if out := run("classifier", "adopt", "--list", "--archive", arc); !strings.Contains(out, "no model adopted") {
		t.Errorf("adopt --list before any adoption:\n%s", out)
	}

	out = run("classifier", "adopt", cand, "--archive", arc, "--by", "ana", "--reason", "Aprende de las decisiones de la oficina.")
	if !strings.Contains(out, "adopted model "+ver) || !strings.Contains(out, "reclassified with model "+ver) {
		t.Errorf("classifier adopt says:\n%s", out)
	}
	if n := regexp.MustCompile(`: (\d+) new decisions`).FindStringSubmatch(out); n == nil || n[1] == "0" {
		t.Errorf("classifier adopt reclassified nothing:\n%s", out)
	}
	if out := run("classifier", "adopt", "--list", "--archive", arc); !strings.Contains(out, ver+" (in use)") || !strings.Contains(out, "ana") ||
		!strings.Contains(out, "Aprende de las decisiones") {
		t.Errorf("adopt --list:\n%s", out)
	}

	// The posts a model decided are decided by the adopted one; people's
	// decisions stand, and no model decided afresh on them.
	after := map[string]map[string]any{}
	for _, h := range search() {
		after[ref(h)] = h
	}
	for _, h := range left {
		if got := after[ref(h)]["decided_by"]; got != "model:"+ver {
			t.Errorf("%s, decided by the shipped model, is decided by %v after the adoption, want model:%s", ref(h), got, ver)
		}
	}
	for r, label := range personLabel {
		if h := after[r]; h["decided_by"] != "person:ana" || h["label"] != label {
			t.Errorf("%s, decided %s by ana: %v by %v after the adoption", r, label, h["label"], h["decided_by"])
		}
	}
	show := run("show", ref(left[0]), "--archive", arc)
	if !strings.Contains(show, "model:"+ver) || !strings.Contains(show, "model:"+shipped) {
		t.Errorf("show %s after the adoption lists no decision of the adopted model beside the shipped one's:\n%s", ref(left[0]), show)
	}
	if show := run("show", ref(decided[0]), "--archive", arc); strings.Contains(show, "model:"+ver) {
		t.Errorf("show %s: the adopted model decided a post a person had decided:\n%s", ref(decided[0]), show)
	}

	// The next crawl decides a new post with the adopted model.
	if err := sn.Publish("bacheo-jefa", "aprendizaje", "Esta semana tapamos 120 baches en la colonia Oblatos con la cuadrilla nocturna.", time.Now()); err != nil {
		t.Fatal(err)
	}
	crawl()
	if hits := search("--text", "cuadrilla nocturna"); len(hits) != 1 || hits[0]["decided_by"] != "model:"+ver {
		t.Errorf("a post crawled after the adoption: %v, want one decided by model:%s", hits, ver)
	}

	// The audit log tells who read the people's decisions and who adopted.
	data, err := os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	var reads, adoptions int
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var entry struct{ Action, Target, Detail, User string }
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatal(err)
		}
		switch {
		case entry.Action == "view_personal" && strings.Contains(entry.Detail, "person-decided posts"):
			reads++
		case entry.Action == "model_adopt" && entry.Target == "model:"+ver && entry.User == "ana":
			adoptions++
		}
	}
	if reads < 3 || adoptions != 1 {
		t.Errorf("audit log: %d reads of the people's decisions (want train, eval twice, adopt) and %d adoptions of %s (want 1)", reads, adoptions, ver)
	}

	// A copy of the archive decides with the same model.
	copied := filepath.Join(tmp, "copia.duckdb")
	run("archive", "copy", "--from", arc, "--to", copied)
	if out := run("classifier", "adopt", "--list", "--archive", copied); !strings.Contains(out, ver+" (in use)") {
		t.Errorf("adopt --list of a copy of the archive:\n%s", out)
	}
	if out := run("classify", "--reclassify", "--archive", copied); !strings.Contains(out, "reclassified with model "+ver+": 0 new decisions") {
		t.Errorf("reclassifying a copy of the archive:\n%s", out)
	}

	// Going back to the shipped model is an adoption too.
	out = run("classifier", "adopt", "--shipped", "--archive", arc, "--by", "luis", "--reason", "Volvemos al modelo de vigia.")
	if !strings.Contains(out, "reclassified with model "+shipped) {
		t.Errorf("adopt --shipped says:\n%s", out)
	}
	if h := search("--text", "cuadrilla nocturna"); len(h) != 1 || h[0]["decided_by"] != "model:"+shipped {
		t.Errorf("after adopting the shipped model again: %v", h)
	}
	if out := run("classifier", "adopt", "--list", "--archive", arc); strings.Count(out, "\n") != 3 || !strings.Contains(out, shipped+" (in use)") {
		t.Errorf("adopt --list after two adoptions:\n%s", out)
	}
}
