package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"dpnkit/internal/model"
)

// meter is a Progress that adds up what it is told.
type meter struct {
	bytes, rows, calls atomic.Int64
}

func (m *meter) Add(bytes, rows int64) {
	m.bytes.Add(bytes)
	m.rows.Add(rows)
	m.calls.Add(1)
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestProgressCountsFileSizesAndRows(t *testing.T) {
	defer func(c int) { chunkSize = c }(chunkSize)
	chunkSize = 1024 // many chunks, read while four workers parse

	samples := filepath.Join("..", "..", "fixtures", "samples")
	var big strings.Builder
	big.WriteString(hdr4 + "\n")
	for i := range 3000 {
		fmt.Fprintf(&big, "504,%d,\"%d|a|b|\",KSS/A/%d/1\n", i, i, i)
	}
	bigCSV := writeTemp(t, "big.csv", big.String())
	// A GO file with bytes after its trailer: the loader stops at the TRL
	// record, and the rest still counts as read.
	dat, err := os.ReadFile(filepath.Join(samples, "positions.DAT"))
	if err != nil {
		t.Fatal(err)
	}
	tailDAT := writeTemp(t, "tail.DAT", string(dat)+"\n\n\n")

	tests := []struct {
		name  string
		files []string
	}{
		{"csv", []string{filepath.Join(samples, "positions_bom_crlf.csv")}},
		{"GO .DAT", []string{filepath.Join(samples, "positions.DAT")}},
		{"GO .DAT with blank lines after the trailer", []string{tailDAT}},
		{"windows-1252 tsv", []string{filepath.Join(samples, "positions_1252.tsv")}},
		{"xlsx", []string{filepath.Join(samples, "positions_excel_dates.xlsx")}},
		{"large csv in chunks", []string{bigCSV}},
		{"several files", []string{bigCSV, filepath.Join(samples, "positions.DAT"), filepath.Join(samples, "positions_bom_crlf.csv")}},
	}
	for _, tt := range tests {
		for _, checksum := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/checksum=%v", tt.name, checksum), func(t *testing.T) {
				var want int64
				for _, f := range tt.files {
					want += fileSize(t, f)
				}
				m := new(meter)
				var sunk atomic.Int64
				inputs, err := Positions(context.Background(), tt.files,
					Options{Workers: 4, Checksum: checksum, Progress: m},
					func(b []model.Position) { sunk.Add(int64(len(b))) })
				if err != nil {
					t.Fatal(err)
				}
				if got := m.bytes.Load(); got != want {
					t.Errorf("bytes reported %d, want the files' size %d", got, want)
				}
				var rows int64
				for _, in := range inputs {
					rows += int64(in.Rows)
				}
				if rows == 0 {
					t.Fatal("no rows loaded")
				}
				if got := m.rows.Load(); got != rows || got != sunk.Load() {
					t.Errorf("rows reported %d, want %d (Input.Rows) = %d (handed to sink)", got, rows, sunk.Load())
				}
			})
		}
	}
}

// TestProgressPerChunkNotPerRow checks the meter is told once per read or
// batch, not once per row.
func TestProgressPerChunkNotPerRow(t *testing.T) {
	var b strings.Builder
	b.WriteString(hdr4 + "\n")
	const n = 20000
	for i := range n {
		fmt.Fprintf(&b, "504,%d,\"%d|a|b|\",KSS/A/%d/1\n", i, i, i)
	}
	path := writeTemp(t, "p.csv", b.String())
	m := new(meter)
	if _, err := Positions(context.Background(), []string{path}, Options{Progress: m}, func([]model.Position) {}); err != nil {
		t.Fatal(err)
	}
	if m.rows.Load() != n {
		t.Fatalf("rows reported %d, want %d", m.rows.Load(), n)
	}
	if calls := m.calls.Load(); calls > n/100 {
		t.Errorf("%d calls for %d rows: want one per chunk or batch", calls, n)
	}
}

// TestProgressOtherKinds checks placements report too (they share
// loadFiles with positions and people).
func TestProgressOtherKinds(t *testing.T) {
	plac := writeTemp(t, "placements.csv", "Placement TIS ID,NPN,Surname,Forenames,Start Date,End Date\n"+
		"9,KSS/RJZ01/030/STR/001,Smith,Ann,2026-08-05,2027-08-06\n")
	m := new(meter)
	var mu sync.Mutex
	var got int
	_, err := Placements(context.Background(), []string{plac}, Options{Progress: m}, func(b []model.Placement) {
		mu.Lock()
		got += len(b)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.bytes.Load() != fileSize(t, plac) || m.rows.Load() != int64(got) || got != 1 {
		t.Errorf("placements: bytes %d rows %d (sunk %d), want %d bytes and 1 row", m.bytes.Load(), m.rows.Load(), got, fileSize(t, plac))
	}
}
