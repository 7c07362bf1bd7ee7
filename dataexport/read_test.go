package dataexport_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/dataexport"
	"github.com/vigia-mx/vigia/dataexport/facebook"
	"github.com/vigia-mx/vigia/dataexport/instagram"
	"github.com/vigia-mx/vigia/dataexport/tiktok"
	"github.com/vigia-mx/vigia/dataexport/x"
	"github.com/vigia-mx/vigia/directory"
)

var readers = []dataexport.Reader{x.Reader, facebook.Reader, instagram.Reader, tiktok.Reader}

func read(t *testing.T, path string) *dataexport.Export {
	t.Helper()
	f, err := dataexport.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := dataexport.Detect(f, readers)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := r.Read(f.FS)
	if err != nil {
		t.Fatal(err)
	}
	return exp
}

func byID(exp *dataexport.Export) map[string]*dataexport.Post {
	m := map[string]*dataexport.Post{}
	for i := range exp.Posts {
		m[exp.Posts[i].Latest().PostID] = &exp.Posts[i]
	}
	return m
}

func TestXArchive(t *testing.T) {
	exp := read(t, "testdata/x")
	if exp.Network != archive.X || exp.Handle != "GobiernoGDL" || !exp.Whole {
		t.Fatalf("network %s, handle %q (%s), whole %v", exp.Network, exp.Handle, exp.HandleAt, exp.Whole)
	}
	if got, want := exp.Generated, time.Date(2026, 11, 28, 16, 4, 12, 0, time.UTC); !got.Equal(want) {
		t.Errorf("generated %v, want %v", got, want)
	}
	posts := byID(exp)
	if got, want := len(exp.Posts), 5; got != want { // six posts, two of them versions of one
		t.Fatalf("%d posts, want %d", got, want)
	}
	first := posts["1862000000000000101"].Latest()
	if got, want := first.Text, "Arranca la repavimentación de Av. Federalismo & calle Juan Álvarez: 45 días de obra. #Guadalajara https://transparencia.guadalajara.example/obras/2026"; got != want {
		t.Errorf("text %q\nwant %q", got, want)
	}
	if first.URL != "https://x.com/GobiernoGDL/status/1862000000000000101" || first.Language != "es" || first.Metrics["likes"] != 87 || first.Metrics["reposts"] != 12 {
		t.Errorf("url %q, language %q, metrics %v", first.URL, first.Language, first.Metrics)
	}
	edited := posts["1862000000000000202"]
	if len(edited.Versions) != 2 {
		t.Fatalf("the edited post has %d versions, want 2", len(edited.Versions))
	}
	v1, v2 := edited.Versions[0], edited.Versions[1]
	if !strings.Contains(v1.Text, "de 7 a 14 horas") || !strings.Contains(v2.Text, "de 7 a 15 horas") ||
		!v2.Edited || !v2.EditedAt.Equal(time.Date(2026, 11, 21, 16, 12, 41, 0, time.UTC)) || !v2.PublishedAt.Equal(v1.PublishedAt) {
		t.Errorf("versions: %q, %q edited %v at %v, published %v", v1.Text, v2.Text, v2.Edited, v2.EditedAt, v2.PublishedAt)
	}
	reply := posts["1862000000000000304"].Latest()
	if reply.ReplyTo != "https://x.com/PCGuadalajara/status/1861999999999999999" {
		t.Errorf("reply to %q", reply.ReplyTo)
	}
	photo := posts["1862000000000000405"].Latest()
	if len(photo.Media) != 1 || photo.Media[0].Alt != "Fachada del Mercado Corona rehabilitado" || photo.Media[0].ID != "1862000000000009405" ||
		photo.Text != "Así quedó el Mercado Corona tras su rehabilitación." {
		t.Errorf("photo post: %q %+v", photo.Text, photo.Media)
	}
	long := posts["1862000000000000506"].Latest()
	if !strings.HasSuffix(long.Text, "mantenimiento de la Línea 3.") || !bytes.Contains(long.Raw, []byte(`"noteTweet"`)) {
		t.Errorf("long post not read whole from note-tweet.js: %q", long.Text)
	}
	if len(exp.Deleted) != 1 || exp.Deleted[0].Post.PostID != "1861500000000000707" ||
		!exp.Deleted[0].DeletedAt.Equal(time.Date(2026, 11, 15, 12, 40, 3, 0, time.UTC)) || exp.Deleted[0].File != "data/deleted-tweets.js" {
		t.Errorf("deleted: %+v", exp.Deleted)
	}
}

