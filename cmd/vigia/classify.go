package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/classifier"
)

type classifyCommand struct{}

func (*classifyCommand) synopsis() string {
	return "classify posts read as JSON lines on stdin (or reclassify the archive)"
}

func (*classifyCommand) run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "classify", "classify [--account-type personal|official] [--format jsonl] < posts.jsonl\n       vigia classify --archive A --reclassify [--model MODEL]",
		`Reads one JSON object per line, {"id": …, "text": …}, and writes one line per
input, in order: {"id", "label", "confidence", "basis", "rationale"}. The id is
given back as it came (string or number). Posts are judged as posts of an
account of --account-type: personal (the content model decides, policy Sexta)
or official (policy Tercera).

With --archive A --reclassify, applies the model to the latest version of
every archived post of a personal account that is not decided by an account
rule or a person, adding a decision record wherever the model's version
differs from the decision standing (nothing is overwritten).`)
	acctType := fs.String("account-type", "personal", "personal or official")
	format := fs.String("format", "jsonl", "jsonl (the only format)")
	modelFile := fs.String("model", "", "model file (default: the model shipped in vigia)")
	arcFlag := archiveFlag(fs)
	reclassify := fs.Bool("reclassify", false, "apply the model to the archived posts as new decision records")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	if *format != "jsonl" {
		return badInput("--format %q: expected jsonl", *format)
	}
	m, err := loadModel(*modelFile)
	if err != nil {
		return err
	}
	c := classifier.New(classifier.DefaultPolicy(), m)
	if *reclassify {
		return reclassifyArchive(ctx, e, archiveSpec(e, *arcFlag), c)
	}
	acct, err := accountOfType(*acctType)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var in struct {
			ID   json.RawMessage `json:"id"`
			Text *string         `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			return badInput("stdin line %d: %v", line, err)
		}
		if in.Text == nil {
			return badInput("stdin line %d: no \"text\"", line)
		}
		if len(in.ID) == 0 {
			in.ID = json.RawMessage("null")
		}
		d := c.Classify(acct, classifier.Post{Text: *in.Text})
		if err := enc.Encode(struct {
			ID         json.RawMessage `json:"id"`
			Label      string          `json:"label"`
			Confidence float64         `json:"confidence"`
			Basis      string          `json:"basis"`
			Rationale  string          `json:"rationale"`
		}{in.ID, string(d.Label), round3(d.Confidence), d.Basis, d.Rationale}); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	return nil
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// reclassifyArchive applies c to the latest version of every archived post
// and appends a decision wherever the standing one came from another rule or
// model version; a person's decisions are left standing.
func reclassifyArchive(ctx context.Context, e *env, spec string, c *classifier.Classifier) error {
	store, err := openArchive(ctx, e, spec, false)
	if err != nil {
		return err
	}
	defer store.Close()
	accts, err := store.Accounts(ctx)
	if err != nil {
		return err
	}
	// Snapshots keep office dates, not the directory's time zone: terms are
	// read in Mexico City's, the directory's default.
	loc, _ := time.LoadLocation("America/Mexico_City")
	facts := map[string]classifier.Account{}
	for _, a := range accts {
		ca := classifier.Account{Official: a.Type == "official", AdministeredByArea: a.AdministeredByArea, Location: loc}
		if !a.OfficeFrom.IsZero() {
			ca.TermFrom = time.Date(a.OfficeFrom.Year(), a.OfficeFrom.Month(), a.OfficeFrom.Day(), 0, 0, 0, 0, loc)
		}
		if !a.OfficeTo.IsZero() {
			ca.TermTo = time.Date(a.OfficeTo.Year(), a.OfficeTo.Month(), a.OfficeTo.Day()+1, 0, 0, 0, 0, loc)
		}
		facts[a.ID] = ca
	}
	const page = 5000
	now := time.Now().UTC()
	counts := map[classifier.Label]int{}
	var unchanged, byPerson int
	for offset := 0; ; offset += page {
		res, err := store.Search(ctx, archive.Query{Limit: page, Offset: offset})
		if err != nil {
			return err
		}
		var b archive.Batch
		for _, h := range res.Hits {
			if strings.HasPrefix(h.Decision.DecidedBy, "person:") {
				byPerson++
				continue
			}
			d := c.Classify(facts[h.AccountID], classifier.Post{Text: h.Text, PublishedAt: h.PublishedAt, Repost: h.RepostOf != ""})
			if d.DecidedBy == h.Decision.DecidedBy && archive.Label(d.Label) == h.Decision.Label {
				unchanged++
				continue
			}
			counts[d.Label]++
			b.Decisions = append(b.Decisions, archive.Decision{
				Network: h.Network, AccountID: h.AccountID, PostID: h.PostID, ContentSHA256: h.ContentSHA256,
				Label: archive.Label(d.Label), Confidence: d.Confidence, Basis: d.Basis, Rationale: d.Rationale,
				DecidedBy: d.DecidedBy, DecidedAt: now,
			})
		}
		if err := store.Append(ctx, &b); err != nil {
			return err
		}
		if offset+page >= res.Total {
			break
		}
	}
	fmt.Fprintf(e.stdout, "reclassified with model %s: %d new decisions (%d function, %d personal, %d undetermined); %d unchanged; %d decided by a person, left standing\n",
		c.Model().Version, counts[classifier.Function]+counts[classifier.Personal]+counts[classifier.Undetermined],
		counts[classifier.Function], counts[classifier.Personal], counts[classifier.Undetermined], unchanged, byPerson)
	return nil
}
