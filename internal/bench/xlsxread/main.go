// Command xlsxread measures reading every row of one worksheet with
// internal/xlsx (as internal/load does) against excelize's streaming
// iterator (f.Rows) under its unzip limits, and how each refuses a 1 GiB
// zip bomb. It is a measurement for docs/performance.md ("Reading .xlsx"),
// not part of make test:
//
//	go run ./internal/bench/xlsxread -reader xlsx -file positions.xlsx
//	go run ./internal/bench/xlsxread -reader excelize -file positions.xlsx
//	go run ./internal/bench/xlsxread -reader excelize -bomb rows
//
// It prints rows, cells, wall and CPU time, the process's peak resident
// size and the bytes the Go heap allocated. Run one reader per process so
// that each peak is its own.
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/xlsx"
)

func main() {
	reader := flag.String("reader", "xlsx", "xlsx (internal/xlsx) or excelize")
	file := flag.String("file", "", "workbook to read (its first sheet)")
	bomb := flag.String("bomb", "", "instead of -file, write and read a 1 GiB bomb: rows (a worksheet of rows) or sst (shared strings)")
	understate := flag.Bool("understate", false, "the bomb's zip headers declare 100 KiB instead of its true size")
	flag.Parse()
	path := *file
	if *bomb != "" {
		dir, err := os.MkdirTemp("", "xlsxread")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "bomb.xlsx")
		if err := writeBomb(path, *bomb, *understate); err != nil {
			fail(err)
		}
	}
	if path == "" {
		fail(fmt.Errorf("give -file or -bomb"))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var rows, cells int
	var err error
	switch *reader {
	case "xlsx":
		rows, cells, err = readXLSX(path)
	case "excelize":
		rows, cells, err = readExcelize(path)
	default:
		err = fmt.Errorf("unknown reader %q", *reader)
	}
	wall := time.Since(start)
	runtime.ReadMemStats(&after)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	fmt.Printf("%s: %d rows, %d cells, wall %v, cpu %v, peak RSS %d MiB, allocated %d MiB, err: %v\n",
		*reader, rows, cells, wall.Round(time.Millisecond), cpu.Round(time.Millisecond),
		ru.Maxrss>>10, (after.TotalAlloc-before.TotalAlloc)>>20, err)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "xlsxread:", err)
	os.Exit(2)
}

// readXLSX reads every row as internal/load does: default limits.
func readXLSX(path string) (rows, cells int, err error) {
	r, err := xlsx.Open(path, "", xlsx.Limits{})
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	for {
		_, cs, err := r.Next()
		if err == io.EOF {
			return rows, cells, nil
		}
		if err != nil {
			return rows, cells, err
		}
		rows++
		cells += len(cs)
	}
}

// readExcelize reads every row through excelize's streaming iterator with
// the same 512 MiB budget internal/xlsx has, and excelize's default 16 MiB
// threshold above which a worksheet is unzipped to a temporary file.
// Cell values are asked raw (no number formatting), as a loader that
// parses dates from serials would.
func readExcelize(path string) (rows, cells int, err error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 512 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	it, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return 0, 0, err
	}
	defer it.Close()
	for it.Next() {
		cs, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return rows, cells, err
		}
		rows++
		cells += len(cs)
	}
	return rows, cells, it.Error()
}

const nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`

// writeBomb writes a one-sheet workbook whose worksheet (kind "rows") or
// shared-strings part (kind "sst") is 1 GiB uncompressed and about 1 MB on
// disk: one compressed block repeated (sync-flushed deflate blocks
// concatenate), as internal/xlsx/bomb_test.go builds them; understate
// declares 100 KiB in the zip headers.
func writeBomb(path, kind string, understate bool) error {
	const gib = 1 << 30
	parts := map[string]string{
		"[Content_Types].xml":        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels":                `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<workbook ` + nsMain + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   `<worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>DPN</t></is></c></row></sheetData></worksheet>`,
	}
	var name, head, unit, tail string
	switch kind {
	case "rows":
		name, head, tail = "xl/worksheets/sheet1.xml", `<worksheet `+nsMain+`><sheetData>`, `</sheetData></worksheet>`
		unit = `<row><c t="inlineStr"><is><t>KSS/RJZ01/030/STR/001</t></is></c></row>`
	case "sst":
		name, head, unit, tail = "xl/sharedStrings.xml", `<sst `+nsMain+`>`, `<si><t>a</t></si>`, `</sst>`
	default:
		return fmt.Errorf("unknown bomb %q", kind)
	}
	delete(parts, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"} {
		if s, ok := parts[n]; ok {
			w, err := zw.Create(n)
			if err != nil {
				return err
			}
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
		}
	}
	block := strings.Repeat(unit, (1<<20)/len(unit))
	n := (gib + int64(len(block)) - 1) / int64(len(block))
	h, b, t := deflate(head, false), deflate(block, false), deflate(tail, true)
	crc := crc32.ChecksumIEEE([]byte(head))
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, []byte(block))
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	size := int64(len(head)) + n*int64(len(block)) + int64(len(tail))
	if understate {
		size = 100 << 10
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(h) + int(n)*len(b) + len(t)), UncompressedSize64: uint64(size)})
	if err != nil {
		return err
	}
	w.Write(h)
	for range n {
		w.Write(b)
	}
	w.Write(t)
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// deflate compresses s into non-final blocks ending in a sync flush, or a
// final block when final.
func deflate(s string, final bool) []byte {
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
