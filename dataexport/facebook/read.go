package facebook

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/dataexport"
)

// Reader reads Facebook exports in JSON.
var Reader = dataexport.Reader{
	Network: archive.Facebook,
	Name:    "Facebook export",
	Looks:   "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json or posts/your_posts_1.json",
	Detect:  detect,
	Read:    read,
}

// layout is one of the layouts of Facebook's export.
type layout struct {
	name     string
	posts    string // glob of the posts files
	profiles []string
}

var layouts = []layout{
	{"Facebook export (your_facebook_activity/, 2024 onwards)", "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_*.json",
		[]string{"personal_information/profile_information/profile_information.json"}},
	{"Facebook export (your_activity_across_facebook/, 2023)", "your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_*.json",
		[]string{"personal_information/profile_information/profile_information.json", "profile_information/profile_information.json"}},
	{"Facebook export (posts/your_posts_N.json, 2019 to 2022)", "posts/your_posts_*.json",
		[]string{"profile_information/profile_information.json", "personal_information/profile_information/profile_information.json"}},
}

// Older or other forms, refused by name.
var refused = []struct{ glob, why string }{
	{"posts/your_posts.json", "a Facebook export in the layout used until 2018, which vigia does not read"},
	{"*/posts/your_posts__check_ins__photos_and_videos_*.html", "a Facebook export in HTML"},
	{"posts/your_posts_*.html", "a Facebook export in HTML"},
}

func detect(fsys fs.FS) bool {
	for _, l := range layouts {
		if len(dataexport.Glob(fsys, l.posts)) > 0 {
			return true
		}
	}
	for _, r := range refused {
		if len(dataexport.Glob(fsys, r.glob)) > 0 {
			return true
		}
	}
	return false
}

type post struct {
	Timestamp   int64        `json:"timestamp"`
	Title       string       `json:"title"`
	Data        []data       `json:"data"`
	Attachments []attachment `json:"attachments"`
}

type data struct {
	Post            string `json:"post"`
	UpdateTimestamp int64  `json:"update_timestamp"`
}

type attachment struct {
	Data []struct {
		Media *struct {
			URI               string `json:"uri"`
			Description       string `json:"description"`
			Title             string `json:"title"`
			CreationTimestamp int64  `json:"creation_timestamp"`
		} `json:"media"`
		ExternalContext *struct {
			URL  string `json:"url"`
			Name string `json:"name"`
		} `json:"external_context"`
		Place *struct {
			Name    string `json:"name"`
			Address string `json:"address"`
			URL     string `json:"url"`
		} `json:"place"`
		Text string `json:"text"`
	} `json:"data"`
}

func read(fsys fs.FS) (*dataexport.Export, error) {
	var l *layout
	var postFiles []string
	for i := range layouts {
		if postFiles = dataexport.Glob(fsys, layouts[i].posts); len(postFiles) > 0 {
			l = &layouts[i]
			break
		}
	}
	if l == nil {
		for _, r := range refused {
			if m := dataexport.Glob(fsys, r.glob); len(m) > 0 {
				return nil, dataexport.Errorf(m[0], "", "%s: ask the holder for a new export, Format JSON (Download your information, Format: JSON)", r.why)
			}
		}
		return nil, dataexport.Errorf("your_facebook_activity/posts", "", "no posts file in the export: ask for it with Your posts (Publicaciones) included")
	}
	exp := &dataexport.Export{Network: archive.Facebook, Layout: l.name,
		WholeWhy: "a Facebook export covers the dates its holder chose and does not say it holds every post"}
	if err := profile(fsys, l, exp); err != nil {
		return nil, err
	}
	for _, name := range postFiles {
		b, err := dataexport.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var raws []json.RawMessage
		if err := dataexport.Decode(name, b, &raws); err != nil {
			return nil, err
		}
		for i, r := range raws {
			var p post
			if err := json.Unmarshal(r, &p); err != nil {
				return nil, dataexport.Errorf(name, fmt.Sprintf("[%d]", i), "not a post as Facebook writes it: %v", err)
			}
			if p.Timestamp <= 0 {
				return nil, dataexport.Errorf(name, fmt.Sprintf("[%d].timestamp", i), "missing: a post without its time")
			}
			exp.Posts = append(exp.Posts, dataexport.Post{File: name, Versions: []archive.Post{version(exp.Handle, &p, r)}})
		}
	}
	dataexport.UniqueIDs(exp.Posts)
	return exp, nil
}

