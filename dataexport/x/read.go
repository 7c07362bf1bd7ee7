package x

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/dataexport"
)

// Reader reads X archives.
var Reader = dataexport.Reader{
	Network: archive.X,
	Name:    "X archive",
	Looks:   "data/tweets.js or data/tweet.js, data/manifest.js",
	Detect:  detect,
	Read:    read,
}

func detect(fsys fs.FS) bool {
	for _, name := range []string{"data/manifest.js", "data/tweets.js", "data/tweet.js", "data/account.js", "data/js/tweet_index.js"} {
		if dataexport.Exists(fsys, name) {
			return true
		}
	}
	return false
}

// manifest is data/manifest.js (window.__THAR_CONFIG).
type manifest struct {
	UserInfo struct {
		AccountID string `json:"accountId"`
		UserName  string `json:"userName"`
	} `json:"userInfo"`
	ArchiveInfo struct {
		GenerationDate   string `json:"generationDate"`
		IsPartialArchive *bool  `json:"isPartialArchive"`
	} `json:"archiveInfo"`
	DataTypes map[string]struct {
		Files []struct {
			FileName   string  `json:"fileName"`
			GlobalName string  `json:"globalName"`
			Count      flexInt `json:"count"`
		} `json:"files"`
	} `json:"dataTypes"`
}

// flexInt reads a count written as a number or as a string of digits, as
// the archive writes its counters.
type flexInt struct {
	N   int64
	Set bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not a count", b)
	}
	f.N, f.Set = n, true
	return nil
}

func (f flexInt) ptr() *int64 {
	if !f.Set {
		return nil
	}
	return &f.N
}

type tweet struct {
	IDStr               string  `json:"id_str"`
	ID                  string  `json:"id"`
	FullText            string  `json:"full_text"`
	Text                string  `json:"text"`
	CreatedAt           string  `json:"created_at"`
	Lang                string  `json:"lang"`
	InReplyToStatusID   string  `json:"in_reply_to_status_id_str"`
	InReplyToScreenName string  `json:"in_reply_to_screen_name"`
	FavoriteCount       flexInt `json:"favorite_count"`
	RetweetCount        flexInt `json:"retweet_count"`
	Entities            struct {
		URLs  []link  `json:"urls"`
		Media []media `json:"media"`
	} `json:"entities"`
	ExtendedEntities struct {
		Media []media `json:"media"`
	} `json:"extended_entities"`
	EditInfo struct {
		Initial *struct {
			EditTweetIDs []string `json:"editTweetIds"`
		} `json:"initial"`
		Edit *struct {
			InitialTweetID     string `json:"initialTweetId"`
			EditControlInitial struct {
				EditTweetIDs []string `json:"editTweetIds"`
			} `json:"editControlInitial"`
		} `json:"edit"`
	} `json:"edit_info"`
	DeletedAt string `json:"deleted_at"` // deleted-tweets.js
}

type link struct {
	URL         string `json:"url"`
	ExpandedURL string `json:"expanded_url"`
}

type media struct {
	link
	IDStr         string `json:"id_str"`
	MediaURLHTTPS string `json:"media_url_https"`
	Type          string `json:"type"`
	ExtAltText    string `json:"ext_alt_text"`
}

type noteTweet struct {
	NoteTweetID string `json:"noteTweetId"`
	TweetID     string `json:"tweetId"`
	CreatedAt   string `json:"createdAt"`
	Core        struct {
		Text string `json:"text"`
	} `json:"core"`
}

// entry is one element of a data file: {"tweet": {…}}.
type entry struct {
	raw  json.RawMessage // the element, as in the file
	file string
	t    tweet
	rawT json.RawMessage // its "tweet" object
}

