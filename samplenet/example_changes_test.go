package samplenet_test

import (
	"fmt"
	"time"

	"github.com/vigia-mx/vigia/samplenet"
)

// A test changes the sample between two crawls, then puts it back.
func ExampleServer_Delete() {
	s, err := samplenet.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	before := s.Counts()["gobierno-gdl"]
	if err := s.Delete("gobierno-gdl", "grito"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(before, "statuses, then", s.Counts()["gobierno-gdl"])
	if err := s.Restore("gobierno-gdl", "grito"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Edit("gobierno-gdl", "no-existe", "texto", time.Now()))
	// Output:
	// 11 statuses, then 10
	// edit post "no-existe" of account "gobierno-gdl": unknown post
}
