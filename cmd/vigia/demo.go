package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/crawler"
	"github.com/vigia-mx/vigia/directory"
	"github.com/vigia-mx/vigia/samplenet"
)

type demoCommand struct{}

func (*demoCommand) synopsis() string {
	return "crawl a built-in sample of all five networks into the archive, offline"
}

func (*demoCommand) run(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet(e, "demo", "demo [--archive A]",
		`Starts a built-in sample network on loopback (Mastodon, Bluesky, Telegram,
YouTube and RSS, with official and personal accounts of a sample municipality),
crawls it into the archive like "vigia crawl" would, and prints a summary:
accounts, posts, labels and events. Between two crawls the sample changes as
a network does: a post is edited and another is deleted at its source, so
the archive shows at once what vigia keeps of a post's life (vigia show of
the posts it names). The sample also holds reposts, a quote and Telegram
forwards. It needs no network access. Running it again finds nothing new:
the archive keeps what it has.`)
	var flags crawlFlags
	arcFlag := archiveFlag(fs)
	flags.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("unexpected argument %q", fs.Arg(0))
	}
	// The sample network is ours and on loopback: no politeness delay needed.
	flags.allowPrivate, flags.hostRate = true, 0

	srv, err := samplenet.New()
	if err != nil {
		return errorf("start sample network: %w", err)
	}
	if err := srv.Start(); err != nil {
		return errorf("start sample network: %w", err)
	}
	defer srv.Close()
	dir, err := directory.Parse("sample directory (built in)", srv.Directory(), networks())
	if err != nil {
		return errorf("sample directory: %w", err)
	}
	// Every request goes to the sample network, media on the networks'
	// public CDN hosts included: the demo never leaves this machine.
	flags.mirror = srv.URL()
	if err := flags.prepare(); err != nil {
		return err
	}
	spec := archiveSpec(e, *arcFlag)
	store, err := openArchive(ctx, e, spec, false)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := flags.useAdopted(ctx, store); err != nil {
		return err
	}
	evidence, err := flags.openEvidence(e.stderr, spec, dir.Subject)
	if err != nil {
		return err
	}
	defer closeEvidence(evidence, &err)

	p := e.printer()
	p.Fprintf(e.stdout, "Sample network of %q at %s: %s.\n\n", dir.Subject, srv.URL(), p.Sprintf("%d accounts", len(dir.Accounts)))
	client := crawler.NewClient(flags.client, nil)
	cr := flags.newCrawler(e, client, store, dir, nil)
	sum, err := store.Summary(ctx)
	if err != nil {
		return err
	}
	failed := 0
	// A first run crawls the sample as it was, changes it and crawls
	// again; a later run finds the changes in the archive already, and
	// crawls the changed sample once, which adds nothing.
	if !demoChangesSeen(sum) {
		p.Fprintf(e.stdout, "First crawl:\n\n")
		rep, err := crawlOnce(ctx, e, cr, dir, dir.Accounts, flags.progress)
		if err != nil {
			return err
		}
		printCrawlReport(p, e.stdout, rep)
		failed += rep.Run.AccountsFailed
		p.Fprintf(e.stdout, "\nThen the sample changes: %s.\n\nSecond crawl:\n\n", p.text(demoChangesText))
	}
	if err := demoChanges(srv); err != nil {
		return errorf("change the sample network: %w", err)
	}
	// The deleted post is older than the relist window: only a deep sweep
	// (vigia crawl --sweep) lists it again and notices it is gone.
	flags.sweep = true
	cr = flags.newCrawler(e, client, store, dir, nil)
	rep, err := crawlOnce(ctx, e, cr, dir, dir.Accounts, flags.progress)
	if err != nil {
		return err
	}
	printCrawlReport(p, e.stdout, rep)
	failed += rep.Run.AccountsFailed
	if err := demoImport(ctx, e, store, dir, &flags, evidence); err != nil {
		return err
	}
	if sum, err = store.Summary(ctx); err != nil {
		return err
	}
	p.Fprintf(e.stdout, "\nArchive %s now holds:\n\n", spec)
	printSummary(p, e.stdout, sum)
	if err := printModelExamples(ctx, p, e.stdout, store); err != nil {
		return err
	}
	if err := printPostLives(ctx, p, e.stdout, store, spec); err != nil {
		return err
	}
	p.Fprintf(e.stdout, "\nNext: vigia search --archive %s --format jsonl\n", spec)
	p.Fprintf(e.stdout, "An office runs one process that crawls its directory and serves the archive (docs/operations.md):\n"+
		"  vigia serve --crawl-every 15m --directory directorio.yaml --archive %s\n", spec)
	if failed > 0 {
		return errorf("%d sample accounts could not be crawled", failed)
	}
	return nil
}

// The demo's changes to the sample between its two crawls: what a network
// does to posts every day, and what the archive exists to notice.
const demoChangesText = `the municipality's Mastodon account edits its post on the cemeteries' hours, and Civil Protection deletes its Bluesky post on flood-prone spots`

func demoChanges(srv *samplenet.Server) error {
	// The edit is dated now: the network takes edits after the current
	// version only, and the archive compares content, not edit times.
	if err := srv.Edit("gobierno-gdl", "panteones", "Horario de los panteones municipales el 1 y 2 de noviembre: de 6:00 a 21:00 h (ampliado). Habrá módulos de Protección Civil, hidratación y venta de flores regulada en Mezquitán. #DíaDeMuertos", time.Now()); err != nil {
		return err
	}
	return srv.Delete("proteccion-civil", "puntos-inundacion")
}

