// Package load reads ESR position exports (inputs.md §1: GO .DAT files,
// delimited text and .xlsx workbooks) and TIS placement exports (inputs.md
// §2: delimited text and .xlsx) and ESR people exports (inputs.md §3: the
// PRA and ASA records of GO files, delimited text and .xlsx), and streams
// them as model.Position, model.Placement and model.Person batches. Both kinds share the tabular machinery: encoding
// and delimiter sniffing, the parallel chunked CSV reader, the streaming
// xlsx reader, header resolution and row numbering.
//
// Row numbers: for delimited text and xlsx, Position.Row is the record's row
// as Excel would show it. The header is the row it is found on (row 1 unless
// blank lines precede it) and each following record is one row, so a quoted
// value with embedded line breaks counts once: in a CSV file with such values
// the row is not the physical line number. Blank lines count as rows (Excel
// shows them as empty rows) but load no position. For GO .DAT files Row is
// the physical line the record starts on. Errors quote the same numbers.
package load

import (
	"bytes"
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
	"unicode"

	"dpnkit/internal/model"
)

// Options configure a load.
type Options struct {
	// VPD is the VPD for files with no VPD column; for files with one, only
	// rows of this VPD are kept (the others are counted in Input.Skipped with
	// a note), and blank VPD cells take this value.
	VPD string
	// Map holds --map overrides, field -> Header, with field names as in
	// Fields, PlacementFields and PeopleFields; a key "FILE:field" applies
	// to that file only (its path as given or its base name) and wins over
	// "field". A load ignores the fields of other kinds of file.
	Map map[string]string
	// HeaderRow gives the header's row (1-based, as Excel numbers rows) of
	// tabular files instead of looking for it: key "" for every file, or a
	// file's path or base name. Absent or 0: the header is the first row,
	// within the first 30, that names every required field.
	HeaderRow map[string]int
	// Sheet is the worksheet of .xlsx files ("" = the first).
	Sheet string
	// Workers is the number of parallel parse workers; 0 = GOMAXPROCS.
	Workers int
	// Checksum sets Input.Checksum (the run history records it): the
	// CRC-32C of the file's bytes. Only the interface run asks.
	Checksum bool
	// Progress, when set, is told as the load advances: the bytes read of
	// each file (by the end of a file, its size) and the records handed to
	// sink, a chunk or a batch at a time. It may be called from several
	// goroutines at once. nil costs the load nothing.
	Progress Progress
	// KeepPerson, when set, is asked of each person with their GMC and NI
	// numbers: in a table the raw cells (untrimmed; "" when the file has no
	// such column), before the person is built; in a GO file the joined
	// person's (no GMC). One it refuses is counted in Input.Rows and its
	// date of birth is checked as usual, but it is never handed to sink. A
	// run keeps a few percent of a national export, so the rest need not
	// be made at all.
	KeepPerson func(gmc, ni string) bool
	// Counter, when set, lets the loader of delimited positions count the
	// rows on which no check can report, and which are not kept, without
	// building them: they are never handed to sink (see Counter).
	// *checks.Runner is one. nil: every position goes to sink.
	Counter Counter

	// people collects a people file's unreadable dates of birth (set by
	// People for each file).
	people *badDates
}

