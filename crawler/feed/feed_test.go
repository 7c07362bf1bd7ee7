package feed

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/vigia-mx/vigia/crawler/crawlertest"
)

const fixtures crawlertest.Dir = "../../testdata/rss/"

func TestAttach(t *testing.T) {
	tests := []struct {
		name       string
		raws       [][]byte
		err        error
		wantRawErr string
	}{
		{"matched", [][]byte{[]byte("<item>a</item>"), []byte("<item>b</item>")}, nil, ""},
		{"fewer", [][]byte{[]byte("<item>a</item>")}, nil, "locate raw items: found 1, the feed parser read 2"},
		{"scan failed", nil, errors.New("XML syntax error on line 3: unexpected EOF"), "locate raw items: XML syntax error on line 3: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Feed{Info: &gofeed.Feed{Title: "Avisos"}, Type: TypeRSS, Items: []Item{
				{Item: &gofeed.Item{Title: "Aviso uno", Description: "Primer aviso"}},
				{Item: &gofeed.Item{Title: "Aviso dos", Description: "Segundo aviso"}},
			}}
			f.attach(tt.raws, tt.err)
			if tt.wantRawErr == "" {
				if f.RawErr != nil {
					t.Fatalf("raw error %v", f.RawErr)
				}
				for i, it := range f.Items {
					if got, want := it.Raw, tt.raws[i]; !bytes.Equal(got, want) {
						t.Errorf("item %d raw %q, want %q", i, got, want)
					}
				}
				return
			}
			if f.RawErr == nil || f.RawErr.Error() != tt.wantRawErr {
				t.Fatalf("raw error %v, want %q", f.RawErr, tt.wantRawErr)
			}
		})
	}
}

func TestScanItems(t *testing.T) {
	tests := []struct {
		name string
		body string
		atom bool
		want []string
	}{
		{"rss items in channel, then at the root", `<rss><item>r</item><channel><title>t</title><item>a</item><ITEM>b</ITEM></channel></rss>`, false,
			[]string{"<item>a</item>", "<ITEM>b</ITEM>", "<item>r</item>"}},
		{"atom entry among rss items is an extension", `<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel><atom:entry>x</atom:entry><item>a</item></channel></rss>`, false,
			[]string{"<item>a</item>"}},
		{"nested items are not items", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml"><entry>in</entry></content></entry></feed>`, true,
			[]string{`<entry><content type="xhtml"><entry>in</entry></content></entry>`}},
		{"self-closing", `<rss><channel><item/><item></item></channel></rss>`, false, []string{"<item/>", "<item></item>"}},
		{"control characters, kept in the raw bytes", "<rss><channel>\x01<item>a\x02b</item>\x03<\x04item/></channel></rss>", false,
			[]string{"<item>a\x02b</item>", "<\x04item/>"}},
		{"a PHP warning after the root", "<rss><channel><item>a</item></channel></rss>\n<br />\n<b>Warning</b>:  Cannot modify header information", false,
			[]string{"<item>a</item>"}},
		{"legacy charset", "<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel><item>Ma\xf1ana \x93aviso\x94</item></channel></rss>", false,
			[]string{"<item>Ma\xf1ana \x93aviso\x94</item>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raws, err := scanItems([]byte(tt.body), tt.atom)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range raws {
				got = append(got, string(r))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
