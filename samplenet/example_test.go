package samplenet_test

import (
	"fmt"
	"net/http"

	"github.com/vigia-mx/vigia/samplenet"
)

func Example() {
	s, err := samplenet.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Start(); err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	// s.Directory() is the directory file to crawl the sample with.
	resp, err := http.Get(s.URL() + "/api/v1/accounts/lookup?acct=obras_jorge")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status, s.Counts()["obras-director"], "posts")
	// Output: 200 OK 10 posts
}
