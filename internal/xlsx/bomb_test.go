package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// bombPart is a workbook part made of head, then unit repeated until the
// part holds at least size bytes, then tail.
type bombPart struct {
	name             string
	head, unit, tail string
	size             int64
	// declare, when non-zero, is the uncompressed size written in the zip
	// headers instead of the true one (a bomb that lies about its size).
	declare int64
}

// gib is the uncompressed size of the bombs: 1 GiB.
const gib = 1 << 30

// deflateChunk compresses s as a run of non-final deflate blocks ending on a
// byte boundary (a sync flush), so that chunks compressed apart can be
// concatenated into one valid stream; final closes the stream instead.
func deflateChunk(t testing.TB, s string, final bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatal(err)
	}
	if final {
		err = w.Close()
	} else {
		err = w.Flush()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombBook is the workbook a bomb is planted in: one sheet, "Data".
func bombBook() map[string]string {
	return book([]sheet{{name: "Data", data: `<row r="1"><c r="A1" t="inlineStr"><is><t>DPN</t></is></c></row>`}}, nil)
}

// writeBomb writes a workbook with one sheet ("Data") whose part bp.name is
// the bomb, and returns its path and the part's true uncompressed size. The
// bomb is streamed to disk: one compressed block of up to 1 MiB of repeated
// units is written again and again (deflate blocks ending in a sync flush
// concatenate), so neither the test nor the file ever holds the
// uncompressed data: a 1 GiB part is about 1 MB on disk.
func writeBomb(t testing.TB, bp bombPart) (string, int64) {
	t.Helper()
	parts := bombBook()
	delete(parts, bp.name)
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, name := range []string{"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"} {
		if s, ok := parts[name]; ok {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.WriteString(w, s); err != nil {
				t.Fatal(err)
			}
		}
	}

	block := strings.Repeat(bp.unit, max(1, int(min(1<<20, bp.size/8))/len(bp.unit)))
	n := (bp.size - int64(len(bp.head)) - int64(len(bp.tail)) + int64(len(block)) - 1) / int64(len(block))
	head, body, tail := deflateChunk(t, bp.head, false), deflateChunk(t, block, false), deflateChunk(t, bp.tail, true)
	crc := crc32.ChecksumIEEE([]byte(bp.head))
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, []byte(block))
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(bp.tail))
	size := int64(len(bp.head)) + n*int64(len(block)) + int64(len(bp.tail))
	declared := size
	if bp.declare > 0 {
		declared = bp.declare
	}
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name:               bp.name,
		Method:             zip.Deflate,
		CRC32:              crc,
		CompressedSize64:   uint64(len(head) + int(n)*len(body) + len(tail)),
		UncompressedSize64: uint64(declared),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(head); err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Write(tail); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, size
}

// countingFile is an io.ReaderAt that counts the bytes read through it.
type countingFile struct {
	f *os.File
	n atomic.Int64
}

