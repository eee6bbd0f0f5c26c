package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// listedVPDs is how many VPDs not ready the verdict line names.
const listedVPDs = 10

// verdictLine is "Verdict: READY for go-live (why)" or "Verdict: NOT
// READY for go-live (why)", naming the VPDs not ready in a run of several.
// The verdict and the reason are the totals' (checks.Stats.Ready).
func verdictLine(res *checks.Result) string {
	var notReady []string
	n := 0
	for i := range res.VPDs {
		if !res.VPDs[i].Ready {
			if n++; n <= listedVPDs {
				notReady = append(notReady, termCell(res.VPDs[i].VPD, 24))
			}
		}
	}
	line := "Verdict: " + verdict(res.Totals.Ready) + " (" + verdictReason(&res.Totals)
	if len(res.VPDs) > 1 && n > 0 {
		list := strings.Join(notReady, ", ")
		if n > len(notReady) {
			list += fmt.Sprintf(" and %d more", n-len(notReady))
		}
		line += fmt.Sprintf("; %d of %d VPDs not ready: %s", n, len(res.VPDs), list)
	}
	return line + ")"
}

// visibleValue is visible(s), quoted when s has leading or trailing spaces
// (which a table cell would hide).
func visibleValue(s string) string {
	if s != "" && (s[0] == ' ' || s[len(s)-1] == ' ') {
		return `"` + visible(s) + `"`
	}
	return visible(s)
}

// visible makes invisible and non-ASCII characters visible for a terminal:
// a tab becomes \t, a non-breaking space \u00a0, and so on. Printable
// ASCII is left as it is.
func visible(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0x20 && r <= 0x7e:
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}

// Terminal cells are cut so that one long value cannot widen every line of
// a table: a value or label to termWidth characters, a message to
// termTextWidth in all and no word of it longer than termWidth. The full value
// is in the JSON, the CSV and the workbooks.
const (
	termWidth     = 48
	termTextWidth = 600
)

// termCell is visible(s) cut to n characters (n >= 2), the last an ellipsis.
func termCell(s string, n int) string {
	p, cut := prefixRunes(s, n)
	return clipVisible(visible(p), cut, n)
}

// termCellTail is visible(s) cut to its last n characters, the first an
// ellipsis: a file path's end (name and row) says the most.
func termCellTail(s string, n int) string {
	v := []rune(visible(s))
	if len(v) <= n {
		return string(v)
	}
	return "…" + string(v[len(v)-n+1:])
}

// termValue is visibleValue(s) cut to termWidth characters: quoted when s
// has leading or trailing spaces, which a table cell would hide.
func termValue(s string) string {
	if s == "" || (s[0] != ' ' && s[len(s)-1] != ' ') {
		return termCell(s, termWidth)
	}
	return `"` + termCell(s, termWidth-4) + `"`
}

// termText is visible(s) with each word (run of characters without a
// space) cut to termWidth, and the whole cut to termTextWidth characters,
// so that a table can wrap it.
func termText(s string) string {
	var b strings.Builder
	n := 0 // runes written
	for i := 0; i <= len(s) && n < termTextWidth; {
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			j = len(s) - i
		}
		if i > 0 {
			b.WriteByte(' ')
			n++
		}
		w := termCell(s[i:i+j], termWidth)
		b.WriteString(w)
		n += utf8.RuneCountInString(w)
		i += j + 1
	}
	return model.Clip(b.String(), termTextWidth)
}

// prefixRunes is the first n runes of s, and whether s is longer.
func prefixRunes(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	count := 0
	for j := range s {
		if count == n {
			return s[:j], true
		}
		count++
	}
	return s, false
}

// clipVisible cuts v, the visible form of a prefix of a value, to n
// characters, ending with an ellipsis when it or the value was cut.
func clipVisible(v string, cut bool, n int) string {
	if !cut {
		return model.Clip(v, n)
	}
	p, _ := prefixRunes(v, n-1)
	return p + "…"
}
