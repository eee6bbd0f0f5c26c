package load

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

// splitRef is splitLine as the slow path reads an unquoted line: the line
// up to its '\n', a trailing '\r' dropped, split at every delimiter.
func splitRef(b []byte, pos int, delim byte, atEnd bool) (fields []string, next int, ok bool) {
	s := string(b[pos:])
	nl := strings.IndexByte(s, '\n')
	line := s
	next = len(b)
	if nl >= 0 {
		line, next = s[:nl], pos+nl+1
	}
	if strings.IndexByte(line, '"') >= 0 || (nl < 0 && !atEnd) {
		return nil, pos, false
	}
	line = strings.TrimSuffix(line, "\r")
	return strings.Split(line, string(delim)), next, true
}

func checkSplit(t *testing.T, b []byte, pos int, delim byte, atEnd bool) {
	t.Helper()
	want, wantNext, wantOK := splitRef(b, pos, delim, atEnd)
	offs, next, ok := splitLine(b, pos, delim, atEnd, nil)
	if ok != wantOK || (ok && next != wantNext) {
		t.Fatalf("splitLine(%q, %d, %q, %v): ok %v next %d, want ok %v next %d", b, pos, delim, atEnd, ok, next, wantOK, wantNext)
	}
	if !ok {
		return
	}
	got := fieldsOf(string(b), offs, nil)
	if !slices.Equal(got, want) {
		t.Fatalf("splitLine(%q, %d, %q, %v): fields %q, want %q", b, pos, delim, atEnd, got, want)
	}
}

func TestSplitLine(t *testing.T) {
	cases := []string{
		"", "\n", "\r\n", "\r", "a", "a,b", "a,b\n", "a,b\r\n", "a,b\rc\n", ",,,\n", "a,\r\n",
		"one,two,three,four,five,six,seven\nnext,line\n", "12345678,12345678,\n", `a,"b",c` + "\n",
		"a,b\"\n", "abcdefghijklmnopqrstuvwxyz,0123456789\r\nrest", "\r\r\n", "x\n\n", "é,ü\n",
	}
	for _, c := range cases {
		for _, d := range []byte{',', '\t', ';', '~'} {
			c := strings.ReplaceAll(c, ",", string(d))
			for pos := 0; pos <= len(c); pos++ {
				if pos > 0 && c[pos-1] != '\n' {
					continue
				}
				if pos == len(c) && pos > 0 {
					continue
				}
				checkSplit(t, []byte(c), pos, d, true)
				checkSplit(t, []byte(c), pos, d, false)
			}
		}
	}
}

func TestReadableDate(t *testing.T) {
	for _, v := range []string{"", "05/01/2023", "31/02/2020", "29/02/2024", "29/02/2023", "00/01/2020", "01/13/2020",
		"2023-01-05", "2023-02-30", "2023-13-01", "2023/01/05", "5/1/2023", "05-JAN-2023", "05/01/23", "45000",
		"0a/01/2023", "05/01/202x", "2023-01-0x", " 05/01/2023", "05/01/2023 ", "0000-01-01", "01/01/0000"} {
		_, want := ParseDateCell(v)
		if got := readableDate(v); got != want {
			t.Errorf("readableDate(%q) = %v, ParseDateCell says %v", v, got, want)
		}
	}
}

func BenchmarkSplitLine(b *testing.B) {
	dir := os.Getenv("BENCHDIR")
	if dir == "" {
		b.Skip("BENCHDIR not set")
	}
	data, err := os.ReadFile(dir + "/positions_national.csv")
	if err != nil {
		b.Skip(err)
	}
	data = data[:32<<20]
	data = data[:strings.LastIndexByte(string(data), '\n')+1]
	b.SetBytes(int64(len(data)))
	var offs []int
	for b.Loop() {
		for pos := 0; pos < len(data); {
			var ok bool
			offs, pos, ok = splitLine(data, pos, ',', true, offs)
			if !ok { // a quoted record: the slow path's
				pos += bytes.IndexByte(data[pos:], 10) + 1
			}
		}
	}
}
