package samplenet

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"
)

// The identifiers below have the shape of each network's real ones and are
// derived from a seed, so that the sample is the same on every run.

// seed returns 64 stable bits for a string.
func seed(s string) uint64 {
	sum := sha256.Sum256([]byte(s))
	return binary.BigEndian.Uint64(sum[:8])
}

// snowflake returns a Mastodon id: milliseconds since the epoch shifted left
// 16 bits, with a per-record sequence in the low bits, as a decimal string.
func snowflake(t time.Time, key string) string {
	return strconv.FormatUint(uint64(t.UnixMilli())<<16|seed(key)&0xffff, 10)
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// plcDID returns a did:plc identifier: 24 base32 characters.
func plcDID(key string) string {
	sum := sha256.Sum256([]byte("did:" + key))
	return "did:plc:" + lower(b32.EncodeToString(sum[:])[:24])
}

// cid returns a CIDv1 in base32 for a sha-256 digest of key: codec dag-cbor
// ("bafyrei…") for records, raw ("bafkrei…") for blobs.
func cid(key string, raw bool) string {
	sum := sha256.Sum256([]byte(key))
	codec := byte(0x71)
	if raw {
		codec = 0x55
	}
	b := append([]byte{0x01, codec, 0x12, 0x20}, sum[:]...)
	return "b" + lower(b32.EncodeToString(b))
}

const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// tid returns an AT Protocol record key: 53 bits of microseconds and 10 bits
// of clock id, in 13 sortable base32 characters.
func tid(t time.Time, key string) string {
	v := uint64(t.UnixMicro())<<10 | seed(key)&0x3ff
	var out [13]byte
	for i := 12; i >= 0; i-- {
		out[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(out[:])
}

// videoID returns an 11-character YouTube video id.
func videoID(key string) string {
	sum := sha256.Sum256([]byte("video:" + key))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:11]
}

// assignIDs gives the account and its posts their network identities.
func (a *account) assignIDs() {
	switch a.spec.Network {
	case "mastodon":
		a.numID = snowflake(a.since, "account:"+a.spec.ID)
		for i, p := range a.posts {
			p.id = snowflake(p.at, fmt.Sprintf("status:%s:%d", a.spec.ID, i))
		}
	case "bluesky":
		a.did = plcDID(a.spec.Profile.Handle)
		for i, p := range a.posts {
			p.id = tid(p.at, fmt.Sprintf("post:%s:%d", a.spec.ID, i))
		}
	case "telegram":
		// Message numbers are sequential per channel; a few are missing,
		// as deleted messages leave holes.
		n := 100 + int(seed(a.spec.ID)%900)
		for i := len(a.posts) - 1; i >= 0; i-- {
			n++
			if seed(fmt.Sprintf("%s:%d", a.spec.ID, i))%4 == 0 {
				n++
			}
			a.posts[i].id = fmt.Sprint(n)
		}
	case "youtube":
		for i, p := range a.posts {
			p.id = videoID(fmt.Sprintf("%s:%d:%s", a.spec.ID, i, p.key))
		}
	case "rss":
		for _, p := range a.posts {
			p.id = p.key
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
