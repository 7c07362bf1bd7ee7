package samplenet

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// The data exports of X, Facebook, Instagram and TikTok, built from the
// layouts documented in dataexport/testdata/README.md, for vigia demo and
// for tests: vigia reads those networks from the export an account's holder
// hands in (vigia import), not by crawling.

// ExportPost is a post of a generated export.
type ExportPost struct {
	ID   string // X and TikTok: the post's id (the others' exports carry none)
	At   time.Time
	Text string
	// Edits are the texts the post was edited to, in order (X keeps each
	// as a post of its own, named by edit_info); the others' exports hold
	// the last text only, with Facebook's update_timestamp.
	Edits   []string
	EditAt  []time.Time
	Deleted time.Time // X: listed in data/deleted-tweets.js, deleted then
	Media   []string  // file names of attached photos or videos
	Place   string    // Facebook: a place attached
	Likes   int
}

// ExportSpec describes an export to generate.
type ExportSpec struct {
	Handle    string
	Name      string // display name
	Generated time.Time
	Posts     []ExportPost
	Partial   bool // X: the manifest says the archive is partial
}

// SampleExportPosts returns n posts in Spanish, of an official account's
// and a servant's everyday life, one every few hours back from end, with
// ids from base; every seventh has a photo, every eleventh a long text.
func SampleExportPosts(n int, end time.Time, base int64, seed uint64) []ExportPost {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]ExportPost, n)
	at := end
	for i := range out {
		at = at.Add(-time.Duration(2+r.IntN(9)) * time.Hour).Truncate(time.Second)
		p := ExportPost{ID: strconv.FormatInt(base+int64(n-i)*1000+int64(r.IntN(899)), 10), At: at, Likes: r.IntN(400)}
		p.Text = sampleText(r, i)
		if i%7 == 3 {
			p.Media = []string{fmt.Sprintf("%s-%d.jpg", p.ID, i)}
		}
		if i%11 == 5 {
			p.Text += " " + strings.Repeat("Seguiremos informando sobre el avance de cada obra, colonia por colonia, con fechas y montos publicados en el portal de transparencia. ", 2)
		}
		out[n-1-i] = p
	}
	return out
}

var (
	sampleWorks    = []string{"la repavimentación", "el nuevo alumbrado", "la rehabilitación del mercado", "el colector pluvial", "la ciclovía", "el centro de salud"}
	samplePlaces   = []string{"Oblatos", "Santa Tere", "Providencia", "Huentitán", "Miravalle", "el Centro Histórico", "Jardines del Bosque"}
	samplePersonal = []string{"Feliz cumpleaños a mi mamá, la mujer más fuerte que conozco 🎂", "Domingo de tacos con la familia 🌮", "¡Qué partidazo de las Chivas! ⚽", "Mi hija aprendió a andar en bici hoy 🚲", "Café y lluvia, la mejor combinación ☕"}
)

func sampleText(r *rand.Rand, i int) string {
	switch i % 5 {
	case 0:
		return fmt.Sprintf("Hoy arrancamos %s en %s: %d días de trabajo y %d millones de pesos de inversión. #Guadalajara", sampleWorks[r.IntN(len(sampleWorks))], samplePlaces[r.IntN(len(samplePlaces))], 20+r.IntN(90), 1+r.IntN(40))
	case 1:
		return samplePersonal[r.IntN(len(samplePersonal))]
	case 2:
		return fmt.Sprintf("Aviso de Protección Civil: lluvias fuertes esta tarde en %s. Evita cruzar vialidades inundadas & reporta al 33 3619 <5432>.", samplePlaces[r.IntN(len(samplePlaces))])
	case 3:
		return fmt.Sprintf("Sesión de Cabildo: aprobamos el reglamento de %s y el presupuesto participativo de %s.", []string{"mercados", "movilidad", "protección animal", "comercio en vía pública"}[r.IntN(4)], samplePlaces[r.IntN(len(samplePlaces))])
	}
	return fmt.Sprintf("Gracias a las vecinas y vecinos de %s por la jornada de limpieza de este sábado. ¡Así se construye comunidad!", samplePlaces[r.IntN(len(samplePlaces))])
}

