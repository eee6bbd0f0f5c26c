package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"dpnkit/internal/model"
	"dpnkit/internal/xlsx"
)

// loadXLSX reads one worksheet: the header is found as in every tabular
// file (headerSearch), and Position.Row is the sheet row. Rows with no
// values, and rows the sheet leaves out between two rows, are blank rows
// (skipped and counted). Date columns accept Excel serials (date or
// plain number cells) and text dates.
//
// Long: the per-row hot loop of the workbook loader; any split must be
// measured with the ./internal/load benchmarks.
func loadXLSX[T any](ctx context.Context, path string, opts Options, kind *tabular[T], sink func([]T), in *model.Input) error {
	// xerr reports a workbook the reader rejects; for personal data
	// without the cell values it quotes.
	xerr := func(err error) error {
		e := xlsxError(path, err)
		if le, ok := e.(*Error); ok && kind.fields.personal {
			le.Msg = redactCellValues(le.Msg)
		}
		return e
	}
	r, err := xlsx.Open(path, opts.Sheet, xlsx.Limits{})
	if err != nil {
		return xerr(err)
	}
	defer r.Close()
	in.Sheet = r.SheetName()
	serial := xlsx.SerialDate
	if r.Date1904() {
		serial = xlsx.SerialDate1904
	}

	hs, err := newHeaderSearch(kind.fields, path, opts)
	if err != nil {
		return err
	}
	hdrRow, lay, err := xlsxHeader(ctx, r, hs, path, in.Sheet, xerr)
	if err != nil {
		return err
	}
	hs.done(in, hdrRow, lay)
	hdr := lay.headers
	b := kind.newBuilder(path, model.FormatXLSX, lay, opts)
	isDate := make([]bool, len(hdr))
	for _, fi := range kind.dates {
		if c := lay.col[fi]; c >= 0 {
			isDate[c] = true
		}
	}
	rec := make([]string, len(hdr), len(hdr)+1)
	batch := make([]T, 0, sinkBatch)
	var st stats
	beyond := 0
	last := hdrRow
	flush := func() {
		if len(batch) > 0 {
			sink(batch)
		}
		batch = batch[:0]
		b.reset()
	}
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row, cells, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return xerr(err)
		}
		st.rc.blankRows(row - last - 1) // rows the sheet leaves out are blank
		last = row
		if blankCells(cells) {
			st.rc.blankRow()
			continue
		}
		clear(rec)
		for i, c := range cells {
			if i >= len(rec) {
				if c.Value != "" {
					beyond++
				}
				continue
			}
			v := c.Value
			if isDate[i] && (c.Number || c.Date) {
				v = serialText(c, serial)
			}
			rec[i] = v
		}
		switch lay.classify(rec) {
		case rowBlank: // values only right of the header's last column
			st.rc.blankRow()
			continue
		case rowNonRecord:
			st.rc.nonRecord(row)
			continue
		}
		st.rc.record()
		var zero T
		batch = append(batch, zero)
		switch out, perr := b.build(&batch[len(batch)-1], rec, row); {
		case perr != nil:
			return perr
		case out == built:
			st.rows++
		case out == passed:
			st.rows++
			batch = batch[:len(batch)-1]
		default:
			batch = batch[:len(batch)-1]
			if out == otherVPD {
				st.otherVPD++
			} else {
				st.empty++
			}
		}
		if len(batch) == sinkBatch {
			flush()
		}
	}
	flush()
	tabularNotes(in, st, opts.VPD, kind.fields.noun)
	if beyond > 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("%d cells right of the header's last column ignored", beyond))
	}
	return nil
}

// xlsxHeader reads the sheet's rows down to its header (headerSearch)
// and returns the header's row and layout.
func xlsxHeader(ctx context.Context, r *xlsx.Reader, hs *headerSearch, path, sheet string, xerr func(error) error) (int, *layout, error) {
	rows := 0 // the last sheet row read
	for {
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
		row, cells, err := r.Next()
		if errors.Is(err, io.EOF) || err == nil && hs.past(row) {
			if err == nil {
				rows = row - 1 // the rows the sheet leaves out before row are blank rows
			}
			if err := hs.fail(rows); err != nil {
				return 0, nil, err
			}
			return 0, nil, &Error{File: path, Msg: fmt.Sprintf("empty sheet %q: expected a header row", sheet)}
		}
		if err != nil {
			return 0, nil, xerr(err)
		}
		rows = row
		if blankCells(cells) {
			continue
		}
		hdr := make([]string, len(cells))
		for i, c := range cells {
			hdr[i] = strings.Clone(c.Value)
		}
		lay, err := hs.offer(row, hdr)
		if err != nil || lay != nil {
			return row, lay, err
		}
	}
}

// serialText turns a numeric cell of a date column into text ParseDate
// reads: a YYYYMMDD number stays as it is, an Excel serial becomes
// YYYY-MM-DD. A number that is neither is returned raw, so it is reported.
func serialText(c xlsx.Cell, serial func(float64) time.Time) string {
	if !c.Date {
		if _, ok := ParseDate(c.Value); ok {
			return c.Value
		}
	}
	f, err := strconv.ParseFloat(c.Value, 64)
	if err != nil || f < 1 {
		return c.Value
	}
	t := serial(f)
	if t.IsZero() {
		return c.Value
	}
	return t.Format("2006-01-02")
}

func blankCells(cells []xlsx.Cell) bool {
	for _, c := range cells {
		if strings.Trim(c.Value, " \t\r\n") != "" {
			return false
		}
	}
	return true
}

// xlsxError makes a workbook the reader rejects a *Error; a file that cannot
// be opened at all stays a plain error. A failed read inside the archive (a
// corrupt entry offset gives "readat: negative offset") is the workbook's
// fault, so only a failed open or stat of the file counts as not opened.
func xlsxError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && (pe.Op == "open" || pe.Op == "stat") {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return &Error{File: path, Msg: strings.TrimPrefix(err.Error(), path+": ")}
}
