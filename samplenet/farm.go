package samplenet

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/directory"
)

// farmDomain is the instance the farm's statuses and accounts name; the
// farm itself is served wherever its Handler is mounted.
const farmDomain = "farm.example"

// Farm is a synthetic Mastodon instance for benchmarks: many accounts, each
// with realistic statuses (about 1.5-2 KB of JSON each) served with the
// API's limit (default 20, at most 40) and Link pagination. Every status is
// rendered once, when the farm is built; a request only slices bytes.
type Farm struct {
	accounts []farmAccount
	byUser   map[string]int
	byID     map[string]int
	handler  http.Handler
}

type farmAccount struct {
	user, id string
	account  []byte   // the account entity
	ids      []string // status ids, newest first
	body     []byte   // the statuses' JSON, newest first, joined by commas
	offs     []int    // where status i starts in body; offs[n] = len(body)+1
}

// NewMastodonFarm builds a farm of accounts accounts (@user0001@farm.example
// and on), each with postsPerAccount statuses.
func NewMastodonFarm(accounts, postsPerAccount int) *Farm {
	f := &Farm{byUser: map[string]int{}, byID: map[string]int{}}
	base := "https://" + farmDomain
	for i := range accounts {
		user := fmt.Sprintf("user%04d", i+1)
		since := time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%700)
		acc := &mAccount{
			ID: snowflake(since, "farm:"+user), Username: user, Acct: user,
			DisplayName:  farmNames[i%len(farmNames)] + fmt.Sprintf(" (%04d)", i+1),
			Discoverable: true, Indexable: true, CreatedAt: mastodonTime(since),
			Note: "<p>Cuenta sintética de la granja de pruebas de vigia: " + farmAreas[i%len(farmAreas)] + ".</p>",
			URL:  base + "/@" + user, URI: base + "/users/" + user,
			Header: base + "/headers/original/missing.png", HeaderStatic: base + "/headers/original/missing.png",
			FollowersCount: int64(100 + seed(user)%9000), FollowingCount: int64(seed(user) % 400),
			StatusesCount: int64(postsPerAccount),
			Emojis:        []struct{}{}, Roles: []struct{}{}, Fields: []mField{},
		}
		acc.Avatar = base + "/system/accounts/avatars/" + idPath(acc.ID) + "/original/" + user + ".png"
		acc.AvatarStatic = acc.Avatar
		if postsPerAccount > 0 {
			day := farmNewest.Format("2006-01-02")
			acc.LastStatusAt = &day
		}
		fa := farmAccount{user: user, id: acc.ID}
		fa.account, _ = marshalJSON(acc)
		for j := range postsPerAccount {
			st := farmStatus(base, acc, i, j, j+1 < postsPerAccount)
			b, _ := marshalJSON(st)
			if j > 0 {
				fa.body = append(fa.body, ',')
			}
			fa.offs = append(fa.offs, len(fa.body))
			fa.body = append(fa.body, b...)
			fa.ids = append(fa.ids, st.ID)
		}
		fa.offs = append(fa.offs, len(fa.body)+1)
		f.byUser[user] = len(f.accounts)
		f.byID[acc.ID] = len(f.accounts)
		f.accounts = append(f.accounts, fa)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", serveRobots)
	mux.HandleFunc("GET /api/v1/accounts/lookup", f.lookup)
	mux.HandleFunc("GET /api/v1/accounts/{id}", f.account)
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", f.statuses)
	mux.HandleFunc("GET /api/v1/statuses/{id}", f.status)
	picture := drawImage("farm", "jpeg") // one picture serves every attachment
	mux.HandleFunc("GET /system/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(picture)
	})
	f.handler = mux
	return f
}

// Handler returns the handler serving the farm's Mastodon API.
func (f *Farm) Handler() http.Handler { return f.handler }

