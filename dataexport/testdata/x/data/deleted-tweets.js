window.YTD.deleted_tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1861500000000000707" ],
          "editableUntil" : "2026-11-15T13:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : { "hashtags" : [ ], "symbols" : [ ], "user_mentions" : [ ], "urls" : [ ] },
      "display_text_range" : [ "0", "64" ],
      "favorite_count" : "2",
      "id_str" : "1861500000000000707",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1861500000000000707",
      "created_at" : "Sun Nov 15 12:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "Los apoyos del programa se entregarán solo a simpatizantes.",
      "lang" : "es",
      "deleted_at" : "2026-11-15T12:40:03.000Z"
    }
  }
]
