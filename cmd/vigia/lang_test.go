package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLangThroughTheBinary runs the built vigia as an office and as a
// developer would: with LANG=es_MX.UTF-8 its help, its errors and a real
// crawl's summary are Spanish; with LANG=C, or LC_ALL=C over a Spanish
// LANG, English.
func TestLangThroughTheBinary(t *testing.T) {
	bin := buildVigia(t)
	_, _, dirFile, _ := liveSample(t)
	tmp := t.TempDir()
	badDir := filepath.Join(tmp, "directorio-con-error.yaml")
	if err := os.WriteFile(badDir, []byte("subject: Ayuntamiento de Prueba\naccounts:\n  - id: prensa\n    network: facebok\n    handle: prensa\n    type: official\n    area: Comunicación Social\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		locale []string
		want   map[string][]string // what each step prints, stdout and stderr together
	}{
		{"es", []string{"LANG=es_MX.UTF-8"}, map[string][]string{
			"help":          {"Uso: vigia COMANDO [opciones]", "Comandos:", "rastrea las cuentas del directorio", "Ejecute \"vigia COMANDO -h\""},
			"crawl -h":      {"Uso: vigia crawl --directory ARCHIVO", "Opciones:", "  --directory ARCHIVO\n", "rastrea una sola vez y termina", "(predeterminado: 20)"},
			"unknown":       {`vigia: no existe el comando "serach" (¿quiso decir "search"?); ejecute "vigia help"`},
			"bad flag":      {`vigia search: no existe la opción --txt (¿quiso decir --text?); ejecute "vigia search -h" para ver las opciones`},
			"bad value":     {`vigia crawl: --every "x": se esperaba una duración como 90s, 15m o 168h`},
			"no archive":    {`vigia search: el archivo "` + filepath.Join(tmp, "none.duckdb") + `" no existe: ejecute antes "vigia demo" o "vigia crawl"`},
			"crawl":         {"CUENTA", "RESULTADO", "correcto", "11 cuentas (con falla: 0)", "publicaciones vistas", "versiones nuevas"},
			"unknown acct":  {`--account "regidora-ana": no está en el directorio ni en el archivo (¿quiso decir "regidora-orozco"?)`},
			"search":        {"PUBLICADA", "ETIQUETA", "información pública", " de 88 publicaciones"},
			"bad directory": {"directorio " + badDir + ": 1 problema\n", badDir + `:4: accounts[0].network: "facebok": red desconocida (¿quiso decir "facebook"?)`},
		}},
		{"en", []string{"LANG=C"}, map[string][]string{
			"help":          {"Usage: vigia COMMAND [flags]", "Commands:", "crawl the directory's accounts into the archive"},
			"crawl -h":      {"Usage: vigia crawl --directory FILE", "Flags:", "  --directory FILE\n", "crawl once and exit", "(default 20)"},
			"unknown":       {`vigia: unknown command "serach" (did you mean "search"?); run "vigia help"`},
			"bad flag":      {`vigia search: unknown flag --txt (did you mean --text?); run "vigia search -h" for the flags`},
			"bad value":     {`vigia crawl: --every "x": expected a duration such as 90s, 15m or 168h`},
			"no archive":    {`vigia search: archive "` + filepath.Join(tmp, "none.duckdb") + `" does not exist`},
			"crawl":         {"ACCOUNT", "RESULT", " ok\n", "11 accounts (0 failed)", "posts seen", "new versions"},
			"unknown acct":  {`--account "regidora-ana": neither in the directory nor in the archive (did you mean "regidora-orozco"?)`},
			"search":        {"PUBLISHED", "LABEL", "function", " of 88 posts"},
			"bad directory": {"directory " + badDir + ": 1 problem(s)\n", badDir + `:4: accounts[0].network: "facebok": unknown network (did you mean "facebook"?)`},
		}},
		{"LC_ALL over LANG", []string{"LANG=es_MX.UTF-8", "LC_ALL=C"}, map[string][]string{
			"help":    {"Usage: vigia COMMAND [flags]"},
			"unknown": {`vigia: unknown command "serach"`},
		}},
		{"LC_MESSAGES over LANG", []string{"LANG=C", "LC_MESSAGES=es_MX.UTF-8"}, map[string][]string{
			"help":    {"Uso: vigia COMANDO [opciones]"},
			"unknown": {`vigia: no existe el comando "serach"`},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			arc := filepath.Join(tmp, strings.ReplaceAll(c.name, " ", "-")+".duckdb")
			env := append([]string{"VIGIA_AUDIT=" + filepath.Join(tmp, c.name+"-audit.jsonl"), "VIGIA_AUDIT_KEY=" + testAuditKey}, c.locale...)
			steps := []struct {
				name string
				code int
				args []string
			}{
				{"help", 0, []string{"help"}},
				{"crawl -h", 0, []string{"crawl", "-h"}},
				{"unknown", 2, []string{"serach"}},
				{"bad flag", 2, []string{"search", "--txt", "x"}},
				{"bad value", 2, []string{"crawl", "--directory", dirFile, "--every", "x"}},
				{"no archive", 2, []string{"search", "--archive", filepath.Join(tmp, "none.duckdb")}},
				{"crawl", 0, []string{"crawl", "--directory", dirFile, "--archive", arc, "--warc-dir", filepath.Join(tmp, c.name+"-warc"),
					"--allow-private-networks", "--host-rate", "0", "--once", "--progress=false"}},
				{"unknown acct", 2, []string{"export", "--archive", arc, "--request", "UT/1/2026", "--account", "regidora-ana", "--out", filepath.Join(tmp, "nada")}},
				{"search", 0, []string{"search", "--archive", arc}},
				{"bad directory", 2, []string{"directory", "validate", badDir}},
			}
			for _, s := range steps {
				want, ok := c.want[s.name]
				if !ok {
					continue
				}
				out, errs, code := binEnv(t, bin, env, s.args...)
				if code != s.code {
					t.Errorf("%v vigia %s: exit %d, want %d\n%s%s", c.locale, strings.Join(s.args, " "), code, s.code, out, errs)
				}
				for _, w := range want {
					if !strings.Contains(out+errs, w) {
						t.Errorf("%v vigia %s: no %q in\n%s%s", c.locale, strings.Join(s.args, " "), w, out, errs)
					}
				}
			}
		})
	}
}

// TestSpanishHelpHasNoEnglish reads the Spanish help of the office's
// commands for words only English has. Flags, commands, file names and
// codes (--archive, vigia archive flush, NOMBRE-warc/, allow_private_network)
// are left out: they are written as they are typed.
func TestSpanishHelpHasNoEnglish(t *testing.T) {
	english := map[string]bool{"the": true, "of": true, "and": true, "to": true, "is": true, "with": true, "which": true,
		"when": true, "post": true, "posts": true, "account": true, "accounts": true, "file": true, "folder": true,
		"default": true, "usage": true, "flags": true, "required": true, "only": true, "each": true,
		"every": true, "this": true, "that": true, "from": true, "for": true, "or": true, "in": true, "by": true}
	spanish := func(k string) string {
		if k == "LANG" {
			return "es_MX.UTF-8"
		}
		return ""
	}
	names := map[string]bool{}
	for _, c := range commands() {
		names[c.name] = true
	}
	for _, sub := range []string{"add", "token", "list", "disable", "validate", "import", "decide", "verify", "copy", "flush", "wacz"} {
		names[sub] = true
	}
	for _, cmd := range []string{"", "demo", "directory", "directory import", "directory validate", "crawl", "serve", "accounts",
		"search", "show", "review", "review list", "review decide", "export", "verificar-paquete", "verify-package", "import",
		"audit", "audit verify", "users", "users add", "users list", "users token", "users disable", "verify", "version"} {
		args := append(strings.Fields(cmd), "-h")
		var out, errb strings.Builder
		code := run(t.Context(), args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: spanish})
		if code != 0 {
			t.Errorf("vigia %s -h: exit %d\n%s", cmd, code, errb.String())
			continue
		}
		var found []string
		for _, line := range strings.Split(out.String(), "\n") {
			for _, tok := range strings.Fields(line) {
				if strings.HasPrefix(tok, "-") || strings.ContainsAny(tok, "_/.@=:|") {
					continue // a flag, a path, a URL, a code
				}
				word := strings.ToLower(strings.Trim(tok, `"'()[],;«»¿?¡!…`))
				if english[word] && !names[word] {
					found = append(found, word+" in "+strings.TrimSpace(line))
				}
			}
		}
		if len(found) > 0 {
			t.Errorf("vigia %s -h under LANG=es_MX.UTF-8 has English words:\n  %s", cmd, strings.Join(found, "\n  "))
		}
		if m := regexp.MustCompile(`(?m)^(Usage|Flags|Subcommands|Commands):`).FindString(out.String()); m != "" {
			t.Errorf("vigia %s -h under LANG=es_MX.UTF-8 has the English heading %q", cmd, m)
		}
	}
}

// isLocaleVar tells whether an environment entry sets the language of
// messages, which the tests choose themselves.
func isLocaleVar(kv string) bool {
	for _, name := range []string{"LANG=", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="} {
		if strings.HasPrefix(kv, name) {
			return true
		}
	}
	return false
}
