package crawler

import (
	"os"
	"strings"
	"testing"

	"github.com/temoto/robotstxt"
)

// FuzzRobots reads robots.txt files as fetchRobots does and asks them what
// robotsCache.check asks: a hostile robots.txt must not panic the crawler,
// and the answer depends on the file and the path only, not on the case of
// the user agent nor on being asked twice.
func FuzzRobots(f *testing.F) {
	mastodon, err := os.ReadFile("../testdata/mastodon/robots.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(mastodon, "/api/v1/accounts/1/statuses?limit=40")
	f.Add(mastodon, "/media_proxy/1/original")
	f.Add([]byte("User-agent: vigia\nDisallow: /*.php$\nAllow: /a/\n"), "/a/index.php")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		ua := DefaultClientOptions().UserAgent
		rd, err := robotstxt.FromBytes(body)
		if err != nil {
			if rd != nil {
				t.Fatalf("robots data with error %v", err)
			}
			return
		}
		allowed := rd.TestAgent(path, ua)
		if again := rd.TestAgent(path, ua); again != allowed {
			t.Fatalf("TestAgent(%q) = %v, then %v", path, allowed, again)
		}
		if upper := rd.TestAgent(path, strings.ToUpper(ua)); upper != allowed {
			t.Errorf("TestAgent(%q) = %v for %q, %v in upper case", path, allowed, ua, upper)
		}
		rd2, err := robotstxt.FromBytes(body)
		if err != nil || rd2.TestAgent(path, ua) != allowed {
			t.Errorf("a second read of the file answers differently (%v)", err)
		}
	})
}