func read(fsys fs.FS) (*dataexport.Export, error) {
	if dataexport.Exists(fsys, "data/js/tweet_index.js") && !dataexport.Exists(fsys, "data/tweets.js") {
		return nil, dataexport.Errorf("data/js/tweet_index.js", "", "an X archive in the layout used until 2018, which vigia does not read: ask the holder for a new archive (Settings, Your account, Download an archive of your data)")
	}
	exp := &dataexport.Export{Network: archive.X, Layout: "X archive (data/*.js)"}
	var man *manifest
	if dataexport.Exists(fsys, "data/manifest.js") {
		man = &manifest{}
		if err := readJS(fsys, "data/manifest.js", man); err != nil {
			return nil, err
		}
		if t, err := time.Parse(time.RFC3339, man.ArchiveInfo.GenerationDate); err == nil {
			exp.Generated = t.UTC()
		}
	}
	if err := handle(fsys, man, exp); err != nil {
		return nil, err
	}

	tweetFiles, counted := files(fsys, man, []string{"tweets", "tweet"}, []string{"data/tweets.js", "data/tweets-part*.js", "data/tweet.js", "data/tweet-part*.js"})
	if len(tweetFiles) == 0 {
		return nil, dataexport.Errorf("data/tweets.js", "", "the archive holds no file of posts: ask the holder for the whole archive, not a part of it")
	}
	var entries []entry
	whole := man != nil && man.ArchiveInfo.IsPartialArchive != nil && !*man.ArchiveInfo.IsPartialArchive
	wholeWhy := "data/manifest.js says the archive is not partial and each file holds the count it lists"
	switch {
	case man == nil:
		wholeWhy = "the archive has no data/manifest.js to say it is whole"
	case man.ArchiveInfo.IsPartialArchive == nil:
		wholeWhy = "data/manifest.js does not say whether the archive is partial (archiveInfo.isPartialArchive)"
	case !whole:
		wholeWhy = "data/manifest.js says the archive is partial (archiveInfo.isPartialArchive)"
	}
	for _, name := range tweetFiles {
		es, err := readEntries(fsys, name, "tweet")
		if err != nil {
			return nil, err
		}
		if want, ok := counted[name]; ok && int64(len(es)) != want {
			return nil, dataexport.Errorf(name, "", "holds %d posts where data/manifest.js lists %d (dataTypes, count): the archive is cut short or not the one the manifest describes; ask for it again", len(es), want)
		}
		entries = append(entries, es...)
	}
	if whole {
		for _, name := range tweetFiles {
			if _, ok := counted[name]; !ok {
				whole, wholeWhy = false, name+" is not listed in data/manifest.js"
			}
		}
	}
	exp.Whole, exp.WholeWhy = whole, wholeWhy

	notes, err := readNotes(fsys, man)
	if err != nil {
		return nil, err
	}
	exp.Posts, err = posts(exp.Handle, entries, notes)
	if err != nil {
		return nil, err
	}

	deletedFiles, _ := files(fsys, man, []string{"deletedTweets", "deletedTweet"}, []string{"data/deleted-tweets.js", "data/deleted-tweets-part*.js", "data/deleted-tweet.js"})
	for _, name := range deletedFiles {
		es, err := readEntries(fsys, name, "tweet")
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			p, err := version(exp.Handle, &e)
			if err != nil {
				return nil, err
			}
			d := dataexport.Deleted{Post: p, File: name}
			if e.t.DeletedAt != "" {
				t, err := time.Parse(time.RFC3339, e.t.DeletedAt)
				if err != nil {
					return nil, dataexport.Errorf(name, "tweet.deleted_at", "%q is not a time (expected 2006-01-02T15:04:05.000Z)", e.t.DeletedAt)
				}
				d.DeletedAt = t.UTC()
			}
			exp.Deleted = append(exp.Deleted, d)
		}
	}
	return exp, nil
}

