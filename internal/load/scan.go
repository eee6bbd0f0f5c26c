package load

import (
	"bytes"
	encbin "encoding/binary"
	"math/bits"
	"strings"
	"time"

	"dpnkit/internal/model"
)

// The scan path of delimited text. A block is tokenised record by record
// into field offsets (splitLine: eight bytes at a time, no string per
// field). For positions with Options.Counter set, a rowScanner then asks
// the checks' count-only question from the offsets of the few columns it
// needs; a row it counts is never built. Every other row (quoted fields,
// Windows-1252 bytes, anything unusual) takes the exact path it always
// took: its fields as strings, classify, build.

// Counter lets the loader of delimited positions count, without building
// them, the rows on which no check can report and which are not kept
// (*checks.Runner is one). A row is only offered when its dates are
// readable and it is a plain record of the file's VPD.
type Counter interface {
	// CountOnly reports whether a position with these cells (as in the
	// file, untrimmed; effectiveTo zero when open) need not be built,
	// and whether it is active.
	CountOnly(dpn, body, status string, effectiveTo time.Time) (countOnly, active bool)
	// Count adds positions of vpd counted without being built, active of
	// them active. It is called once per VPD and worker, when a file's
	// workers end.
	Count(vpd string, positions, active int)
}

const (
	lo7   = 0x7f7f7f7f7f7f7f7f
	ones8 = 0x0101010101010101
)

// zeroBytes has 0x80 in each byte of x that is zero and 0 elsewhere (no
// false positives: the borrow-free form).
func zeroBytes(x uint64) uint64 {
	return ^(((x & lo7) + lo7) | x | lo7)
}

// splitLine tokenises the record that starts at b[pos] when it has no
// quote: it sets offs to the start of each field followed by one past the
// end of the last (so field i is b[offs[i]:offs[i+1]-1]), a trailing '\r'
// left out, and returns the offset after the line end. ok is false when
// the line holds a '"', or when it has no line end and atEnd is false:
// such a record is for parseRecord. The line end and the quote are found
// with bytes.IndexByte (vector instructions), the delimiters eight bytes at
// a time.
func splitLine(b []byte, pos int, delim byte, atEnd bool, offs []int) (_ []int, next int, ok bool) {
	offs = append(offs[:0], pos)
	end := bytes.IndexByte(b[pos:], '\n')
	if end < 0 {
		if !atEnd {
			return offs, pos, false
		}
		end, next = len(b), len(b)
	} else {
		end += pos
		next = end + 1
	}
	if bytes.IndexByte(b[pos:end], '"') >= 0 {
		return offs, pos, false
	}
	bd := ones8 * uint64(delim)
	i := pos
	for ; i+8 <= end; i += 8 {
		m := zeroBytes(encbin.LittleEndian.Uint64(b[i:]) ^ bd)
		for m != 0 {
			offs = append(offs, i+bits.TrailingZeros64(m)>>3+1)
			m &= m - 1
		}
	}
	for ; i < end; i++ {
		if b[i] == delim {
			offs = append(offs, i+1)
		}
	}
	if end > offs[len(offs)-1] && b[end-1] == '\r' {
		end--
	}
	return append(offs, end+1), next, true
}

// fieldsOf sets rec to the fields offs delimits in s (views, not copies).
func fieldsOf(s string, offs []int, rec []string) []string {
	rec = rec[:0]
	for i := 0; i+1 < len(offs); i++ {
		rec = append(rec, s[offs[i]:offs[i+1]-1])
	}
	return rec
}

// scanOutcome is what a rowScanner made of a row.
type scanOutcome int

const (
	scanBuild   scanOutcome = iota // build it as always
	scanCounted                    // a record, counted and not built
	scanOther                      // a record of a VPD other than Options.VPD
)

// rowScanner decides from a row's offsets whether it must be built.
type rowScanner interface {
	// reset starts a block: what it cached of the previous one goes.
	reset()
	// scan looks at the row offs delimits in s.
	scan(s string, offs []int) scanOutcome
	// flush hands the counts to the Counter, once, when the worker ends.
	flush()
}

// posScanner is the rowScanner of positions.
type posScanner struct {
	c    Counter
	lay  *layout
	vpd  string // Options.VPD
	cols [6]int // columns of vpd, dpn, body, status, from, to; -1 absent
	// cache holds the last effective-to cell read and its date (a view of
	// the block: reset drops it); [0] is unused.
	cache [2]dateCache
	// The VPDs counted by this worker, by number, and their counts.
	last   string // VPD of the previous counted row (owned)
	lastN  int
	number map[string]int
	names  []string
	counts [][2]int // positions, active
}

