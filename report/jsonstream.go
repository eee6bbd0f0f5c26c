package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"dpnkit/checks"
)

// Every JSON document dpnkit writes (check, reconcile, run) goes through
// jsonStream: byte for byte what json.Encoder with SetIndent("", "  ") and
// SetEscapeHTML(false) writes for the whole document, but with the long
// arrays (findings, placements) appended element by element instead of
// built whole in memory. docs/performance.md ("JSON output") has the
// measurement that keeps it: encoding/json indents a document only after
// encoding all of it, about 20 times slower on 200,000 findings, with
// hundreds of MiB held at once.

// writeJSON writes v as one indented JSON document and a newline, as
// jsonStream writes every document.
func writeJSON(w io.Writer, v any) error {
	j := newJSONStream(w)
	j.value("", v)
	j.raw("\n")
	return j.flush()
}

// jsonStream writes a JSON object whose values are encoded one at a time,
// byte for byte as json.Encoder with SetIndent("", "  ") and
// SetEscapeHTML(false) would write the whole object.
type jsonStream struct {
	w       *bufio.Writer
	buf     bytes.Buffer
	scratch []byte                   // rawArray's block of elements
	enc     map[string]*json.Encoder // by line prefix, all writing to buf
	err     error
}

func newJSONStream(w io.Writer) *jsonStream {
	return &jsonStream{w: bufio.NewWriterSize(w, 64<<10), enc: map[string]*json.Encoder{}}
}

func (j *jsonStream) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v as indented JSON whose lines after the first start with prefix.
func (j *jsonStream) value(prefix string, v any) {
	if j.err != nil {
		return
	}
	enc := j.enc[prefix]
	if enc == nil {
		enc = json.NewEncoder(&j.buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent(prefix, "  ")
		j.enc[prefix] = enc
	}
	j.buf.Reset()
	if j.err = enc.Encode(v); j.err != nil {
		return
	}
	_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
}

// field writes one member of the top-level object followed by a comma.
// name is a constant key that needs no escaping.
func (j *jsonStream) field(name string, v any) {
	j.raw(`  "` + name + `": `)
	j.value("  ", v)
	j.raw(",\n")
}

// rawArray writes the member name of the top-level object as an array of n
// elements, no comma following, each appended to a byte slice by at and
// already indented for its place (see appendPlacementJSON) instead of
// encoded by encoding/json: a national run writes ~150,000 placements.
// The elements are formatted and written jsonBlock at a time.
func (j *jsonStream) rawArray(name string, n int, at func(b []byte, i int) []byte) {
	j.raw(`  "` + name + `": [`)
	if n == 0 {
		j.raw("]")
		return
	}
	j.raw("\n")
	for lo := 0; lo < n && j.err == nil; lo += jsonBlock {
		b := j.scratch[:0]
		for i := lo; i < min(lo+jsonBlock, n); i++ {
			b = append(b, "    "...)
			b = at(b, i)
			if i < n-1 {
				b = append(b, ",\n"...)
			} else {
				b = append(b, '\n')
			}
		}
		j.scratch = b
		if j.err == nil {
			_, j.err = j.w.Write(b)
		}
	}
	j.raw("  ]")
}

// jsonBlock is how many array elements rawArray formats before writing
// them.
const jsonBlock = 1024

func (j *jsonStream) flush() error {
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// appendFindingJSON appends one element of the findings array as
// encoding/json would write a checks.Finding at that depth.
func appendFindingJSON(b []byte, f *checks.Finding) []byte {
	b = append(b, "{\n      \"rule\": "...)
	b = appendJSONString(b, f.Rule)
	b = append(b, ",\n      \"severity\": "...)
	b = appendJSONString(b, f.Severity.String())
	b = append(b, ",\n      \"vpd\": "...)
	b = appendJSONString(b, f.VPD)
	b = append(b, ",\n      \"file\": "...)
	b = appendJSONString(b, f.File)
	b = append(b, ",\n      \"row\": "...)
	b = strconv.AppendInt(b, int64(f.Row), 10)
	if f.Column != "" {
		b = append(b, ",\n      \"column\": "...)
		b = appendJSONString(b, f.Column)
	}
	if f.PositionNumber != "" {
		b = append(b, ",\n      \"position_number\": "...)
		b = appendJSONString(b, f.PositionNumber)
	}
	if f.PlacementID != "" {
		b = append(b, ",\n      \"placement_id\": "...)
		b = appendJSONString(b, f.PlacementID)
	}
	b = append(b, ",\n      \"value\": "...)
	b = appendJSONString(b, f.Value)
	b = append(b, ",\n      \"message\": "...)
	b = appendJSONString(b, f.Message)
	return append(b, "\n    }"...)
}

// appendJSONDate appends t as a JSON string, YYYY-MM-DD, or "" when zero.
func appendJSONDate(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, `""`...)
	}
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		b = append(b, '"')
		b = t.AppendFormat(b, "2006-01-02")
		return append(b, '"')
	}
	return append(b, '"', byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+d/10), byte('0'+d%10), '"')
}

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it with SetEscapeHTML(false): quote, backslash and control
// characters escaped (\b \f \n \r \t, else \u00XX), invalid UTF-8 as
// \ufffd, U+2028 and U+2029 escaped, everything else as it is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes a JSON string holds as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()
