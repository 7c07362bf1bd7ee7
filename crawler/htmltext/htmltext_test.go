package htmltext

import "testing"

func TestPlain(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Hola  mundo", "Hola mundo"},
		{"entities", "<p>&quot;Obra&quot; &amp; más</p>", `"Obra" & más`},
		{"paragraphs", "<p>Uno</p><p>Dos</p>", "Uno\n\nDos"},
		{"line breaks", "Uno<br>Dos<br/>Tres", "Uno\nDos\nTres"},
		{"mastodon link", `<p>Ver <a href="https://example.org/a/b"><span class="invisible">https://</span><span class="ellipsis">example.org/a</span><span class="invisible">/b</span></a></p>`, "Ver https://example.org/a/b"},
		{"mention", `<p><span class="h-card"><a href="https://x.example/@ana" class="u-url mention">@<span>ana</span></a></span> gracias</p>`, "@ana gracias"},
		{"script dropped", "<p>a</p><script>alert(1)</script><p>b</p>", "a\n\nb"},
		{"nbsp", "edited&nbsp;hoy", "edited hoy"},
		{"empty", "", ""},
		{"escaped markup stays escaped once", "<p>Escribe &amp;lt;b&amp;gt; y &amp;amp;</p>", "Escribe &lt;b&gt; y &amp;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Plain(tt.in); got != tt.want {
				t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
