package warc

import (
	"fmt"
	"testing"
)

// BenchmarkWrite writes exchanges with incompressible bodies, as bodies that
// arrive gzip-encoded are; each write waits for its fsync. The parallel
// cases have 8 writers per CPU, as a crawler's fetchers would; the
// append-sync cases share one fsync among 100 exchanges, as a crawl does
// (one Sync before each archive append).
func BenchmarkWrite(b *testing.B) {
	for _, size := range []int{10 << 10, 200 << 10} {
		ex := exchange(1, size)
		n := int64(len(ex.Request) + len(ex.Response) + len(ex.Body))
		b.Run(fmt.Sprintf("body=%dKiB", size>>10), func(b *testing.B) {
			w := newWriter(b, Options{Dir: b.TempDir()})
			b.SetBytes(n)
			for b.Loop() {
				mustWrite(b, w, ex)
			}
			mustClose(b, w)
		})
		b.Run(fmt.Sprintf("body=%dKiB/parallel", size>>10), func(b *testing.B) {
			w := newWriter(b, Options{Dir: b.TempDir()})
			b.SetBytes(n)
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := w.Write(ex); err != nil {
						b.Error(err)
						return
					}
				}
			})
			mustClose(b, w)
		})
		b.Run(fmt.Sprintf("body=%dKiB/append-sync-per-100", size>>10), func(b *testing.B) {
			w := newWriter(b, Options{Dir: b.TempDir()})
			b.SetBytes(n)
			i := 0
			for b.Loop() {
				if _, err := w.Append(ex); err != nil {
					b.Fatal(err)
				}
				if i++; i%100 == 0 {
					if err := w.Sync(); err != nil {
						b.Fatal(err)
					}
				}
			}
			mustClose(b, w)
		})
	}
}
