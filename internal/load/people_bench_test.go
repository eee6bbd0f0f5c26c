package load

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"dpnkit/internal/model"
)

// BenchmarkPeopleCSV loads 200,000 people with every column of inputs.md §3
// (the national bench has about 1.5 million).
func BenchmarkPeopleCSV(b *testing.B) {
	const n = 200000
	path := filepath.Join(b.TempDir(), "people.csv")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("Employee Number,Person Type,Last Name,First Name,Date of Birth,NI Number,GMC Number,VPD,Position Number,Assignment Status\n")
	for i := range n {
		fmt.Fprintf(w, "%08d,Employee,Surname%d,Forename%d,%02d-MAR-19%02d,QQ%06dA,%07d,%03d,%d,Active Assignment\n",
			i, i, i, 1+i%28, 50+i%40, i, 7000000+i, 100+i%200, 3000000+i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for range b.N {
		var got atomic.Int64
		if _, err := People(context.Background(), []string{path}, Options{}, func(batch []model.Person) {
			got.Add(int64(len(batch)))
		}); err != nil {
			b.Fatal(err)
		}
		if got.Load() != n {
			b.Fatalf("%d people, want %d", got.Load(), n)
		}
	}
}
