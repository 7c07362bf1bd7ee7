window.YTD.note_tweet.part0 = [
  {
    "noteTweet" : {
      "noteTweetId" : "1862000000000070506",
      "updatedAt" : "2026-11-24T22:00:00.000Z",
      "lifecycle" : {
        "value" : "1",
        "name" : "Published",
        "originalName" : "Published",
        "annotations" : { }
      },
      "createdAt" : "2026-11-24T22:00:00.000Z",
      "core" : {
        "styletags" : [ ],
        "urls" : [ ],
        "text" : "Informe de la sesión de Cabildo de hoy: aprobamos el reglamento de mercados municipales, el presupuesto participativo de Huentitán y la ampliación del programa de becas para estudiantes de secundaria, que llegará a 4,500 alumnas y alumnos a partir de enero. También se aprobó el convenio con el Estado para el mantenimiento de la Línea 3.",
        "mentions" : [ ],
        "cashtags" : [ ],
        "hashtags" : [ ]
      }
    }
  }
]
