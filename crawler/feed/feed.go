package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/mmcdole/gofeed"
)

// Media types of the raw items of a feed.
const (
	TypeRSS  = "application/rss+xml"  // RSS 2.0, 0.9x and 1.0 (RDF) items
	TypeAtom = "application/atom+xml" // Atom entries
)

// Feed is a parsed feed whose items keep the bytes they were received as.
type Feed struct {
	// Info is gofeed's reading of the feed: title, language, extensions.
	// Its Items are the same, in the same order, as Items[i].Item.
	Info *gofeed.Feed
	// Type is the media type of every item's Raw: TypeRSS or TypeAtom.
	Type  string
	Items []Item
	// RawErr says why the items carry no Raw; nil when they all do.
	RawErr error
}

// Item is one <item> or <entry> of a feed.
type Item struct {
	*gofeed.Item
	// Raw is the element exactly as received, from its start tag to its end
	// tag, in the feed's own encoding. It is nil when Feed.RawErr is set.
	Raw []byte
}

// Parse reads an RSS 2.0, RSS 1.0 (RDF) or Atom feed. gofeed gives the
// meaning of each item (dates, authors, links, the differences between
// formats); a scan of the same bytes with encoding/xml gives each item's
// original bytes, matched to gofeed's items by order.
//
// gofeed is more forgiving than a structural scan can be made to be (it
// drops stray control bytes, converts legacy charsets, skips elements it
// does not know). When the scan fails or finds a different number of items,
// the items are kept without Raw and RawErr says why: an item whose raw
// bytes could not be located is still a published item, and losing it would
// be worse than archiving it without its XML.
func Parse(body []byte) (*Feed, error) {
	info, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, errors.New("not an RSS or Atom feed")
	}
	if err != nil {
		return nil, err
	}
	f := &Feed{Info: info, Items: make([]Item, len(info.Items))}
	switch info.FeedType {
	case "rss":
		f.Type = TypeRSS
	case "atom":
		f.Type = TypeAtom
	default:
		return nil, fmt.Errorf("%s feeds are not supported, only RSS and Atom", info.FeedType)
	}
	for i, it := range info.Items {
		f.Items[i].Item = it
	}
	f.attach(scanItems(body, f.Type == TypeAtom))
	return f, nil
}

// attach gives each item its raw bytes, matched by order, unless the scan
// failed or found a different number of items (see Parse).
func (f *Feed) attach(raws [][]byte, err error) {
	switch {
	case err != nil:
		f.RawErr = fmt.Errorf("locate raw items: %w", err)
	case len(raws) != len(f.Items):
		f.RawErr = fmt.Errorf("locate raw items: found %d, the feed parser read %d", len(raws), len(f.Items))
	default:
		for i := range f.Items {
			f.Items[i].Raw = raws[i]
		}
	}
}

// Namespaces in which gofeed reads <item> and <entry> as feed items; other
// namespaces hold extensions. An undeclared prefix reaches us as itself.
var (
	rssSpaces = map[string]bool{
		"": true, "rss": true, "rdf": true,
		"http://www.w3.org/1999/02/22-rdf-syntax-ns#": true,
		"http://purl.org/rss/1.0/":                    true,
		"http://channel.netscape.com/rdf/simple/0.9/": true,
		"http://my.netscape.com/rdf/simple/0.9/":      true,
	}
	atomSpaces = map[string]bool{
		"": true, "http://www.w3.org/2005/Atom": true, "http://purl.org/atom/ns#": true,
	}
)

// scanItems returns the bytes of every feed item in body, in the order
// gofeed reports them: the <entry> children of an Atom <feed>; for RSS, the
// <item> children of <channel> followed by those of the root (RSS 1.0 keeps
// its items beside the channel).
func scanItems(body []byte, atom bool) ([][]byte, error) {
	s := structural(body)
	d := xml.NewDecoder(bytes.NewReader(s.data))
	d.Strict = false // as gofeed: tolerate undefined entities and unclosed tags
	// structural left only ASCII: no charset needs converting.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }

	var inChannel, rootItems [][]byte
	var rootSpace string
	depth, channel := 0, false
	for {
		start := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if depth == 2 {
				channel = false
			}
			if depth--; depth == 0 {
				// Like gofeed, read nothing after the root: feeds served by
				// PHP sometimes carry a warning after </rss>.
				return append(inChannel, rootItems...), nil
			}
			continue
		case xml.StartElement:
			depth++
			name := strings.ToLower(t.Name.Local)
			if depth == 1 {
				rootSpace = t.Name.Space
				continue
			}
			var dst *[][]byte
			switch {
			case atom && depth == 2 && name == "entry" && atomSpaces[t.Name.Space]:
				dst = &rootItems
			case !atom && depth == 2 && name == "channel":
				channel = true
			case !atom && (depth == 2 || depth == 3 && channel) && name == "item" &&
				(rssSpaces[t.Name.Space] || t.Name.Space == rootSpace):
				dst = &rootItems
				if depth == 3 {
					dst = &inChannel
				}
			}
			if dst == nil {
				continue
			}
			if err := d.Skip(); err != nil {
				return nil, err
			}
			depth--
			from, to := s.offset(int(start), false), s.offset(int(d.InputOffset()), true)
			*dst = append(*dst, body[from:to:to])
		}
	}
	return append(inChannel, rootItems...), nil
}

// scanned is a feed as the structural scan reads it.
type scanned struct {
	data []byte
	// dropped holds, for every byte left out of data, the offset in data
	// where it stood; non-decreasing.
	dropped []int
}

// structural returns body as the scan reads it, with what could stop the
// scan for reasons unrelated to the document's structure taken out: each
// non-ASCII byte (a legacy charset, UTF-8) becomes an 'x', keeping names
// whole, and the control characters XML forbids are dropped, as gofeed
// drops them. body is not modified.
func structural(body []byte) *scanned {
	s := &scanned{}
	var out []byte // nil while body needs no change
	for i, b := range body {
		control := b < 0x20 && b != '\t' && b != '\n' && b != '\r'
		if b < 0x80 && !control {
			if out != nil {
				out = append(out, b)
			}
			continue
		}
		if out == nil {
			out = append(make([]byte, 0, len(body)), body[:i]...)
		}
		if control {
			s.dropped = append(s.dropped, len(out))
			continue
		}
		out = append(out, 'x')
	}
	s.data = body
	if out != nil {
		s.data = out
	}
	return s
}

// offset maps an offset in s.data back to the body. The dropped bytes just
// before an element's start belong before it; those just after its end,
// after it.
func (s *scanned) offset(off int, end bool) int {
	if end {
		return off + sort.SearchInts(s.dropped, off)
	}
	return off + sort.SearchInts(s.dropped, off+1)
}

// AuthorName is the name (else the address) of the item's first author;
// when the item names none, the feed's author, else the feed's title.
func AuthorName(it *gofeed.Item, feed *gofeed.Feed) string {
	if n := personName(it.Authors); n != "" {
		return n
	}
	if n := personName(feed.Authors); n != "" {
		return n
	}
	return strings.TrimSpace(feed.Title)
}

func personName(ps []*gofeed.Person) string {
	for _, p := range ps {
		if p == nil {
			continue
		}
		if n := strings.TrimSpace(p.Name); n != "" {
			return n
		}
		if e := strings.TrimSpace(p.Email); e != "" {
			return e
		}
	}
	return ""
}
