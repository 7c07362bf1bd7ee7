package samplenet

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// segment is a run of a post's plain text: text as written, or a link, a
// hashtag or a mention that each network renders in its own way.
type segment struct {
	kind  segKind
	text  string // as written, e.g. "#Bacheo" or "@gobierno"
	value string // link URL, tag without "#", handle without "@"
}

type segKind int

const (
	segText segKind = iota
	segLink
	segTag
	segMention
)

var tokenPattern = regexp.MustCompile(`https?://[^\s<>"]+|#\pL[\pL\pN_]*|@[A-Za-z0-9_]+(?:[.@-][A-Za-z0-9_]+)*`)

// segments splits a line of text into plain runs, links, tags and mentions.
// A "#" or "@" glued to a preceding letter or digit starts nothing (e-mail
// addresses, "C#").
func segments(line string) []segment {
	var out []segment
	last := 0
	for _, m := range tokenPattern.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		tok := line[start:end]
		if start > 0 && tok[0] != 'h' {
			if r, _ := utf8.DecodeLastRuneInString(line[:start]); unicode.IsLetter(r) || unicode.IsDigit(r) {
				continue
			}
		}
		var seg segment
		switch tok[0] {
		case '#':
			seg = segment{kind: segTag, text: tok, value: tok[1:]}
		case '@':
			tok = strings.TrimRight(tok, ".-")
			end = start + len(tok)
			seg = segment{kind: segMention, text: tok, value: tok[1:]}
		default:
			tok = strings.TrimRight(tok, ".,;:!?)")
			end = start + len(tok)
			seg = segment{kind: segLink, text: tok, value: tok}
		}
		if start > last {
			out = append(out, segment{kind: segText, text: line[last:start]})
		}
		out = append(out, seg)
		last = end
	}
	if last < len(line) {
		out = append(out, segment{kind: segText, text: line[last:]})
	}
	return out
}

// paragraphs splits text at blank lines, and each paragraph into lines.
func paragraphs(text string) [][]string {
	var out [][]string
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		for i := range lines {
			lines[i] = strings.TrimSpace(lines[i])
		}
		out = append(out, lines)
	}
	return out
}

// firstLine returns the first line of text, for titles and link previews.
func firstLine(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	return line
}