// profile reads the account the export is of: profile_v2.username, or the
// name in profile_v2.profile_uri.
func profile(fsys fs.FS, l *layout, exp *dataexport.Export) error {
	for _, name := range l.profiles {
		if !dataexport.Exists(fsys, name) {
			continue
		}
		b, err := dataexport.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		var doc struct {
			V2 *profileV2 `json:"profile_v2"`
			V1 *profileV2 `json:"profile"`
		}
		if err := dataexport.Decode(name, b, &doc); err != nil {
			return err
		}
		p, field := doc.V2, "profile_v2"
		if p == nil {
			p, field = doc.V1, "profile"
		}
		if p == nil {
			return dataexport.Errorf(name, "profile_v2", "missing: the profile file does not name the account")
		}
		if p.Username != "" {
			exp.Handle, exp.HandleAt = dataexport.FixMeta(p.Username), name+": "+field+".username"
			return nil
		}
		if u, err := url.Parse(p.ProfileURI); err == nil && p.ProfileURI != "" {
			if seg := strings.Trim(u.Path, "/"); seg != "" && seg != "profile.php" {
				exp.Handle, exp.HandleAt = seg, name+": "+field+".profile_uri"
				return nil
			} else if id := u.Query().Get("id"); id != "" {
				exp.Handle, exp.HandleAt = id, name+": "+field+".profile_uri"
				return nil
			}
		}
		return dataexport.Errorf(name, field+".username", "empty, and no profile_uri: the export does not name the account")
	}
	return dataexport.Errorf(l.profiles[0], "profile_v2.username", "the export has no profile information to name the account: ask for it with Profile information (Información del perfil) included")
}

type profileV2 struct {
	Username   string `json:"username"`
	ProfileURI string `json:"profile_uri"`
}

func version(handle string, p *post, raw json.RawMessage) archive.Post {
	v := archive.Post{
		Network: archive.Facebook, PostID: strconv.FormatInt(p.Timestamp, 10), Author: handle,
		PublishedAt: time.Unix(p.Timestamp, 0).UTC(), Raw: []byte(raw), RawType: "application/json",
	}
	var texts []string
	for _, d := range p.Data {
		if d.Post != "" {
			texts = append(texts, dataexport.FixMeta(d.Post))
		}
		if d.UpdateTimestamp > p.Timestamp {
			v.EditedAt, v.Edited = time.Unix(d.UpdateTimestamp, 0).UTC(), true
		}
	}
	v.Text = strings.Join(texts, "\n\n")
	for _, a := range p.Attachments {
		for _, d := range a.Data {
			switch {
			case d.Media != nil:
				m := archive.Media{Kind: dataexport.MediaKind(d.Media.URI), ID: d.Media.URI,
					Alt: dataexport.FixMeta(d.Media.Description), Note: "kept in the export: " + d.Media.URI}
				if m.Alt == "" {
					m.Alt = dataexport.FixMeta(d.Media.Title)
				}
				v.Media = append(v.Media, m)
			case d.ExternalContext != nil && d.ExternalContext.URL != "":
				v.Media = append(v.Media, archive.Media{Kind: "link", URL: d.ExternalContext.URL, ID: d.ExternalContext.URL,
					Alt: dataexport.FixMeta(d.ExternalContext.Name)})
			case d.Place != nil:
				name := dataexport.FixMeta(d.Place.Name)
				alt := "Lugar: " + name
				if d.Place.Address != "" {
					alt += ", " + dataexport.FixMeta(d.Place.Address)
				}
				v.Media = append(v.Media, archive.Media{Kind: "link", URL: d.Place.URL, ID: "place:" + name, Alt: alt})
			}
		}
	}
	return v
}
