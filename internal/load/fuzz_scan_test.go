package load

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// FuzzSplitLine compares the scan path's splitter with the slow path's
// reading of an unquoted line (splitRef) at every line start of the input,
// for each delimiter, with and without the data ending at a record end;
// and the scan path's date short cut with ParseDateCell.
func FuzzSplitLine(f *testing.F) {
	for _, s := range []string{"a,b,c\n", "a,b\r\nc\"d\n", "1234567,12345678,123456789\r\n\r\n,,\n", "x", "\r", "é;ü\t~\n",
		"29/02/2024", "2023-02-29", "31/04/2020"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, ok := ParseDateCell(string(data)); readableDate(string(data)) != ok {
			t.Fatalf("readableDate(%q) = %v, ParseDateCell says %v", data, !ok, ok)
		}
		for _, d := range []byte{',', '\t', ';', '~'} {
			for pos := 0; pos < len(data); pos++ {
				if pos == 0 || data[pos-1] == '\n' {
					checkSplit(t, data, pos, d, true)
					checkSplit(t, data, pos, d, false)
				}
			}
		}
	})
}

// fakeCounter counts as a Counter the rows without a DPN (status "x" is
// inactive), keeping the counts by VPD.
type fakeCounter struct {
	mu     sync.Mutex
	counts map[string][2]int
}

func (c *fakeCounter) CountOnly(dpn, body, status string, to time.Time) (bool, bool) {
	return model.TrimWhite(dpn) == "" && !strings.Contains(body, "keep"), status != "x"
}

func (c *fakeCounter) Count(vpd string, positions, active int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.counts[vpd]
	c.counts[vpd] = [2]int{n[0] + positions, n[1] + active}
}

// FuzzScan loads a positions file with a Counter and without one, in tiny
// blocks and in one: the positions built with it plus the ones it counted
// must be exactly the positions built without it, each counted one a plain
// record the Counter accepts (dates readable), and the inputs and errors
// the same.
func FuzzScan(f *testing.F) {
	for _, s := range fzCSVSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(scanHdr + "\n504,1,n,,,,,\n504,2,n,,,D,keep,\n505,3,n,x,31/02/2020,,,x\n\"504\",4,n,,,,,\n"))
	f.Add([]byte(scanHdr + "\r\n504,1,n,01/01/2020,2021-01-01,,,\r\n,,,,,,,\r\n504,5,\xe9,,,,,\r\n504,6,n,,,,\r\n"))
	path := fzFile(f, "positions.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fzWrite(t, path, data)
		for _, chunk := range []int{64, 1 << 20} {
			scanSame(t, path, chunk)
		}
	})
}

const scanHdr = "VPD,Position Number,Position Name,Effective From Date,Effective To Date,Deanery Post Number,Managing Deanery Body,Hiring Status"

// scanLoad loads path with chunk-byte blocks, two workers and c (nil: no
// Counter), keeping a clone of every position.
func scanLoad(path string, chunk int, c Counter) ([]model.Position, []model.Input, error) {
	defer func(c int) { chunkSize = c }(chunkSize)
	chunkSize = chunk
	var (
		mu  sync.Mutex
		all []model.Position
	)
	in, err := Positions(context.Background(), []string{path}, Options{Workers: 2, Counter: c}, func(b []model.Position) {
		mu.Lock()
		defer mu.Unlock()
		for i := range b {
			all = append(all, b[i].Clone())
		}
	})
	slices.SortFunc(all, func(a, b model.Position) int { return a.Row - b.Row })
	return all, in, err
}

func scanSame(t *testing.T, path string, chunk int) {
	t.Helper()
	plain, plainIn, plainErr := scanLoad(path, chunk, nil)
	c := &fakeCounter{counts: map[string][2]int{}}
	scanned, scannedIn, scannedErr := scanLoad(path, chunk, c)
	if fmt.Sprint(plainErr) != fmt.Sprint(scannedErr) {
		t.Fatalf("%d-byte blocks: errors differ:\n%v\n%v", chunk, plainErr, scannedErr)
	}
	if plainErr != nil {
		return
	}
	if fmt.Sprintf("%+v", plainIn) != fmt.Sprintf("%+v", scannedIn) {
		t.Fatalf("%d-byte blocks: inputs differ:\n%+v\n%+v", chunk, plainIn, scannedIn)
	}
	want := map[string][2]int{}
	j := 0
	for i := range plain {
		p := &plain[i]
		if j < len(scanned) && scanned[j].Row == p.Row {
			if fmt.Sprintf("%+v", scanned[j]) != fmt.Sprintf("%+v", *p) {
				t.Fatalf("%d-byte blocks: row %d differs:\n%+v\n%+v", chunk, p.Row, *p, scanned[j])
			}
			j++
			continue
		}
		countOnly, active := c.CountOnly(p.DPN, p.ManagingBody, p.HiringStatus, p.EffectiveTo)
		if !countOnly || len(p.DateIssues) > 0 {
			t.Fatalf("%d-byte blocks: row %d (%+v) was counted, not built", chunk, p.Row, *p)
		}
		n := want[p.VPD]
		n[0]++
		if active {
			n[1]++
		}
		want[p.VPD] = n
	}
	if j != len(scanned) {
		t.Fatalf("%d-byte blocks: %d positions built with a Counter that were not built without", chunk, len(scanned)-j)
	}
	if fmt.Sprint(want) != fmt.Sprint(c.counts) {
		t.Fatalf("%d-byte blocks: counted %v, want %v", chunk, c.counts, want)
	}
}
