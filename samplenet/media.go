package samplenet

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"sync"
)

// Media files are placeholders, drawn the first time they are needed: a
// small striped image for every picture, a one-page PDF for documents. They
// let a crawler that downloads media do so offline.

const (
	placeholderWidth  = 320
	placeholderHeight = 240
)

type mediaFile struct {
	typ  string
	draw func() []byte
	once sync.Once
	body []byte
}

func newMedia(typ string, draw func() []byte) *mediaFile { return &mediaFile{typ: typ, draw: draw} }

// bytes returns the file, drawing it on first use.
func (f *mediaFile) bytes() []byte {
	f.once.Do(func() { f.body = f.draw() })
	return f.body
}

// placeholders returns every media file the sample's responses link to, by
// the last segment of its URL path.
func (s *Server) placeholders() map[string]*mediaFile {
	img := func(name, format string) *mediaFile {
		return newMedia("image/"+format, func() []byte { return drawImage(name, format) })
	}
	out := map[string]*mediaFile{"missing.png": img("missing", "png")}
	for _, a := range s.sample.accounts {
		h := a.spec.Profile.Handle
		switch a.spec.Network {
		case "mastodon":
			out[h+".png"] = img(h, "png")
		case "bluesky":
			out[avatarCID(h)+"@jpeg"] = img(h, "jpeg")
		case "telegram":
			out[h+".jpg"] = img(h, "jpeg")
		case "youtube":
			out["hqdefault.jpg"] = img("youtube", "jpeg")
		}
		for _, p := range a.posts {
			files := p.media
			if p.enclosure != nil {
				files = append(files[:len(files):len(files)], *p.enclosure)
			}
			for _, m := range files {
				if a.spec.Network == "bluesky" {
					out[blobCID(m.File)+"@jpeg"] = img(m.File, "jpeg")
					continue
				}
				out[m.File] = placeholder(m)
			}
		}
	}
	return out
}

// mediaType returns a media file's MIME type, from the content or from its
// name.
func mediaType(m mediaSpec) string {
	if m.Type != "" {
		return m.Type
	}
	switch strings.ToLower(path.Ext(m.File)) {
	case ".png":
		return "image/png"
	case ".pdf":
		return "application/pdf"
	case ".mp4":
		return "video/mp4"
	}
	return "image/jpeg"
}

func placeholder(m mediaSpec) *mediaFile {
	typ := mediaType(m)
	return newMedia(typ, func() []byte {
		switch typ {
		case "image/png":
			return drawImage(m.File, "png")
		case "application/pdf":
			return drawPDF(m.Alt)
		}
		return drawImage(m.File, "jpeg")
	})
}

func blobCID(file string) string     { return cid("blob:"+file, true) }
func avatarCID(handle string) string { return cid("avatar:"+handle, true) }

// drawImage draws diagonal stripes in two colours chosen by name.
func drawImage(name, format string) []byte {
	v := seed(name)
	c1 := color.RGBA{uint8(v), uint8(v >> 8), uint8(v >> 16), 255}
	c2 := color.RGBA{255 - c1.R/2, 255 - c1.G/2, 255 - c1.B/2, 255}
	img := image.NewRGBA(image.Rect(0, 0, placeholderWidth, placeholderHeight))
	for y := 0; y < placeholderHeight; y++ {
		for x := 0; x < placeholderWidth; x++ {
			c := c1
			if (x+y)/24%2 == 0 {
				c = c2
			}
			img.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if format == "png" {
		png.Encode(&b, img)
	} else {
		jpeg.Encode(&b, img, &jpeg.Options{Quality: 75})
	}
	return b.Bytes()
}

// drawPDF writes a one-page PDF showing a line of ASCII text.
func drawPDF(text string) []byte {
	var safe strings.Builder
	for _, r := range text {
		switch {
		case r == '(' || r == ')' || r == '\\':
			safe.WriteByte(' ')
		case r < 128 && r >= 32:
			safe.WriteRune(r)
		case r < 256:
			fmt.Fprintf(&safe, "\\%03o", r) // WinAnsi covers Latin-1 letters
		}
	}
	stream := fmt.Sprintf("BT /F1 12 Tf 40 760 Td (%s) Tj ET", safe.String())
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
