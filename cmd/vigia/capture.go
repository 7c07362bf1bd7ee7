package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// accountCapture is how one account of the directory is captured and when
// its posts last reached the archive: the last export imported (capture:
// export) or the last crawl that ended well (public, api).
type accountCapture struct {
	ID, Network string
	Capture     directory.Capture
	Last        time.Time     // the last export imported, or the last crawl that ended well; zero for never
	Every       time.Duration // export: how often one is due
	Due         time.Time     // export: when the next one is due
	Overdue     bool
}

// captures returns the capture of every account of dir, in its order, from
// the archive's health of each. An export is due Every after the last one
// imported, or from the account's registration (its first), and overdue
// past that.
func captures(dir *directory.Directory, health []archive.AccountHealth, now time.Time) []accountCapture {
	last := map[string]time.Time{}
	for _, h := range health {
		last[h.AccountID] = h.LastSuccess
	}
	out := make([]accountCapture, 0, len(dir.Accounts))
	for i := range dir.Accounts {
		a := &dir.Accounts[i]
		c := accountCapture{ID: a.ID, Network: string(a.Network), Capture: a.Capture, Last: last[a.ID]}
		if a.Capture == directory.CaptureExport {
			c.Every = dir.ExportDue(a)
			c.Due = dir.NextExport(a, c.Last, now)
			c.Overdue = !now.Before(c.Due)
		}
		out = append(out, c)
	}
	return out
}

// writeCaptureTable prints how each account of the directory is captured.
func writeCaptureTable(p printer, w io.Writer, cs []accountCapture, loc *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p.Fprintf(tw, "ACCOUNT\tNETWORK\tCAPTURE\tLAST RECEIVED\tEXPORT DUE\n")
	overdue := 0
	for _, c := range cs {
		due := "-"
		if c.Capture == directory.CaptureExport {
			due = p.Sprintf("by %s", when(c.Due, loc))
			if c.Overdue {
				due = p.Sprintf("OVERDUE since %s", when(c.Due, loc))
				overdue++
			}
			due += p.Sprintf(" (every %dd)", int(c.Every.Hours()/24))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Network, c.Capture, when(c.Last, loc), due)
	}
	tw.Flush()
	if overdue > 0 {
		p.Fprintf(w, "%s not handed in their export on time: ask their holders for it (docs/import.md), then vigia import\n", p.Sprintf("%d accounts have", overdue))
	}
}