// zipFiles writes files, in the order given, into a zip.
func zipFiles(files [][2]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0], Method: zip.Deflate, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			panic(err) // writing to memory
		}
		_, _ = w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func mustJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err) // maps, slices and strings always marshal
	}
	return string(b)
}

// XArchive returns the zip of an X archive as X delivers it: data/manifest.js
// (window.__THAR_CONFIG), data/account.js, data/tweets.js, data/note-tweet.js
// for texts longer than 280 characters, data/deleted-tweets.js, the media
// in data/tweets_media/.
func XArchive(s ExportSpec) []byte {
	const accountID = "1456789012345678901"
	var tweets, deleted, notes []any
	var media [][2]string
	tweetObj := func(p *ExportPost, id, text string, at time.Time, editIDs []string, initial string) map[string]any {
		full := text
		if utf8.RuneCountInString(text) > 280 {
			full = string([]rune(text)[:270]) + "… https://t.co/" + id[len(id)-6:]
		}
		t := map[string]any{
			"retweeted": false, "source": `<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>`,
			"entities":           map[string]any{"hashtags": []any{}, "symbols": []any{}, "user_mentions": []any{}, "urls": []any{}},
			"display_text_range": []string{"0", strconv.Itoa(utf8.RuneCountInString(full))},
			"favorite_count":     strconv.Itoa(p.Likes), "id_str": id, "truncated": false, "retweet_count": strconv.Itoa(p.Likes / 7),
			"id": id, "created_at": at.UTC().Format(time.RubyDate), "favorited": false,
			"full_text": html.EscapeString(full), "lang": "es",
		}
		t["full_text"] = strings.ReplaceAll(t["full_text"].(string), "&#39;", "'")
		t["full_text"] = strings.ReplaceAll(t["full_text"].(string), "&#34;", `"`)
		if initial == "" {
			t["edit_info"] = map[string]any{"initial": map[string]any{"editTweetIds": editIDs, "editableUntil": at.Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000Z"), "editsRemaining": "5", "isEditEligible": true}}
		} else {
			t["edit_info"] = map[string]any{"edit": map[string]any{"initialTweetId": initial, "editControlInitial": map[string]any{"editTweetIds": editIDs, "editableUntil": at.Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000Z"), "editsRemaining": "4", "isEditEligible": true}}}
		}
		if len(p.Media) > 0 {
			var ms []any
			for j, m := range p.Media {
				mid := id + strconv.Itoa(j)
				short := "https://t.co/m" + mid[len(mid)-6:]
				t["full_text"] = t["full_text"].(string) + " " + short
				ms = append(ms, map[string]any{"url": short, "expanded_url": "https://x.com/" + s.Handle + "/status/" + id + "/photo/1",
					"id_str": mid, "media_url_https": "https://pbs.twimg.com/media/" + mid + ".jpg", "type": "photo",
					"media_url": "http://pbs.twimg.com/media/" + mid + ".jpg", "display_url": "pic.x.com/" + mid[len(mid)-6:]})
				media = append(media, [2]string{"data/tweets_media/" + id + "-" + m, "JPEG " + m})
			}
			t["entities"].(map[string]any)["media"] = ms
			t["extended_entities"] = map[string]any{"media": ms}
		}
		if utf8.RuneCountInString(text) > 280 {
			notes = append(notes, map[string]any{"noteTweet": map[string]any{
				"noteTweetId": "9" + id[1:], "updatedAt": at.UTC().Format("2006-01-02T15:04:05.000Z"),
				"lifecycle": map[string]any{"value": "1", "name": "Published", "originalName": "Published", "annotations": map[string]any{}},
				"createdAt": at.UTC().Format("2006-01-02T15:04:05.000Z"),
				"core":      map[string]any{"styletags": []any{}, "urls": []any{}, "text": text, "mentions": []any{}, "cashtags": []any{}, "hashtags": []any{}},
			}})
		}
		return t
	}
	for i := range s.Posts {
		p := &s.Posts[i]
		ids := []string{p.ID}
		for j := range p.Edits {
			ids = append(ids, p.ID[:len(p.ID)-3]+fmt.Sprintf("%03d", 900+j))
		}
		if !p.Deleted.IsZero() {
			t := tweetObj(p, p.ID, p.Text, p.At, ids, "")
			t["deleted_at"] = p.Deleted.UTC().Format("2006-01-02T15:04:05.000Z")
			deleted = append(deleted, map[string]any{"tweet": t})
			continue
		}
		tweets = append(tweets, map[string]any{"tweet": tweetObj(p, p.ID, p.Text, p.At, ids, "")})
		for j, text := range p.Edits {
			tweets = append(tweets, map[string]any{"tweet": tweetObj(p, ids[j+1], text, p.EditAt[j], ids, p.ID)})
		}
	}
	js := func(global string, v any) string { return "window." + global + " = " + mustJSON(v) }
	partial := s.Partial
	manifest := map[string]any{
		"userInfo":    map[string]any{"accountId": accountID, "userName": s.Handle, "displayName": s.Name},
		"archiveInfo": map[string]any{"sizeBytes": "1048576", "generationDate": s.Generated.UTC().Format("2006-01-02T15:04:05.000Z"), "isPartialArchive": partial, "maxPartSizeBytes": "53687091200"},
		"readmeInfo":  map[string]any{"fileName": "data/README.txt", "directory": "data/", "name": "README.txt"},
		"dataTypes": map[string]any{
			"account":       map[string]any{"files": []any{map[string]any{"fileName": "data/account.js", "globalName": "YTD.account.part0", "count": "1"}}},
			"tweets":        map[string]any{"mediaDirectory": "data/tweets_media", "files": []any{map[string]any{"fileName": "data/tweets.js", "globalName": "YTD.tweets.part0", "count": strconv.Itoa(len(tweets))}}},
			"deletedTweets": map[string]any{"mediaDirectory": "data/deleted_tweets_media", "files": []any{map[string]any{"fileName": "data/deleted-tweets.js", "globalName": "YTD.deleted_tweets.part0", "count": strconv.Itoa(len(deleted))}}},
			"noteTweet":     map[string]any{"files": []any{map[string]any{"fileName": "data/note-tweet.js", "globalName": "YTD.note_tweet.part0", "count": strconv.Itoa(len(notes))}}},
		},
	}
	account := []any{map[string]any{"account": map[string]any{"email": s.Handle + "@correo.example", "createdVia": "web",
		"username": s.Handle, "accountId": accountID, "createdAt": "2015-03-02T17:20:11.000Z", "accountDisplayName": s.Name}}}
	if deleted == nil {
		deleted = []any{}
	}
	if notes == nil {
		notes = []any{}
	}
	files := [][2]string{
		{"Your archive.html", "<!DOCTYPE html><title>Your archive</title>"},
		{"data/README.txt", "Twitter archive\n"},
		{"data/manifest.js", "window.__THAR_CONFIG = " + mustJSON(manifest)},
		{"data/account.js", js("YTD.account.part0", account)},
		{"data/tweets.js", js("YTD.tweets.part0", tweets)},
		{"data/note-tweet.js", js("YTD.note_tweet.part0", notes)},
		{"data/deleted-tweets.js", js("YTD.deleted_tweets.part0", deleted)},
	}
	return zipFiles(append(files, media...))
}

// metaEscape writes JSON as Meta's exports do: every byte of a non-ASCII
// character as a \u00XX escape of its own.
func metaEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 {
			fmt.Fprintf(&b, `\u00%02x`, c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// FacebookExport returns the zip of Facebook's "Download your information"
// in JSON, in its layout since 2024: your_facebook_activity/posts/
// your_posts__check_ins__photos_and_videos_1.json (newest first) and
// personal_information/profile_information/profile_information.json.
func FacebookExport(s ExportSpec) []byte {
	var posts []any
	var media [][2]string
	for i := len(s.Posts) - 1; i >= 0; i-- {
		p := &s.Posts[i]
		if !p.Deleted.IsZero() {
			continue
		}
		text := p.Text
		data := []any{}
		if len(p.Edits) > 0 {
			text = p.Edits[len(p.Edits)-1]
		}
		data = append(data, map[string]any{"post": text})
		if len(p.Edits) > 0 {
			data = append(data, map[string]any{"update_timestamp": p.EditAt[len(p.EditAt)-1].Unix()})
		}
		post := map[string]any{"timestamp": p.At.Unix(), "data": data, "title": s.Name + " actualizó su estado."}
		var atts []any
		for _, m := range p.Media {
			uri := "your_facebook_activity/posts/media/Fotos_" + strconv.FormatInt(p.At.Unix(), 10) + "/" + m
			atts = append(atts, map[string]any{"data": []any{map[string]any{"media": map[string]any{
				"uri": uri, "creation_timestamp": p.At.Unix(), "title": "", "description": text,
				"media_metadata": map[string]any{"photo_metadata": map[string]any{"exif_data": []any{map[string]any{"upload_ip": "203.0.113.7"}}}}}}}})
			media = append(media, [2]string{uri, "JPEG " + m})
		}
		if p.Place != "" {
			atts = append(atts, map[string]any{"data": []any{map[string]any{"place": map[string]any{
				"name": p.Place, "coordinate": map[string]any{"latitude": 20.6767, "longitude": -103.3475},
				"address": "Guadalajara, Jalisco", "url": "https://www.facebook.com/places/" + strings.ReplaceAll(p.Place, " ", "-")}}}})
		}
		if atts != nil {
			post["attachments"] = atts
			post["title"] = s.Name + " publicó una foto."
		}
		posts = append(posts, post)
	}
	profile := map[string]any{"profile_v2": map[string]any{
		"name":        map[string]any{"full_name": s.Name, "first_name": s.Name, "middle_name": "", "last_name": ""},
		"emails":      map[string]any{"emails": []string{s.Handle + "@correo.example"}, "previous_emails": []any{}, "pending_emails": []any{}, "ad_account_emails": []any{}},
		"birthday":    map[string]any{"year": 1980, "month": 5, "day": 14},
		"gender":      map[string]any{"gender_option": "FEMALE", "pronoun": "FEMALE"},
		"username":    s.Handle,
		"profile_uri": "https://www.facebook.com/" + s.Handle,
	}}
	files := [][2]string{
		{"start_here.html", "<!DOCTYPE html><title>Tu información</title>"},
		{"personal_information/profile_information/profile_information.json", metaEscape(mustJSON(profile))},
		{"your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json", metaEscape(mustJSON(posts))},
	}
	return zipFiles(append(files, media...))
}

// InstagramExport returns the zip of Instagram's "Download your
// information" in JSON, in its layout since 2024:
// your_instagram_activity/content/posts_1.json (a post with one photo keeps
// its caption in the media's title, one with several in its own title),
// reels.json for posts with a video, and
// personal_information/personal_information/personal_information.json.
func InstagramExport(s ExportSpec) []byte {
	posts, reels := []any{}, []any{}
	var media [][2]string
	for i := len(s.Posts) - 1; i >= 0; i-- {
		p := &s.Posts[i]
		if !p.Deleted.IsZero() {
			continue
		}
		text := p.Text
		if len(p.Edits) > 0 {
			text = p.Edits[len(p.Edits)-1]
		}
		month := p.At.UTC().Format("200601")
		files := p.Media
		if len(files) == 0 {
			files = []string{strconv.FormatInt(p.At.Unix(), 10) + ".jpg"}
		}
		var ms []any
		for _, f := range files {
			dir := "media/posts/"
			if strings.HasSuffix(f, ".mp4") {
				dir = "media/reels/"
			}
			uri := dir + month + "/" + f
			ms = append(ms, map[string]any{"uri": uri, "creation_timestamp": p.At.Unix(),
				"media_metadata": map[string]any{"camera_metadata": map[string]any{"has_camera_metadata": false}},
				"title":          "", "cross_post_source": map[string]any{"source_app": "FB"}, "backup_uri": "https://scontent.cdninstagram.example/" + f})
			media = append(media, [2]string{uri, "JPEG " + f})
		}
		if len(ms) == 1 {
			ms[0].(map[string]any)["title"] = text
			entry := map[string]any{"media": ms}
			if strings.HasSuffix(files[0], ".mp4") {
				reels = append(reels, entry)
			} else {
				posts = append(posts, entry)
			}
			continue
		}
		posts = append(posts, map[string]any{"media": ms, "title": text, "creation_timestamp": p.At.Unix()})
	}
	personal := map[string]any{"profile_user": []any{map[string]any{
		"media_map_data": map[string]any{"Profile Photo": map[string]any{"uri": "media/profile/202401/perfil.jpg", "creation_timestamp": 1704067200, "title": ""}},
		"string_map_data": map[string]any{
			"Email":    map[string]any{"href": "", "value": s.Handle + "@correo.example", "timestamp": 0},
			"Name":     map[string]any{"href": "", "value": s.Name, "timestamp": 0},
			"Username": map[string]any{"href": "", "value": s.Handle, "timestamp": 0},
		}}}}
	files := [][2]string{
		{"start_here.html", "<!DOCTYPE html><title>Your information</title>"},
		{"personal_information/personal_information/personal_information.json", metaEscape(mustJSON(personal))},
		{"your_instagram_activity/content/posts_1.json", metaEscape(mustJSON(posts))},
		{"your_instagram_activity/content/reels.json", metaEscape(mustJSON(map[string]any{"ig_reels_media": reels}))},
	}
	return zipFiles(append(files, media...))
}

// TikTokExport returns the zip of TikTok's user data in JSON as delivered
// since 2024: user_data_tiktok.json, with Profile's ProfileMap and the
// account's videos in Post.Posts.VideoList (Date in UTC as "2006-01-02
// 15:04:05", Link, Likes as a string, Title).
func TikTokExport(s ExportSpec) []byte {
	list := []any{}
	for i := len(s.Posts) - 1; i >= 0; i-- {
		p := &s.Posts[i]
		if !p.Deleted.IsZero() {
			continue
		}
		text := p.Text
		if len(p.Edits) > 0 {
			text = p.Edits[len(p.Edits)-1]
		}
		list = append(list, map[string]any{
			"Date": p.At.UTC().Format(time.DateTime), "Link": "https://www.tiktokv.com/share/video/" + p.ID + "/",
			"Likes": strconv.Itoa(p.Likes), "WhoCanView": "Everyone", "AllowComments": "Yes", "AllowStitches": "Yes",
			"AllowDuets": "Yes", "AllowStickers": "Yes", "AllowSharingToStory": "Yes", "ContentDisclosure": "",
			"AIGeneratedContent": "No", "Sound": "sonido original - " + s.Handle, "Location": "Guadalajara", "Title": text,
			"AddYoursText": "", "CoverImage": "https://p16-sign.tiktokcdn-us.example/obj/" + p.ID + ".jpeg",
		})
	}
	doc := map[string]any{
		"Profile": map[string]any{"Profile Info": map[string]any{"ProfileMap": map[string]any{
			"userName": s.Handle, "displayName": s.Name, "bioDescription": "Cuenta oficial", "birthDate": "14-May-1980",
			"emailAddress": s.Handle + "@correo.example", "likesReceived": "12000", "profilePhoto": "https://p16.example/perfil.jpeg",
		}}},
		"Post": map[string]any{"Posts": map[string]any{"VideoList": list}},
		"Your Activity": map[string]any{"Watch History": map[string]any{"VideoList": []any{
			map[string]any{"Date": s.Generated.UTC().Format(time.DateTime), "Link": "https://www.tiktokv.com/share/video/7000000000000000001/"}}}},
	}
	return zipFiles([][2]string{{"user_data_tiktok.json", mustJSON(doc)}})
}

// ExportBuilders builds the export of each network the sample gives by its
// holder's data export rather than serving it.
var ExportBuilders = map[archive.Network]func(ExportSpec) []byte{
	archive.X: XArchive, archive.Facebook: FacebookExport, archive.Instagram: InstagramExport, archive.TikTok: TikTokExport,
}

// XAccount is the sample municipality's X account, read from the archive
// its communication area hands in (XSampleArchive): it is not in the
// directory the server serves, which lists the accounts it crawls.
func XAccount() directory.Account {
	return directory.Account{ID: "gobierno-gdl-x", Network: archive.X, Handle: "GobiernoGDL",
		Type: directory.Official, Area: "Coordinación de Comunicación Social"}
}

// XSampleArchive is the X archive of XAccount as handed in on
// XSampleReceived: six posts, one edited within X's edit window (the
// archive keeps both versions), one deleted (listed in
// data/deleted-tweets.js).
func XSampleArchive() []byte {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	return XArchive(ExportSpec{Handle: "GobiernoGDL", Name: "Gobierno de Guadalajara (muestra)", Generated: at("2026-11-27T18:00:00Z"), Posts: []ExportPost{
		{ID: "1852000000000000100", At: at("2026-10-30T16:00:00Z"), Likes: 312,
			Text: "Los panteones municipales abren el 1 y 2 de noviembre de 6:00 a 20:00 h. Consulta rutas de transporte y módulos de atención en guadalajara.example/panteones #DíaDeMuertos"},
		{ID: "1855000000000000200", At: at("2026-11-08T15:30:00Z"), Likes: 95, Media: []string{"bacheo-federalismo.jpg"},
			Text: "Esta semana tapamos 1,240 baches en Av. Federalismo, Ávila Camacho y colonias de Oblatos. Reporta un bache al 070 o en la app Ciudad."},
		{ID: "1857000000000000300", At: at("2026-11-14T19:00:00Z"), Likes: 41,
			Text:   "Cierre vial en la calzada Independencia este domingo de 7 a 14 horas por la Vía RecreActiva.",
			Edits:  []string{"Cierre vial en la calzada Independencia este domingo de 7 a 15 horas por la Vía RecreActiva."},
			EditAt: []time.Time{at("2026-11-14T19:09:00Z")}},
		{ID: "1858000000000000400", At: at("2026-11-18T13:00:00Z"), Likes: 12, Deleted: at("2026-11-18T14:02:00Z"),
			Text: "Los apoyos del programa de útiles escolares se entregarán solo a quienes asistan al evento del domingo."},
		{ID: "1860000000000000500", At: at("2026-11-22T17:00:00Z"), Likes: 207,
			Text: "Sesión de Cabildo: aprobamos el reglamento de mercados municipales y el presupuesto participativo de Huentitán. Versión estenográfica en transparencia.guadalajara.example/cabildo"},
		{ID: "1861000000000000600", At: at("2026-11-26T23:00:00Z"), Likes: 530,
			Text: "Aviso de Protección Civil: lluvias fuertes esta noche en el oriente de la ciudad. Evita cruzar vialidades inundadas; emergencias al 911."},
	}})
}

// XSampleReceived is the day the sample's X archive was handed in.
var XSampleReceived = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
