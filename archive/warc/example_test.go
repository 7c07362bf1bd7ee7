package warc_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/vigia-mx/vigia/archive/warc"
)

func Example() {
	dir, err := os.MkdirTemp("", "evidence")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	w, err := warc.NewWriter(warc.Options{Dir: dir, Software: "vigia 0.3.0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	ref, err := w.Write(&warc.Exchange{
		TargetURI: "https://social.example/@obras/1",
		Date:      time.Date(2026, 11, 27, 18, 53, 0, 0, time.UTC),
		Request:   []byte("GET /@obras/1 HTTP/1.1\r\nHost: social.example\r\n\r\n"),
		Response:  []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"),
		Body:      []byte("hola"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}

	ix, problems, err := warc.Verify(context.Background(), dir, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("records:", ix.Records, "problems:", len(problems), "reference:", ix.CheckRef(ref))
	fmt.Println("payload:", ref.PayloadDigest) // sha256 of "hola"
	// Output:
	// records: 3 problems: 0 reference: <nil>
	// payload: sha256:b221d9dbb083a7f33428d7c2a3c3198ae925614d70210e28716ccaa7cd4ddb79
}
