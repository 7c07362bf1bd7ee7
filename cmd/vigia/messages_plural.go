package main

import "golang.org/x/text/message/catalog"

// pluralEN and pluralES are the messages that show a count, with a form
// for one and another for the rest; the count is the argument plurals
// names (1-based).
var (
	pluralEN = map[string]catalog.Message{}
	pluralES = map[string]catalog.Message{}
)
