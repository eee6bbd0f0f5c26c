package load

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// Limits on hostile input: each test feeds a file far past one limit and
// checks the *Error it gets, and that time and memory stay bounded by the
// limit, not by the file.

// limFile streams head, then fill repeated until the file holds about size
// bytes, then tail, to a new file in a test directory.
func limFile(t testing.TB, name, head, fill, tail string, size int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(head)
	block := strings.Repeat(fill, max(1, (64<<10)/len(fill)))
	for n := len(head); n < size; n += len(block) {
		w.WriteString(block)
	}
	w.WriteString(tail)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// limUsage is what one load cost.
type limUsage struct {
	elapsed  time.Duration
	alloc    uint64 // bytes allocated
	peakHeap uint64 // highest HeapInuse seen above the start
}

// limMeasure runs fn, sampling HeapInuse every few milliseconds.
func limMeasure(fn func()) limUsage {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	done, out := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(out)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	start := time.Now()
	fn()
	u := limUsage{elapsed: time.Since(start)}
	close(done)
	<-out
	runtime.ReadMemStats(&after)
	u.alloc = after.TotalAlloc - before.TotalAlloc
	if p := max(peak.Load(), after.HeapInuse); p > before.HeapInuse {
		u.peakHeap = p - before.HeapInuse
	}
	return u
}

// limLoad loads path as positions (or placements) and returns the error.
func limLoad(t *testing.T, path string, placements bool) error {
	t.Helper()
	var err error
	if placements {
		_, err = Placements(context.Background(), []string{path}, Options{Workers: 2}, func([]model.Placement) {})
	} else {
		_, err = Positions(context.Background(), []string{path}, Options{Workers: 2}, func([]model.Position) {})
	}
	return err
}

// limWantError checks err is a *Error whose text is want with %s the path.
func limWantError(t *testing.T, err error, path, want string) {
	t.Helper()
	var le *Error
	if !errors.As(err, &le) {
		t.Fatalf("err = %v (%T), want a *load.Error", err, err)
	}
	if w := fmt.Sprintf(want, path); err.Error() != w {
		got := err.Error()
		if len(got) > 1000 { // an error that quotes a huge field
			got = got[:1000] + fmt.Sprintf("... (%d bytes)", len(got))
		}
		t.Fatalf("err =\n%s\nwant\n%s", got, w)
	}
}

// TestCSVRecordLimit: a delimited file whose record (or header) never ends
// within maxPending bytes is refused with the row it starts on, having read
// about maxPending bytes, not the file. The limit is lowered to 1 MiB and
// each file is 32 times that, so memory that grew with the file would show.
func TestCSVRecordLimit(t *testing.T) {
	defer func(c, m int) { chunkSize, maxPending = c, m }(chunkSize, maxPending)
	chunkSize, maxPending = 64<<10, 1<<20
	const size = 32 << 20
	const hdr = "VPD,Position Number,Position Name,DPN\n"
	utf16le := func(s string) string { // ASCII only
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			b.WriteByte(s[i])
			b.WriteByte(0)
		}
		return b.String()
	}
	tests := []struct {
		name             string
		head, fill, tail string
		placements       bool
		want             string
	}{
		{"one endless line", hdr + "504,1,n,d\n504,2,", "x", "\n", false,
			"%s:3: expected a line end within 1 MiB, found none: no row of an export is this long"},
		{"a quote never closed", hdr + "504,1,n,d\n504,2,\"", "x\n", "\n", false,
			"%s:3: column Position Name: expected a closing quote (\"), found none in 1 MiB: a quoted field is not closed"},
		{"a closed quote, then no line end", hdr + "504,1,n,d\n504,2,\"a\nb\",", "x", "\n", false,
			"%s:3: expected a line end within 1 MiB, found none: no row of an export is this long"},
		{"an endless header", "\n\nVPD,", "x", "\n", false,
			"%s:3: header row: expected a line end within 1 MiB, found none: no row of an export is this long"},
		{"a header quote never closed", "VPD,\"Position", "x\n", "\n", false,
			"%s:1: header row: expected a closing quote (\"), found none in 1 MiB: a quoted field is not closed"},
		{"UTF-16 endless line", "\xff\xfe" + utf16le(hdr+"504,1,"), "x\x00", "", false,
			"%s:2: expected a line end within 1 MiB, found none: no row of an export is this long"},
		{"placements: endless line", "Placement ID,NPN,Surname,Forenames,Start Date,End Date\n1,", "x", "\n", true,
			"%s:2: expected a line end within 1 MiB, found none: no row of an export is this long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := limFile(t, "p.csv", tc.head, tc.fill, tc.tail, size)
			var err error
			u := limMeasure(func() { err = limLoad(t, path, tc.placements) })
			limWantError(t, err, path, tc.want)
			// The reader holds at most about 2*maxPending (a buffer that
			// doubles) and allocates the doublings on the way.
			if u.alloc > 8*uint64(maxPending) {
				t.Errorf("allocated %d KiB for a %d MiB file, want <= %d KiB (8 x the 1 MiB limit)", u.alloc>>10, size>>20, 8*maxPending>>10)
			}
			if u.peakHeap > 8*uint64(maxPending) {
				t.Errorf("heap in use peaked %d KiB above the start, want <= %d KiB", u.peakHeap>>10, 8*maxPending>>10)
			}
			t.Logf("%d MiB file: refused in %v, %d KiB allocated, heap peak +%d KiB", size>>20,
				u.elapsed.Round(time.Millisecond), u.alloc>>10, u.peakHeap>>10)
		})
	}
}

