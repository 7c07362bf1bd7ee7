package main

import (
	"bufio"
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/classifier"
	"github.com/vigia-mx/vigia/decision"
)

type classifyCommand struct{}

func (*classifyCommand) synopsis() string {
	return "classify posts read as JSON lines on stdin (or reclassify the archive)"
}

func (*classifyCommand) run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "classify", "classify [--account-type personal|official] [--format jsonl] < posts.jsonl\n       vigia classify --archive A --reclassify [--model MODEL] [--policy FILE] [--timezone ZONE]",
		`Reads one JSON object per line, {"id": …, "text": …}, and writes one line per
input, in order: {"id", "label", "confidence", "basis", "rationale"}. The id is
given back as it came (string or number). Posts are judged as posts of an
account of --account-type: personal (the content model decides, policy Sexta)
or official (policy Tercera).

With --archive A --reclassify, applies the model to the latest version of
every archived post of a personal account that is not decided by an account
rule or a person, adding a decision record wherever the model's version
differs from the decision standing (nothing is overwritten). Posts are
decided as the crawl decides them: give the crawl's --policy, and as
--timezone the directory's time zone, in which the archived office dates
are read.`)
	acctType := fs.String("account-type", "personal", "personal or official")
	formatFlag(fs, "jsonl (the only format)", "jsonl") // another is refused when the flags are parsed
	modelFile := fs.String("model", "", "model file (default: the model shipped in vigia)")
	arcFlag := archiveFlag(fs)
	reclassify := fs.Bool("reclassify", false, "apply the model to the archived posts as new decision records")
	policy := policyFlag(fs)
	timezone := timeZoneFlag(fs, "with --reclassify: the directory's, where the archived office dates are read")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	m, err := loadModel(*modelFile)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	if *reclassify {
		loc, err := timeZone(*timezone)
		if err != nil {
			return err
		}
		if *modelFile == "" {
			m = nil // the archive's adopted model (reclassifyArchive)
		}
		return reclassifyArchive(ctx, e, archiveSpec(e, *arcFlag), pol, m, loc)
	}
	c := classifier.New(pol, m)
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
		return errorf("read stdin: %w", err)
	}
	return nil
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// reclassifyArchive decides afresh, as the crawl would (decision.Judge),
// the latest version of every archived post, with the accounts' latest
// snapshots read in loc, and appends a decision wherever the standing one
// came from another rule or model version; a person's decisions are left
// standing. A nil m is the archive's adopted model, else the shipped one.
func reclassifyArchive(ctx context.Context, e *env, spec string, pol *classifier.Policy, m *classifier.Model, loc *time.Location) error {
	store, err := openArchive(ctx, e, spec, false)
	if err != nil {
		return err
	}
	defer store.Close()
	if m == nil {
		if m, _, err = archiveModel(ctx, store, ""); err != nil {
			return err
		}
	}
	snaps, err := store.Accounts(ctx)
	if err != nil {
		return err
	}
	j, facts := decision.ForArchive(pol, m, snaps, loc, networks())
	const page = 5000
	now := time.Now().UTC()
	counts := map[archive.Label]int{}
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
			d := j.Decide(facts[h.AccountID], &h.Post, now)
			if d.DecidedBy == h.Decision.DecidedBy && d.Label == h.Decision.Label {
				unchanged++
				continue
			}
			counts[d.Label]++
			b.Decisions = append(b.Decisions, d)
		}
		if err := store.Append(ctx, &b); err != nil {
			return err
		}
		if offset+page >= res.Total {
			break
		}
	}
	e.printer().Fprintf(e.stdout, "reclassified with model %s: %d new decisions (%d function, %d personal, %d undetermined); %d unchanged; %d decided by a person, left standing\n",
		j.Model().Version, counts[archive.Function]+counts[archive.Personal]+counts[archive.Undetermined],
		counts[archive.Function], counts[archive.Personal], counts[archive.Undetermined], unchanged, byPerson)
	return nil
}
