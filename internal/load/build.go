package load

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"dpnkit/internal/model"
)

// builder turns the records of a tabular file (delimited text or xlsx) into
// positions. Each worker has its own: it caches the last dates parsed.
type builder struct {
	path   string
	format model.Format
	lay    *layout
	vpd    string // Options.VPD
	fromH  string // header of the effective_from column, for DateIssues
	toH    string
	cache  [2]dateCache
	extras []string // backing store for Position.Extra of the current batch
}

type dateCache struct {
	s  string
	t  time.Time
	ok bool
}

func newBuilder(path string, format model.Format, lay *layout, vpd string) *builder {
	b := &builder{path: path, format: format, lay: lay, vpd: vpd}
	if c := lay.col[fEffectiveFrom]; c >= 0 {
		b.fromH = lay.headers[c]
	}
	if c := lay.col[fEffectiveTo]; c >= 0 {
		b.toH = lay.headers[c]
	}
	return b
}

// reset starts a new batch: Extra slices of the previous one may be reused.
// The date cache is dropped too: its strings point into the previous block's
// buffer, which the reader refills.
func (b *builder) reset() { b.extras, b.cache = b.extras[:0], [2]dateCache{} }

// rebase adds by to the row of every position of batch.
func (b *builder) rebase(batch []model.Position, by int) {
	for i := range batch {
		batch[i].Row += by
	}
}

// rowBuilder turns the records of a tabular file (delimited text or xlsx)
// into values of T (positions, placements). The loaders share everything
// else: reading, chunking, row numbering, encodings, batching.
type rowBuilder[T any] interface {
	// reset starts a new batch: memory of the previous batch may be reused.
	reset()
	// build fills dst from rec (which has the header's field count and
	// capacity for one more) and sets its row to row.
	build(dst *T, rec []string, row int) (outcome, *Error)
	// rebase adds by to the row of every record of batch.
	rebase(batch []T, by int)
}

// tabular describes one kind of record for the shared loaders.
type tabular[T any] struct {
	fields *fieldSet
	// newBuilder makes a worker's builder for a file whose header resolved to lay.
	newBuilder func(path string, format model.Format, lay *layout, opts Options) rowBuilder[T]
	// dates are the fields whose numeric .xlsx cells are Excel dates.
	dates []int
	// newScanner makes a worker's rowScanner (Options.Counter is set); nil
	// when this kind of record is always built.
	newScanner func(lay *layout, opts Options) rowScanner
	// loadGO reads a GO .DAT file; nil when such a file is not this kind of export.
	loadGO func(ctx context.Context, f io.Reader, path string, opts Options, sink func([]T), in *model.Input) error
}

// positionTabular is how positions are loaded.
var positionTabular = &tabular[model.Position]{
	fields: positionFields,
	newBuilder: func(path string, format model.Format, lay *layout, opts Options) rowBuilder[model.Position] {
		return newBuilder(path, format, lay, opts.VPD)
	},
	newScanner: func(lay *layout, opts Options) rowScanner { return newPosScanner(lay, opts) },
	dates:      []int{fEffectiveFrom, fEffectiveTo},
	loadGO:     loadGO,
}

// outcome of building one record.
type outcome int

const (
	built    outcome = iota
	empty            // every field empty: skipped and counted
	otherVPD         // a VPD other than Options.VPD: skipped and counted
	passed           // read and counted, but refused by Options.KeepPerson: not handed on
)