// TestCSVRecordLimitDefault checks the limit as shipped: a line with no end
// in the 64 MiB default is refused, and what is held stays near the limit.
func TestCSVRecordLimitDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 96 MiB file")
	}
	if maxPending != 64<<20 {
		t.Fatalf("maxPending = %d, the test expects the 64 MiB default", maxPending)
	}
	path := limFile(t, "p.csv", "VPD,Position Number,Position Name,DPN\n504,", "x", "\n", 96<<20)
	var err error
	u := limMeasure(func() { err = limLoad(t, path, false) })
	limWantError(t, err, path, "%s:2: expected a line end within 64 MiB, found none: no row of an export is this long")
	if u.peakHeap > 3*uint64(maxPending) {
		t.Errorf("heap in use peaked %d MiB above the start, want <= %d MiB", u.peakHeap>>20, 3*maxPending>>20)
	}
	t.Logf("96 MiB file: refused in %v, %d MiB allocated, heap peak +%d MiB", u.elapsed.Round(time.Millisecond), u.alloc>>20, u.peakHeap>>20)
}

const (
	limHDR = "HDR~GO_504_EXP_GOF_20121113_00000001.DAT~20121113 101010~504~20121112 101010~20121113 101010~1.0\n"
	limPOA = "POA~654321~20080401~~3560241~3560241|Consultant|021|General Surgery|~1~4311100~Medical and Dental~Consultant~021~YM72~YM72|1~Not Applicable~387169~Active~NONE~Yes~No~KSS/RJZ01/030/STR/001~KSS~WOC~20091109 154418~Consultants\n"
)

