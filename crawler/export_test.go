package crawler

import (
	"net/netip"
	"slices"
)

// TreatAsPublic makes c take the given addresses (loopback ones, in tests)
// for public addresses, so that a test can play a public host redirecting
// into a private network on one machine. Call it before c's first request.
func TreatAsPublic(c *Client, addrs ...netip.Addr) {
	c.guard.private = func(a netip.Addr) bool {
		return !slices.Contains(addrs, a.WithZone("").Unmap()) && isPrivate(a)
	}
}
