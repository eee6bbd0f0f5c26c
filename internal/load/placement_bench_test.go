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

const benchPlacementHeader = "Placement TIS ID,National Post Number,Surname,Forenames,GMC Number,Start Date,End Date," +
	"Placement Type,Lifecycle State,WTE,Grade,Specialty,Site,Employing Body,Training Body,Managing Deanery," +
	"Email Address,Date of Birth,Gender,Title,NI Number,Nationality,Disability,Ethnic Origin,Marital Status," +
	"Religion,Sexual Orientation,Address Line 1,Town,County,Postcode\n"

// writeTISCSV writes n placement rows with every column of inputs.md §2
// (about 400 bytes each; one in 50 has a quoted value with a comma).
func writeTISCSV(tb testing.TB, n int) (string, int64) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "placements.csv")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(benchPlacementHeader)
	types := []string{"In Post", "In Post", "In Post", "Parental Leave", "OOPE"}
	specs := []string{"General Surgery", "Cardiology", "Paediatrics", "Anaesthetics", "General Practice"}
	for i := range n {
		sur := fmt.Sprintf("Surname%d", i)
		if i%50 == 3 {
			sur = fmt.Sprintf("\"Smith, %d\"", i)
		}
		fmt.Fprintf(w, "%d,EOE/RGT%02d/%03d/ST%d/%03d,%s,Forename%d,%07d,%02d/08/2026,0%d/08/2027,%s,APPROVED,1,ST%d,%s,"+
			"Site %d,Trust %d,HEE East of England,Health Education England East of England,"+
			"trainee%d@nhs.net,%02d/%02d/19%02d,Female,Dr,AB%06dC,British,No,White British,Single,"+
			"None,Prefer not to say,%d High Street,Cambridge,Cambridgeshire,CB%d 1AA\n",
			1700000+i, i%100, i%1000, 1+i%8, i%997, sur, i, 7000000+i, 1+i%28, 1+i%9, types[i%5], 1+i%8,
			specs[(i/5)%5], i%300, i%150, i, 1+i%28, 1+i%12, 60+i%35, i, i%200, i%10)
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

// BenchmarkPlacementsCSV loads a national-sized TIS export (150,000
// placements, every column) with a sink that only counts.
func BenchmarkPlacementsCSV(b *testing.B) {
	const n = 150000
	path, size := writeTISCSV(b, n)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		var count atomic.Int64
		_, err := Placements(context.Background(), []string{path}, Options{}, func(batch []model.Placement) {
			count.Add(int64(len(batch)))
		})
		if err != nil {
			b.Fatal(err)
		}
		if count.Load() != n {
			b.Fatalf("loaded %d placements, want %d", count.Load(), n)
		}
	}
}