func (c *countingFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.f.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

const (
	sheetHead = `<worksheet ` + nsMain + `><sheetData>`
	sheetTail = `</sheetData></worksheet>`
)

// TestBomb builds 1 GiB-uncompressed workbooks (about 1 MB on disk) and
// checks that each is refused with a clear message, quickly and in bounded
// memory, with the default limits: the reader must not decompress (let
// alone parse) the gigabyte before saying no.
func TestBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 1 GiB-uncompressed workbooks")
	}
	tests := []struct {
		name string
		bp   bombPart
		want string // in the error from Open or the first Next
	}{
		{"worksheet of rows", bombPart{name: "xl/worksheets/sheet1.xml", head: sheetHead,
			unit: `<row><c t="inlineStr"><is><t>KSS/RJZ01/030/STR/001</t></is></c></row>`, tail: sheetTail, size: gib},
			`bomb.xlsx: sheet "Data": uncompressed data exceeds the MaxUncompressed limit of 536870912 bytes (zip bomb?)`},
		{"worksheet of padding elements", bombPart{name: "xl/worksheets/sheet1.xml", head: sheetHead,
			unit: `<x/>`, tail: sheetTail, size: gib},
			`bomb.xlsx: sheet "Data": uncompressed data exceeds the MaxUncompressed limit of 536870912 bytes (zip bomb?)`},
		{"one endless cell", bombPart{name: "xl/worksheets/sheet1.xml", head: sheetHead + `<row><c t="inlineStr"><is><t>`,
			unit: `A`, tail: `</t></is></c></row>` + sheetTail, size: gib},
			`bomb.xlsx: sheet "Data": uncompressed data exceeds the MaxUncompressed limit of 536870912 bytes (zip bomb?)`},
		{"shared strings", bombPart{name: "xl/sharedStrings.xml", head: `<sst ` + nsMain + `>`,
			unit: `<si><t>a</t></si>`, tail: `</sst>`, size: gib},
			`bomb.xlsx: xl/sharedStrings.xml: uncompressed data exceeds the MaxUncompressed limit of 536870912 bytes (zip bomb?)`},
		{"headers understate the size", bombPart{name: "xl/worksheets/sheet1.xml", head: sheetHead,
			unit: `<x/>`, tail: sheetTail, size: gib, declare: 100 << 10},
			`bomb.xlsx: sheet "Data": corrupt zip entry: zip: not a valid zip file`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, size := writeBomb(t, tc.bp)
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if size < gib || st.Size() > 8<<20 {
				t.Fatalf("bomb is %d bytes uncompressed, %d on disk; want >= 1 GiB from <= 8 MiB", size, st.Size())
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cf := &countingFile{f: f}

			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			r, err := newReader(cf, st.Size(), path, "", Limits{})
			if err == nil {
				for err == nil {
					_, _, err = r.Next()
				}
				r.Close()
			}
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)

			if err == nil || err == io.EOF || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tc.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
				t.Errorf("allocated %d MiB refusing the bomb, want <= 32 MiB", alloc>>20)
			}
			if after.HeapInuse > before.HeapInuse+32<<20 {
				t.Errorf("heap in use grew from %d to %d MiB, want <= 32 MiB more", before.HeapInuse>>20, after.HeapInuse>>20)
			}
			// Compressed bytes read: at about 1,000:1, reading a tenth of the
			// file would mean some 100 MiB were decompressed.
			if n := cf.n.Load(); n > st.Size()/10 {
				t.Errorf("read %d of the file's %d bytes, want <= a tenth", n, st.Size())
			}
			t.Logf("%d MiB uncompressed, %d KiB on disk: refused in %v after reading %d KiB: %v",
				size>>20, st.Size()>>10, elapsed.Round(time.Millisecond), cf.n.Load()>>10, err)
		})
	}
}

// peakHeap samples HeapInuse every few milliseconds until stop is called,
// which returns the highest value seen.
func peakHeap() (stop func() uint64) {
	var (
		peak atomic.Uint64
		done = make(chan struct{})
		out  = make(chan struct{})
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > peak.Load() {
			peak.Store(m.HeapInuse)
		}
	}
	sample()
	go func() {
		defer close(out)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-out
		sample()
		return peak.Load()
	}
}

// TestLimitsInsideTheBudget feeds parts that declare a size the budget
// allows (so they are inflated) but break another limit early: the row
// count, one cell's length, one XML token's size, one shared string's
// length. Each must stop at that limit, long before the part's end, with
// the default limits and bounded memory.
func TestLimitsInsideTheBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 256 MiB-uncompressed workbooks")
	}
	const size = 256 << 20
	tests := []struct {
		name string
		bp   bombPart
		want string
	}{
		{"rows past Excel's last row", bombPart{name: "xl/worksheets/sheet1.xml", head: sheetHead,
			unit: `<row><c t="inlineStr"><is><t>KSS/RJZ01/030/STR/001</t></is></c></row>`, tail: sheetTail, size: size},
			`bomb.xlsx: sheet "Data": row 1048577: past Excel's last row 1048576`},
		{"numbered rows past the MaxRows limit", bombPart{name: "xl/worksheets/sheet1.xml", head: sheetHead,
			unit: `<row r="7"/>`, tail: sheetTail, size: size},
			`bomb.xlsx: sheet "Data": more than the MaxRows limit of 1048576 rows`},
		{"one endless cell", bombPart{name: "xl/worksheets/sheet1.xml", head: sheetHead + `<row><c r="B1" t="inlineStr"><is><t>`,
			unit: `A`, tail: `</t></is></c></row>` + sheetTail, size: size},
			`bomb.xlsx: sheet "Data": cell B1: value longer than the MaxCellBytes limit of 32767 bytes`},
		{"one endless attribute", bombPart{name: "xl/worksheets/sheet1.xml", head: sheetHead + `<row spans="`,
			unit: `1`, tail: `"/>` + sheetTail, size: size},
			`bomb.xlsx: sheet "Data": an xml token exceeds 327672 bytes (MaxCellBytes allows no more)`},
		{"one endless shared string", bombPart{name: "xl/sharedStrings.xml", head: `<sst ` + nsMain + `><si><t>`,
			unit: `B`, tail: `</t></si></sst>`, size: size},
			`bomb.xlsx: xl/sharedStrings.xml: string 0 is longer than the MaxCellBytes limit of 32767 bytes`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, _ := writeBomb(t, tc.bp)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			stop := peakHeap()
			start := time.Now()
			r, err := Open(path, "", Limits{})
			if err == nil {
				for err == nil {
					_, _, err = r.Next()
				}
				r.Close()
			}
			elapsed := time.Since(start)
			peak := stop()
			runtime.ReadMemStats(&after)
			if err == nil || err == io.EOF || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tc.want)
			}
			if peak > before.HeapInuse+32<<20 {
				t.Errorf("heap in use peaked at %d MiB from %d, want <= 32 MiB more", peak>>20, before.HeapInuse>>20)
			}
			// Work, not time (no timed unit tests): the reads are linear, so
			// even the million-row refusal allocates ~600 MiB in all; a
			// quadratic step would go far past 1 GiB.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<30 {
				t.Errorf("allocated %d MiB to refuse, want <= 1024 MiB", alloc>>20)
			}
			t.Logf("refused in %v, heap peak +%d KiB, %d MiB allocated: %v", elapsed.Round(time.Millisecond),
				(peak-before.HeapInuse)>>10, (after.TotalAlloc-before.TotalAlloc)>>20, err)
		})
	}
}

