package classifier

import (
	"fmt"
	"testing"
)

// Run: go test ./classifier -run '^$' -bench . -benchtime 2s -cpu 1

// BenchmarkClassify classifies short posts of a personal account with the
// shipped model: one core, posts per second.
func BenchmarkClassify(b *testing.B) {
	c := New(DefaultPolicy(), DefaultModel())
	posts := tinyCorpus()
	for _, p := range posts { // warm the stem cache, as a long crawl would
		c.Classify(Account{}, Post{Text: p.Text})
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Classify(Account{}, Post{Text: posts[i%len(posts)].Text})
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkTrain10k trains on 10,000 posts (the project's corpus, repeated
// with a counter so that no two are the same).
func BenchmarkTrain10k(b *testing.B) {
	set, err := ReadLabels("testdata/corpus")
	if err != nil {
		b.Fatal(err)
	}
	var ex []Example
	for i := 0; len(ex) < 10_000; i++ {
		x := set.Examples[i%len(set.Examples)]
		x.Text = fmt.Sprintf("%s %d", x.Text, i)
		ex = append(ex, x)
	}
	for b.Loop() {
		if _, err := Train(ex, TrainOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
