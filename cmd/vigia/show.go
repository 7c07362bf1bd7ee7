package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/auth"
	"github.com/vigia-mx/vigia/internal/textdiff"
)

type showCommand struct{}

func (*showCommand) synopsis() string {
	return "print every version, event and decision of one post"
}

func (*showCommand) run(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "show", "show POST [--archive A] [--format text|json] [--raw N] [--policy FILE]",
		`Prints everything the archive holds about one post: each version with its
text, what changed from the version before ([-removed-] {+added+}), where its
evidence is (WARC file, record and digest), every event (first seen, edited,
deleted at source, restored) and every decision with its basis and rationale.

POST is the post's URL, ACCOUNT/ID, or its id alone when that is unique.
A post with a version that is not public information (under the policy's
publication threshold: --policy) is printed only once the audit log records
who read it.`)
	arcFlag := archiveFlag(fs)
	format := formatFlag(fs, "text or json", "text", "json")
	raw := fs.Int("raw", 0, "print only the raw content of version N, as received")
	timezone := timeZoneFlag(fs, "of the dates printed")
	policy := policyFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badInput("expected one post: its URL, ACCOUNT/ID or id")
	}
	loc, err := timeZone(*timezone)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(*policy)
	if err != nil {
		return err
	}
	ref := fs.Arg(0)
	spec := archiveSpec(e, *arcFlag)
	store, err := openArchive(ctx, e, spec, true)
	if err != nil {
		return err
	}
	defer store.Close()
	key, err := lookupOne(ctx, store, ref)
	if err != nil {
		return err
	}
	h, err := store.History(ctx, key)
	if err != nil {
		return err
	}
	// Personal content (a version whose own decision is not function) is
	// shown only once its reading is in the audit log; so is a raw capture,
	// which holds more than the post (a reply's capture, the post it
	// answers).
	if *raw != 0 && (*raw < 1 || *raw > len(h.Versions)) {
		return badInput("--raw %d: the post has versions 1 to %d", *raw, len(h.Versions))
	}
	target := string(key.Network) + "/" + key.AccountID + "/" + key.PostID
	if personal := len(h.Versions) - len(h.PublicVersions(archive.Visibility{Threshold: pol.PublishThreshold()})); personal > 0 {
		detail := fmt.Sprintf("vigia show: %d of %d versions not public information; latest %s", personal, len(h.Versions), h.Standing().Label)
		if err := recordCLI(e, spec, auth.Entry{Action: "view_personal", Target: target, Detail: detail, Results: 1}); err != nil {
			return err
		}
	} else if *raw != 0 {
		detail := fmt.Sprintf("vigia show --raw %d: the raw capture", *raw)
		if err := recordCLI(e, spec, auth.Entry{Action: "view_raw", Target: target, Detail: detail, Results: 1}); err != nil {
			return err
		}
	}
	switch {
	case *raw != 0:
		_, err := e.stdout.Write(h.Versions[*raw-1].Raw)
		return err
	case *format == "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(archive.NewHistoryJSON(h, h.Standing()))
	}
	printHistory(e.printer(), terminalSafe(e.stdout), h, loc)
	return nil
}

func printHistory(p printer, w io.Writer, h *archive.PostHistory, loc *time.Location) {
	latest := h.Versions[len(h.Versions)-1]
	fmt.Fprintf(w, "%s %s/%s  %s\n", h.Key.Network, h.Key.AccountID, h.Key.PostID, latest.URL)
	p.Fprintf(w, "published %s · %s · captured %d times, %s to %s\n",
		when(latest.PublishedAt, loc), p.Sprintf("%d versions", len(h.Versions)), h.Captures, when(h.FirstCaptured, loc), when(h.LastCaptured, loc))
	for i, v := range h.Versions {
		p.Fprintf(w, "\nVersion %d · captured %s", v.Version, when(v.CapturedAt, loc))
		if !v.EditedAt.IsZero() {
			p.Fprintf(w, " · edited at the source %s", when(v.EditedAt, loc))
		}
		p.Fprintf(w, " · content sha256 %s\n", v.ContentSHA256)
		if v.Imported() {
			fmt.Fprintf(w, "  %s (%s)\n", v.Provenance(), v.SourceURL)
		}
		if !v.WARC.IsZero() {
			p.Fprintf(w, "  evidence: %s %s %s\n", v.WARC.File, v.WARC.RecordID, v.WARC.Digest)
		}
		if v.RepostOf != "" && v.Shared == nil {
			p.Fprintf(w, "  repost of %s\n", v.RepostOf)
		}
		writeShared(p, w, v.Shared, loc)
		if v.ReplyTo != "" {
			p.Fprintf(w, "  reply to %s\n", v.ReplyTo)
		}
		if v.Text != "" || v.Shared == nil { // a repost has no text of its own
			fmt.Fprintln(w, indent(v.Text))
		}
		if i > 0 {
			p.Fprintf(w, "  changes: %s\n", wordDiff(p, h.Versions[i-1].Text, v.Text))
		}
		for _, m := range v.Media {
			kept := m.Note
			if m.WARCRecordID != "" {
				kept = p.Sprintf("kept in %s %s (%d bytes)", m.WARCFile, m.WARCRecordID, m.Bytes)
			}
			fmt.Fprintf(w, "  %s %s: %s\n", m.Kind, m.URL, kept)
		}
	}
	p.Fprintf(w, "\nEvents:\n")
	for _, ev := range h.Events {
		fmt.Fprintf(w, "  %s  %-22s %s\n", when(ev.ObservedAt, loc), p.event(ev.Kind), ev.Evidence)
	}
	p.Fprintf(w, "\nDecisions:\n")
	for _, d := range h.Decisions {
		p.Fprintf(w, "  %s  %-19s %.2f  %-14s %s (version %s…)\n    %s\n", when(d.DecidedAt, loc), p.label(d.Label), d.Confidence,
			d.Basis, p.decider(d.DecidedBy), d.ContentSHA256[:min(12, len(d.ContentSHA256))], d.Rationale)
	}
}

func indent(text string) string {
	return "  │ " + strings.ReplaceAll(strings.TrimRight(text, "\n"), "\n", "\n  │ ")
}

// wordDiff shows how b differs from a, word by word: [-removed-] {+added+}.
func wordDiff(p printer, a, b string) string {
	spans := textdiff.Words(a, b)
	if !textdiff.Changed(spans) {
		return p.text("(no change in the text)")
	}
	out := make([]string, len(spans))
	for i, sp := range spans {
		switch sp.Kind {
		case textdiff.Removed:
			out[i] = "[-" + sp.Text + "-]"
		case textdiff.Added:
			out[i] = "{+" + sp.Text + "+}"
		default:
			out[i] = sp.Text
		}
	}
	return strings.Join(out, " ")
}
