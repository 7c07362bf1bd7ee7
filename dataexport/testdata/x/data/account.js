window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "comunicacion@guadalajara.example",
      "createdVia" : "web",
      "username" : "GobiernoGDL",
      "accountId" : "1456789012345678901",
      "createdAt" : "2015-03-02T17:20:11.000Z",
      "accountDisplayName" : "Gobierno de Guadalajara (muestra)"
    }
  }
]