func TestFacebookExport(t *testing.T) {
	exp := read(t, "testdata/facebook-2019")
	if exp.Network != archive.Facebook || exp.Handle != "GobiernoDeGuadalajara" || exp.Whole || !strings.Contains(exp.Layout, "2019") {
		t.Fatalf("network %s, handle %q, whole %v, layout %q", exp.Network, exp.Handle, exp.Whole, exp.Layout)
	}
	posts := byID(exp)
	becas := posts["1763830800"].Latest()
	if got, want := becas.Text, "Entregamos 1,200 becas a estudiantes de secundaria en Oblatos. ¡La educación es prioridad! 📚"; got != want {
		t.Errorf("text %q, want %q (Meta's escaped UTF-8 undone)", got, want)
	}
	if !becas.EditedAt.Equal(time.Unix(1763834400, 0)) || !becas.PublishedAt.Equal(time.Unix(1763830800, 0)) {
		t.Errorf("published %v, edited %v", becas.PublishedAt, becas.EditedAt)
	}
	if len(becas.Media) != 2 || becas.Media[0].Kind != "image" || becas.Media[0].Alt != "Entrega de becas en la Escuela Secundaria Técnica 52" ||
		becas.Media[1].Alt != "Lugar: Escuela Secundaria Técnica 52, Calle Sierra Nevada 1050, Guadalajara, Jalisco" {
		t.Errorf("media %+v", becas.Media)
	}
	link := posts["1763744400"].Latest()
	if len(link.Media) != 1 || link.Media[0].URL != "https://transparencia.guadalajara.example/presupuesto-participativo" {
		t.Errorf("link %+v", link.Media)
	}
	if got := posts["1763658000"].Latest().Text; got != "Mañana no habrá servicio de recolección en el Centro Histórico por el desfile." {
		t.Errorf("text %q", got)
	}
}

func TestInstagramExport(t *testing.T) {
	exp := read(t, "testdata/instagram")
	if exp.Network != archive.Instagram || exp.Handle != "gobiernogdl" || len(exp.Posts) != 3 {
		t.Fatalf("network %s, handle %q, %d posts", exp.Network, exp.Handle, len(exp.Posts))
	}
	posts := byID(exp)
	if got := posts["1763920800"].Latest().Text; got != "Así luce el Mercado Corona renovado ✨ #Guadalajara" {
		t.Errorf("caption %q", got)
	}
	two := posts["1763748000"].Latest()
	if two.Text != "Jornada de limpieza en Santa Tere con vecinas y vecinos. ¡Gracias!" || len(two.Media) != 2 {
		t.Errorf("post of two photos: %q %+v", two.Text, two.Media)
	}
	reel := posts["r1763834400"].Latest()
	if reel.Text != "Recorrido por la nueva ciclovía de Federalismo 🚲" || reel.Media[0].Kind != "video" {
		t.Errorf("reel: %q %+v", reel.Text, reel.Media)
	}
}

func TestTikTokExport(t *testing.T) {
	exp := read(t, "testdata/tiktok")
	if exp.Network != archive.TikTok || exp.Handle != "gobiernogdl" || len(exp.Posts) != 2 {
		t.Fatalf("network %s, handle %q, %d posts", exp.Network, exp.Handle, len(exp.Posts))
	}
	posts := byID(exp)
	v := posts["7441234567890123456"].Latest()
	if v.URL != "https://www.tiktok.com/@gobiernogdl/video/7441234567890123456" || v.Metrics["likes"] != 1520 ||
		!v.PublishedAt.Equal(time.Date(2026, 11, 24, 19, 30, 0, 0, time.UTC)) {
		t.Errorf("video %+v", v)
	}
	if _, ok := posts["1795190712"]; !ok { // a CDN link names no id: the second of publication does
		t.Errorf("ids %v", posts)
	}
}

func TestFixMeta(t *testing.T) {
	for in, want := range map[string]string{
		"Ma\u00c3\u00b1ana":            "Mañana",
		"\u00f0\u009f\u0093\u009a":     "📚",
		"Mañana":                       "Mañana", // already right: é alone is not UTF-8
		"plain":                        "plain",
		"caf\u00e9 \u00c3\u00a9":       "caf\u00e9 \u00c3\u00a9", // mixed: not all bytes make UTF-8
		"already ✨ \u00c3\u00b1 mixed": "already ✨ \u00c3\u00b1 mixed",
	} {
		if got := dataexport.FixMeta(in); got != want {
			t.Errorf("FixMeta(%q) = %q, want %q", in, got, want)
		}
	}
}