// TestGOLimits: a GO file whose line never ends, or whose record never
// gathers its fields however many lines are joined, is refused at the line
// the record starts on, in time and memory bounded by the limits, not the
// file.
func TestGOLimits(t *testing.T) {
	tests := []struct {
		name             string
		head, fill, tail string
		size             int
		want             string
	}{
		{"one endless line", limHDR + limPOA, "x", "\nTRL~3\n", 64 << 20,
			"%s:3: expected a line end within 1 MiB, found none: no GO record is this long"},
		{"an endless POA field", limHDR + limPOA + "POA~1~2~", "x", "\nTRL~4\n", 64 << 20,
			"%s:3: expected a line end within 1 MiB, found none: no GO record is this long"},
		{"a POA that never gathers its fields", limHDR + limPOA + "POA~1~2\n", "x\n", "TRL~4\n", 16 << 20,
			"%s:3: POA record: expected 24 fields, found 3, and the next 16 lines do not complete it: cannot repair"},
		{"a POA whose field holds line feeds", limHDR + "POA~1~2~3\n", "\n", "TRL~3\n", 16 << 20,
			"%s:2: POA record: expected 24 fields, found 4, and the next 16 lines do not complete it: cannot repair"},
		{"an endless HDR", "HDR~", "x", "\n", 64 << 20,
			"%s:1: expected a line end within 1 MiB, found none: no GO record is this long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := limFile(t, "GO_504.DAT", tc.head, tc.fill, tc.tail, tc.size)
			var err error
			u := limMeasure(func() { err = limLoad(t, path, false) })
			limWantError(t, err, path, tc.want)
			if u.peakHeap > 16<<20 {
				t.Errorf("heap in use peaked %d MiB above the start for a %d MiB file, want <= 16 MiB", u.peakHeap>>20, tc.size>>20)
			}
			if u.alloc > 32<<20 {
				t.Errorf("allocated %d MiB for a %d MiB file, want <= 32 MiB", u.alloc>>20, tc.size>>20)
			}
			t.Logf("%d MiB file: refused in %v, %d KiB allocated, heap peak +%d KiB", tc.size>>20,
				u.elapsed.Round(time.Millisecond), u.alloc>>10, u.peakHeap>>10)
		})
	}
}

// TestGOLongLineWithinLimit: a line just under the limit still loads, so
// the limit refuses only what no GO file holds.
func TestGOLongLineWithinLimit(t *testing.T) {
	name := strings.Repeat("n", 1<<20-len(limPOA)+len("3560241|Consultant|021|General Surgery|"))
	poa := strings.Replace(limPOA, "3560241|Consultant|021|General Surgery|", name, 1)
	if len(poa) != 1<<20 { // the line and its line feed
		t.Fatalf("line of %d bytes, want %d", len(poa), 1<<20)
	}
	path := writeTemp(t, "GO_504.DAT", limHDR+poa+"TRL~3\n")
	var got []model.Position
	_, err := Positions(context.Background(), []string{path}, Options{}, func(b []model.Position) {
		for _, p := range b {
			got = append(got, p.Clone())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != name || got[0].Row != 2 {
		t.Fatalf("loaded %d positions, want the one at row 2 with its %d-byte name", len(got), len(name))
	}
}

// limBomb writes an .xlsx whose worksheet is head + unit repeated to size
// bytes + tail, and returns its path and the sheet's exact size. It is
// streamed: one deflated block of about 1 MiB of units is
// written again and again (sync-flushed deflate blocks concatenate), so a
// 1 GiB sheet is about 1 MB on disk and never held by the test.
func limBomb(t testing.TB, head, unit, tail string, size int64) (string, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.xlsx")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, p := range [][2]string{
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	} {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p[1]); err != nil {
			t.Fatal(err)
		}
	}
	deflate := func(s string, final bool) []byte {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		io.WriteString(w, s)
		if final {
			w.Close()
		} else {
			w.Flush()
		}
		return buf.Bytes()
	}
	block := strings.Repeat(unit, max(1, (1<<20)/len(unit)))
	n := (size - int64(len(head)+len(tail)) + int64(len(block)) - 1) / int64(len(block))
	zh, zb, zt := deflate(head, false), deflate(block, false), deflate(tail, true)
	crc := crc32.ChecksumIEEE([]byte(head))
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, []byte(block))
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	total := int64(len(head)+len(tail)) + n*int64(len(block))
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(zh) + int(n)*len(zb) + len(zt)), UncompressedSize64: uint64(total)})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(zh)
	for range n {
		w.Write(zb)
	}
	w.Write(zt)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, total
}

