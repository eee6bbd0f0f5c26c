package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"dpnkit/internal/model"
)

// chunkSize is the block the reader hands to parse workers. It is a variable
// so tests can force tiny chunks and exercise every boundary.
var chunkSize = 1 << 20

// maxPending bounds a block that has no record boundary in it (one quoted
// field longer than this, or an unbalanced quote): it is parsed as it is and
// fails with the row where the quote opened.
var maxPending = 64 << 20

// Delimited text is read by one goroutine in large blocks, each cut after
// the last line feed that lies outside quotes (RFC 4180 quote parity is exact
// because an escaped "" keeps it). Workers parse blocks in parallel; a
// block's first row number is only known when the blocks before it are
// parsed, so each block waits for its predecessor's link before it numbers
// its positions and calls sink. The links also carry counts and the first
// error in file order.

type chunk struct {
	data  []byte
	atEnd bool  // data ends at a record boundary (or at the end of the file)
	final bool  // last block of the file
	err   error // a read failure, reported in file order
	prev  <-chan link
	done  chan link
}

type link struct {
	next int   // row of the next block's first record
	st   stats // counts so far
	err  error // first error in file order
}

type delimFile[T any] struct {
	path  string
	delim byte
	ncol  int
	hdrH  int  // header row
	hdrCP bool // the header was decoded as Windows-1252
	lay   *layout
	opts  Options
	kind  *tabular[T]
}

