package classifier

import (
	"strings"
	"testing"
)

func TestPublishThreshold(t *testing.T) {
	base := string(defaultPolicy)
	set := func(v string) string {
		return strings.Replace(base, "publish_threshold: 0.75", "publish_threshold: "+v, 1)
	}
	noSection := base[:strings.Index(base, "\nclassifier:")]
	for _, tt := range []struct {
		name, data string
		want       float64
		err        string
	}{
		{"default file", base, 0.75, ""},
		{"no section", noSection, DefaultPublishThreshold, ""},
		{"high", set("0.99"), 0.99, ""},
		{"one", set("1"), 1, ""},
		{"half", set("0.5"), 0.5, ""},
		{"too low", set("0.3"), 0, "policy p.yaml: classifier.publish_threshold: 0.3: expected a confidence from 0.5 to 1"},
		{"above one", set("1.2"), 0, "classifier.publish_threshold: 1.2"},
		{"not a number", set("alta"), 0, "p.yaml"},
		{"unknown setting", strings.Replace(base, "  publish_threshold: 0.75", "  publish_threshold: 0.75\n  umbral: 0.8", 1), 0, "field umbral not found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePolicy("p.yaml", []byte(tt.data))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want it to mention %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := p.PublishThreshold(); got != tt.want {
				t.Errorf("PublishThreshold() = %v, want %v", got, tt.want)
			}
		})
	}
}
