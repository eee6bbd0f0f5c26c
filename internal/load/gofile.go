package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"dpnkit/internal/model"
)

// GO .DAT files (inputs.md §1a) are read sequentially: they are trust-sized.

// goFieldCount is the field count of the record types whose layout is known.
var goFieldCount = map[string]int{"HDR": 7, "TRL": 2, "POA": 24, "PRA": 44, "ASA": 50}

// goTypes are the record types of the GO interface.
var goTypes = map[string]bool{
	"HDR": true, "TRL": true,
	"LCA": true, "LCD": true, "ORA": true, "ORD": true, "POA": true, "POD": true,
	"PRA": true, "PRD": true, "ASA": true, "ASD": true, "PHA": true, "PHD": true,
	"ADA": true, "ADD": true, "VHA": true, "VHD": true, "COA": true, "COD": true,
}

// goPOA names the 24 POA fields, in order.
var goPOA = [24]string{"POA", "ESRPositionId", "EffectiveFromDate", "EffectiveToDate", "PositionNumber",
	"PositionName", "BudgetedFTE", "SubjectiveCode", "JobStaffGroup", "JobRole", "OccupationCode", "Payscale",
	"GradeStep", "ISARegulatedPost", "ESROrganisationId", "HiringStatus", "PositionType",
	"OHProcessingEligible", "EPPFlag", "DeaneryPostNumber", "ManagingDeaneryBody", "WorkplaceOrgCode",
	"ESRLastUpdateDate", "SubjectiveCodeDescription"}

// goExtra are the POA fields with no Position field, kept as Extra.
var goExtra = []int{6, 7, 11, 12, 13, 16, 17, 18, 22, 23}

// goMaxLine bounds a physical line of a GO file, its line end included (a
// POA record is a few hundred bytes): a longer line is refused rather than
// read into memory whole.
const goMaxLine = 1 << 20

// goMaxJoin is the most lines joined to a record a line feed split: a
// record whose fields are still short after that is refused.
const goMaxJoin = 16

// goLines reads physical lines, with push-back for failed joins.
type goLines struct {
	path string
	br   *bufio.Reader // of goMaxLine bytes
	n    int           // physical lines read
	back []goLine
	eof  bool
}

type goLine struct {
	text string
	no   int
}

func (g *goLines) next() (goLine, bool, error) {
	if k := len(g.back); k > 0 {
		l := g.back[k-1]
		g.back = g.back[:k-1]
		return l, true, nil
	}
	if g.eof {
		return goLine{}, false, nil
	}
	b, err := g.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return goLine{}, false, &Error{File: g.path, Line: g.n + 1,
			Msg: fmt.Sprintf("expected a line end within %d MiB, found none: no GO record is this long", goMaxLine>>20)}
	}
	s := string(b)
	if errors.Is(err, io.EOF) {
		g.eof = true
		if s == "" {
			return goLine{}, false, nil
		}
	} else if err != nil {
		return goLine{}, false, fmt.Errorf("read %s: %w", g.path, err)
	}
	g.n++
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return goLine{text: s, no: g.n}, true, nil
}

func (g *goLines) unread(ls []goLine) {
	for i := len(ls) - 1; i >= 0; i-- {
		g.back = append(g.back, ls[i])
	}
}

// goScan is what one pass over a GO file found besides the records it
// handed on.
type goScan struct {
	vpd     string         // from the HDR record
	other   map[string]int // records of known GO types not handed on, by type
	unknown map[string]int // records of unknown types, by type
	unnamed int            // lines whose first field is not a record type code
}

