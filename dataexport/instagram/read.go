package instagram

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/dataexport"
)

// Reader reads Instagram exports in JSON.
var Reader = dataexport.Reader{
	Network: archive.Instagram,
	Name:    "Instagram export",
	Looks:   "your_instagram_activity/content/posts_1.json or content/posts_1.json",
	Detect:  detect,
	Read:    read,
}

type layout struct {
	name, dir string
	profiles  []string
}

var layouts = []layout{
	{"Instagram export (your_instagram_activity/, 2024 onwards)", "your_instagram_activity/content",
		[]string{"personal_information/personal_information/personal_information.json", "personal_information/personal_information.json"}},
	{"Instagram export (content/, 2022 and 2023)", "content",
		[]string{"personal_information/personal_information.json", "account_information/personal_information.json"}},
}

func detect(fsys fs.FS) bool {
	for _, l := range layouts {
		if len(dataexport.Glob(fsys, l.dir+"/posts_*.json"))+len(dataexport.Glob(fsys, l.dir+"/reels.json"))+len(dataexport.Glob(fsys, l.dir+"/posts_*.html")) > 0 {
			return true
		}
	}
	return dataexport.Exists(fsys, "media.json") && dataexport.Exists(fsys, "profile.json")
}

type post struct {
	Title             string  `json:"title"`
	CreationTimestamp int64   `json:"creation_timestamp"`
	Media             []media `json:"media"`
}

type media struct {
	URI               string `json:"uri"`
	Title             string `json:"title"`
	CreationTimestamp int64  `json:"creation_timestamp"`
}

func read(fsys fs.FS) (*dataexport.Export, error) {
	if dataexport.Exists(fsys, "media.json") && dataexport.Exists(fsys, "profile.json") {
		return nil, dataexport.Errorf("media.json", "", "an Instagram export in the layout used until 2021, which vigia does not read: ask the holder for a new export, Format JSON")
	}
	var l *layout
	for i := range layouts {
		if len(dataexport.Glob(fsys, layouts[i].dir+"/posts_*.json"))+len(dataexport.Glob(fsys, layouts[i].dir+"/reels.json")) > 0 {
			l = &layouts[i]
			break
		}
	}
	if l == nil {
		m := append(dataexport.Glob(fsys, "*/content/posts_*.html"), dataexport.Glob(fsys, "content/posts_*.html")...)
		name := "content/posts_1.html"
		if len(m) > 0 {
			name = m[0]
		}
		return nil, dataexport.Errorf(name, "", "an Instagram export in HTML: ask the holder for a new export, Format JSON")
	}
	exp := &dataexport.Export{Network: archive.Instagram, Layout: l.name,
		WholeWhy: "an Instagram export covers the dates its holder chose and does not say it holds every post"}
	if err := profile(fsys, l, exp); err != nil {
		return nil, err
	}
	for _, name := range dataexport.Glob(fsys, l.dir+"/posts_*.json") {
		var raws []json.RawMessage
		if err := decode(fsys, name, &raws); err != nil {
			return nil, err
		}
		for i, r := range raws {
			p, err := version(exp.Handle, name, fmt.Sprintf("[%d]", i), "", r)
			if err != nil {
				return nil, err
			}
			exp.Posts = append(exp.Posts, dataexport.Post{File: name, Versions: []archive.Post{p}})
		}
	}
	if name := l.dir + "/reels.json"; dataexport.Exists(fsys, name) {
		var doc struct {
			Reels []json.RawMessage `json:"ig_reels_media"`
		}
		if err := decode(fsys, name, &doc); err != nil {
			return nil, err
		}
		for i, r := range doc.Reels {
			p, err := version(exp.Handle, name, fmt.Sprintf("ig_reels_media[%d]", i), "r", r)
			if err != nil {
				return nil, err
			}
			exp.Posts = append(exp.Posts, dataexport.Post{File: name, Versions: []archive.Post{p}})
		}
	}
	dataexport.UniqueIDs(exp.Posts)
	return exp, nil
}

func decode(fsys fs.FS, name string, v any) error {
	b, err := dataexport.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return dataexport.Decode(name, b, v)
}

// profile reads the account the export is of:
// profile_user[0].string_map_data.Username.value (in an export in Spanish,
// "Nombre de usuario").
func profile(fsys fs.FS, l *layout, exp *dataexport.Export) error {
	for _, name := range l.profiles {
		if !dataexport.Exists(fsys, name) {
			continue
		}
		var doc struct {
			ProfileUser []struct {
				StringMapData map[string]struct {
					Value string `json:"value"`
				} `json:"string_map_data"`
			} `json:"profile_user"`
		}
		if err := decode(fsys, name, &doc); err != nil {
			return err
		}
		if len(doc.ProfileUser) > 0 {
			for _, key := range []string{"Username", "Nombre de usuario"} {
				if v := doc.ProfileUser[0].StringMapData[key].Value; v != "" {
					exp.Handle, exp.HandleAt = dataexport.FixMeta(v), name+": profile_user[0].string_map_data."+key+".value"
					return nil
				}
			}
		}
		return dataexport.Errorf(name, "profile_user[0].string_map_data.Username", "missing: the export does not name the account")
	}
	return dataexport.Errorf(l.profiles[0], "profile_user[0].string_map_data.Username", "the export has no personal information to name the account: ask for it with Personal information (Información personal) included")
}

func version(handle, file, field, idPrefix string, raw json.RawMessage) (archive.Post, error) {
	var p post
	if err := json.Unmarshal(raw, &p); err != nil {
		return archive.Post{}, dataexport.Errorf(file, field, "not a post as Instagram writes it: %v", err)
	}
	at, caption := p.CreationTimestamp, p.Title
	if len(p.Media) > 0 {
		if at == 0 {
			at = p.Media[0].CreationTimestamp
		}
		if caption == "" {
			caption = p.Media[0].Title
		}
	}
	if at <= 0 {
		return archive.Post{}, dataexport.Errorf(file, field+".creation_timestamp", "missing: a post without its time")
	}
	v := archive.Post{
		Network: archive.Instagram, PostID: idPrefix + strconv.FormatInt(at, 10), Author: handle,
		PublishedAt: time.Unix(at, 0).UTC(), Text: dataexport.FixMeta(caption), Raw: []byte(raw), RawType: "application/json",
	}
	for _, m := range p.Media {
		if m.URI == "" {
			continue
		}
		v.Media = append(v.Media, archive.Media{Kind: dataexport.MediaKind(m.URI), ID: m.URI, Note: "kept in the export: " + m.URI})
	}
	return v, nil
}
