package crawler

import (
	"fmt"
	"strings"
)

// RobotsPolicy describes, for the warcinfo record of the evidence (its
// "robots" field), how a client with opts follows robots.txt: obeyed on
// every host, each host's file kept for robotsTTL, an unreadable one
// refusing the host for robotsFailTTL, and the networks exempted.
func RobotsPolicy(opts ClientOptions) string {
	s := fmt.Sprintf("obey: each host's robots.txt is read before the host is crawled and obeyed, "+
		"its rules kept %.0f minutes; a 4xx answer means no rules; one that cannot be read (5xx, no answer) "+
		"disallows the whole host for %.0f minutes", robotsTTL.Minutes(), robotsFailTTL.Minutes())
	if len(opts.RobotsExempt) > 0 {
		var ns []string
		for _, n := range opts.RobotsExempt {
			ns = append(ns, string(n))
		}
		s += "; not consulted for the networks the office exempted: " + strings.Join(ns, ", ")
	}
	return s
}
