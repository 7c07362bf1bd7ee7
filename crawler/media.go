package crawler

import (
	"context"
	"errors"
	"fmt"

	"github.com/vigia-mx/vigia/archive"
)

// fetchMedia keeps as evidence the images and video posters of a new post
// version: CDN links expire (Telegram's within hours), so they are fetched
// at crawl time, each within Options.MediaMaxBytes. Videos, audio and
// documents are referenced, not fetched. Failures are noted on the media
// entry and do not fail the post.
func (a *accountCrawl) fetchMedia(ctx context.Context, post *archive.Post) {
	maxBytes := a.c.opts.MediaMaxBytes
	for i := range post.Media {
		m := &post.Media[i]
		target := ""
		switch m.Kind {
		case "image":
			target = m.URL
			if target == "" {
				target = m.PreviewURL
			}
		case "video", "gifv":
			target = m.PreviewURL
			m.Note = "video referenced, not fetched"
		default:
			m.Note = m.Kind + " referenced, not fetched"
		}
		if target == "" || maxBytes < 0 {
			a.c.metrics.media(post.Network, "referenced")
			continue
		}
		resp, err := a.f.getWithin(ctx, target, "image/*", maxBytes)
		switch {
		case errors.Is(err, ErrBodyTooLarge):
			m.Note = fmt.Sprintf("over the %d-byte cap: referenced, not fetched", maxBytes)
			a.c.metrics.media(post.Network, "referenced")
		case err != nil:
			m.Note = "not fetched: " + err.Error()
			a.c.metrics.media(post.Network, "failed")
		default:
			m.WARCFile, m.WARCRecordID, m.WARCOffset, m.WARCDigest = resp.WARC.File, resp.WARC.RecordID, resp.WARC.Offset, resp.WARC.Digest
			m.Bytes = int64(len(resp.Body))
			if m.Kind != "image" {
				m.Note = "poster fetched; video referenced, not fetched"
			}
			a.c.metrics.media(post.Network, "fetched")
		}
	}
}