// demoChangesSeen reports whether the archive holds the demo's changes
// already: a run before this one made them.
func demoChangesSeen(sum []archive.AccountSummary) bool {
	seen := 0
	for _, a := range sum {
		switch {
		case a.AccountID == "gobierno-gdl" && a.Events[archive.Edited] > 0,
			a.AccountID == "proteccion-civil" && a.Events[archive.DeletedAtSource] > 0:
			seen++
		}
	}
	return seen == 2
}

// printPostLives names a post of each kind whose history the archive now
// shows: edited, deleted at its source, someone else's post carried.
func printPostLives(ctx context.Context, p printer, w io.Writer, store archive.Reader, spec string) error {
	var lines []string
	for _, c := range []struct {
		what msgText
		q    archive.Query
		keep func(*archive.Hit) bool
	}{
		{msgText("edited, every version kept"), archive.Query{Edited: true}, func(h *archive.Hit) bool { return h.Versions > 1 && !h.Imported() }},
		{msgText("deleted at its source, kept"), archive.Query{Deleted: true}, func(h *archive.Hit) bool { return !h.Imported() }},
		{msgText("from its holder's X archive"), archive.Query{Edited: true}, func(h *archive.Hit) bool { return h.Imported() }},
		{msgText("a Telegram forward"), archive.Query{Network: archive.Telegram}, func(h *archive.Hit) bool { return h.Shared != nil && h.Shared.Kind == archive.Forward }},
		{msgText("a repost"), archive.Query{}, func(h *archive.Hit) bool { return h.Shared != nil && h.Shared.Kind == archive.Repost }},
		{msgText("a quote"), archive.Query{}, func(h *archive.Hit) bool { return h.Shared != nil && h.Shared.Kind == archive.Quote }},
	} {
		res, err := store.Search(ctx, c.q)
		if err != nil {
			return err
		}
		for i := range res.Hits {
			if h := &res.Hits[i]; c.keep(h) {
				lines = append(lines, fmt.Sprintf("  %-34s vigia show --archive %s %s/%s\n", c.what.localize(p)+":", spec, h.AccountID, h.PostID))
				break
			}
		}
	}
	if len(lines) > 0 {
		p.Fprintf(w, "\nA post's life in the archive:\n\n%s", strings.Join(lines, ""))
	}
	return nil
}

// printSummary prints what the archive holds per account, with totals.
func printSummary(p printer, w io.Writer, sum []archive.AccountSummary) {
	sort.Slice(sum, func(i, j int) bool {
		if sum[i].Network != sum[j].Network {
			return sum[i].Network < sum[j].Network
		}
		return sum[i].AccountID < sum[j].AccountID
	})
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p.Fprintf(tw, "ACCOUNT\tNETWORK\tTYPE\tPOSTS\tVERSIONS\tFUNCTION\tPERSONAL\tUNDETERMINED\tEDITED\n")
	var total archive.AccountSummary
	total.Labels, total.Events = map[archive.Label]int{}, map[archive.EventKind]int{}
	for _, a := range sum {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", a.AccountID, a.Network, p.accountType(string(a.Type)), a.Posts, a.Versions,
			a.Labels[archive.Function], a.Labels[archive.Personal], a.Labels[archive.Undetermined], a.Edited)
		total.Posts += a.Posts
		total.Versions += a.Versions
		total.Edited += a.Edited
		for k, v := range a.Labels {
			total.Labels[k] += v
		}
		for k, v := range a.Events {
			total.Events[k] += v
		}
	}
	p.Fprintf(tw, "total (%s)\t\t\t%d\t%d\t%d\t%d\t%d\t%d\n", p.Sprintf("%d accounts", len(sum)), total.Posts, total.Versions,
		total.Labels[archive.Function], total.Labels[archive.Personal], total.Labels[archive.Undetermined], total.Edited)
	tw.Flush()
	p.Fprintf(w, "\nEDITED counts posts the network marks as edited or that changed between captures.\n")
	p.Fprintf(w, "events: %d first seen, %d edited, %d deleted at source, %d restored\n",
		total.Events[archive.FirstSeen], total.Events[archive.Edited], total.Events[archive.DeletedAtSource], total.Events[archive.Restored])
}

// printModelExamples shows a few of the content model's decisions on posts
// of personal accounts, each label with its rationale, as a reviewer would
// read them.
func printModelExamples(ctx context.Context, p printer, w io.Writer, store archive.Reader) error {
	res, err := store.Search(ctx, archive.Query{})
	if err != nil {
		return err
	}
	shown := map[archive.Label]int{}
	var lines []string
	for _, h := range res.Hits {
		d := h.Decision
		if h.AccountType != "personal" || !strings.HasPrefix(d.DecidedBy, "model:") || shown[d.Label] >= 2 {
			continue
		}
		shown[d.Label]++
		lines = append(lines, fmt.Sprintf("  %s/%s: %q\n    → %s (%.2f, %s): %s\n", h.AccountID, h.PostID, oneLine(h.Text, 90),
			p.label(d.Label), d.Confidence, d.Basis, d.Rationale))
	}
	if len(lines) == 0 {
		return nil
	}
	sort.Strings(lines)
	p.Fprintf(w, "\nThe content model on posts of personal accounts (examples; all with vigia show):\n\n%s", strings.Join(lines, ""))
	return nil
}
