package tiktok

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"time"

	"github.com/vigia-mx/vigia/archive"
	"github.com/vigia-mx/vigia/dataexport"
)

// Reader reads TikTok's user data in JSON.
var Reader = dataexport.Reader{
	Network: archive.TikTok,
	Name:    "TikTok export",
	Looks:   "user_data_tiktok.json or user_data.json",
	Detect:  detect,
	Read:    read,
}

var names = []string{"user_data_tiktok.json", "user_data.json"}

func detect(fsys fs.FS) bool {
	for _, n := range names {
		if dataexport.Exists(fsys, n) {
			return true
		}
	}
	// The export in TXT: folders of text files.
	return dataexport.Exists(fsys, "Videos/Videos.txt") || dataexport.Exists(fsys, "Posts/Posts.txt")
}

type video struct {
	Date     string `json:"Date"`
	Link     string `json:"Link"`
	Likes    string `json:"Likes"`
	Title    string `json:"Title"`
	Location string `json:"Location"`
	Sound    string `json:"Sound"`
}

type section struct {
	Videos *struct {
		VideoList []json.RawMessage `json:"VideoList"`
	} `json:"Videos"`
	Posts *struct {
		VideoList []json.RawMessage `json:"VideoList"`
	} `json:"Posts"`
}

type profileSection struct {
	Info *struct {
		ProfileMap struct {
			UserName string `json:"userName"`
		} `json:"ProfileMap"`
	} `json:"Profile Info"`
	Information *struct {
		ProfileMap struct {
			UserName string `json:"userName"`
		} `json:"ProfileMap"`
	} `json:"Profile Information"`
}

var videoID = regexp.MustCompile(`/video/([0-9]{6,25})`)

func read(fsys fs.FS) (*dataexport.Export, error) {
	var name string
	for _, n := range names {
		if dataexport.Exists(fsys, n) {
			name = n
			break
		}
	}
	if name == "" {
		return nil, dataexport.Errorf("Posts/Posts.txt", "", "TikTok data in TXT: ask the holder for a new download, File format JSON")
	}
	b, err := dataexport.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Video   *section        `json:"Video"`
		Post    *section        `json:"Post"`
		Profile *profileSection `json:"Profile"`
	}
	if err := dataexport.Decode(name, b, &doc); err != nil {
		return nil, err
	}
	exp := &dataexport.Export{Network: archive.TikTok, Layout: "TikTok user data (" + name + ")",
		WholeWhy: "TikTok's user data does not say it lists every video"}
	if p := doc.Profile; p != nil {
		switch {
		case p.Info != nil && p.Info.ProfileMap.UserName != "":
			exp.Handle, exp.HandleAt = p.Info.ProfileMap.UserName, name+": Profile.Profile Info.ProfileMap.userName"
		case p.Information != nil && p.Information.ProfileMap.UserName != "":
			exp.Handle, exp.HandleAt = p.Information.ProfileMap.UserName, name+": Profile.Profile Information.ProfileMap.userName"
		}
	}
	if exp.Handle == "" {
		return nil, dataexport.Errorf(name, "Profile.Profile Info.ProfileMap.userName", "missing: the data does not name the account; ask for it with Profile included")
	}
	var list []json.RawMessage
	field := ""
	switch {
	case doc.Post != nil && doc.Post.Posts != nil:
		list, field = doc.Post.Posts.VideoList, "Post.Posts.VideoList"
	case doc.Video != nil && doc.Video.Videos != nil:
		list, field = doc.Video.Videos.VideoList, "Video.Videos.VideoList"
	default:
		return nil, dataexport.Errorf(name, "Post.Posts.VideoList", "missing (nor Video.Videos.VideoList): the data lists no videos; ask for it with Posts (Publicaciones) included")
	}
	for i, raw := range list {
		var v video
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, dataexport.Errorf(name, fmt.Sprintf("%s[%d]", field, i), "not a video as TikTok writes it: %v", err)
		}
		at, err := time.Parse(time.DateTime, v.Date)
		if err != nil {
			return nil, dataexport.Errorf(name, fmt.Sprintf("%s[%d].Date", field, i), "%q is not a date as TikTok writes it (2006-01-02 15:04:05)", v.Date)
		}
		p := archive.Post{Network: archive.TikTok, Author: exp.Handle, PublishedAt: at.UTC(), Text: v.Title,
			Raw: []byte(raw), RawType: "application/json"}
		if m := videoID.FindStringSubmatch(v.Link); m != nil {
			p.PostID = m[1]
			p.URL = "https://www.tiktok.com/@" + exp.Handle + "/video/" + m[1]
		} else {
			p.PostID = strconv.FormatInt(at.Unix(), 10)
		}
		p.Media = []archive.Media{{Kind: "video", ID: p.PostID, URL: v.Link, Note: "the link the export gives, which TikTok may let expire"}}
		if n, err := strconv.ParseInt(v.Likes, 10, 64); err == nil {
			p.Metrics.Add("likes", &n)
		}
		exp.Posts = append(exp.Posts, dataexport.Post{File: name, Versions: []archive.Post{p}})
	}
	dataexport.UniqueIDs(exp.Posts)
	return exp, nil
}
