package directory

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestCapture(t *testing.T) {
	dir := func(accounts string) string { return "subject: S\nexport_every: 60d\naccounts:\n" + accounts }
	tests := []struct {
		name        string
		yaml        string
		wantCapture Capture
		wantDue     time.Duration
		wantPath    string
		wantErr     string // a line of the problems; "" for none
	}{
		{name: "a crawled network is public by default",
			yaml:        dir("  - {id: a, network: mastodon, handle: \"@a@b.example\", type: official, area: X}\n"),
			wantCapture: CapturePublic, wantDue: 60 * 24 * time.Hour},
		{name: "X is captured from exports by default, due every the directory's period",
			yaml:        dir("  - {id: a, network: x, handle: GobiernoGDL, type: official, area: X}\n"),
			wantCapture: CaptureExport, wantDue: 60 * 24 * time.Hour},
		{name: "an account's own period",
			yaml:        dir("  - {id: a, network: tiktok, handle: gobiernogdl, type: official, area: X, export_every: 2w}\n"),
			wantCapture: CaptureExport, wantDue: 14 * 24 * time.Hour},
		{name: "the API with a token file read beside the directory",
			yaml:        dir("  - {id: a, network: facebook, handle: GobiernoDeGuadalajara, type: official, area: X, capture: api, token_file: secretos/fb.token}\n"),
			wantCapture: CaptureAPI, wantPath: "conf/secretos/fb.token", wantDue: 60 * 24 * time.Hour},
		{name: "the API with a token in the environment",
			yaml:        dir("  - {id: a, network: x, handle: GobiernoGDL, type: official, area: X, capture: api, token_env: VIGIA_X_TOKEN}\n"),
			wantCapture: CaptureAPI, wantDue: 60 * 24 * time.Hour},
		{name: "no API for TikTok",
			yaml:    dir("  - {id: a, network: tiktok, handle: gobiernogdl, type: official, area: X, capture: api, token_env: T}\n"),
			wantErr: `conf/d.yml:4: accounts[0].capture: "api": vigia has no adapter for the official API of tiktok; capture its posts with export`},
		{name: "no export for Mastodon",
			yaml:    dir("  - {id: a, network: mastodon, handle: \"@a@b.example\", type: official, area: X, capture: export}\n"),
			wantErr: `conf/d.yml:4: accounts[0].capture: "export": mastodon accounts are captured with public`},
		{name: "a misspelt capture",
			yaml:    dir("  - {id: a, network: x, handle: GobiernoGDL, type: official, area: X, capture: expot}\n"),
			wantErr: `conf/d.yml:4: accounts[0].capture: "expot": expected public, export or api (did you mean "export"?)`},
		{name: "the API without a token's place",
			yaml:    dir("  - {id: a, network: instagram, handle: gobiernogdl, type: official, area: X, capture: api}\n"),
			wantErr: `conf/d.yml:4: accounts[0].capture: "api": needs token_file: (a file only its owner may read, mode 600) or token_env: (an environment variable) naming where the office's token is; never the token itself`},
		{name: "the API for a personal account",
			yaml:    dir("  - {id: a, network: x, handle: Regidora, type: personal, area: X, capture: api, token_env: T, registered_on: 2025-01-02, servant: {name: N, position: P, level: 2}}\n"),
			wantErr: `conf/d.yml:4: accounts[0].capture: "api": the official API is read with the office's token, for official accounts only; a personal account (Séptima B) is captured from the export its servant hands in (capture: export)`},
		{name: "the token itself, not repeated in the message",
			yaml:    dir("  - id: a\n    network: x\n    handle: GobiernoGDL\n    type: official\n    area: X\n    capture: api\n    token_env: T\n    token: AAAAsecretoBBBB\n"),
			wantErr: `conf/d.yml:11: accounts[0].token: a token, password or secret never goes in the directory`},
		{name: "a token's place without the API",
			yaml:    dir("  - {id: a, network: x, handle: GobiernoGDL, type: official, area: X, token_file: t}\n"),
			wantErr: `conf/d.yml:4: accounts[0].token_file: only for capture: api (the office's token for the platform's official API)`},
		{name: "a bad variable name",
			yaml:    dir("  - {id: a, network: x, handle: GobiernoGDL, type: official, area: X, capture: api, token_env: \"$TOKEN\"}\n"),
			wantErr: `conf/d.yml:4: accounts[0].token_env: "$TOKEN": expected the name of an environment variable`},
		{name: "a bad period",
			yaml:    dir("  - {id: a, network: x, handle: GobiernoGDL, type: official, area: X, export_every: mensual}\n"),
			wantErr: `conf/d.yml:4: accounts[0].export_every: "mensual": expected a period such as 30d (days), 2w (weeks) or 720h`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("conf/d.yml", []byte(tt.yaml), testNetworks)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error:\n got  %v\n want a line starting %s", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secreto") {
					t.Errorf("the message repeats the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			a := &d.Accounts[0]
			if got, want := a.Capture, tt.wantCapture; got != want {
				t.Errorf("capture = %q, want %q", got, want)
			}
			if got, want := d.ExportDue(a), tt.wantDue; got != want {
				t.Errorf("export due every %s, want %s", got, want)
			}
			if got, want := a.TokenPath, tt.wantPath; got != want {
				t.Errorf("token path = %q, want %q", got, want)
			}
			// Written back and read again, the capture is the same.
			var b bytes.Buffer
			if err := d.WriteYAML(&b); err != nil {
				t.Fatal(err)
			}
			d2, err := Parse("conf/d.yml", b.Bytes(), testNetworks)
			if err != nil {
				t.Fatalf("the directory written back: %v\n%s", err, b.String())
			}
			a2 := &d2.Accounts[0]
			if fmt.Sprint(a2.Capture, a2.TokenFile, a2.TokenEnv, d2.ExportDue(a2)) != fmt.Sprint(a.Capture, a.TokenFile, a.TokenEnv, d.ExportDue(a)) {
				t.Errorf("written back:\n%s\nread as %q %q %q %s", b.String(), a2.Capture, a2.TokenFile, a2.TokenEnv, d2.ExportDue(a2))
			}
		})
	}
}
