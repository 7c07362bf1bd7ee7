package htmltext

import (
	"testing"
)

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
		{"less-than in text", "<p>3 < 5 y 2<3</p>", "3 < 5 y 2<3"},
		{"comment", "a<!-- nota <p> -->b", "ab"},
		{"quoted >", `<a title="x > y" href="/z">enlace</a>`, "enlace"},
		{"upper case", "Uno<BR>Dos<P>Tres</P>", "Uno\nDos\n\nTres"},
		{"style dropped", "<style>p{}</style><p>texto</p>", "texto"},
		{"unclosed tag", "texto <a href='x", "texto"},
		{"unclosed comment", "texto <!-- sin fin", "texto"},
		{"invalid utf-8 kept", "a\xffb", "a\xffb"},
		{"crlf", "uno\r\ndos", "uno\ndos"},
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

func BenchmarkPlain(b *testing.B) {
	in := `<p>Arrancan los trabajos de rehabilitación de la <a href="https://x.example/tags/obra" class="mention hashtag">#<span>obra</span></a> en la Calzada Independencia. Detalles: <a href="https://obras.gdl.example/programa/calzada-independencia-2025" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">obras.gdl.example/programa/cal</span><span class="invisible">zada-independencia-2025</span></a></p><p>Gracias por su paciencia &amp; comprensión.</p>`
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Plain(in)
	}
}