// TestXLSXLimits loads workbooks past each of the xlsx reader's limits
// through Positions and Placements, with the limits load uses: a 1 GiB
// sheet (a zip bomb), more rows than Excel's grid, a cell longer than
// Excel allows. SIZE in a message is the sheet's uncompressed size.
func TestXLSXLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1 GiB-uncompressed workbooks")
	}
	const (
		sheetHead = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
		sheetTail = `</sheetData></worksheet>`
		hdr       = `<row r="1"><c r="A1" t="inlineStr"><is><t>VPD</t></is></c><c r="B1" t="inlineStr"><is><t>Position Number</t></is></c>` +
			`<c r="C1" t="inlineStr"><is><t>Position Name</t></is></c><c r="D1" t="inlineStr"><is><t>DPN</t></is></c></row>`
		row = `<row><c t="inlineStr"><is><t>504</t></is></c><c t="inlineStr"><is><t>1</t></is></c><c t="inlineStr"><is><t>n</t></is></c>` +
			`<c t="inlineStr"><is><t>KSS/RJZ01/030/STR/001</t></is></c></row>`
		tisHdr = `<row r="1"><c r="A1" t="inlineStr"><is><t>Placement ID</t></is></c><c r="B1" t="inlineStr"><is><t>NPN</t></is></c>` +
			`<c r="C1" t="inlineStr"><is><t>Surname</t></is></c><c r="D1" t="inlineStr"><is><t>Forenames</t></is></c>` +
			`<c r="E1" t="inlineStr"><is><t>Start Date</t></is></c><c r="F1" t="inlineStr"><is><t>End Date</t></is></c></row>`
	)
	tests := []struct {
		name             string
		head, unit, tail string
		size             int64
		placements       bool
		want             string
		// maxAlloc bounds the work done before the refusal (allocation is
		// the measure that a busy machine does not stretch, unlike time).
		maxAlloc uint64
	}{
		{"1 GiB of rows", sheetHead + hdr, row, sheetTail, 1 << 30, false,
			`%s: sheet "Data": uncompressed data exceeds the MaxUncompressed limit of 536870912 bytes (zip bomb?): the entry declares SIZE bytes`, 64 << 20},
		{"1 GiB of padding", sheetHead + hdr, `<x/>`, sheetTail, 1 << 30, false,
			`%s: sheet "Data": uncompressed data exceeds the MaxUncompressed limit of 536870912 bytes (zip bomb?): the entry declares SIZE bytes`, 64 << 20},
		{"placements: 1 GiB of padding", sheetHead + tisHdr, `<x/>`, sheetTail, 1 << 30, true,
			`%s: sheet "Data": uncompressed data exceeds the MaxUncompressed limit of 536870912 bytes (zip bomb?): the entry declares SIZE bytes`, 64 << 20},
		{"rows past Excel's grid", sheetHead + hdr, row, sheetTail, 256 << 20, false,
			`%s: sheet "Data": row 1048577: past Excel's last row 1048576`, 3 << 30},
		{"a cell past Excel's 32,767 characters", sheetHead + hdr + `<row r="2"><c r="C2" t="inlineStr"><is><t>`, "n", `</t></is></c></row>` + sheetTail, 64 << 20, false,
			`%s: sheet "Data": cell C2: value longer than the MaxCellBytes limit of 32767 bytes`, 64 << 20},
		{"placements: a cell past Excel's 32,767 characters", sheetHead + tisHdr + `<row r="2"><c r="C2" t="inlineStr"><is><t>`, "n", `</t></is></c></row>` + sheetTail, 64 << 20, true,
			`%s: sheet "Data": cell C2: value longer than the MaxCellBytes limit of 32767 bytes`, 64 << 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, total := limBomb(t, tc.head, tc.unit, tc.tail, tc.size)
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Size() > tc.size/100 {
				t.Fatalf("%d bytes on disk for %d uncompressed: not a bomb", st.Size(), tc.size)
			}
			u := limMeasure(func() { err = limLoad(t, path, tc.placements) })
			limWantError(t, err, path, strings.ReplaceAll(tc.want, "SIZE", strconv.FormatInt(total, 10)))
			if u.peakHeap > 32<<20 {
				t.Errorf("heap in use peaked %d MiB above the start, want <= 32 MiB", u.peakHeap>>20)
			}
			if u.alloc > tc.maxAlloc {
				t.Errorf("allocated %d MiB before refusing, want <= %d MiB", u.alloc>>20, tc.maxAlloc>>20)
			}
			t.Logf("%s uncompressed, %d KiB on disk: refused in %v, %d MiB allocated, heap peak +%d KiB",
				strconv.FormatInt(tc.size>>20, 10)+" MiB", st.Size()>>10, u.elapsed.Round(time.Millisecond), u.alloc>>20, u.peakHeap>>10)
		})
	}
}
