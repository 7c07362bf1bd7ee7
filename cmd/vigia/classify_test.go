package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestClassifyJSONLContract(t *testing.T) {
	in := `{"id": "a1", "text": "Arrancamos la licitación del alumbrado público en la colonia Oblatos; el fallo será en enero"}
{"id": 2, "text": "Feliz cumpleaños a mi mamá, nos vemos en la comida del domingo 🎂"}

{"id": null, "text": "👍 https://t.co/x"}
`
	out, errs, code := vigia(t, in, "classify", "--format", "jsonl")
	if code != 0 {
		t.Fatalf("classify: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d output lines for 3 posts:\n%s", len(lines), out)
	}
	want := []struct {
		id    string
		label string
	}{{`"a1"`, "function"}, {`2`, "personal"}, {`null`, "undetermined"}}
	for i, line := range lines {
		var got map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, f := range []string{"id", "label", "confidence", "basis", "rationale"} {
			if _, ok := got[f]; !ok {
				t.Errorf("line %d lacks %q: %s", i+1, f, line)
			}
		}
		var label, basis, rationale string
		json.Unmarshal(got["label"], &label)
		json.Unmarshal(got["basis"], &basis)
		json.Unmarshal(got["rationale"], &rationale)
		if string(got["id"]) != want[i].id || label != want[i].label || basis != "Sexta" || rationale == "" {
			t.Errorf("line %d = id %s %s/%s (%q), want id %s %s/Sexta", i+1, got["id"], label, basis, rationale, want[i].id, want[i].label)
		}
	}
	out, _, code = vigia(t, `{"id": 1, "text": "Feliz cumpleaños, mamá"}`+"\n", "classify", "--account-type", "official")
	if code != 0 || !strings.Contains(out, `"label":"function"`) || !strings.Contains(out, `"basis":"Tercera"`) {
		t.Errorf("as an official account: exit %d: %s", code, out)
	}
	_, errs, code = vigia(t, "{\"id\": 1, \"text\": \"a\"}\nno es json\n", "classify")
	if code != 2 || !strings.Contains(errs, "stdin line 2") {
		t.Errorf("a broken line: exit %d, %s; want 2 naming line 2", code, errs)
	}
}

// TestModelOnTheSample crawls the sample network and compares the content
// model's decisions on posts of personal accounts with the sample's own
// reading of each post (its topic), and records a reviewer's decision.
func TestModelOnTheSample(t *testing.T) {
	sn, srvURL, dirFile, arc := liveSample(t)
	if out, errs, code := vigia(t, "", "crawl", "--directory", dirFile, "--archive", arc, "--allow-private-networks", "--host-rate", "0",
		"--mirror", srvURL, "--progress=false"); code != 0 {
		t.Fatalf("crawl: exit %d\n%s%s", code, out, errs)
	}
	var judged, agree, undetermined int
	labels := map[string]int{}
	var pending string
	for _, h := range searchJSONL(t, "--archive", arc) {
		if h["account_type"] != "personal" || !strings.HasPrefix(h["decided_by"].(string), "model:") {
			continue
		}
		topic, ok := sn.Topic(h["account"].(string), h["text"].(string))
		if !ok {
			continue // a repost: no text of its own
		}
		judged++
		if pending == "" {
			pending = h["account"].(string) + "/" + h["post_id"].(string)
		}
		label := h["label"].(string)
		labels[label]++
		switch {
		case label == "undetermined":
			undetermined++
		case (topic == "funcion") == (label == "function"):
			agree++
		}
		if r := h["rationale"].(string); label != "undetermined" && !strings.Contains(r, "Señales") {
			t.Errorf("rationale %q names no signals", r)
		}
	}
	if judged < 20 || labels["function"] == 0 || labels["personal"] == 0 {
		t.Fatalf("the model judged %d posts of personal accounts: %v; want both labels", judged, labels)
	}
	if share := float64(agree) / float64(judged); share < 0.8 {
		t.Errorf("the model agrees with the sample's reading on %d of %d posts (%.0f %%), want at least 80 %%", agree, judged, 100*share)
	}
	t.Logf("model on the sample: %d of %d agree, %d undetermined", agree, judged, undetermined)

	// A reviewer decides on a post the model decided; the decision stands
	// everywhere and both are kept.
	out, errs, code := vigia(t, "", "review", "decide", pending, "personal", "--reason", "Mensaje personal de felicitación", "--by", "ana.lopez", "--archive", arc)
	if code != 0 || !strings.Contains(out, "decided by ana.lopez") {
		t.Fatalf("review decide: exit %d\n%s%s", code, out, errs)
	}
	acct, id, _ := strings.Cut(pending, "/")
	for _, h := range searchJSONL(t, "--archive", arc, "--account", acct) {
		if h["post_id"] == id && (h["label"] != "personal" || h["decided_by"] != "person:ana.lopez" || h["rationale"] != "Mensaje personal de felicitación") {
			t.Errorf("after a person's decision, search shows %v by %v: %v", h["label"], h["decided_by"], h["rationale"])
		}
	}
	out, _, _ = vigia(t, "", "review", "list", "--archive", arc, "--format", "jsonl")
	if strings.Contains(out, `"post_id":"`+id+`"`) {
		t.Errorf("a post a person decided is still in the review queue")
	}
	out, _, code = vigia(t, "", "show", "--archive", arc, pending)
	if code != 0 || !strings.Contains(out, "person:ana.lopez") || !strings.Contains(out, "model:") {
		t.Errorf("show keeps both the model's and the person's decisions:\n%s", out)
	}
	_, errs, code = vigia(t, "", "review", "decide", pending, "personal", "--archive", arc)
	if code != 2 || !strings.Contains(errs, "--reason") {
		t.Errorf("a decision without a reason: exit %d, %s", code, errs)
	}

	// A new model version is applied to the archive as new decision records.
	out, errs, code = vigia(t, "", "classify", "--archive", arc, "--reclassify")
	if code != 0 || !strings.Contains(out, "0 new decisions") || !strings.Contains(out, "1 decided by a person") {
		t.Errorf("reclassify with the same model: exit %d\n%s%s", code, out, errs)
	}
}