// handle reads the account the archive is of: the manifest's userName, or
// data/account.js.
func handle(fsys fs.FS, man *manifest, exp *dataexport.Export) error {
	if man != nil && man.UserInfo.UserName != "" {
		exp.Handle, exp.HandleAt = man.UserInfo.UserName, "data/manifest.js: userInfo.userName"
		return nil
	}
	if !dataexport.Exists(fsys, "data/account.js") {
		return dataexport.Errorf("data/account.js", "account.username", "the archive names no account (no data/manifest.js nor data/account.js): ask the holder for the whole archive")
	}
	var accts []struct {
		Account struct {
			Username string `json:"username"`
		} `json:"account"`
	}
	if err := readJS(fsys, "data/account.js", &accts); err != nil {
		return err
	}
	if len(accts) == 0 || accts[0].Account.Username == "" {
		return dataexport.Errorf("data/account.js", "account.username", "empty: the archive names no account")
	}
	exp.Handle, exp.HandleAt = accts[0].Account.Username, "data/account.js: account.username"
	return nil
}

// files lists the data files of a type: as the manifest lists them (with
// their counts), else those of the usual names present.
func files(fsys fs.FS, man *manifest, types, patterns []string) ([]string, map[string]int64) {
	counted := map[string]int64{}
	var names []string
	if man != nil {
		for _, t := range types {
			for _, f := range man.DataTypes[t].Files {
				name := strings.TrimPrefix(f.FileName, "/")
				if !dataexport.Exists(fsys, name) || slices.Contains(names, name) {
					continue
				}
				names = append(names, name)
				if f.Count.Set {
					counted[name] = f.Count.N
				}
			}
		}
	}
	for _, p := range patterns {
		for _, name := range dataexport.Glob(fsys, p) {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	return names, counted
}

// globalName is what a data file assigns its value to: window.YTD.tweets.part0.
var globalName = regexp.MustCompile(`^window(\.[A-Za-z0-9_]+)+$`)

// readJS reads a data file, "window.YTD.tweets.part0 = [ … ]", into v.
func readJS(fsys fs.FS, name string, v any) error {
	b, err := dataexport.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	eq := bytes.IndexByte(b, '=')
	if eq < 0 || !globalName.Match(bytes.TrimSpace(b[:eq])) {
		return dataexport.Errorf(name, "", "not a data file of an X archive (it should start with window.YTD.… =)")
	}
	// Blank the assignment in place, keeping its newlines so that errors
	// name the file's own lines, and without a copy of a file that may be
	// hundreds of megabytes.
	for i := 0; i <= eq; i++ {
		if b[i] != '\n' {
			b[i] = ' '
		}
	}
	body := bytes.TrimRight(b, " \t\r\n")
	body = bytes.TrimSuffix(body, []byte(";"))
	return dataexport.Decode(name, body, v)
}

// readEntries reads a data file of posts: elements {"tweet": {…}}.
func readEntries(fsys fs.FS, name, key string) ([]entry, error) {
	var raws []json.RawMessage
	if err := readJS(fsys, name, &raws); err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(raws))
	for i, r := range raws {
		var wrap map[string]json.RawMessage
		if err := json.Unmarshal(r, &wrap); err != nil || wrap[key] == nil {
			return nil, dataexport.Errorf(name, fmt.Sprintf("[%d].%s", i, key), "missing: not an element of X's list of posts")
		}
		e := entry{raw: r, file: name, rawT: wrap[key]}
		if err := json.Unmarshal(wrap[key], &e.t); err != nil {
			return nil, dataexport.Errorf(name, fmt.Sprintf("[%d].%s", i, key), "%v", err)
		}
		if e.t.IDStr == "" {
			e.t.IDStr = e.t.ID
		}
		if e.t.IDStr == "" {
			return nil, dataexport.Errorf(name, fmt.Sprintf("[%d].%s.id_str", i, key), "empty: a post without an id")
		}
		if err := checkIDs(name, fmt.Sprintf("[%d].%s", i, key), &e.t); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// checkIDs refuses ids X does not write: its post ids are decimal digits,
// its usernames letters, digits and _. They go into the post's address,
// the evidence's record names and the web's links.
func checkIDs(file, at string, t *tweet) error {
	ids := map[string]string{"id_str": t.IDStr, "in_reply_to_status_id_str": t.InReplyToStatusID}
	if ei := t.EditInfo.Initial; ei != nil {
		for j, id := range ei.EditTweetIDs {
			ids[fmt.Sprintf("edit_info.initial.editTweetIds[%d]", j)] = id
		}
	}
	if ei := t.EditInfo.Edit; ei != nil {
		ids["edit_info.edit.initialTweetId"] = ei.InitialTweetID
		for j, id := range ei.EditControlInitial.EditTweetIDs {
			ids[fmt.Sprintf("edit_info.edit.editControlInitial.editTweetIds[%d]", j)] = id
		}
	}
	for _, field := range slices.Sorted(maps.Keys(ids)) {
		id := ids[field]
		if !allOf(id, "0123456789") || id == "" && strings.Contains(field, "editTweetIds") {
			return dataexport.Errorf(file, at+"."+field, "%q is not a post id as X writes it (digits)", id)
		}
	}
	if !allOf(t.InReplyToScreenName, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") {
		return dataexport.Errorf(file, at+".in_reply_to_screen_name", "%q is not a username as X writes it (letters, digits and _)", t.InReplyToScreenName)
	}
	return nil
}

// allOf reports whether s is made of the characters of set only (an empty
// s is).
func allOf(s, set string) bool {
	return strings.Trim(s, set) == ""
}

type note struct {
	n   noteTweet
	raw json.RawMessage
	at  time.Time
}

func readNotes(fsys fs.FS, man *manifest) ([]note, error) {
	names, _ := files(fsys, man, []string{"noteTweet"}, []string{"data/note-tweet.js", "data/note-tweet-part*.js"})
	var out []note
	for _, name := range names {
		var raws []json.RawMessage
		if err := readJS(fsys, name, &raws); err != nil {
			return nil, err
		}
		for i, r := range raws {
			var wrap struct {
				NoteTweet json.RawMessage `json:"noteTweet"`
			}
			var n noteTweet
			if err := json.Unmarshal(r, &wrap); err != nil || wrap.NoteTweet == nil || json.Unmarshal(wrap.NoteTweet, &n) != nil {
				return nil, dataexport.Errorf(name, fmt.Sprintf("[%d].noteTweet", i), "missing or not an object")
			}
			at, _ := time.Parse(time.RFC3339, n.CreatedAt)
			out = append(out, note{n: n, raw: wrap.NoteTweet, at: at.UTC()})
		}
	}
	return out, nil
}

// posts groups the archive's posts by edit chain (an edited post's versions
// are posts of their own, named by editTweetIds), oldest version first,
// with the whole text of long posts from note-tweet.js.
func posts(handle string, entries []entry, notes []note) ([]dataexport.Post, error) {
	type group struct {
		key   string
		order []string
		es    []*entry
	}
	groups := map[string]*group{}
	var keys []string
	for i := range entries {
		e := &entries[i]
		key, order := e.t.IDStr, []string{e.t.IDStr}
		switch ei := e.t.EditInfo; {
		case ei.Initial != nil && len(ei.Initial.EditTweetIDs) > 0:
			key, order = ei.Initial.EditTweetIDs[0], ei.Initial.EditTweetIDs
		case ei.Edit != nil && ei.Edit.InitialTweetID != "":
			key, order = ei.Edit.InitialTweetID, ei.Edit.EditControlInitial.EditTweetIDs
		}
		g := groups[key]
		if g == nil {
			g = &group{key: key}
			groups[key] = g
			keys = append(keys, key)
		}
		if len(order) > len(g.order) {
			g.order = order
		}
		g.es = append(g.es, e)
	}
	byID := map[string]*note{}
	bySecond := map[int64][]*note{}
	for i := range notes {
		n := &notes[i]
		if n.n.TweetID != "" {
			byID[n.n.TweetID] = n
		} else if !n.at.IsZero() {
			bySecond[n.at.Unix()] = append(bySecond[n.at.Unix()], n)
		}
	}
	out := make([]dataexport.Post, 0, len(keys))
	for _, key := range keys {
		g := groups[key]
		slices.SortStableFunc(g.es, func(a, b *entry) int {
			ia, ib := slices.Index(g.order, a.t.IDStr), slices.Index(g.order, b.t.IDStr)
			if ia >= 0 && ib >= 0 {
				return ia - ib
			}
			return strings.Compare(a.t.CreatedAt, b.t.CreatedAt)
		})
		p := dataexport.Post{File: g.es[0].file}
		for i, e := range g.es {
			v, err := version(handle, e)
			if err != nil {
				return nil, err
			}
			if n := matchNote(e, &v, byID, bySecond); n != nil {
				v.Text = n.n.Core.Text
				v.Raw = []byte(`{"tweet":` + string(e.rawT) + `,"noteTweet":` + string(n.raw) + `}`)
			}
			v.PostID = key
			v.URL = "https://x.com/" + handle + "/status/" + key
			if i > 0 {
				v.EditedAt, v.Edited = v.PublishedAt, true
				v.PublishedAt = p.Versions[0].PublishedAt
			}
			p.Versions = append(p.Versions, v)
		}
		out = append(out, p)
	}
	return out, nil
}

// matchNote finds the whole text of a long post: by its id when the note
// names it, else the note created the same second whose text starts as
// the post's does.
func matchNote(e *entry, v *archive.Post, byID map[string]*note, bySecond map[int64][]*note) *note {
	if n := byID[e.t.IDStr]; n != nil {
		return n
	}
	if v.PublishedAt.IsZero() {
		return nil
	}
	start := prefix(v.Text, 30)
	for _, n := range bySecond[v.PublishedAt.Unix()] {
		if start != "" && strings.HasPrefix(collapse(n.n.Core.Text), start) {
			return n
		}
	}
	return nil
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func prefix(s string, n int) string {
	s = collapse(s)
	s = strings.TrimRight(strings.SplitN(s, "…", 2)[0], " ")
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n])
	}
	return s
}

// version reads one post of a data file as a post version.
func version(handle string, e *entry) (archive.Post, error) {
	t := &e.t
	p := archive.Post{
		Network: archive.X, PostID: t.IDStr, Author: handle,
		URL: "https://x.com/" + handle + "/status/" + t.IDStr,
		Raw: []byte(e.raw), RawType: "application/json",
	}
	if t.CreatedAt != "" {
		at, err := time.Parse(time.RubyDate, t.CreatedAt)
		if err != nil {
			return p, dataexport.Errorf(e.file, "tweet.created_at", "%q (post %s) is not a time as X writes it (Mon Jan 02 15:04:05 +0000 2006)", t.CreatedAt, t.IDStr)
		}
		p.PublishedAt = at.UTC()
	}
	text := t.FullText
	if text == "" {
		text = t.Text
	}
	text = html.UnescapeString(text)
	for _, u := range t.Entities.URLs {
		if u.URL != "" && u.ExpandedURL != "" {
			text = strings.ReplaceAll(text, u.URL, u.ExpandedURL)
		}
	}
	ms := t.ExtendedEntities.Media
	if len(ms) == 0 {
		ms = t.Entities.Media
	}
	for _, m := range ms {
		if m.URL != "" { // the link to the media, which X shows as the media
			text = strings.TrimSpace(strings.ReplaceAll(text, m.URL, ""))
		}
		kind := "image"
		switch m.Type {
		case "video":
			kind = "video"
		case "animated_gif":
			kind = "gifv"
		}
		p.Media = append(p.Media, archive.Media{Kind: kind, ID: m.IDStr, URL: m.MediaURLHTTPS, Alt: m.ExtAltText})
	}
	p.Text = text
	switch t.Lang {
	case "", "und", "qme", "qht", "zxx", "qam", "qct":
	default:
		p.Language = t.Lang
	}
	if t.InReplyToStatusID != "" {
		who := t.InReplyToScreenName
		if who == "" {
			who = "i/web"
		}
		p.ReplyTo = "https://x.com/" + who + "/status/" + t.InReplyToStatusID
	}
	p.Metrics.Add("likes", t.FavoriteCount.ptr())
	p.Metrics.Add("reposts", t.RetweetCount.ptr())
	return p, nil
}
