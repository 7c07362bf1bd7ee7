package electoral

import "slices"

// Jurisdictions are the codes a calendar and a directory may name: Mexico
// (federal processes) and its 32 states (ISO 3166-2:MX).
var Jurisdictions = []string{Federal,
	"MX-AGU", "MX-BCN", "MX-BCS", "MX-CAM", "MX-CHH", "MX-CHP", "MX-CMX", "MX-COA",
	"MX-COL", "MX-DUR", "MX-GRO", "MX-GUA", "MX-HID", "MX-JAL", "MX-MEX", "MX-MIC",
	"MX-MOR", "MX-NAY", "MX-NLE", "MX-OAX", "MX-PUE", "MX-QUE", "MX-ROO", "MX-SIN",
	"MX-SLP", "MX-SON", "MX-TAB", "MX-TAM", "MX-TLA", "MX-VER", "MX-YUC", "MX-ZAC",
}

// KnownJurisdiction reports whether code is one of Jurisdictions.
func KnownJurisdiction(code string) bool { return slices.Contains(Jurisdictions, code) }
