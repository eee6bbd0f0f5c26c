package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/internal/termtable"
)

// Table writes the terminal summary: a statistics table with one row per
// VPD (and a total when there are several), the verdict line, the "Since
// last check" table when VPDs were checked with a history, and the first top
// findings (top < 0: all of them; 0: none).
func Table(w io.Writer, res *checks.Result, meta Meta, top int) error {
	if res == nil {
		return fmt.Errorf("table report: no result to write")
	}
	if _, err := fmt.Fprintf(w, "DPN check as of %s (%s)\n", meta.AsOf.Format("02/01/2006"), meta.toolVersion()); err != nil {
		return fmt.Errorf("write table report: %w", err)
	}
	if err := statsTable(w, res); err != nil {
		return fmt.Errorf("write table report: %w", err)
	}
	if _, err := fmt.Fprintln(w, verdictLine(res)); err != nil {
		return fmt.Errorf("write table report: %w", err)
	}
	if err := changesTable(w, res); err != nil {
		return fmt.Errorf("write table report: %w", err)
	}
	if err := findingsTable(w, res, top); err != nil {
		return fmt.Errorf("write table report: %w", err)
	}
	return nil
}

func statsTable(w io.Writer, res *checks.Result) error {
	t := termtable.New(w, termtable.Numbers, "VPD", "Positions", "Active", "With DPN", "Duplicate DPNs", "DPN issues", "Name issues", "Errors", "Warnings", "Verdict")
	row := func(label string, s *checks.Stats) []string {
		v := "READY"
		if !s.Ready {
			v = "NOT READY"
		}
		return []string{label, strconv.Itoa(s.Positions), strconv.Itoa(s.Active), strconv.Itoa(s.ActiveWithDPN),
			strconv.Itoa(s.DuplicateDPNs), strconv.Itoa(s.DPNIssues), strconv.Itoa(s.PositionNameIssues),
			strconv.Itoa(s.Errors), strconv.Itoa(s.Warnings), v}
	}
	for i := range res.VPDs {
		if err := t.Append(row(termCell(res.VPDs[i].VPD, termWidth), &res.VPDs[i].Stats)...); err != nil {
			return err
		}
	}
	if len(res.VPDs) != 1 {
		t.Footer(row("Total", &res.Totals)...)
	}
	return t.Render()
}

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

func findingsTable(w io.Writer, res *checks.Result, top int) error {
	total := 0
	for i := range res.VPDs {
		total += len(res.VPDs[i].Findings)
	}
	n := total
	if top >= 0 && top < n {
		n = top
	}
	if n > 0 {
		t := termtable.New(w, termtable.Wrapped, "Rule", "Severity", "VPD", "File:Row", "Position", "Value", "Message")
		for _, f := range firstFindings(res, n) {
			loc := f.File + ":" + strconv.Itoa(f.Row)
			if err := t.Append(f.Rule, f.Severity.String(), termCell(f.VPD, termWidth), termCellTail(loc, termWidth),
				termCell(f.PositionNumber, termWidth), termValue(f.Value), termText(f.Message)); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	var err error
	switch {
	case total == 0:
		_, err = fmt.Fprintln(w, "No findings.")
	case n < total:
		_, err = fmt.Fprintf(w, "Showing %d of %d findings; use --format csv or --format json for all of them.\n", n, total)
	}
	return err
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

// firstFindings is the first n findings of res in res.Findings() order.
func firstFindings(res *checks.Result, n int) []checks.Finding {
	out := make([]checks.Finding, 0, n)
	for i := range res.VPDs {
		fs := res.VPDs[i].Findings
		if len(fs) > n-len(out) {
			fs = fs[:n-len(out)]
		}
		out = append(out, fs...)
	}
	return out
}
