package archive

import (
	"reflect"
	"testing"
)

func TestParseRef(t *testing.T) {
	for _, tt := range []struct {
		in    string
		want  Ref
		where string
		args  []any
	}{
		{"https://t.me/avisos/12", Ref{URL: "https://t.me/avisos/12"}, "url = ?", []any{"https://t.me/avisos/12"}},
		{"obras/7", Ref{AccountID: "obras", PostID: "7", InAccount: true}, "account_id = ? AND post_id = ?", []any{"obras", "7"}},
		{"7", Ref{PostID: "7"}, "post_id = ?", []any{"7"}},
		{"at://did:plc:x/app.bsky.feed.post/3k", Ref{URL: "at://did:plc:x/app.bsky.feed.post/3k"}, "url = ?", []any{"at://did:plc:x/app.bsky.feed.post/3k"}},
		{"obras/a/b", Ref{AccountID: "obras", PostID: "a/b", InAccount: true}, "account_id = ? AND post_id = ?", []any{"obras", "a/b"}},
		{"/7", Ref{PostID: "7", InAccount: true}, "account_id = ? AND post_id = ?", []any{"", "7"}},
		{"", Ref{}, "post_id = ?", []any{""}},
	} {
		got := ParseRef(tt.in)
		if got != tt.want {
			t.Errorf("ParseRef(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		where, args := got.Where()
		if where != tt.where || !reflect.DeepEqual(args, tt.args) {
			t.Errorf("ParseRef(%q).Where() = %q, %v; want %q, %v", tt.in, where, args, tt.where, tt.args)
		}
	}
}
