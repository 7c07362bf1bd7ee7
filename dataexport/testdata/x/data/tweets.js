window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1862000000000000101" ],
          "editableUntil" : "2026-11-20T15:30:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ { "text" : "Guadalajara", "indices" : [ "96", "108" ] } ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ {
          "url" : "https://t.co/AbCdEf1234",
          "expanded_url" : "https://transparencia.guadalajara.example/obras/2026",
          "display_url" : "transparencia.guadalajara.example/obras/2026",
          "indices" : [ "109", "132" ]
        } ]
      },
      "display_text_range" : [ "0", "132" ],
      "favorite_count" : "87",
      "id_str" : "1862000000000000101",
      "truncated" : false,
      "retweet_count" : "12",
      "id" : "1862000000000000101",
      "created_at" : "Fri Nov 20 14:30:00 +0000 2026",
      "favorited" : false,
      "full_text" : "Arranca la repavimentación de Av. Federalismo &amp; calle Juan Álvarez: 45 días de obra. #Guadalajara https://t.co/AbCdEf1234",
      "lang" : "es"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1862000000000000202", "1862000000000000203" ],
          "editableUntil" : "2026-11-21T17:00:00.000Z",
          "editsRemaining" : "4",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : { "hashtags" : [ ], "symbols" : [ ], "user_mentions" : [ ], "urls" : [ ] },
      "display_text_range" : [ "0", "71" ],
      "favorite_count" : "40",
      "id_str" : "1862000000000000202",
      "truncated" : false,
      "retweet_count" : "9",
      "id" : "1862000000000000202",
      "created_at" : "Sat Nov 21 16:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "Cierre vial en la calzada Independencia este domingo de 7 a 14 horas.",
      "lang" : "es"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "edit" : {
          "initialTweetId" : "1862000000000000202",
          "editControlInitial" : {
            "editTweetIds" : [ "1862000000000000202", "1862000000000000203" ],
            "editableUntil" : "2026-11-21T17:00:00.000Z",
            "editsRemaining" : "4",
            "isEditEligible" : true
          }
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : { "hashtags" : [ ], "symbols" : [ ], "user_mentions" : [ ], "urls" : [ ] },
      "display_text_range" : [ "0", "71" ],
      "favorite_count" : "52",
      "id_str" : "1862000000000000203",
      "truncated" : false,
      "retweet_count" : "11",
      "id" : "1862000000000000203",
      "created_at" : "Sat Nov 21 16:12:41 +0000 2026",
      "favorited" : false,
      "full_text" : "Cierre vial en la calzada Independencia este domingo de 7 a 15 horas.",
      "lang" : "es"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1862000000000000304" ],
          "editableUntil" : "2026-11-22T19:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ { "name" : "Protección Civil GDL", "screen_name" : "PCGuadalajara", "indices" : [ "0", "14" ], "id_str" : "1400000000000000001", "id" : "1400000000000000001" } ],
        "urls" : [ ]
      },
      "display_text_range" : [ "15", "78" ],
      "favorite_count" : "3",
      "in_reply_to_status_id_str" : "1861999999999999999",
      "id_str" : "1862000000000000304",
      "in_reply_to_user_id" : "1400000000000000001",
      "truncated" : false,
      "retweet_count" : "1",
      "id" : "1862000000000000304",
      "in_reply_to_status_id" : "1861999999999999999",
      "created_at" : "Sun Nov 22 18:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "@PCGuadalajara Gracias por el apoyo en la evacuación preventiva de Oblatos.",
      "lang" : "es",
      "in_reply_to_screen_name" : "PCGuadalajara",
      "in_reply_to_user_id_str" : "1400000000000000001"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1862000000000000405" ],
          "editableUntil" : "2026-11-23T21:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ],
        "media" : [ {
          "expanded_url" : "https://x.com/GobiernoGDL/status/1862000000000000405/photo/1",
          "indices" : [ "53", "76" ],
          "url" : "https://t.co/Ph0t0Xyz12",
          "media_url" : "http://pbs.twimg.com/media/GdLmercado01.jpg",
          "id_str" : "1862000000000009405",
          "id" : "1862000000000009405",
          "media_url_https" : "https://pbs.twimg.com/media/GdLmercado01.jpg",
          "sizes" : { "large" : { "w" : "2048", "h" : "1536", "resize" : "fit" } },
          "type" : "photo",
          "display_url" : "pic.x.com/Ph0t0Xyz12"
        } ]
      },
      "extended_entities" : {
        "media" : [ {
          "expanded_url" : "https://x.com/GobiernoGDL/status/1862000000000000405/photo/1",
          "indices" : [ "53", "76" ],
          "url" : "https://t.co/Ph0t0Xyz12",
          "media_url" : "http://pbs.twimg.com/media/GdLmercado01.jpg",
          "id_str" : "1862000000000009405",
          "id" : "1862000000000009405",
          "media_url_https" : "https://pbs.twimg.com/media/GdLmercado01.jpg",
          "sizes" : { "large" : { "w" : "2048", "h" : "1536", "resize" : "fit" } },
          "type" : "photo",
          "ext_alt_text" : "Fachada del Mercado Corona rehabilitado",
          "display_url" : "pic.x.com/Ph0t0Xyz12"
        } ]
      },
      "display_text_range" : [ "0", "52" ],
      "favorite_count" : "230",
      "id_str" : "1862000000000000405",
      "truncated" : false,
      "retweet_count" : "41",
      "id" : "1862000000000000405",
      "possibly_sensitive" : false,
      "created_at" : "Mon Nov 23 20:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "Así quedó el Mercado Corona tras su rehabilitación. https://t.co/Ph0t0Xyz12",
      "lang" : "es"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1862000000000000506" ],
          "editableUntil" : "2026-11-24T23:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ { "url" : "https://t.co/N0teLong01", "expanded_url" : "https://x.com/i/web/status/1862000000000000506", "display_url" : "x.com/i/web/status/1…", "indices" : [ "274", "297" ] } ]
      },
      "display_text_range" : [ "0", "273" ],
      "favorite_count" : "19",
      "id_str" : "1862000000000000506",
      "truncated" : false,
      "retweet_count" : "6",
      "id" : "1862000000000000506",
      "created_at" : "Tue Nov 24 22:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "Informe de la sesión de Cabildo de hoy: aprobamos el reglamento de mercados municipales, el presupuesto participativo de Huentitán y la ampliación del programa de becas para estudiantes de secundaria, que llegará a 4,500 alumnas y alumnos a partir de enero. También se… https://t.co/N0teLong01",
      "lang" : "es"
    }
  }
]
