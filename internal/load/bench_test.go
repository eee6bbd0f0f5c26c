package load

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"dpnkit/internal/model"
)

const benchHeader = "VPD,Position ID,Position Number,Position Name,Effective From Date,Effective To Date," +
	"Hiring Status,Job Staff Group,Job Role,Occupation Code,Deanery Post Number,Managing Deanery Body," +
	"Workplace Org Code,Organisation,Location\n"

// writeESRCSV writes n realistic ESR position rows (about 190 bytes each;
// one in 50 has a quoted name with a comma, one in 500 a quoted line break).
func writeESRCSV(tb testing.TB, n int) (string, int64) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "positions.csv")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(benchHeader)
	roles := []string{"Specialty Registrar", "Foundation Year 1", "Core Trainee", "Consultant", "GP Registrar"}
	specs := []string{"General Surgery", "Cardiology", "Paediatrics", "Anaesthetics", "General Practice"}
	for i := range n {
		num := 3000000 + i
		name := fmt.Sprintf("%d|%s|%03d|%s|", num, roles[i%5], 20+i%7, specs[(i/5)%5])
		switch {
		case i%500 == 7:
			name = `"` + fmt.Sprintf("%d|%s\n|%03d|%s|", num, roles[i%5], 20+i%7, specs[(i/5)%5]) + `"`
		case i%50 == 3:
			name = `"` + fmt.Sprintf("%d|%s, Acting|%03d|%s|", num, roles[i%5], 20+i%7, specs[(i/5)%5]) + `"`
		}
		to := ""
		if i%4 == 0 {
			to = "31/07/2025"
		}
		fmt.Fprintf(w, "%d,%d,%d,%s,01/08/2019,%s,Active,Medical and Dental,%s,%03d,KSS/RJZ01/%03d/STR/%03d,KSS,RJZ01,%d KSS Medical,Kings College Hospital\n",
			100+i%200, 600000+i, num, name, to, roles[i%5], 20+i%7, i%1000, i%997, 100+i%200)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return path, st.Size()
}

var benchRows = 50000

func BenchmarkPositionsCSV(b *testing.B) {
	path, size := writeESRCSV(b, benchRows)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		var n atomic.Int64
		in, err := Positions(context.Background(), []string{path}, Options{},
			func(batch []model.Position) { n.Add(int64(len(batch))) })
		if err != nil {
			b.Fatal(err)
		}
		if n.Load() != int64(benchRows) || in[0].Rows != benchRows {
			b.Fatalf("got %d positions, want %d", n.Load(), benchRows)
		}
	}
}

// BenchmarkEncodingCSVBaseline is the floor Positions must beat: a plain
// single-threaded encoding/csv loop that only reads every record of the same
// file (as internal/bench's baseline does).
func BenchmarkEncodingCSVBaseline(b *testing.B) {
	path, size := writeESRCSV(b, benchRows)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		rows := 0
		for {
			_, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		f.Close()
		if rows != benchRows+1 {
			b.Fatalf("read %d records, want %d", rows, benchRows+1)
		}
	}
}
