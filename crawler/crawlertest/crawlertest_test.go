package crawlertest

import (
	"io"
	"net/http"
	"testing"
)

func TestServe(t *testing.T) {
	const origin = "https://social.gdl.example"
	srv := Serve(t, Replay{
		Routes: map[string]Reply{
			"/statuses?limit=40&max_id=7": {
				Header: http.Header{"Link": {"<" + origin + "/statuses?max_id=5>; rel=\"next\""}},
				Body:   []byte(origin + "/statuses/7"),
			},
			"/gone": {Status: http.StatusGone},
		},
		Robots: []byte("User-agent: *\n"),
		Accept: "application/json",
		Origin: origin,
	})
	get := func(uri, accept string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest("GET", srv.URL+uri, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(body)
	}

	resp, body := get("/statuses?max_id=7&limit=40", "application/json") // parameters in another order
	if got, want := resp.Header.Get("Link"), "<"+srv.URL+"/statuses?max_id=5>; rel=\"next\""; got != want {
		t.Errorf("Link = %s, want %s", got, want)
	}
	if got, want := body, origin+"/statuses/7"; got != want {
		t.Errorf("body = %s, want %s, as recorded", got, want)
	}
	if resp, _ := get("/statuses?limit=40&max_id=7", "text/html"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("status for another Accept = %d, want 404", resp.StatusCode)
	}
	if resp, _ := get("/gone", "application/json"); resp.StatusCode != http.StatusGone {
		t.Errorf("status of /gone = %d, want 410", resp.StatusCode)
	}
	if resp, _ := get("/other", "application/json"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("status of an unknown route = %d, want 404", resp.StatusCode)
	}
	if resp, body := get("/robots.txt", "text/plain"); resp.StatusCode != http.StatusOK || body != "User-agent: *\n" {
		t.Errorf("robots.txt: %d %q", resp.StatusCode, body)
	}
	srv.CheckRequests(t, []string{"/statuses?limit=40&max_id=7", "/statuses?max_id=7&limit=40", "/gone", "/other"})
}

func TestServeNoRobots(t *testing.T) {
	srv := Serve(t, Replay{})
	resp, err := http.Get(srv.URL + "/robots.txt")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("robots.txt status = %d, want 404", resp.StatusCode)
	}
	if got := srv.Requests(); len(got) != 0 {
		t.Errorf("requests = %q, want none: robots.txt is not logged", got)
	}
}