func newPosScanner(lay *layout, opts Options) *posScanner {
	sc := &posScanner{c: opts.Counter, lay: lay, vpd: opts.VPD, lastN: -1, number: make(map[string]int)}
	for i, f := range [6]int{fVPD, fDPN, fManagingBody, fHiringStatus, fEffectiveFrom, fEffectiveTo} {
		sc.cols[i] = lay.col[f]
	}
	return sc
}

func (sc *posScanner) reset() { sc.cache = [2]dateCache{} }

func field(s string, offs []int, col int) string {
	if col < 0 {
		return ""
	}
	return s[offs[col] : offs[col+1]-1]
}

func (sc *posScanner) scan(s string, offs []int) scanOutcome {
	if len(offs)-1 != sc.lay.ncol || !sc.plainRecord(s, offs) {
		return scanBuild
	}
	vpd := sc.vpd
	if c := sc.cols[0]; c >= 0 {
		vpd = model.TrimWhite(field(s, offs, c))
		switch {
		case vpd == "":
			return scanBuild // an error, or Options.VPD fills it in
		case sc.vpd != "" && !strings.EqualFold(vpd, sc.vpd):
			return scanOther
		}
	}
	if !readableDate(field(s, offs, sc.cols[4])) {
		return scanBuild
	}
	to, ok := sc.date(1, field(s, offs, sc.cols[5]))
	if !ok {
		return scanBuild
	}
	countOnly, active := sc.c.CountOnly(field(s, offs, sc.cols[1]), field(s, offs, sc.cols[2]), field(s, offs, sc.cols[3]), to)
	if !countOnly {
		return scanBuild
	}
	n := sc.lastN
	if n < 0 || vpd != sc.last {
		n = sc.numberOf(vpd)
	}
	sc.counts[n][0]++
	if active {
		sc.counts[n][1]++
	}
	return scanCounted
}

// plainRecord reports whether layout.classify would call the row a record
// by its commonest path: three or more non-blank cells and a key field
// among them. Other rows are left to classify.
func (sc *posScanner) plainRecord(s string, offs []int) bool {
	n := 0
	for i := 0; i+1 < len(offs) && n < 3; i++ {
		if !blankCell(s[offs[i] : offs[i+1]-1]) {
			n++
		}
	}
	if n < 3 {
		return false
	}
	for _, c := range sc.lay.keys {
		if !blankCell(field(s, offs, c)) {
			return true
		}
	}
	return false
}

// numberOf is vpd's number in this worker, given it one if it has none.
func (sc *posScanner) numberOf(vpd string) int {
	n, ok := sc.number[vpd]
	if !ok {
		vpd = strings.Clone(vpd)
		n = len(sc.names)
		sc.number[vpd] = n
		sc.names = append(sc.names, vpd)
		sc.counts = append(sc.counts, [2]int{})
	} else {
		vpd = sc.names[n]
	}
	sc.last, sc.lastN = vpd, n
	return n
}

// readableDate reports whether ParseDateCell reads v, with a short cut for
// the commonest forms, DD/MM/YYYY and YYYY-MM-DD (the effective-from date
// of a counted row is only ever checked, never kept).
func readableDate(v string) bool {
	if len(v) == 10 {
		switch {
		case v[2] == '/' && v[5] == '/' && digits(v[:2]) == 2 && digits(v[3:5]) == 2 && digits(v[6:]) == 4:
			return validDay(atoi(v[6:]), atoi(v[3:5]), atoi(v[:2]))
		case v[4] == '-' && v[7] == '-' && digits(v[:4]) == 4 && digits(v[5:7]) == 2 && digits(v[8:]) == 2:
			return validDay(atoi(v[:4]), atoi(v[5:7]), atoi(v[8:]))
		}
	}
	_, ok := ParseDateCell(v)
	return ok
}

// date reads a date cell as builder.date does (the same cache rule).
func (sc *posScanner) date(i int, v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, true // ParseDateCell's answer, without its trimming
	}
	c := &sc.cache[i]
	if v != c.s {
		t, ok := ParseDateCell(v)
		*c = dateCache{s: v, t: t, ok: ok}
	}
	return c.t, c.ok
}

func (sc *posScanner) flush() {
	for n, name := range sc.names {
		sc.c.Count(name, sc.counts[n][0], sc.counts[n][1])
	}
	sc.names, sc.counts, sc.number = nil, nil, nil
}
