window.__THAR_CONFIG = {
  "userInfo" : {
    "accountId" : "1456789012345678901",
    "userName" : "GobiernoGDL",
    "displayName" : "Gobierno de Guadalajara (muestra)"
  },
  "archiveInfo" : {
    "sizeBytes" : "48213",
    "generationDate" : "2026-11-28T16:04:12.000Z",
    "isPartialArchive" : false,
    "maxPartSizeBytes" : "53687091200"
  },
  "readmeInfo" : {
    "fileName" : "data/README.txt",
    "directory" : "data/",
    "name" : "README.txt"
  },
  "dataTypes" : {
    "account" : {
      "files" : [ { "fileName" : "data/account.js", "globalName" : "YTD.account.part0", "count" : "1" } ]
    },
    "deletedTweets" : {
      "mediaDirectory" : "data/deleted_tweets_media",
      "files" : [ { "fileName" : "data/deleted-tweets.js", "globalName" : "YTD.deleted_tweets.part0", "count" : "1" } ]
    },
    "noteTweet" : {
      "files" : [ { "fileName" : "data/note-tweet.js", "globalName" : "YTD.note_tweet.part0", "count" : "1" } ]
    },
    "tweets" : {
      "mediaDirectory" : "data/tweets_media",
      "files" : [ { "fileName" : "data/tweets.js", "globalName" : "YTD.tweets.part0", "count" : "6" } ]
    }
  }
}