// zipDir writes the files of a fixture folder into a zip, changing them
// with edit (name → contents; nil drops the file).
func zipDir(t *testing.T, dir string, edit func(name string, data []byte) []byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if edit != nil {
			if data = edit(filepath.ToSlash(name), data); data == nil {
				return nil
			}
		}
		w, err := zw.Create(filepath.ToSlash(name))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil || zw.Close() != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(dir)+".zip")
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBadExports: each problem is an *Error naming the file inside the
// export (or the export itself), the line or field, and what to do.
func TestBadExports(t *testing.T) {
	whole := zipDir(t, "testdata/x", nil)
	data, _ := os.ReadFile(whole)
	cut := filepath.Join(t.TempDir(), "cortado.zip")
	if err := os.WriteFile(cut, data[:len(data)*2/3], 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		want       []string
	}{
		{"a zip cut short in the copy", cut, []string{cut, "not a whole zip file"}},
		{"tweets.js cut short", zipDir(t, "testdata/x", func(name string, data []byte) []byte {
			if name == "data/tweets.js" {
				return data[:len(data)/2]
			}
			return data
		}), []string{"data/tweets.js:", "cut short"}},
		{"fewer posts than the manifest lists", zipDir(t, "testdata/x", func(name string, data []byte) []byte {
			if name == "data/manifest.js" {
				return bytes.Replace(data, []byte(`"count" : "6"`), []byte(`"count" : "9"`), 1)
			}
			return data
		}), []string{"data/tweets.js", "holds 6 posts where data/manifest.js lists 9"}},
		{"no account named", zipDir(t, "testdata/x", func(name string, data []byte) []byte {
			if name == "data/manifest.js" || name == "data/account.js" {
				return nil
			}
			return data
		}), []string{"data/account.js", "field account.username"}},
		{"a date X does not write", zipDir(t, "testdata/x", func(name string, data []byte) []byte {
			if name == "data/tweets.js" {
				return bytes.Replace(data, []byte("Fri Nov 20 14:30:00 +0000 2026"), []byte("2026-11-20"), 1)
			}
			return data
		}), []string{"data/tweets.js", "field tweet.created_at", `"2026-11-20"`}},
		{"Facebook without its profile", zipDir(t, "testdata/facebook-2019", func(name string, data []byte) []byte {
			if strings.HasPrefix(name, "profile_information/") {
				return nil
			}
			return data
		}), []string{"profile_information/profile_information.json", "field profile_v2.username", "Profile information"}},
		{"Facebook in HTML", zipDir(t, "testdata/facebook-2019", func(name string, data []byte) []byte {
			if strings.HasSuffix(name, ".json") {
				return nil
			}
			return data
		}), []string{"not a data export vigia reads", "X archive (data/tweets.js"}},
		{"not an export at all", "testdata/README.md", []string{"testdata/README.md", "not a data export vigia reads"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := dataexport.Open(c.path)
			if err == nil {
				var r *dataexport.Reader
				if r, err = dataexport.Detect(f, readers); err == nil {
					_, err = r.Read(f.FS)
				}
			}
			var de *dataexport.Error
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *dataexport.Error", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestHandlesAsWritten: the ways offices write an account of these
// networks in their spreadsheets are read as the handle.
func TestHandlesAsWritten(t *testing.T) {
	for _, c := range []struct {
		spec    directory.NetworkSpec
		written []string
		want    string
	}{
		{x.Network, []string{"@GobiernoGDL", "https://x.com/GobiernoGDL", "twitter.com/GobiernoGDL", "https://www.twitter.com/GobiernoGDL/status/1"}, "GobiernoGDL"},
		{facebook.Network, []string{"https://www.facebook.com/GobiernoDeGuadalajara", "facebook.com/GobiernoDeGuadalajara/", "m.facebook.com/GobiernoDeGuadalajara"}, "GobiernoDeGuadalajara"},
		{facebook.Network, []string{"https://www.facebook.com/profile.php?id=100064512345678", "facebook.com/people/Laura-Mendez/100064512345678/"}, "100064512345678"},
		{instagram.Network, []string{"@gobiernogdl", "https://www.instagram.com/gobiernogdl/", "instagram.com/gobiernogdl"}, "gobiernogdl"},
		{tiktok.Network, []string{"@gobiernogdl", "https://www.tiktok.com/@gobiernogdl", "tiktok.com/@gobiernogdl/video/7441234567890123456"}, "gobiernogdl"},
	} {
		for _, w := range c.written {
			if got := c.spec.NormalizeHandle(w); got != c.want || c.spec.CheckHandle(got) != "" {
				t.Errorf("%s %q read as %q (%s), want %q", c.spec.Name, w, got, c.spec.CheckHandle(got), c.want)
			}
		}
	}
}
