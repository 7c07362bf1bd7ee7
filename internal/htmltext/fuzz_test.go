package htmltext

import (
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzPlain checks the shape of Plain's output for any input: white
// space only as single spaces and line breaks, at most one blank line,
// nothing to collapse again.
func FuzzPlain(f *testing.F) {
	for _, s := range []string{
		"<p>Hola</p>", "a<br>b", "<script>x</script>y", "3 < 4 &amp; 5", "<!-- c -->",
		"<p>Uno\u00a0 dos</p>\r\n<p>\ttres</p>", "a\xffb&#xD800;c", "&nGt;&NotEqualTilde;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Plain(in)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Errorf("Plain(%q) = %q: not valid UTF-8", in, out)
		}
		for _, r := range out {
			if unicode.IsSpace(r) && r != ' ' && r != '\n' {
				t.Fatalf("Plain(%q) = %q: holds white space %U", in, out, r)
			}
		}
		for _, bad := range []string{"  ", " \n", "\n ", "\n\n\n"} {
			if strings.Contains(out, bad) {
				t.Fatalf("Plain(%q) = %q: holds %q", in, out, bad)
			}
		}
		if out != strings.TrimSpace(out) {
			t.Errorf("Plain(%q) = %q: not trimmed", in, out)
		}
		// Text with neither markup nor references comes out as it goes in.
		if !strings.ContainsAny(out, "<&") {
			if again := Plain(out); again != out {
				t.Errorf("Plain(%q) = %q, but Plain(%q) = %q", in, out, out, again)
			}
		}
	})
}

// markup is what FuzzPlainMarkup puts between texts: well-formed tags,
// comments and elements whose content is dropped, each with the text
// Plain must turn it into.
var markup = []struct{ html, text string }{
	{"", ""},
	{`<a href="https://x.example/?a=1&amp;b=2" title='x > y'>`, ""},
	{"</a>", ""},
	{`<span class="invisible">`, ""},
	{"</span>", ""},
	{"<br>", "\n"},
	{"<BR/>", "\n"},
	{"<p>", "\n\n"},
	{"</P>", "\n\n"},
	{"<li>", "\n\n"},
	{"</div>", "\n\n"},
	{"<!-- <p>nota</p> -->", ""},
	{"<script>if (a < b && c > d) { x = '</p>'; }</script>", ""},
	{"<style>p > a { color: red }</style>", ""},
	{"<img src=\"a.png\" alt=\"a > b\"/>", ""},
	{"<!DOCTYPE html>", ""},
}

// FuzzPlainMarkup builds well-formed HTML from texts, escaped, and the
// markup above, and checks that Plain gives back exactly the texts: no
// tag, comment or script leaks into the output, and every character
// reference is decoded once.
func FuzzPlainMarkup(f *testing.F) {
	f.Add("Hola|mundo", []byte{7, 5, 1, 2})
	f.Add("3 < 5 & 2 > 1|&amp;lt;b&amp;gt;|x", []byte{12, 13, 6})
	f.Add("Uno\u00a0 dos|\ttres\r\n|a\xffb", []byte{8, 11, 14, 15})
	f.Fuzz(func(t *testing.T, texts string, tags []byte) {
		var in, want strings.Builder
		for i, text := range strings.Split(texts, "|") {
			in.WriteString(html.EscapeString(text))
			want.WriteString(text)
			if len(tags) > 0 {
				m := markup[int(tags[i%len(tags)])%len(markup)]
				in.WriteString(m.html)
				want.WriteString(m.text)
			}
		}
		if got, want := Plain(in.String()), collapse(want.String()); got != want {
			t.Errorf("Plain(%q) = %q, want %q", in.String(), got, want)
		}
	})
}