func loadDelimited[T any](ctx context.Context, f io.Reader, path string, opts Options, kind *tabular[T], sink func([]T), in *model.Input) error {
	var src io.Reader = f
	switch in.Encoding {
	case "utf-16le":
		src = transform.NewReader(f, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case "utf-16be":
		src = transform.NewReader(f, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	case "utf-8-bom":
		if _, err := io.CopyN(io.Discard, f, int64(len(bomUTF8))); err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
	buf := make([]byte, 0, chunkSize)
	df := &delimFile[T]{path: path, opts: opts, kind: kind}
	hs, err := newHeaderSearch(kind.fields, path, opts)
	if err != nil {
		return err
	}
	buf, pos, eof, err := df.readHeader(src, buf, hs)
	if err != nil {
		return err
	}
	hs.done(in, df.hdrH, df.lay)
	n := copy(buf, buf[pos:])
	buf = buf[:n]
	st, err := df.run(ctx, src, buf, eof, sink)
	if err != nil {
		return err
	}
	if df.hdrCP {
		st.cp1252++
	}
	tabularNotes(in, st, opts.VPD, kind.fields.noun)
	return nil
}

// fill reads into buf's spare capacity until it is full or the input ends.
func fill(r io.Reader, buf []byte) ([]byte, bool, error) {
	for len(buf) < cap(buf) {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, true, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
	return buf, false, nil
}

func grow(buf []byte) []byte {
	nb := make([]byte, len(buf), 2*cap(buf)+1024)
	copy(nb, buf)
	return nb
}

// readHeader finds the header record (headerSearch: the first row, within
// the first 30, that names every required field; or the row --header-row
// gives), sniffs the delimiter from it and parses it. Rows above it are
// title rows: each is parsed with its own delimiter, and one that is not
// valid CSV is skipped as one line. It sets df.delim, df.hdrH, df.lay and
// df.ncol and returns the buffer and the offset of the first data byte in it.
func (df *delimFile[T]) readHeader(r io.Reader, buf []byte, hs *headerSearch) (_ []byte, pos int, eof bool, err error) {
	rerr := func(err error) error { return fmt.Errorf("read %s: %w", df.path, err) }
	if buf, eof, err = fill(r, buf); err != nil {
		return nil, 0, false, rerr(err)
	}
	notFound := func(rows int) error {
		if err := hs.fail(rows); err != nil {
			return err
		}
		return &Error{File: df.path, Msg: "empty file: expected a header row"}
	}
	row := 0 // rows read
	for {
		i := bytes.IndexByte(buf[pos:], '\n')
		if i < 0 && !eof && len(buf)-pos < maxPending {
			if buf, eof, err = fill(r, grow(buf)); err != nil {
				return nil, 0, false, rerr(err)
			}
			continue
		}
		end := len(buf)
		if i >= 0 {
			end = pos + i
		}
		if i < 0 && !eof { // no line end within maxPending bytes
			msg, _ := tooLong(unsafe.String(&buf[pos], len(buf)-pos))
			return nil, 0, false, &Error{File: df.path, Line: row + 1, Msg: "header row: " + msg}
		}
		if pos == len(buf) { // the end of the file
			return nil, 0, false, notFound(row)
		}
		if hs.past(row + 1) {
			return nil, 0, false, notFound(row)
		}
		line := buf[pos:end]
		if len(bytes.Trim(line, " \t\r\f\v\ufeff")) == 0 {
			row++
			pos = min(end+1, len(buf))
			continue
		}
		delim := sniffDelim(line)
		s := unsafe.String(&buf[pos], len(buf)-pos)
		rec, next, kind, _ := parseRecord(s, 0, delim, nil, eof)
		if kind == recShort && !eof && len(s) >= maxPending {
			msg, _ := tooLong(s)
			return nil, 0, false, &Error{File: df.path, Line: row + 1, Msg: "header row: " + msg}
		}
		if kind == recShort && !eof {
			if buf, eof, err = fill(r, grow(buf)); err != nil {
				return nil, 0, false, rerr(err)
			}
			continue
		}
		row++
		if kind != recOK {
			if hs.want == row {
				return nil, 0, false, &Error{File: df.path, Line: row, Msg: "header row: " + kind.String()}
			}
			pos = min(end+1, len(buf)) // a title line that is not CSV
			continue
		}
		cells, blank := ownedCells(rec)
		if blank { // a row of delimiters only
			pos += next
			continue
		}
		cp := fixEncoding(cells)
		lay, err := hs.offer(row, cells)
		if err != nil {
			return nil, 0, false, err
		}
		if lay != nil {
			df.delim, df.hdrH, df.lay, df.ncol, df.hdrCP = delim, row, lay, len(cells), cp
			return buf, pos + next, eof, nil
		}
		pos += next
	}
}

// ownedCells copies a candidate header row's cells (the buffer is reused:
// the layout keeps them) and reports whether every one is blank.
func ownedCells(rec []string) (cells []string, blank bool) {
	cells = make([]string, len(rec))
	blank = true
	for j, c := range rec {
		cells[j] = strings.Clone(c)
		blank = blank && blankCell(c)
	}
	return cells, blank
}

// sniffDelim picks the delimiter that occurs most often outside quotes in
// the header line, among ',' '\t' ';' '~' (ties in that order; ',' when none).
func sniffDelim(line []byte) byte {
	var n [4]int
	cands := [4]byte{',', '\t', ';', '~'}
	inQ := false
	for _, c := range line {
		if c == '"' {
			inQ = !inQ
			continue
		}
		if inQ {
			continue
		}
		for i, d := range cands {
			if c == d {
				n[i]++
			}
		}
	}
	best := 0
	for i := 1; i < 4; i++ {
		if n[i] > n[best] {
			best = i
		}
	}
	return cands[best]
}

type recErr int

const (
	recOK         recErr = iota
	recShort             // the data ended inside a quoted field
	recBareQuote         // a '"' inside an unquoted field
	recExtraQuote        // something other than a delimiter or line end after a closing quote
)

func (k recErr) String() string {
	switch k {
	case recShort:
		return "expected a closing quote (\"), found the end of the data: a quoted field is not closed"
	case recBareQuote:
		return "expected a quoted field or no quote at all, found a \" inside an unquoted field: quote the whole field and double the inner quote (\"\")"
	case recExtraQuote:
		return "expected a delimiter or line end after a closing quote (\"), found more text: double a quote inside a quoted field (\"\")"
	}
	return "ok"
}

// parseRecord reads the record that starts at s[pos] (RFC 4180, any line
// end), appending its fields to rec[:0]. It returns the offset after the
// record and, on failure, the index of the field at fault. atEnd says s ends
// at a record boundary or the end of the file; when it is false, running out
// of data is recShort.
func parseRecord(s string, pos int, delim byte, rec []string, atEnd bool) ([]string, int, recErr, int) {
	rec = rec[:0]
	for {
		if pos < len(s) && s[pos] == '"' {
			start := pos + 1
			i := start
			esc := false
			for {
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return rec, pos, recShort, len(rec)
				}
				i += j
				if i+1 < len(s) && s[i+1] == '"' {
					esc = true
					i += 2
					continue
				}
				break
			}
			if i+1 == len(s) && !atEnd {
				return rec, pos, recShort, len(rec)
			}
			f := s[start:i]
			if esc {
				f = strings.ReplaceAll(f, `""`, `"`)
			}
			rec = append(rec, f)
			pos = i + 1
			switch {
			case pos == len(s):
				return rec, pos, recOK, 0
			case s[pos] == delim:
				pos++
				continue
			case s[pos] == '\n':
				return rec, pos + 1, recOK, 0
			case s[pos] == '\r' && (pos+1 == len(s) || s[pos+1] == '\n'):
				return rec, min(pos+2, len(s)), recOK, 0
			}
			return rec, pos, recExtraQuote, len(rec) - 1
		}
		end := pos
		for end < len(s) && s[end] != delim && s[end] != '\n' {
			if s[end] == '"' {
				return rec, pos, recBareQuote, len(rec)
			}
			end++
		}
		if end == len(s) && !atEnd {
			return rec, pos, recShort, len(rec)
		}
		if end == len(s) || s[end] == '\n' {
			f := s[pos:end]
			if n := len(f); n > 0 && f[n-1] == '\r' {
				f = f[:n-1]
			}
			return append(rec, f), min(end+1, len(s)), recOK, 0
		}
		rec = append(rec, s[pos:end])
		pos = end + 1
	}
}

// tooLong says why record s (from its start to the end of the data read)
// has no end within maxPending bytes: a quote left open (inQuote), or a
// line with no line end. Quote parity from the start of a record is exact.
func tooLong(s string) (msg string, inQuote bool) {
	if strings.Count(s, `"`)%2 == 1 {
		return fmt.Sprintf("expected a closing quote (\"), found none in %d MiB: a quoted field is not closed", maxPending>>20), true
	}
	return fmt.Sprintf("expected a line end within %d MiB, found none: no row of an export is this long", maxPending>>20), false
}

// lastCut returns the offset just after the last line feed of buf that lies
// outside quotes, or -1.
func lastCut(buf []byte) int {
	q := bytes.Count(buf, []byte{'"'})
	i := len(buf)
	after := 0
	for {
		j := bytes.LastIndexByte(buf[:i], '\n')
		if j < 0 {
			return -1
		}
		if q == 0 {
			return j + 1
		}
		after += bytes.Count(buf[j+1:i], []byte{'"'})
		if (q-after)%2 == 0 {
			return j + 1
		}
		i = j
	}
}

// run reads the data after the header (buf holds its start) and parses it
// in parallel: one reader (readBlocks) hands blocks to the workers.
func (df *delimFile[T]) run(ctx context.Context, r io.Reader, buf []byte, eof bool, sink func([]T)) (stats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(df.opts.Workers, 1)
	work := make(chan *chunk, workers)
	free := make(chan []byte, workers+2)
	for range workers + 2 {
		free <- nil
	}
	first := make(chan link, 1)
	first <- link{next: df.hdrH + 1}
	last := make(chan (<-chan link), 1)
	go df.readBlocks(ctx, r, buf, eof, work, free, first, last)

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := df.newWorker()
			for c := range work {
				w.do(ctx, c, free, cancel, sink)
			}
			if w.sc != nil {
				w.sc.flush()
			}
		}()
	}
	res := <-<-last
	wg.Wait()
	return res.st, res.err
}

// readBlocks is run's reader: it fills buf from r and sends it to work in
// blocks cut at record ends, each linked to the one before (first is the
// link before the first block), taking buffers back from free. It closes
// work when done and sends last the link after the last block.
func (df *delimFile[T]) readBlocks(ctx context.Context, r io.Reader, buf []byte, eof bool,
	work chan<- *chunk, free <-chan []byte, first <-chan link, last chan<- (<-chan link)) {
	defer close(work)
	prev := first
	defer func() { last <- prev }()
	send := func(c *chunk) bool {
		c.prev, c.done = prev, make(chan link, 1)
		select {
		case work <- c:
			prev = c.done
			return true
		case <-ctx.Done():
			return false
		}
	}
	for ctx.Err() == nil {
		if !eof {
			var err error
			if buf, eof, err = fill(r, buf); err != nil {
				send(&chunk{err: fmt.Errorf("read %s: %w", df.path, err)})
				return
			}
		}
		if eof {
			if len(buf) > 0 {
				send(&chunk{data: buf, atEnd: true, final: true})
			}
			return
		}
		cut := lastCut(buf)
		if cut < 0 {
			if len(buf) < maxPending {
				buf = grow(buf)
				continue
			}
			// No record boundary in maxPending bytes: let a worker
			// find the fault and its row.
			send(&chunk{data: buf, atEnd: false})
			return
		}
		var next []byte
		select {
		case next = <-free:
		case <-ctx.Done():
			return
		}
		if cap(next) < chunkSize {
			next = make([]byte, 0, chunkSize)
		}
		next = append(next[:0], buf[cut:]...)
		if !send(&chunk{data: buf[:cut], atEnd: true}) {
			return
		}
		buf = next
	}
}

// newWorker makes a parse worker, with a rowScanner when the kind of
// record has one and Options.Counter is set.
func (df *delimFile[T]) newWorker() *csvWorker[T] {
	w := &csvWorker[T]{df: df, b: df.kind.newBuilder(df.path, model.FormatCSV, df.lay, df.opts),
		rec: make([]string, 0, df.ncol+1), offs: make([]int, 0, df.ncol+2)}
	batch := chunkSize / 128 // records of a block
	if df.kind.newScanner != nil && df.opts.Counter != nil {
		w.sc = df.kind.newScanner(df.lay, df.opts)
		batch = 512 // the few it does not count; append grows it if need be
	}
	w.batch = make([]T, 0, batch)
	return w
}

type csvWorker[T any] struct {
	df      *delimFile[T]
	b       rowBuilder[T]
	sc      rowScanner // nil: every record is built
	rec     []string
	offs    []int
	batch   []T
	counted int // records of the block counted by sc, not built
}

func (w *csvWorker[T]) do(ctx context.Context, c *chunk, free chan<- []byte, cancel func(), sink func([]T)) {
	var (
		rows int
		st   stats
		perr *Error
	)
	if c.data != nil {
		// The records are views of the block's buffer, not a copy: the sink
		// contract says a batch is only valid during the call, and the
		// buffer goes back to the reader only after the last sink call.
		defer func() {
			select { // the first block's buffer is not from the pool
			case free <- c.data[:0]:
			default:
			}
		}()
	}
	if c.err == nil && ctx.Err() == nil {
		rows, st, perr = w.parse(c.data, c.atEnd, c.final)
	}
	pr := <-c.prev
	st.rc = st.rc.shift(pr.next)
	out := link{next: pr.next + rows, st: pr.st.add(st), err: pr.err}
	if out.err == nil {
		switch {
		case c.err != nil:
			out.err = c.err
		case perr != nil:
			perr.Line += pr.next
			out.err = perr
		case ctx.Err() != nil:
			out.err = ctx.Err()
		}
	}
	if out.err != nil {
		c.done <- out
		cancel()
		return
	}
	w.b.rebase(w.batch, pr.next)
	c.done <- out
	for i := 0; i < len(w.batch); i += sinkBatch {
		sink(w.batch[i:min(i+sinkBatch, len(w.batch))])
	}
	if p := w.df.opts.Progress; p != nil && w.counted > 0 {
		p.Add(0, int64(w.counted))
	}
}

// parse turns a block into w.batch, with rows numbered from 0 (the caller
// adds the block's first row). rows counts records, blank lines included.
// An error's Line is likewise relative. A record with no quote is split by
// splitLine and, when the worker has a rowScanner, may be counted without
// being built; one with a quote (or, in a block that is not UTF-8, one
// that is not) is read by parseRecord, exactly as always.
func (w *csvWorker[T]) parse(b []byte, atEnd, final bool) (rows int, st stats, perr *Error) {
	w.batch = w.batch[:0]
	w.counted = 0
	w.b.reset()
	if w.sc != nil {
		w.sc.reset()
	}
	s := unsafe.String(unsafe.SliceData(b), len(b))
	valid := utf8.Valid(b)
	for pos := 0; pos < len(b); {
		row := rows
		offs, next, ok := splitLine(b, pos, w.df.delim, atEnd, w.offs)
		w.offs = offs
		if w.sc != nil && ok && (valid || utf8.ValidString(s[pos:next])) {
			switch w.sc.scan(s, offs) {
			case scanCounted:
				rows, pos = rows+1, next
				st.rc.record()
				st.rows++
				w.counted++
				continue
			case scanOther:
				rows, pos = rows+1, next
				st.rc.record()
				st.otherVPD++
				continue
			}
		}
		if ok {
			w.rec = fieldsOf(s, offs, w.rec)
		} else {
			var kind recErr
			var fi int
			w.rec, next, kind, fi = parseRecord(s, pos, w.df.delim, w.rec, atEnd)
			if kind != recOK {
				return rows, st, w.recordError(s[pos:], kind, fi, rows, final)
			}
		}
		rows, pos = rows+1, next
		if perr := w.record(row, valid, &st); perr != nil {
			return rows, st, perr
		}
	}
	return rows, st, nil
}

// recordError is the error of a record parseRecord refused (kind, at field
// fi): s is the data from the record's start, row its relative row.
func (w *csvWorker[T]) recordError(s string, kind recErr, fi, row int, final bool) *Error {
	df := w.df
	col := ""
	if fi < len(df.lay.headers) {
		col = df.lay.headers[fi]
	}
	msg := kind.String()
	if kind == recShort {
		if final {
			msg = "expected a closing quote (\"), found the end of the file: a quoted field is not closed"
		} else {
			var inQuote bool
			if msg, inQuote = tooLong(s); !inQuote {
				col = "" // no one field is at fault: the line has no end
			}
		}
	}
	return &Error{File: df.path, Line: row, Column: col, Msg: msg}
}

// record classifies and builds w.rec, the record on relative row row,
// into w.batch, counting it in st.
func (w *csvWorker[T]) record(row int, valid bool, st *stats) *Error {
	df, rec := w.df, w.rec
	switch df.lay.classify(rec) {
	case rowBlank:
		st.rc.blankRow()
		return nil
	case rowNonRecord:
		st.rc.nonRecord(row)
		return nil
	}
	st.rc.record()
	if len(rec) != df.ncol {
		return &Error{File: df.path, Line: row,
			Msg: fmt.Sprintf("expected %d fields as in the header (row %d), found %d", df.ncol, df.hdrH, len(rec))}
	}
	if !valid && fixEncoding(rec) {
		st.cp1252++
	}
	var zero T
	w.batch = append(w.batch, zero)
	p := &w.batch[len(w.batch)-1]
	switch out, err := w.b.build(p, rec, row); {
	case err != nil:
		return err
	case out == empty:
		st.empty++
		w.batch = w.batch[:len(w.batch)-1]
	case out == otherVPD:
		st.otherVPD++
		w.batch = w.batch[:len(w.batch)-1]
	case out == passed:
		st.rows++
		w.batch = w.batch[:len(w.batch)-1]
	default:
		st.rows++
	}
	return nil
}