// TestDeclaredSizesAddUp: parts that each fit the budget but together do
// not are refused when the part that would go over is opened, from its
// declared size, before it is inflated. The budget is set to the byte.
func TestDeclaredSizesAddUp(t *testing.T) {
	sst := bombPart{name: "xl/sharedStrings.xml", head: `<sst ` + nsMain + `>`, unit: `<si><t>a</t></si>`, tail: `</sst>`, size: 700 << 10}
	path, sstSize := writeBomb(t, sst)
	p := bombBook()
	// Parts read in order: workbook, its relationships, shared strings, sheet.
	before := int64(len(p["xl/workbook.xml"])+len(p["xl/_rels/workbook.xml.rels"])) + sstSize
	all := before + int64(len(p["xl/worksheets/sheet1.xml"]))
	tests := []struct {
		max  int64
		want string // "" = opens
	}{
		{max: all},
		{max: all - 1, want: fmt.Sprintf(`bomb.xlsx: sheet "Data": uncompressed data exceeds the MaxUncompressed limit of %d bytes (zip bomb?): the entry declares %d bytes`,
			all-1, all-before)},
		{max: before - 1, want: fmt.Sprintf(`bomb.xlsx: xl/sharedStrings.xml: uncompressed data exceeds the MaxUncompressed limit of %d bytes (zip bomb?): the entry declares %d bytes`,
			before-1, sstSize)},
	}
	for _, tc := range tests {
		r, err := Open(path, "", Limits{MaxUncompressed: tc.max})
		if err == nil {
			r.Close()
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("max %d: %v", tc.max, err)
		case tc.want != "" && err == nil:
			t.Errorf("max %d: opened, want %q", tc.max, tc.want)
		case tc.want != "" && !strings.HasSuffix(err.Error(), tc.want):
			t.Errorf("max %d: err = %v\nwant it to end %q", tc.max, err, tc.want)
		}
	}
}

// TestErrorsOneLine: names the workbook supplies (a relationship's target
// or type) are quoted in errors when they hold a line break, so that an
// error stays one line.
func TestErrorsOneLine(t *testing.T) {
	tests := []struct {
		name, from, to, want string
	}{
		{"target", `Target="worksheets/sheet1.xml"`, `Target="worksheets/sheet&#10;1.xml"`,
			`positions.xlsx: sheet "Data": part "xl/worksheets/sheet\n1.xml" missing from the workbook`},
		{"type", `/relationships/worksheet"`, `/relationships/work&#13;&#10;sheet"`,
			`positions.xlsx: sheet "Data": not a worksheet ("work\r\nsheet")`},
	}
	for _, tc := range tests {
		p := book([]sheet{{name: "Data"}}, nil)
		p["xl/_rels/workbook.xml.rels"] = strings.Replace(p["xl/_rels/workbook.xml.rels"], tc.from, tc.to, 1)
		_, err := openBytes(t, zipBytes(t, p), "", Limits{})
		if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("%s: err = %q, want it to end %q", tc.name, err, tc.want)
		}
	}
}
