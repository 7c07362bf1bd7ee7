package xapi

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigia-mx/vigia/archive"
)

// Timeline is one page of GET /2/users/:id/tweets.
type Timeline struct {
	Data     []json.RawMessage `json:"data"`
	Includes struct {
		Media  []media `json:"media"`
		Tweets []tweet `json:"tweets"`
		Users  []xuser `json:"users"`
	} `json:"includes"`
	Meta struct {
		ResultCount int    `json:"result_count"`
		NextToken   string `json:"next_token"`
	} `json:"meta"`
	Errors []problem `json:"errors"`
}

type media struct {
	Key     string `json:"media_key"`
	Type    string `json:"type"`
	URL     string `json:"url"`
	Preview string `json:"preview_image_url"`
	Alt     string `json:"alt_text"`
}

type xuser struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
}

type tweet struct {
	ID          string   `json:"id"`
	Text        string   `json:"text"`
	CreatedAt   string   `json:"created_at"`
	AuthorID    string   `json:"author_id"`
	Lang        string   `json:"lang"`
	EditHistory []string `json:"edit_history_tweet_ids"`
	NoteTweet   *struct {
		Text string `json:"text"`
	} `json:"note_tweet"`
	Entities struct {
		URLs []struct {
			URL         string `json:"url"`
			ExpandedURL string `json:"expanded_url"`
			MediaKey    string `json:"media_key"`
		} `json:"urls"`
	} `json:"entities"`
	Attachments struct {
		MediaKeys []string `json:"media_keys"`
	} `json:"attachments"`
	Referenced []struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"referenced_tweets"`
	Metrics *struct {
		Retweets    *int64 `json:"retweet_count"`
		Replies     *int64 `json:"reply_count"`
		Likes       *int64 `json:"like_count"`
		Quotes      *int64 `json:"quote_count"`
		Impressions *int64 `json:"impression_count"`
	} `json:"public_metrics"`
}

// statusURL is a post's address on x.com.
func statusURL(username, id string) string {
	if username == "" {
		username = "i/web"
	}
	return "https://x.com/" + username + "/status/" + id
}

// snowflakeEpoch is X's epoch for post ids (Twitter's snowflake: the
// milliseconds since it are the id's bits above the 22 lowest).
const snowflakeEpoch = 1288834974657

// idTime is the moment a post id was made.
func idTime(id string) (time.Time, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n>>22 == 0 {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(n>>22) + snowflakeEpoch).UTC().Truncate(time.Second), true
}

// ParseTimeline reads a timeline page into posts, newest first. username
// is the account's, for the posts' URLs.
//
// A post edited on X has a new id for each version: PostID is the first
// (edit_history_tweet_ids[0]), so that every version is one post's;
// PublishedAt is when that first id was made, EditedAt the version's
// created_at.
func ParseTimeline(body []byte, username string) (*Timeline, []archive.Post, error) {
	var tl Timeline
	if err := json.Unmarshal(body, &tl); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if tl.Data == nil && len(tl.Errors) > 0 {
		return nil, nil, fmt.Errorf("%w: %s", ErrMalformed, tl.Errors[0])
	}
	mediaBy := map[string]media{}
	for _, m := range tl.Includes.Media {
		mediaBy[m.Key] = m
	}
	tweets := map[string]tweet{}
	for _, t := range tl.Includes.Tweets {
		tweets[t.ID] = t
	}
	users := map[string]xuser{}
	for _, u := range tl.Includes.Users {
		users[u.ID] = u
	}
	posts := make([]archive.Post, 0, len(tl.Data))
	for i, raw := range tl.Data {
		var t tweet
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, nil, fmt.Errorf("%w: post %d: %v", ErrMalformed, i, err)
		}
		if t.ID == "" {
			return nil, nil, fmt.Errorf("%w: post %d has no id", ErrMalformed, i)
		}
		created, err := time.Parse(time.RFC3339, t.CreatedAt)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: post %s: created_at %q", ErrMalformed, t.ID, t.CreatedAt)
		}
		p := archive.Post{
			Network: archive.X, PostID: t.ID, Author: username, PublishedAt: created.UTC(),
			Language: t.Lang, Raw: raw, RawType: "application/json",
		}
		if len(t.EditHistory) > 1 && t.EditHistory[0] != t.ID {
			p.PostID, p.Edited, p.EditedAt = t.EditHistory[0], true, created.UTC()
			if first, ok := idTime(t.EditHistory[0]); ok {
				p.PublishedAt = first
			}
		}
		p.URL = statusURL(username, p.PostID)
		p.Text = text(t)
		p.Media = attached(t, mediaBy)
		if m := t.Metrics; m != nil {
			p.Metrics.Add("replies", m.Replies)
			p.Metrics.Add("reposts", m.Retweets)
			p.Metrics.Add("likes", m.Likes)
			p.Metrics.Add("quotes", m.Quotes)
			p.Metrics.Add("views", m.Impressions)
		}
		for _, r := range t.Referenced {
			ref, known := tweets[r.ID]
			author := users[ref.AuthorID]
			refURL := statusURL(author.Username, r.ID)
			switch r.Type {
			case "replied_to":
				p.ReplyTo = refURL
			case "retweeted":
				p.RepostOf, p.Text, p.Media = refURL, "", nil
				p.Shared = shared(archive.Repost, refURL, ref, known, author, mediaBy)
			case "quoted":
				p.Shared = shared(archive.Quote, refURL, ref, known, author, mediaBy)
			}
		}
		posts = append(posts, p)
	}
	return &tl, posts, nil
}

// text is what a post says: a long post's whole text (note_tweet), with
// t.co links written out and the links to its own media left out.
func text(t tweet) string {
	s := t.Text
	if t.NoteTweet != nil && t.NoteTweet.Text != "" {
		return t.NoteTweet.Text // its entities are note_tweet's, not asked for: the t.co links stay
	}
	for _, u := range t.Entities.URLs {
		switch {
		case u.URL == "":
		case u.MediaKey != "" || strings.Contains(u.ExpandedURL, "/photo/") || strings.Contains(u.ExpandedURL, "/video/"):
			s = strings.Replace(s, u.URL, "", 1)
		case u.ExpandedURL != "":
			s = strings.Replace(s, u.URL, u.ExpandedURL, 1)
		}
	}
	return strings.TrimSpace(s)
}

func attached(t tweet, by map[string]media) []archive.Media {
	var out []archive.Media
	for _, k := range t.Attachments.MediaKeys {
		m, ok := by[k]
		if !ok {
			continue
		}
		switch m.Type {
		case "photo":
			out = append(out, archive.Media{Kind: "image", URL: m.URL, Alt: m.Alt, ID: m.Key})
		case "video":
			out = append(out, archive.Media{Kind: "video", PreviewURL: m.Preview, Alt: m.Alt, ID: m.Key})
		case "animated_gif":
			out = append(out, archive.Media{Kind: "gifv", PreviewURL: m.Preview, Alt: m.Alt, ID: m.Key})
		}
	}
	return out
}

func shared(kind archive.SharedKind, u string, t tweet, known bool, author xuser, by map[string]media) *archive.Shared {
	s := &archive.Shared{Kind: kind, URL: u, Author: author.Username, AuthorName: author.Name}
	if known {
		s.Text = text(t)
		s.Media = attached(t, by)
		if c, err := time.Parse(time.RFC3339, t.CreatedAt); err == nil {
			s.PublishedAt = c.UTC()
		}
	}
	return s
}
