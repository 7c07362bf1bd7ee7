package samplenet

import (
	"github.com/vigia-mx/vigia/crawler/bluesky"
	"github.com/vigia-mx/vigia/crawler/mastodon"
	"github.com/vigia-mx/vigia/crawler/rss"
	"github.com/vigia-mx/vigia/crawler/telegram"
	"github.com/vigia-mx/vigia/crawler/youtube"
	"github.com/vigia-mx/vigia/directory"
)

// specs are the adapters' specs, as cmd/vigia wires them, that the
// sample's directories are checked against.
var specs = directory.Networks{mastodon.Network, bluesky.Network, telegram.Network, youtube.Network, rss.Network}