// Error is input the tool cannot read. It is one line:
// "<file>:<line or row>[: column <col>]: <what was expected, what was found>".
type Error struct {
	File   string
	Line   int    // line (GO) or row (delimited text, xlsx); 0 when the whole file is at fault
	Column string // header or column letter, when known
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Column != "" {
		b.WriteString(": column ")
		if strings.ContainsFunc(e.Column, unicode.IsControl) { // keep the error one line
			b.WriteString(strconv.Quote(e.Column))
		} else {
			b.WriteString(e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Progress is how a load reports its advance (see Options.Progress);
// *progress.Bar is one.
type Progress interface {
	Add(bytes, rows int64)
}

// countingReader passes reads through and reports their size.
type countingReader struct {
	r    io.Reader
	p    Progress
	n    int64 // bytes read; only the one goroutine reading touches it
	size int64 // the file's size; -1 = unknown
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	if n > 0 {
		c.n += int64(n)
		c.p.Add(int64(n), 0)
	}
	return n, err
}

// finish reports as read what the loader left of the file (it stops at the
// end of the data; an .xlsx is read by random access, not through it), so
// a file loaded counts its size. c may be nil.
func (c *countingReader) finish() {
	if c != nil && c.size > c.n {
		c.p.Add(c.size-c.n, 0)
		c.n = c.size
	}
}

// sinkBatch is the most positions handed to sink in one call.
const sinkBatch = 4096

// Positions reads every file in order and calls sink with batches of
// positions (a few thousand each). sink may be called concurrently from
// several goroutines; a batch and the strings in it are only valid during the
// call (the receiver clones what it keeps with Position.Clone). It returns
// one model.Input per file. Malformed input returns a *Error and the run must
// stop; a cancelled ctx returns ctx.Err().
func Positions(ctx context.Context, files []string, opts Options, sink func(batch []model.Position)) ([]model.Input, error) {
	return loadFiles(ctx, files, opts, positionTabular, sink)
}

// loadFiles reads every file in order as records of kind.
func loadFiles[T any](ctx context.Context, files []string, opts Options, kind *tabular[T], sink func([]T)) ([]model.Input, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if p := opts.Progress; p != nil {
		inner := sink
		sink = func(batch []T) {
			p.Add(0, int64(len(batch)))
			inner(batch)
		}
	}
	inputs := make([]model.Input, 0, len(files))
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		in, err := loadFile(ctx, f, opts, kind, sink)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			return nil, err
		}
		inputs = append(inputs, in)
	}
	return inputs, nil
}

// sampleSize is how much of a file is read to decide its format.
const sampleSize = 8 << 10

type kind int

const (
	kindText kind = iota
	kindGO
	kindXLSX
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	zipMagic   = []byte("PK\x03\x04")
	oleMagic   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// castagnoli is the CRC-32C table of the inputs' checksums. The run history
// records a checksum of each input so that runs can be told apart by what
// they read; it is a fingerprint, not a seal (the history itself is not
// signed). CRC-32C is computed in hardware at ~19 GB/s here, where SHA-256
// ran at 1.5 GB/s: a third of a second of every national run.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func loadFile[T any](ctx context.Context, path string, opts Options, kind *tabular[T], sink func([]T)) (model.Input, error) {
	in := model.Input{Path: path}
	f, err := os.Open(path)
	if err != nil {
		return in, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	sample := make([]byte, sampleSize)
	n, err := io.ReadFull(f, sample)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return in, fmt.Errorf("read %s: %w", path, err)
	}
	sample = sample[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return in, fmt.Errorf("read %s: %w", path, err)
	}
	k, enc, err := sniff(path, sample, n < sampleSize)
	if err != nil {
		return in, err
	}
	in.Encoding = enc
	// Text files are hashed as they are read, for the run history, rather
	// than read a second time; an .xlsx is read by random access, so it is
	// hashed on its own (it is trust-sized).
	h := crc32.New(castagnoli)
	var src io.Reader = f
	var counted *countingReader
	if opts.Progress != nil {
		counted = &countingReader{r: f, p: opts.Progress, size: -1}
		if st, err := f.Stat(); err == nil {
			counted.size = st.Size()
		}
		src = counted
	}
	if opts.Checksum {
		src = io.TeeReader(src, h)
	}
	switch k {
	case kindXLSX:
		in.Format = model.FormatXLSX
		in.Encoding = ""
		if opts.Checksum {
			if _, err := io.Copy(h, f); err != nil {
				return in, fmt.Errorf("read %s: %w", path, err)
			}
		}
		f.Close()
		err = loadXLSX(ctx, path, opts, kind, sink, &in)
	case kindGO:
		in.Format = model.FormatGO
		if kind.loadGO == nil {
			return in, &Error{File: path, Msg: fmt.Sprintf("expected a %s export (.csv, .tsv, .txt or .xlsx), found an ESR GO .DAT file (ESR position data, not %s data)",
				kind.fields.noun, kind.fields.noun)}
		}
		err = kind.loadGO(ctx, src, path, opts, sink, &in)
	default:
		in.Format = model.FormatCSV
		err = loadDelimited(ctx, src, path, opts, kind, sink, &in)
	}
	if err != nil {
		return in, err
	}
	if !opts.Checksum {
		counted.finish()
		return in, nil
	}
	if k != kindXLSX {
		// The loaders stop at the end of the data; hash anything after it.
		if _, err := io.Copy(h, src); err != nil {
			return in, fmt.Errorf("read %s: %w", path, err)
		}
	}
	in.Checksum = fmt.Sprintf("crc32c:%08x", h.Sum32())
	counted.finish()
	return in, nil
}

// sniff decides a file's kind and text encoding from its first bytes.
// whole is true when sample is the entire file.
func sniff(path string, sample []byte, whole bool) (kind, string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if whole && len(bytes.TrimLeft(sample, " \t\r\n\f\v")) == 0 {
		return 0, "", &Error{File: path, Msg: "empty file: expected a header row"}
	}
	if bytes.HasPrefix(sample, zipMagic) {
		return kindXLSX, "", nil
	}
	if ext == ".xlsx" || ext == ".xlsm" {
		return 0, "", &Error{File: path, Msg: "not an xlsx file: expected a zip archive (PK signature), found other bytes; was it renamed?"}
	}
	switch {
	case bytes.HasPrefix(sample, bomUTF16LE):
		return kindText, "utf-16le", nil
	case bytes.HasPrefix(sample, bomUTF16BE):
		return kindText, "utf-16be", nil
	}
	enc := "utf-8"
	body := sample
	if bytes.HasPrefix(sample, bomUTF8) {
		enc = "utf-8-bom"
		body = sample[len(bomUTF8):]
	}
	if bytes.HasPrefix(sample, oleMagic) {
		return 0, "", &Error{File: path, Msg: "not a text, GO or xlsx file: this is an old Excel .xls (or other OLE) file; save it as .xlsx or .csv"}
	}
	if utf16NoBOM(body) {
		return 0, "", &Error{File: path, Msg: "not a text, GO or xlsx file: it looks like UTF-16 text without a byte order mark; save it as UTF-8 CSV (or \"Unicode Text\", which has one)"}
	}
	if binary(body) {
		return 0, "", &Error{File: path, Msg: "not a text, GO or xlsx file: found binary data (NUL or control bytes) in the first block"}
	}
	if ext == ".dat" || bytes.HasPrefix(body, []byte("HDR~")) {
		return kindGO, enc, nil
	}
	return kindText, enc, nil
}

// binary reports whether b looks like something other than text: a NUL byte,
// or over 10% C0 control bytes other than tab, line breaks and form feed (a
// few stray control characters are the faults the checks report, not a sign
// of a binary file).
func binary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7f {
			ctl++
		}
	}
	return ctl >= 4 && ctl*10 > len(b)
}

// utf16NoBOM reports whether b looks like ASCII text in UTF-16 without a
// byte order mark: NULs in at least 90% of the even or of the odd bytes (the
// high bytes of Latin text), and none in the others.
func utf16NoBOM(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	var nul [2]int
	for i, c := range b {
		if c == 0 {
			nul[i%2]++
		}
	}
	half := len(b) / 2
	return nul[0]*10 >= half*9 && nul[1] == 0 || nul[1]*10 >= half*9 && nul[0] == 0
}
