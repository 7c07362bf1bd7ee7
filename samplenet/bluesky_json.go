package samplenet

// The AppView's app.bsky.feed.getAuthorFeed output, with the lexicon's field
// names. Records keep the key order the network serves (alphabetical, as
// they come from DAG-CBOR).

type bFeedOutput struct {
	Feed   []bFeedItem `json:"feed"`
	Cursor string      `json:"cursor,omitempty"`
}

// bFeedItem is an app.bsky.feed.defs#feedViewPost.
type bFeedItem struct {
	Post   *bPostView `json:"post"`
	Reply  *bReplyRef `json:"reply,omitempty"`
	Reason *bReason   `json:"reason,omitempty"`
}

type bReplyRef struct {
	Root              *bPostView `json:"root"`
	Parent            *bPostView `json:"parent"`
	GrandparentAuthor *bProfile  `json:"grandparentAuthor,omitempty"`
}

type bReason struct {
	Type      string    `json:"$type"`
	By        *bProfile `json:"by"`
	URI       string    `json:"uri"`
	CID       string    `json:"cid"`
	IndexedAt string    `json:"indexedAt"`
}

// bPostView is an app.bsky.feed.defs#postView; Type is set where the
// lexicon asks for it (inside a union, as in reply refs). A view of a
// deleted post (notFound) is written as a notFoundPost (bluesky_posts.go).
type bPostView struct {
	notFound      bool
	Type          string       `json:"$type,omitempty"`
	URI           string       `json:"uri"`
	CID           string       `json:"cid"`
	Author        *bProfile    `json:"author"`
	Record        *bRecord     `json:"record"`
	Embed         *bImagesView `json:"embed,omitempty"`
	BookmarkCount int64        `json:"bookmarkCount"`
	ReplyCount    int64        `json:"replyCount"`
	RepostCount   int64        `json:"repostCount"`
	LikeCount     int64        `json:"likeCount"`
	QuoteCount    int64        `json:"quoteCount"`
	IndexedAt     string       `json:"indexedAt"`
	Viewer        *bPostViewer `json:"viewer"`
	Labels        []struct{}   `json:"labels"`
}

type bPostViewer struct {
	Bookmarked        bool `json:"bookmarked"`
	ThreadMuted       bool `json:"threadMuted"`
	EmbeddingDisabled bool `json:"embeddingDisabled"`
}

// bProfile is an app.bsky.actor.defs#profileViewBasic.
type bProfile struct {
	DID         string         `json:"did"`
	Handle      string         `json:"handle"`
	DisplayName string         `json:"displayName"`
	Avatar      string         `json:"avatar"`
	Viewer      bProfileViewer `json:"viewer"`
	Labels      []struct{}     `json:"labels"`
	CreatedAt   string         `json:"createdAt"`
}

type bProfileViewer struct {
	Muted     bool `json:"muted"`
	BlockedBy bool `json:"blockedBy"`
}

// bRecord is an app.bsky.feed.post record.
type bRecord struct {
	Type      string         `json:"$type"`
	CreatedAt string         `json:"createdAt"`
	Embed     *bImagesRecord `json:"embed,omitempty"`
	Facets    []bFacet       `json:"facets,omitempty"`
	Langs     []string       `json:"langs"`
	Reply     *bRecordReply  `json:"reply,omitempty"`
	Text      string         `json:"text"`
}

type bStrongRef struct {
	CID string `json:"cid"`
	URI string `json:"uri"`
}

type bRecordReply struct {
	Parent bStrongRef `json:"parent"`
	Root   bStrongRef `json:"root"`
}

type bFacet struct {
	Features []bFeature `json:"features"`
	Index    bIndex     `json:"index"`
}

type bFeature struct {
	Type string `json:"$type"`
	DID  string `json:"did,omitempty"`
	Tag  string `json:"tag,omitempty"`
	URI  string `json:"uri,omitempty"`
}

type bIndex struct {
	ByteEnd   int `json:"byteEnd"`
	ByteStart int `json:"byteStart"`
}

// bImagesRecord is a post record's embed: images, or the strong ref of a
// quoted post (app.bsky.embed.record).
type bImagesRecord struct {
	Type   string         `json:"$type"`
	Images []bImageRecord `json:"images,omitempty"`
	Record *bStrongRef    `json:"record,omitempty"`
}

type bImageRecord struct {
	Alt         string  `json:"alt"`
	AspectRatio bAspect `json:"aspectRatio"`
	Image       bBlob   `json:"image"`
}

type bBlob struct {
	Type     string `json:"$type"`
	Ref      bLink  `json:"ref"`
	MimeType string `json:"mimeType"`
	Size     int    `json:"size"`
}

type bLink struct {
	Link string `json:"$link"`
}

type bAspect struct {
	Height int `json:"height"`
	Width  int `json:"width"`
}

// bImagesView is a post view's embed: images#view, or record#view with
// the quoted post, a *bViewRecord or a *bViewNotFound once it is deleted.
type bImagesView struct {
	Type   string       `json:"$type"`
	Images []bImageView `json:"images,omitempty"`
	Record any          `json:"record,omitempty"`
}

// bViewRecord is an app.bsky.embed.record#viewRecord: a quoted post.
type bViewRecord struct {
	Type        string         `json:"$type"`
	URI         string         `json:"uri"`
	CID         string         `json:"cid"`
	Author      *bProfile      `json:"author"`
	Value       *bRecord       `json:"value"`
	Labels      []struct{}     `json:"labels"`
	LikeCount   int64          `json:"likeCount"`
	ReplyCount  int64          `json:"replyCount"`
	RepostCount int64          `json:"repostCount"`
	QuoteCount  int64          `json:"quoteCount"`
	IndexedAt   string         `json:"indexedAt"`
	Embeds      []*bImagesView `json:"embeds"`
}

// bViewNotFound is an app.bsky.embed.record#viewNotFound.
type bViewNotFound struct {
	Type     string `json:"$type"`
	URI      string `json:"uri"`
	NotFound bool   `json:"notFound"`
}

type bImageView struct {
	Thumb       string  `json:"thumb"`
	Fullsize    string  `json:"fullsize"`
	Alt         string  `json:"alt"`
	AspectRatio bAspect `json:"aspectRatio"`
}