// Directory returns a directory of the farm's accounts served at baseURL.
func (f *Farm) Directory(baseURL string) []byte {
	d := &directory.Directory{Subject: "Granja sintética de Mastodon (benchmark)", Timezone: "America/Mexico_City"}
	for i, a := range f.accounts {
		e := directory.Account{
			ID: "farm-" + strings.TrimPrefix(a.user, "user"), Network: archive.Mastodon,
			Handle: "@" + a.user + "@" + farmDomain, Endpoint: baseURL,
			Type: directory.Official, Area: farmAreas[i%len(farmAreas)],
		}
		if i%3 == 2 {
			e.Type, e.RegisteredOn = directory.Personal, mustDate("2024-10-15")
			e.Servant = &directory.Servant{Name: farmNames[i%len(farmNames)], Position: "Titular de " + e.Area, Level: i % 5}
			e.Office = directory.Office{From: mustDate("2024-10-01")}
		}
		d.Accounts = append(d.Accounts, e)
	}
	return writeDirectory("vigia samplenet: directory of the synthetic Mastodon farm (generated)", d)
}

func (f *Farm) lookup(w http.ResponseWriter, r *http.Request) {
	acct := strings.TrimPrefix(r.URL.Query().Get("acct"), "@")
	user, domain, remote := strings.Cut(acct, "@")
	i, ok := f.byUser[user]
	if !ok || (remote && domain != farmDomain && domain != r.Host) {
		writeJSON(w, http.StatusNotFound, mastodonNotFound)
		return
	}
	writeRaw(w, f.accounts[i].account)
}

func (f *Farm) account(w http.ResponseWriter, r *http.Request) {
	i, ok := f.byID[r.PathValue("id")]
	if !ok {
		writeJSON(w, http.StatusNotFound, mastodonNotFound)
		return
	}
	writeRaw(w, f.accounts[i].account)
}

func (f *Farm) statuses(w http.ResponseWriter, r *http.Request) {
	i, ok := f.byID[r.PathValue("id")]
	if !ok {
		writeJSON(w, http.StatusNotFound, mastodonNotFound)
		return
	}
	a := &f.accounts[i]
	q := r.URL.Query()
	from, to, limit := mastodonWindow(a.ids, q, 40)
	if link := mastodonLinkHeader(baseURL(r)+r.URL.Path, q, a.ids[from:to], limit); link != "" {
		w.Header().Set("Link", link)
	}
	mastodonHeaders(w)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if from == to {
		w.Write([]byte("[]"))
		return
	}
	w.Write([]byte{'['})
	w.Write(a.body[a.offs[from] : a.offs[to]-1])
	w.Write([]byte{']'})
}

func (f *Farm) status(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	for _, a := range f.accounts {
		// ids are newest first: search the reversed order.
		if j, ok := slices.BinarySearchFunc(a.ids, id, func(have, want string) int {
			switch {
			case have == want:
				return 0
			case idBefore(want, have):
				return -1
			}
			return 1
		}); ok {
			writeRaw(w, a.body[a.offs[j]:a.offs[j+1]-1])
			return
		}
	}
	writeJSON(w, http.StatusNotFound, mastodonNotFound)
}