// scanGO reads a GO file (inputs.md §1a): it checks the HDR and the TRL
// count, re-joins records of the types in want that a linefeed split, and
// calls rec for each record of those types with its fields, the line it
// starts on and whether it was re-joined. Records of other types are
// counted, and a broken one is left as it is. vpd is the HDR's VPD, known
// before the first call.
//
// Long: the per-line hot loop of the GO file reader; any split must be
// measured with the ./internal/load benchmarks.
func scanGO(ctx context.Context, f io.Reader, path string, in *model.Input, want map[string]bool,
	rec func(vpd, typ string, fields []string, line int, repaired bool) error) (*goScan, error) {
	if in.Encoding == "utf-8-bom" {
		if _, err := io.CopyN(io.Discard, f, int64(len(bomUTF8))); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	g := &goLines{path: path, br: bufio.NewReaderSize(f, goMaxLine)}
	fail := func(line int, format string, a ...any) error {
		return &Error{File: path, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	strict := func(typ string) bool { return want[typ] || typ == "HDR" || typ == "TRL" }
	sc := &goScan{other: map[string]int{}, unknown: map[string]int{}}
	var (
		records   int // logical records, HDR and TRL included
		trailer   = -1
		trlLine   int
		lastLine  int
		seenFirst bool
	)
	for {
		if g.n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		l, ok, err := g.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		lastLine = l.no
		if strings.TrimSpace(l.text) == "" {
			continue
		}
		if trailer >= 0 {
			return nil, fail(l.no, "expected the TRL trailer to be the last record, found more lines after it (line %d)", trlLine)
		}
		typ, _, _ := strings.Cut(l.text, "~")
		if !seenFirst {
			seenFirst = true
			if typ != "HDR" {
				return nil, fail(l.no, "expected a HDR record on the first line of a GO file, found %s", describeType(typ))
			}
		}
		text := l.text
		repaired := false
		n := strings.Count(text, "~") + 1
		if want, known := goFieldCount[typ]; known && n != want {
			if n < want {
				joined, total, used, ended := text, n, []goLine(nil), false
				for total < want && len(used) < goMaxJoin {
					nx, ok, err := g.next()
					if err != nil {
						return nil, err
					}
					if !ok {
						ended = true
						break
					}
					used = append(used, nx)
					joined += "\n" + nx.text
					total += strings.Count(nx.text, "~")
				}
				switch {
				case total == want:
					text, n, repaired = joined, want, true
				case strict(typ) && total < want && !ended:
					return nil, fail(l.no, "%s record: expected %d fields, found %d, and the next %d lines do not complete it: cannot repair", typ, want, n, goMaxJoin)
				case strict(typ) && ended:
					return nil, fail(l.no, "%s record: expected %d fields, found %d, and the file ends before the record is complete", typ, want, total)
				case strict(typ):
					return nil, fail(l.no, "%s record: expected %d fields, found %d (%d with the next line joined): cannot repair", typ, want, n, total)
				default:
					g.unread(used) // a record we do not load: leave it as it is
				}
			} else if strict(typ) {
				return nil, fail(l.no, "%s record: expected %d fields, found %d", typ, want, n)
			}
		}
		records++
		switch {
		case typ == "HDR":
			if records != 1 {
				return nil, fail(l.no, "expected one HDR record, on the first line; found another")
			}
			sc.vpd = model.TrimWhite(strings.Split(text, "~")[3])
		case typ == "TRL":
			v := strings.TrimSpace(strings.Split(text, "~")[1])
			c, err := strconv.Atoi(v)
			if err != nil || c < 0 {
				return nil, fail(l.no, "expected a record count in the TRL trailer, found %q", v)
			}
			trailer, trlLine = c, l.no
		case want[typ]:
			if err := rec(sc.vpd, typ, strings.Split(text, "~"), l.no, repaired); err != nil {
				return nil, err
			}
		case goTypes[typ]:
			sc.other[typ]++
		case isTypeCode(typ):
			sc.unknown[typ]++
		default:
			sc.unnamed++
		}
	}
	if !seenFirst {
		return nil, &Error{File: path, Msg: "empty file: expected a HDR record"}
	}
	if trailer < 0 {
		return nil, fail(lastLine, "expected a TRL trailer record as the last line, found none: the file is truncated")
	}
	if trailer != records {
		return nil, fail(trlLine, "trailer says %d records, file has %d: truncated or corrupted", trailer, records)
	}
	return sc, nil
}

// notes adds the notes about the records scan did not hand on: deletes of
// the loaded kind (noun, e.g. "position", from type del), other known
// types (called "non-<noun> records") and unknown types and lines, which
// are also counted as skipped.
func (sc *goScan) notes(in *model.Input, noun, del string) {
	if n := sc.other[del]; n > 0 && del != "" {
		in.Notes = append(in.Notes, fmt.Sprintf("%d %s deletes (%s) not loaded", n, noun, del))
		delete(sc.other, del)
	}
	if n, types := countTypes(sc.other); n > 0 {
		in.Notes = append(in.Notes, fmt.Sprintf("%d non-%s records (%s)", n, noun, types))
	}
	if n, types := countTypes(sc.unknown); n > 0 {
		in.Skipped += n
		in.Notes = append(in.Notes, fmt.Sprintf("%d records of unknown types skipped: %s", n, types))
	}
	if sc.unnamed > 0 {
		in.Skipped += sc.unnamed
		in.Notes = append(in.Notes, fmt.Sprintf("%d lines with no record type skipped", sc.unnamed))
	}
}

func loadGO(ctx context.Context, f io.Reader, path string, opts Options, sink func([]model.Position), in *model.Input) error {
	in.ExtraColumns = make([]string, len(goExtra))
	for i, c := range goExtra {
		in.ExtraColumns[i] = goPOA[c]
	}
	var (
		otherVPD int
		cp1252   int
		batch    = make([]model.Position, 0, sinkBatch)
		extras   []string
		hdrVPD   string
	)
	flush := func() {
		if len(batch) > 0 {
			sink(batch)
		}
		batch = batch[:0]
		extras = extras[:0]
	}
	sc, err := scanGO(ctx, f, path, in, map[string]bool{"POA": true}, func(vpd, _ string, rec []string, line int, repaired bool) error {
		hdrVPD = vpd
		if fixEncoding(rec) {
			cp1252++
		}
		if opts.VPD != "" && !strings.EqualFold(opts.VPD, vpd) {
			otherVPD++
			return nil
		}
		if repaired {
			in.Repaired++
		}
		start := len(extras)
		for _, c := range goExtra {
			extras = append(extras, rec[c])
		}
		p := model.Position{
			VPD: vpd, ID: rec[1], Number: rec[4], Name: rec[5], StaffGroup: rec[8], JobRole: rec[9],
			OccupationCode: rec[10], Organisation: rec[14], HiringStatus: rec[15], DPN: rec[19],
			ManagingBody: rec[20], WorkplaceOrg: rec[21],
			Extra: extras[start:len(extras):len(extras)],
			File:  path, Row: line, Format: model.FormatGO, Repaired: repaired,
		}
		p.EffectiveFrom = goDate(&p, rec, 2)
		p.EffectiveTo = goDate(&p, rec, 3)
		batch = append(batch, p)
		in.Rows++
		if len(batch) == sinkBatch {
			flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	flush()
	if cp1252 > 0 {
		in.Encoding = "windows-1252"
		in.Notes = append(in.Notes, fmt.Sprintf("%d rows decoded as Windows-1252", cp1252))
	}
	sc.notes(in, "position", "POD")
	if otherVPD > 0 {
		in.Skipped += otherVPD
		in.Notes = append(in.Notes, fmt.Sprintf("%d positions of VPD %s skipped (--vpd %s)", otherVPD, hdrVPD, opts.VPD))
	}
	return nil
}

// goDate parses POA field i, recording an unreadable date.
func goDate(p *model.Position, rec []string, i int) time.Time {
	t, ok := ParseDate(rec[i])
	if !ok {
		p.DateIssues = append(p.DateIssues, model.DateIssue{Column: goPOA[i], Value: rec[i]})
	}
	return t
}

// isTypeCode reports whether s looks like a GO record type: three capital
// letters. Anything else is not quoted in notes (it may be personal data
// from a broken record).
func isTypeCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func describeType(t string) string {
	if isTypeCode(t) {
		return "a " + t + " record"
	}
	return "a line that starts with no record type"
}

func countTypes(m map[string]int) (int, string) {
	n := 0
	keys := make([]string, 0, len(m))
	for k, v := range m {
		n += v
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return n, strings.Join(keys, ", ")
}
