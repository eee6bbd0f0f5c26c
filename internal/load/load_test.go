package load

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"dpnkit/internal/model"
)

func writeTemp(t testing.TB, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// loadAll runs Positions and returns the cloned positions sorted by file
// and row.
func loadAll(t testing.TB, opts Options, files ...string) ([]model.Position, []model.Input, error) {
	t.Helper()
	var (
		mu  sync.Mutex
		all []model.Position
	)
	in, err := Positions(context.Background(), files, opts, func(b []model.Position) {
		mu.Lock()
		defer mu.Unlock()
		for i := range b {
			all = append(all, b[i].Clone())
		}
	})
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].File != all[j].File {
			return all[i].File < all[j].File
		}
		return all[i].Row < all[j].Row
	})
	return all, in, err
}

// brief is what most tests compare: row, VPD, number, name, DPN.
type brief struct {
	Row                    int
	VPD, Number, Name, DPN string
}

func briefs(ps []model.Position) []brief {
	out := make([]brief, len(ps))
	for i, p := range ps {
		out[i] = brief{p.Row, p.VPD, p.Number, p.Name, p.DPN}
	}
	return out
}

const hdr4 = "VPD,Position Number,Position Name,DPN"

func TestDelimiters(t *testing.T) {
	tests := []struct {
		name, data string
		want       []brief
	}{
		{"comma", hdr4 + "\n504,1,1|Reg|x|y,KSS/A/1/2\n", []brief{{2, "504", "1", "1|Reg|x|y", "KSS/A/1/2"}}},
		{"tab", "VPD\tPosition Number\tPosition Name\tDPN\n504\t1\t1|Reg, acting|x|y\tKSS/A/1/2\n",
			[]brief{{2, "504", "1", "1|Reg, acting|x|y", "KSS/A/1/2"}}},
		{"semicolon", "VPD;Position Number;Position Name;DPN\n504;1;1|Reg, acting|x|y;KSS/A/1/2\n",
			[]brief{{2, "504", "1", "1|Reg, acting|x|y", "KSS/A/1/2"}}},
		{"tilde", "VPD~Position Number~Position Name~DPN\n504~1~1|Reg|x|y~KSS/A/1/2\n",
			[]brief{{2, "504", "1", "1|Reg|x|y", "KSS/A/1/2"}}},
		{"quoted header with commas inside, semicolon file", `"VPD";"Position Number";"Position Name";"DPN";"Notes, free text"` + "\n504;1;a,b;d;x,y,z\n",
			[]brief{{2, "504", "1", "a,b", "d"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, in, err := loadAll(t, Options{}, writeTemp(t, "p.csv", tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(briefs(got), tc.want) {
				t.Errorf("got %+v, want %+v", briefs(got), tc.want)
			}
			if in[0].Format != model.FormatCSV || in[0].Rows != len(tc.want) {
				t.Errorf("input %+v", in[0])
			}
		})
	}
}

func TestQuotingAndRows(t *testing.T) {
	data := hdr4 + "\r\n" +
		"504,1,\"1|A\nB|c|d\",KSS/A/1/1\r\n" + // row 2 spans two lines
		"504,2,\"2|x|\"\"q\"\"|\",KSS/A/1/2\r\n" + // row 3
		"\r\n" + // row 4: blank
		"504,3,n3,\"KSS/A/1/3\n\"\r\n" + // row 5: DPN ends in a line feed
		",,,\r\n" + // row 6: every field empty
		"504,4,\"\",KSS/A/1/4" // row 7, no final line end
	got, in, err := loadAll(t, Options{}, writeTemp(t, "p.csv", data))
	if err != nil {
		t.Fatal(err)
	}
	want := []brief{
		{2, "504", "1", "1|A\nB|c|d", "KSS/A/1/1"},
		{3, "504", "2", `2|x|"q"|`, "KSS/A/1/2"},
		{5, "504", "3", "n3", "KSS/A/1/3\n"},
		{7, "504", "4", "", "KSS/A/1/4"},
	}
	if !reflect.DeepEqual(briefs(got), want) {
		t.Errorf("got %+v\nwant %+v", briefs(got), want)
	}
	// Rows 4 and 6 are blank rows: skipped, counted, not records.
	if in[0].Rows != 4 || in[0].Skipped != 0 || in[0].BlankRows != 2 || in[0].HeaderRow != 1 ||
		!reflect.DeepEqual(in[0].Notes, []string{"skipped 2 blank rows"}) {
		t.Errorf("input %+v", in[0])
	}
}

func utf16Bytes(s string, bigEndian bool) string {
	var b []byte
	if bigEndian {
		b = append(b, 0xFE, 0xFF)
	} else {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

func TestEncodings(t *testing.T) {
	text := "VPD\tPosition Number\tPosition Name\tDPN\r\n504\t1\tCafé|x|y|z\tKSS/A/1/1\r\n"
	tests := []struct {
		name, data string
		enc        string
		want       []brief
		notes      []string
	}{
		{"utf-8 BOM and CRLF", "\xEF\xBB\xBF" + hdr4 + "\r\n504,1,n,KSS/A/1/1\r\n", "utf-8-bom",
			[]brief{{2, "504", "1", "n", "KSS/A/1/1"}}, nil},
		{"utf-16le BOM", utf16Bytes(text, false), "utf-16le", []brief{{2, "504", "1", "Café|x|y|z", "KSS/A/1/1"}}, nil},
		{"utf-16be BOM", utf16Bytes(text, true), "utf-16be", []brief{{2, "504", "1", "Café|x|y|z", "KSS/A/1/1"}}, nil},
		{"windows-1252", hdr4 + "\n504,1,n,KSS/A\xA0/1/1\n504,2,caf\xE9 \x96 x,KSS/A/1/2\n504,3,ok,KSS/A/1/3\n", "windows-1252",
			[]brief{{2, "504", "1", "n", "KSS/A\u00a0/1/1"}, {3, "504", "2", "café \u2013 x", "KSS/A/1/2"}, {4, "504", "3", "ok", "KSS/A/1/3"}},
			[]string{"2 rows decoded as Windows-1252"}},
		{"valid utf-8 is left alone", hdr4 + "\n504,1,n,KSS/A\u00a0/1/1\n", "utf-8",
			[]brief{{2, "504", "1", "n", "KSS/A\u00a0/1/1"}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, in, err := loadAll(t, Options{}, writeTemp(t, "p.txt", tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(briefs(got), tc.want) {
				t.Errorf("got %+v\nwant %+v", briefs(got), tc.want)
			}
			if in[0].Encoding != tc.enc || !reflect.DeepEqual(in[0].Notes, tc.notes) {
				t.Errorf("encoding %q notes %q, want %q %q", in[0].Encoding, in[0].Notes, tc.enc, tc.notes)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, file, data string
		opts             Options
		want             string // %s is the path
	}{
		{"ragged row", "p.csv", hdr4 + "\n504,1,n,d\n504,2,n\n", Options{},
			"%s:3: expected 4 fields as in the header (row 1), found 3"},
		{"ragged row after a quoted line break counts records", "p.csv", hdr4 + "\n504,1,\"a\nb\",d\n504,2,n,d,x\n", Options{},
			"%s:3: expected 4 fields as in the header (row 1), found 5"},
		{"binary garbage", "p.csv", "\x00\x01\x02garbage\x00", Options{},
			"%s: not a text, GO or xlsx file: found binary data (NUL or control bytes) in the first block"},
		{"utf-16 without a BOM", "p.txt", "V\x00P\x00D\x00\t\x00D\x00P\x00N\x00\r\x00\n\x00", Options{},
			"%s: not a text, GO or xlsx file: it looks like UTF-16 text without a byte order mark; save it as UTF-8 CSV (or \"Unicode Text\", which has one)"},
		{"old xls", "p.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", Options{},
			"%s: not a text, GO or xlsx file: this is an old Excel .xls (or other OLE) file; save it as .xlsx or .csv"},
		{"xlsx that is not a zip", "p.xlsx", hdr4 + "\n", Options{},
			"%s: not an xlsx file: expected a zip archive (PK signature), found other bytes; was it renamed?"},
		{"empty file", "p.csv", "", Options{}, "%s: empty file: expected a header row"},
		{"white space only", "p.csv", " \r\n\n\t \n", Options{}, "%s: empty file: expected a header row"},
		{"blank VPD", "p.csv", hdr4 + "\n504,1,n,d\n ,2,n,d\n", Options{},
			"%s:3: column VPD: expected a VPD code, found a blank cell; fill it in or give the VPD with --vpd"},
		{"bare quote", "p.csv", hdr4 + "\n504,1,5\" screen,d\n", Options{},
			"%s:2: column Position Name: expected a quoted field or no quote at all, found a \" inside an unquoted field: quote the whole field and double the inner quote (\"\")"},
		{"text after closing quote", "p.csv", hdr4 + "\n504,1,\"a\"b,d\n", Options{},
			"%s:2: column Position Name: expected a delimiter or line end after a closing quote (\"), found more text: double a quote inside a quoted field (\"\")"},
		{"quote never closed", "p.csv", hdr4 + "\n504,1,n,d\n504,2,\"open,d\n504,3,n,d\n", Options{},
			"%s:3: column Position Name: expected a closing quote (\"), found the end of the file: a quoted field is not closed"},
		{"missing column", "p.csv", "VPD,Position Number,Title,DPN\n504,1,n,d\n", Options{},
			`%s:1: no column for required field position_name (headers like "Position Name", "Name", "Post Name", "Position Title", "Full Position Name"; closest header "Title"); headers found: "VPD", "Position Number", "Title", "DPN"; use --map FIELD=HEADER if a column has another name ('dpnkit fields' lists the fields and their headers)`},
		{"header after blank lines", "p.csv", "\n\nVPD,Position Number,Title,DPN\n", Options{},
			`%s:3: no column for required field position_name (headers like "Position Name", "Name", "Post Name", "Position Title", "Full Position Name"; closest header "Title"); headers found: "VPD", "Position Number", "Title", "DPN"; use --map FIELD=HEADER if a column has another name ('dpnkit fields' lists the fields and their headers)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, tc.file, tc.data)
			_, _, err := loadAll(t, tc.opts, path)
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if want := fmt.Sprintf(tc.want, path); err.Error() != want {
				t.Errorf("err =\n%s\nwant\n%s", err, want)
			}
		})
	}
}

func TestQuoteNeverClosedInLongFile(t *testing.T) {
	defer func(c, m int) { chunkSize, maxPending = c, m }(chunkSize, maxPending)
	chunkSize, maxPending = 4096, 1<<20
	var b strings.Builder
	b.WriteString(hdr4 + "\n504,1,n,d\n504,2,\"open,d\n") // row 3 opens a quote
	for b.Len() < 3<<20 {
		b.WriteString("504,9,n,d\n")
	}
	path := writeTemp(t, "p.csv", b.String())
	_, _, err := loadAll(t, Options{Workers: 2}, path)
	want := path + ":3: column Position Name: expected a closing quote (\"), found none in 1 MiB: a quoted field is not closed"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestHeaderOnlyAndOptions(t *testing.T) {
	t.Run("header only is not an error", func(t *testing.T) {
		got, in, err := loadAll(t, Options{}, writeTemp(t, "p.csv", hdr4+"\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 || in[0].Rows != 0 || !reflect.DeepEqual(in[0].Notes, []string{"no position rows after the header"}) {
			t.Errorf("got %d positions, input %+v", len(got), in[0])
		}
	})
	t.Run("--vpd keeps its own rows and fills blanks", func(t *testing.T) {
		got, in, err := loadAll(t, Options{VPD: "504"}, writeTemp(t, "p.csv", hdr4+"\n504,1,n,d1\n505,2,n,d2\n,3,n,d3\n 504 ,4,n,d4\n"))
		if err != nil {
			t.Fatal(err)
		}
		want := []brief{{2, "504", "1", "n", "d1"}, {4, "504", "3", "n", "d3"}, {5, "504", "4", "n", "d4"}}
		if !reflect.DeepEqual(briefs(got), want) {
			t.Errorf("got %+v\nwant %+v", briefs(got), want)
		}
		if in[0].Rows != 3 || in[0].Skipped != 1 || !reflect.DeepEqual(in[0].Notes, []string{"1 rows of other VPDs skipped (--vpd 504)"}) {
			t.Errorf("input %+v", in[0])
		}
	})
	t.Run("--vpd for a file without a VPD column, --map, extra columns, dates", func(t *testing.T) {
		data := "Post No,Position Name,TPN,Comments,Effective From Date,Effective To Date,Notes\n" +
			"1,n,d,c1,02-MAR-2012,soon,x1\n" +
			"2,n,d,c2,,31/12/2019,x2\n"
		got, in, err := loadAll(t, Options{VPD: "123", Map: map[string]string{"position_number": "post no"}}, writeTemp(t, "p.csv", data))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("got %d positions", len(got))
		}
		if !reflect.DeepEqual(in[0].ExtraColumns, []string{"Comments", "Notes"}) {
			t.Errorf("extra columns %q", in[0].ExtraColumns)
		}
		p, q := got[0], got[1]
		if p.VPD != "123" || p.Number != "1" || !reflect.DeepEqual(p.Extra, []string{"c1", "x1"}) {
			t.Errorf("first %+v", p)
		}
		if !p.EffectiveFrom.Equal(time.Date(2012, 3, 2, 0, 0, 0, 0, time.UTC)) || !p.EffectiveTo.IsZero() ||
			!reflect.DeepEqual(p.DateIssues, []model.DateIssue{{Column: "Effective To Date", Value: "soon"}}) {
			t.Errorf("first dates %v %v %+v", p.EffectiveFrom, p.EffectiveTo, p.DateIssues)
		}
		if !q.EffectiveFrom.IsZero() || !q.EffectiveTo.Equal(time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC)) || q.DateIssues != nil {
			t.Errorf("second dates %v %v %+v", q.EffectiveFrom, q.EffectiveTo, q.DateIssues)
		}
	})
	t.Run("files in order, one input each", func(t *testing.T) {
		a := writeTemp(t, "a.csv", hdr4+"\n504,1,n,d\n")
		b := writeTemp(t, "b.csv", hdr4+"\n505,1,n,d\n505,2,n,d\n")
		_, in, err := loadAll(t, Options{}, a, b)
		if err != nil {
			t.Fatal(err)
		}
		if len(in) != 2 || in[0].Path != a || in[0].Rows != 1 || in[1].Path != b || in[1].Rows != 2 {
			t.Errorf("inputs %+v", in)
		}
	})
}

// chunkData is a CSV whose record i (0-based) is on row i+2 and, when it
// loads, has position number i. It has quoted line breaks, escaped quotes,
// CRLF and LF, blank lines, empty records and Windows-1252 bytes.
func chunkData(n int) string {
	var b strings.Builder
	b.WriteString("VPD,Position Number,Position Name,DPN,Notes\r\n")
	for i := range n {
		switch {
		case i%17 == 5:
			b.WriteString("\r\n")
		case i%23 == 9:
			b.WriteString(",,,,\n")
		case i%7 == 0:
			fmt.Fprintf(&b, "504,%d,\"%d|Reg\n|x|\",\"KSS/A/%d/\r\n\",\"say \"\"hi\"\"\"\r\n", i, i, i)
		case i%11 == 0:
			fmt.Fprintf(&b, "505,%d,caf\xe9,KSS/B/%d/1,\"a,b\"\n", i, i)
		default:
			fmt.Fprintf(&b, "504,%d,%d|Reg|x|y,KSS/A/%d/1,\n", i, i, i)
		}
	}
	return b.String()
}

func TestChunkBoundaries(t *testing.T) {
	defer func(c int) { chunkSize = c }(chunkSize)
	const n = 400
	path := writeTemp(t, "p.csv", chunkData(n))
	chunkSize = 1 << 20
	ref, refIn, err := loadAll(t, Options{Workers: 1}, path)
	if err != nil {
		t.Fatal(err)
	}
	// Hand check of the reference: rows and values follow chunkData's rules.
	loaded := 0
	for i := range n {
		if i%17 == 5 || i%23 == 9 {
			continue
		}
		p := ref[loaded]
		loaded++
		if p.Row != i+2 || p.Number != fmt.Sprint(i) {
			t.Fatalf("record %d: row %d number %q", i, p.Row, p.Number)
		}
		switch {
		case i%7 == 0:
			if p.Name != fmt.Sprintf("%d|Reg\n|x|", i) || p.DPN != fmt.Sprintf("KSS/A/%d/\r\n", i) || p.Extra[0] != `say "hi"` {
				t.Fatalf("record %d: %+v", i, p)
			}
		case i%11 == 0:
			if p.Name != "café" || p.VPD != "505" || p.Extra[0] != "a,b" {
				t.Fatalf("record %d: %+v", i, p)
			}
		}
	}
	if loaded != len(ref) || refIn[0].Rows != loaded {
		t.Fatalf("loaded %d, reference has %d, input %+v", loaded, len(ref), refIn[0])
	}
	for _, size := range []int{1, 7, 16, 64, 333, 4096} {
		for _, workers := range []int{1, 3} {
			chunkSize = size
			got, in, err := loadAll(t, Options{Workers: workers}, path)
			if err != nil {
				t.Fatalf("chunk %d workers %d: %v", size, workers, err)
			}
			if !reflect.DeepEqual(got, ref) || !reflect.DeepEqual(in, refIn) {
				t.Errorf("chunk %d workers %d: result differs from the one-chunk result", size, workers)
			}
		}
	}
}

func TestFirstErrorInFileOrderWins(t *testing.T) {
	defer func(c int) { chunkSize = c }(chunkSize)
	chunkSize = 64
	var b strings.Builder
	b.WriteString(hdr4 + "\n")
	for i := range 300 {
		switch i {
		case 120, 250: // rows 122 and 252
			b.WriteString("504,short\n")
		default:
			fmt.Fprintf(&b, "504,%d,n,d\n", i)
		}
	}
	path := writeTemp(t, "p.csv", b.String())
	for range 5 {
		_, _, err := loadAll(t, Options{Workers: 4}, path)
		if want := path + ":122: expected 4 fields as in the header (row 1), found 2"; err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %s", err, want)
		}
	}
}

func TestConcurrentSink(t *testing.T) {
	defer func(c int) { chunkSize = c }(chunkSize)
	chunkSize = 256
	const n = 5000
	var b strings.Builder
	b.WriteString(hdr4 + "\n")
	for i := range n {
		fmt.Fprintf(&b, "504,%d,\"%d|a\n|b|\",KSS/A/%d/1\n", i, i, i)
	}
	path := writeTemp(t, "p.csv", b.String())
	var (
		mu      sync.Mutex
		seen    = map[string]int{}
		calls   int
		biggest int
	)
	in, err := Positions(context.Background(), []string{path}, Options{Workers: 4}, func(batch []model.Position) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		biggest = max(biggest, len(batch))
		for _, p := range batch {
			seen[strings.Clone(p.Number)] = p.Row
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if in[0].Rows != n || len(seen) != n {
		t.Fatalf("rows %d, distinct %d, want %d", in[0].Rows, len(seen), n)
	}
	for i := range n {
		if r := seen[fmt.Sprint(i)]; r != i+2 {
			t.Fatalf("position %d on row %d, want %d", i, r, i+2)
		}
	}
	if calls < 2 || biggest > sinkBatch {
		t.Errorf("%d sink calls, biggest batch %d", calls, biggest)
	}
}

func TestCancel(t *testing.T) {
	defer func(c int) { chunkSize = c }(chunkSize)
	chunkSize = 128
	var b strings.Builder
	b.WriteString(hdr4 + "\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "504,%d,n,d\n", i)
	}
	path := writeTemp(t, "p.csv", b.String())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Positions(ctx, []string{path}, Options{}, func([]model.Position) {}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: err = %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	total := 0
	_, err := Positions(ctx, []string{path}, Options{Workers: 2}, func(batch []model.Position) {
		mu.Lock()
		defer mu.Unlock()
		total += len(batch)
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during: err = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if total >= 20000 {
		t.Errorf("read all %d positions despite cancellation", total)
	}
}