func writeRaw(w http.ResponseWriter, body []byte) {
	mastodonHeaders(w)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

// farmNewest is when the farm's newest statuses were published; status j
// of an account is about 3j hours older.
var farmNewest = time.Date(2026, 11, 20, 22, 0, 0, 0, time.UTC)

func farmID(user string, j int) (string, time.Time) {
	at := farmNewest.Add(-time.Duration(j)*3*time.Hour - time.Duration(seed(fmt.Sprint(user, j))%3600)*time.Second)
	return snowflake(at, fmt.Sprintf("farm:%s:%d", user, j)), at
}

// farmStatus writes status j of account i: municipal notices with tags and
// a link; now and then a picture, an edit, or a reply to the account's
// previous status when there is one (older).
func farmStatus(base string, acc *mAccount, i, j int, hasOlder bool) *mStatus {
	id, at := farmID(acc.Username, j)
	u := base + "/@" + acc.Username + "/" + id
	lang := "es"
	text := fmt.Sprintf(farmTexts[(i+j)%len(farmTexts)], farmPlaces[(i*7+j)%len(farmPlaces)], 10+seed(id)%990)
	if j%3 == 0 {
		text += fmt.Sprintf("\n\nMás información: https://%s/avisos/%d/%s", farmDomain, at.Year(), id)
	}
	text += " #" + farmTags[j%len(farmTags)]
	content, tags, _ := mastodonContent(base, text, func(string) *mMention { return nil })
	st := &mStatus{
		ID: id, CreatedAt: mastodonTime(at), Visibility: "public", Language: &lang,
		URI: base + "/users/" + acc.Username + "/statuses/" + id, URL: &u,
		RepliesCount: int64(seed(id) % 40), ReblogsCount: int64(seed(id+"r") % 120), FavouritesCount: int64(seed(id+"f") % 400),
		Content: content, Application: &mApp{Name: "Web"}, Account: acc,
		MediaAttachments: []mMedia{}, Mentions: []mMention{}, Tags: tags, Emojis: []struct{}{},
	}
	if j%5 == 4 {
		e := mastodonTime(at.Add(17 * time.Minute))
		st.EditedAt = &e
	}
	if j%9 == 8 && hasOlder {
		parent, _ := farmID(acc.Username, j+1)
		st.InReplyToID, st.InReplyToAccountID = &parent, &acc.ID
	}
	if j%7 == 3 {
		mid := snowflake(at, "media:"+id)
		dir := base + "/system/media_attachments/files/" + idPath(mid)
		dim := mDim{Width: 1280, Height: 960, Size: "1280x960", Aspect: 4.0 / 3}
		st.MediaAttachments = []mMedia{{
			ID: mid, Type: "image", URL: dir + "/original/" + mid + ".jpeg", PreviewURL: dir + "/small/" + mid + ".jpeg",
			Meta:        mMeta{Original: dim, Small: mDim{Width: 640, Height: 480, Size: "640x480", Aspect: 4.0 / 3}},
			Description: "Fotografía de los trabajos en " + farmPlaces[(i*7+j)%len(farmPlaces)], Blurhash: "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
		}}
	}
	return st
}

var (
	farmNames  = []string{"Ana Beltrán", "Carlos Medina", "Diana Ochoa", "Ernesto Pineda", "Fernanda Ríos", "Gabriel Soto", "Helena Ureña", "Iván Zepeda"}
	farmAreas  = []string{"Dirección de Obras Públicas", "Dirección de Servicios Públicos", "Tesorería Municipal", "Dirección de Cultura", "Protección Civil y Bomberos", "Dirección de Movilidad"}
	farmPlaces = []string{"Oblatos", "Huentitán", "Santa Tere", "Analco", "Mexicaltzingo", "Jardines del Country", "San Andrés", "Colonia Americana", "Santa Cecilia", "Lomas del Paradero", "Providencia", "El Retiro"}
	farmTags   = []string{"Bacheo", "Agua", "Transparencia", "Cabildo", "ProtecciónCivil", "Cultura", "Movilidad"}
	farmTexts  = []string{
		"Cuadrillas de bacheo trabajan hoy en %s; llevamos %d baches atendidos esta semana gracias a los reportes al 070.",
		"Corte de agua programado en %s por reparación de una línea; habrá %d pipas gratuitas disponibles durante el día.",
		"Publicamos la licitación para rehabilitar calles de %s: %d propuestas registradas hasta ahora. Consulta las bases.",
		"Sesión de Cabildo con vecinas y vecinos de %s: se aprobaron %d acuerdos sobre obra pública y servicios.",
		"Protección Civil revisó %s ante el temporal de lluvias: %d puntos de riesgo con seguimiento permanente.",
		"Taller gratuito de música y lectura en el centro cultural de %s; cupo para %d personas, inscríbete con tiempo.",
		"Nuevas luminarias LED en %s: %d puntos de luz renovados para caminar más seguros por la noche.",
		"Jornada de limpieza y descacharrización en %s: retiramos %d toneladas de residuos con ayuda de los vecinos.",
	}
)
