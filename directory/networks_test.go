package directory

import (
	"strings"
	"testing"

	"regexp"

	"github.com/vigia-mx/vigia/archive"
)

// testNetworks stands in for the wiring's list (cmd/vigia networks(), built
// from each adapter's Network): the directory names no network itself, and
// its tests cannot import the adapters, which import it. The patterns are
// the adapters'; cmd/vigia's TestNetworks checks the real list.
var testNetworks = Networks{
	{Name: archive.Mastodon, Handle: regexp.MustCompile(`^@[A-Za-z0-9_]+([.-][A-Za-z0-9_]+)*@[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?$`), Expect: "@usuario@instancia.social", Example: "@usuario@instancia.social", Mention: AtMention},
	{Name: archive.Bluesky, Handle: regexp.MustCompile(`^(did:(plc|web):[A-Za-z0-9._:%-]+|([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)$`), Expect: "nombre.bsky.social or did:plc:…", Example: "nombre.bsky.social", Mention: AtMention},
	{Name: archive.Telegram, Handle: regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{3,31}$`), Expect: "canal_publico (without @ or t.me/)", Example: "canal_publico", Mention: AtMention,
		Normalize: func(s string) string { return strings.TrimPrefix(strings.TrimPrefix(s, "https://t.me/"), "@") }}, // the adapter's reads more forms
	{Name: archive.YouTube, Handle: regexp.MustCompile(`^(UC[A-Za-z0-9_-]{22}|@[A-Za-z0-9][A-Za-z0-9._-]{2,29})$`), Expect: "the channel id (UC followed by 22 characters) or the channel's @handle", Example: "UC4R8DWoMoI7CAwX8_LjQHig"},
	{Name: archive.RSS, Example: "https://ejemplo.gob.mx/comunicados/rss.xml"},
	{Name: archive.X, Handle: regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`), Expect: "usuario", Example: "GobiernoGDL", Mention: AtMention, Captures: []Capture{CaptureExport, CaptureAPI}},
	{Name: archive.Facebook, Handle: regexp.MustCompile(`^[A-Za-z0-9.]{5,50}$`), Expect: "NombreDeLaPagina", Example: "GobiernoDeGuadalajara", Captures: []Capture{CaptureExport, CaptureAPI}},
	{Name: archive.Instagram, Handle: regexp.MustCompile(`^[A-Za-z0-9._]{1,30}$`), Expect: "usuario", Example: "gobiernogdl", Mention: AtMention, Captures: []Capture{CaptureExport, CaptureAPI}},
	{Name: archive.TikTok, Handle: regexp.MustCompile(`^[A-Za-z0-9._]{2,24}$`), Expect: "usuario", Example: "gobiernogdl", Mention: AtMention, Captures: []Capture{CaptureExport}},
}

// testNetworksAccept reports whether testNetworks accept a's network and handle.
func testNetworksAccept(a Account) bool {
	s, ok := testNetworks.Spec(a.Network)
	return ok && s.CheckHandle(a.Handle) == ""
}

func TestTestNetworksComplete(t *testing.T) {
	for _, p := range testNetworks.Problems() {
		t.Error(p)
	}
}