// build fills p from rec (which has the header's field count; give it
// capacity for one more, or each call allocates). p.Row is set to row. A blank VPD with no Options.VPD is an *Error.
func (b *builder) build(p *model.Position, rec []string, row int) (outcome, *Error) {
	if blankRecord(rec) {
		return empty, nil
	}
	lay := b.lay
	rec = append(rec, "") // absent fields read from here
	x := lay.idx
	*p = model.Position{
		VPD:            model.TrimWhite(rec[x[fVPD]]),
		ID:             rec[x[fPositionID]],
		Number:         rec[x[fPositionNumber]],
		Name:           rec[x[fPositionName]],
		HiringStatus:   rec[x[fHiringStatus]],
		StaffGroup:     rec[x[fStaffGroup]],
		JobRole:        rec[x[fJobRole]],
		OccupationCode: rec[x[fOccupationCode]],
		DPN:            rec[x[fDPN]],
		ManagingBody:   rec[x[fManagingBody]],
		HostLead:       rec[x[fHostLead]],
		WorkplaceOrg:   rec[x[fWorkplaceOrg]],
		Organisation:   rec[x[fOrganisation]],
		Location:       rec[x[fLocation]],
		File:           b.path,
		Row:            row,
		Format:         b.format,
	}
	switch {
	case lay.col[fVPD] < 0:
		p.VPD = b.vpd
	case p.VPD == "":
		if b.vpd == "" {
			return built, &Error{File: b.path, Line: row, Column: lay.headers[lay.col[fVPD]],
				Msg: "expected a VPD code, found a blank cell; fill it in or give the VPD with --vpd"}
		}
		p.VPD = b.vpd
	case b.vpd != "" && !strings.EqualFold(p.VPD, b.vpd):
		return otherVPD, nil
	}
	if c := lay.col[fEffectiveFrom]; c >= 0 {
		p.EffectiveFrom = b.date(p, 0, rec[c], b.fromH)
	}
	if c := lay.col[fEffectiveTo]; c >= 0 {
		p.EffectiveTo = b.date(p, 1, rec[c], b.toH)
	}
	if n := len(lay.extra); n > 0 {
		start := len(b.extras)
		for _, c := range lay.extra {
			b.extras = append(b.extras, rec[c])
		}
		p.Extra = b.extras[start : start+n : start+n]
	}
	return built, nil
}

// date parses v (cached: dates repeat), recording an unreadable one.
func (b *builder) date(p *model.Position, i int, v, header string) time.Time {
	c := &b.cache[i]
	if v != c.s || v == "" {
		t, ok := ParseDateCell(v)
		*c = dateCache{s: v, t: t, ok: ok}
	}
	if !c.ok {
		p.DateIssues = append(p.DateIssues, model.DateIssue{Column: header, Value: v})
		return time.Time{}
	}
	return c.t
}

// fixEncoding decodes the fields of rec that are not valid UTF-8 as
// Windows-1252, in place. It reports whether it decoded any.
func fixEncoding(rec []string) bool {
	fixed := false
	for i, f := range rec {
		if !utf8.ValidString(f) {
			rec[i] = decode1252(f)
			fixed = true
		}
	}
	return fixed
}

func decode1252(s string) string {
	var sb strings.Builder
	sb.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			sb.WriteByte(c)
			continue
		}
		sb.WriteRune(charmap.Windows1252.DecodeByte(c))
	}
	return sb.String()
}

// tabularNotes adds the summary notes shared by the tabular formats. noun
// is what a record is ("position").
func tabularNotes(in *model.Input, st stats, vpd, noun string) {
	if st.cp1252 > 0 {
		in.Encoding = "windows-1252"
		in.Notes = append(in.Notes, fmt.Sprintf("%d rows decoded as Windows-1252", st.cp1252))
	}
	rc := st.rc
	rc.blank += st.empty // rows of delimiters only are blank rows too
	rc.note(in)
	if line := in.SkippedLine(); line != "" {
		in.Notes = append(in.Notes, line)
	}
	if st.otherVPD > 0 {
		in.Skipped += st.otherVPD
		in.Notes = append(in.Notes, fmt.Sprintf("%d rows of other VPDs skipped (--vpd %s)", st.otherVPD, vpd))
	}
	if st.rows == 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("no %s rows after the header", noun))
	}
	in.Rows = st.rows
}

// stats are the counts of a file (or chunk) of tabular records.
type stats struct {
	rows     int // records loaded (positions, placements)
	empty    int // records with every field empty (the builders' own test)
	cp1252   int // records with a field decoded as Windows-1252
	otherVPD int // records of a VPD other than Options.VPD
	rc       rowCounts
}

// add is s followed by o (o's rows already absolute).
func (s stats) add(o stats) stats {
	return stats{s.rows + o.rows, s.empty + o.empty, s.cp1252 + o.cp1252, s.otherVPD + o.otherVPD, s.rc.add(o.rc)}
}

// blankRecord reports whether every field of rec is empty (a row of
// separators only): such rows are skipped and counted, never built.
func blankRecord(rec []string) bool {
	for _, f := range rec {
		if f != "" {
			return false
		}
	}
	return true
}
