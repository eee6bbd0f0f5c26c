package xlsx

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds XML element nesting. A worksheet needs about 7 levels
// (worksheet/sheetData/row/c/is/r/t); the bound stops a nesting bomb from
// growing the decoder's stack without limit.
const maxDepth = 128

var (
	errOverBudget = errors.New("uncompressed size over limit")
	errTokenBig   = errors.New("xml token over limit")
	errTooLong    = errors.New("text over limit")
)

// budget is the cumulative decompressed byte count shared by every part a
// Reader opens. Declared sizes in zip headers are never trusted: the bytes
// are counted as they come out of the decompressor.
type budget struct {
	used, max int64
	over      bool
}

type countingReader struct {
	r io.Reader
	b *budget
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.b.over {
		return 0, errOverBudget
	}
	n, err := c.r.Read(p)
	c.b.used += int64(n)
	if c.b.used > c.b.max {
		c.b.over = true
		return n, errOverBudget
	}
	return n, err
}

// tokenGuard hands bytes to the xml.Decoder one at a time (the decoder uses
// io.ByteReader when it can) and fails once a single token has taken more
// than max bytes, so one giant text or attribute cannot exhaust memory.
type tokenGuard struct {
	br     *bufio.Reader
	n, max int
	tooBig bool
}

func (g *tokenGuard) ReadByte() (byte, error) {
	g.n++
	if g.tooBig || g.n > g.max { // once tripped, stays tripped
		g.tooBig = true
		return 0, errTokenBig
	}
	return g.br.ReadByte()
}

// Read is only here to satisfy io.Reader; xml.Decoder uses ReadByte.
func (g *tokenGuard) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b, err := g.ReadByte()
	if err != nil {
		return 0, err
	}
	p[0] = b
	return 1, nil
}

// stream walks one XML part of the workbook token by token.
type stream struct {
	where string // error prefix: `book.xlsx: sheet "Data"` or `book.xlsx: xl/styles.xml`
	rc    io.ReadCloser
	dec   *xml.Decoder
	guard *tokenGuard
	b     *budget
	open  []xml.Name // elements not yet closed
}

func openStream(f *zip.File, where string, b *budget, maxToken int) (*stream, error) {
	// archive/zip never returns more than an entry declares (it fails
	// instead), so an entry that declares more than the budget has left is
	// refused before a byte of it is inflated.
	if f.UncompressedSize64 > uint64(max(b.max-b.used, 0)) {
		b.over = true
		return nil, fmt.Errorf("%s: uncompressed data exceeds the MaxUncompressed limit of %d bytes (zip bomb?): the entry declares %d bytes", where, b.max, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: open zip entry: %w", where, err)
	}
	g := &tokenGuard{br: bufio.NewReaderSize(&countingReader{r: rc, b: b}, 32<<10), max: maxToken}
	return &stream{where: where, rc: rc, dec: xml.NewDecoder(g), guard: g, b: b}, nil
}

// next returns the next token, io.EOF at a clean end of the part, or an
// error that names the part and the limit or fault. When the token guard
// cuts a text token short, the decoder may still return the part it has;
// the guard stays tripped, so the very next call fails.
func (s *stream) next() (xml.Token, error) {
	s.guard.n = 0
	tok, err := s.dec.RawToken() // no namespace translation: names are matched by local part
	if err == io.EOF && len(s.open) > 0 {
		err = fmt.Errorf("%w: <%s> not closed (truncated?)", io.ErrUnexpectedEOF, s.open[len(s.open)-1].Local)
	}
	if err != nil || s.b.over {
		return nil, s.fail(err)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if len(s.open) == maxDepth {
			return nil, fmt.Errorf("%s: xml nested deeper than %d elements", s.where, maxDepth)
		}
		s.open = append(s.open, t.Name)
	case xml.EndElement:
		if len(s.open) == 0 || s.open[len(s.open)-1] != t.Name {
			return nil, fmt.Errorf("%s: malformed xml: unexpected </%s>", s.where, t.Name.Local)
		}
		s.open = s.open[:len(s.open)-1]
	}
	return tok, nil
}

func (s *stream) fail(err error) error {
	var syn *xml.SyntaxError
	switch {
	case s.b.over:
		return fmt.Errorf("%s: uncompressed data exceeds the MaxUncompressed limit of %d bytes (zip bomb?)", s.where, s.b.max)
	case s.guard.tooBig:
		return fmt.Errorf("%s: an xml token exceeds %d bytes (MaxCellBytes allows no more)", s.where, s.guard.max)
	case err == io.EOF:
		return io.EOF
	case errors.As(err, &syn):
		return fmt.Errorf("%s: malformed xml: %w", s.where, err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: malformed xml: %w", s.where, err)
	}
	return fmt.Errorf("%s: corrupt zip entry: %w", s.where, err)
}

// skip consumes tokens up to the end of the element just started.
func (s *stream) skip() error {
	for d := 1; d > 0; {
		tok, err := s.next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			d++
		case xml.EndElement:
			d--
		}
	}
	return nil
}

// text returns the character data of the element just started, up to its
// end, skipping any child elements. Over limit bytes -> errTooLong.
func (s *stream) text(limit int) (string, error) {
	var b []byte
	for {
		tok, err := s.next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(b)+len(t) > limit {
				return "", errTooLong
			}
			b = append(b, t...)
		case xml.StartElement:
			if err := s.skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			return string(b), nil
		}
	}
}

// rich returns the text of a string item (<si> or <is>) just started: its
// <t>, or the <t> of each <r> run concatenated. Phonetic runs (<rPh>) and
// run properties are skipped. Text is never trimmed, with or without
// xml:space="preserve", so stray white space always reaches the checks.
func (s *stream) rich(limit int) (string, error) {
	var sb strings.Builder
	runs := 0
	for {
		tok, err := s.next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				txt, err := s.text(limit - sb.Len())
				if err != nil {
					return "", err
				}
				sb.WriteString(txt)
			case "r":
				runs++
			default:
				if err := s.skip(); err != nil {
					return "", err
				}
			}
		case xml.EndElement:
			if runs == 0 {
				return sb.String(), nil
			}
			runs--
		}
	}
}

// attr returns the attribute with the given local name (any prefix: the
// workbook's r:id is "id"), ignoring namespace declarations such as xmlns:r.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// unescape decodes Excel's _xHHHH_ escapes (how it stores control
// characters such as tab: _x0009_). "_x005F_" is a literal underscore, so
// "_x005F_x0009_" stays the text "_x0009_". A UTF-16 surrogate pair written
// as two escapes becomes one rune; a lone surrogate becomes U+FFFD.
func unescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, ok := escapeAt(s, i)
		if !ok {
			b.WriteByte(s[i])
			i++
			continue
		}
		i += 7
		if utf16.IsSurrogate(r) {
			if r2, ok := escapeAt(s, i); ok {
				if c := utf16.DecodeRune(r, r2); c != utf8.RuneError {
					r = c
					i += 7
				}
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func escapeAt(s string, i int) (rune, bool) {
	if i+7 > len(s) || s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
	return rune(v), err == nil
}
