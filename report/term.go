package report

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"dpnkit/checks"
	"dpnkit/internal/termtable"
)

// Term says how terminal text is laid out.
type Term struct {
	// Top is how many findings are listed, errors first (< 0: all; 0: none).
	Top int
	// Width is the terminal's width; every line fits it (0: no limit, and
	// tables as wide as their cells).
	Width int
	// Color shows NOT READY and errors in red, warnings in yellow.
	Color bool
	// Workbooks are the workbooks written, named where the terminal lists
	// only some of the findings.
	Workbooks []string
}

// oneLineWidth: below it findings are listed one line each, not as a table.
const oneLineWidth = 120

// severityStyle is how a severity (or a cell naming one) is coloured.
func severityStyle(s string) termtable.Style {
	switch s {
	case "error", "NOT READY":
		return termtable.Red
	case "warning":
		return termtable.Yellow
	}
	return termtable.Plain
}

// Terminal writes the terminal summary of a check: the statistics table
// with one row per VPD (and a total when there are several), the verdict,
// the "Since last check" table when VPDs were checked with a history, the
// findings per rule, and the first o.Top findings, errors first, then by
// file and row.
func Terminal(w io.Writer, res *checks.Result, meta Meta, o Term) error {
	if res == nil {
		return fmt.Errorf("table report: no result to write")
	}
	if err := terminal(w, res, meta, o); err != nil {
		return fmt.Errorf("write table report: %w", err)
	}
	return nil
}

func terminal(w io.Writer, res *checks.Result, meta Meta, o Term) error {
	if _, err := fmt.Fprintf(w, "DPN check as of %s (%s)\n", meta.AsOf.Format("02/01/2006"), meta.toolVersion()); err != nil {
		return err
	}
	if err := statsTable(w, res, o); err != nil {
		return err
	}
	if err := writeProse(w, verdictLine(res), o); err != nil {
		return err
	}
	if err := changesTable(w, res, o); err != nil {
		return err
	}
	lists := make([][]checks.Finding, len(res.VPDs))
	for i := range res.VPDs {
		lists[i] = res.VPDs[i].Findings
	}
	if err := ruleSummary(w, lists, o); err != nil {
		return err
	}
	return findingsList(w, res, o)
}

// writeProse writes s wrapped at spaces to o.Width, lines after the first
// indented, "NOT READY" never split and in red on a colour terminal.
func writeProse(w io.Writer, s string, o Term) error {
	s = strings.ReplaceAll(s, "NOT READY", termtable.Glue("NOT READY"))
	for _, l := range termtable.WrapIndent(s, o.Width, "  ") {
		if o.Color {
			l = strings.ReplaceAll(l, "NOT READY", termtable.Paint("NOT READY", termtable.Red))
		}
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

func statsTable(w io.Writer, res *checks.Result, o Term) error {
	t := termtable.New(w, termtable.Numbers, "VPD", "Positions", "Active", "With DPN", "Duplicate DPNs", "DPN issues",
		"Name issues", "Errors", "Warnings", "Verdict").Fit(o.Width).Shrink(0).Transpose()
	t.Color(o.Color, func(col int, cell string) termtable.Style {
		if col == 9 || col == 1 && (cell == "READY" || cell == "NOT READY") {
			return severityStyle(cell)
		}
		return termtable.Plain
	})
	row := func(label string, s *checks.Stats) []string {
		return []string{label, strconv.Itoa(s.Positions), strconv.Itoa(s.Active), strconv.Itoa(s.ActiveWithDPN),
			strconv.Itoa(s.DuplicateDPNs), strconv.Itoa(s.DPNIssues), strconv.Itoa(s.PositionNameIssues),
			strconv.Itoa(s.Errors), strconv.Itoa(s.Warnings), verdictWord(s.Ready)}
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

func verdictWord(ready bool) string {
	if ready {
		return "READY"
	}
	return "NOT READY"
}

// ruleCount is one line of the findings per rule.
type ruleCount struct {
	rule     string
	severity checks.Severity
	n        int
	example  *checks.Finding
}

// ruleSummary writes the findings per rule (as ruff --statistics): rule,
// severity, count and one example, errors first, then the most frequent.
func ruleSummary(w io.Writer, lists [][]checks.Finding, o Term) error {
	byRule := map[string]*ruleCount{}
	for _, fs := range lists {
		for j := range fs {
			rc := byRule[fs[j].Rule]
			if rc == nil {
				rc = &ruleCount{rule: fs[j].Rule, severity: fs[j].Severity, example: &fs[j]}
				byRule[fs[j].Rule] = rc
			}
			rc.n++
		}
	}
	if len(byRule) == 0 {
		return nil
	}
	counts := make([]*ruleCount, 0, len(byRule))
	for _, rc := range byRule {
		counts = append(counts, rc)
	}
	slices.SortFunc(counts, func(a, b *ruleCount) int {
		return cmp.Or(cmp.Compare(b.severity, a.severity), cmp.Compare(b.n, a.n), cmp.Compare(a.rule, b.rule))
	})
	if _, err := fmt.Fprintln(w, "Findings by rule:"); err != nil {
		return err
	}
	t := termtable.New(w, termtable.Text, "Rule", "Severity", "Count", "Example").Fit(o.Width).Shrink(3).Right(2)
	t.Color(o.Color, func(col int, cell string) termtable.Style {
		if col == 1 {
			return severityStyle(cell)
		}
		return termtable.Plain
	})
	for _, rc := range counts {
		if err := t.Append(rc.rule, rc.severity.String(), strconv.Itoa(rc.n), example(rc.example)); err != nil {
			return err
		}
	}
	return t.Render()
}

// example is a finding in a few words: its value, else its message.
func example(f *checks.Finding) string {
	if f.Value != "" {
		return termValue(f.Value)
	}
	return termCell(f.Message, termWidth)
}

// findingsList writes the first o.Top findings, errors first, then by file
// and row: a table on a wide terminal, one line each on a narrow one. With
// a history, findings new since the VPD's last check are marked NEW.
func findingsList(w io.Writer, res *checks.Result, o Term) error {
	total := 0
	for i := range res.VPDs {
		total += len(res.VPDs[i].Findings)
	}
	list := topFindings(res, o.Top)
	isNew := newFindings(res)
	if len(list) > 0 {
		var err error
		if o.Width > 0 && o.Width < oneLineWidth {
			err = findingLines(w, list, isNew, o)
		} else {
			err = findingsTable(w, list, isNew, o)
		}
		if err != nil {
			return err
		}
	}
	if total == 0 {
		_, err := fmt.Fprintln(w, "No findings.")
		return err
	}
	if len(list) < total {
		return writeProse(w, fmt.Sprintf("Showing %d of %d findings, errors first; %s", len(list), total, allFindingsAt(o.Workbooks)), o)
	}
	return nil
}

// allFindingsAt says where every finding is: the workbooks written, else
// how to get them.
func allFindingsAt(workbooks []string) string {
	switch len(workbooks) {
	case 0:
		return "--top 0 lists them all, --format csv or --format json gives them to a program, and 'dpnkit report --out DIR' writes them to a workbook."
	case 1:
		return "every one is on the Findings tab of " + visible(workbooks[0]) + "."
	}
	return "every one is on the Findings tab of its VPD's workbook in " + visible(filepath.Dir(workbooks[0])) + "."
}

func findingsTable(w io.Writer, list []*checks.Finding, isNew func(*checks.Finding) bool, o Term) error {
	header := []string{"Rule", "Severity", "VPD", "File:Row", "Position", "Value", "Message"}
	marked := isNew != nil
	if marked {
		header = append([]string{"New"}, header...)
	}
	t := termtable.New(w, termtable.Wrapped, header...).Fit(o.Width).Shrink(len(header) - 1)
	t.Color(o.Color, func(col int, cell string) termtable.Style {
		if header[col] == "Severity" {
			return severityStyle(cell)
		}
		return termtable.Plain
	})
	for _, f := range list {
		cells := []string{f.Rule, f.Severity.String(), termCell(f.VPD, termWidth),
			termCellTail(f.File+":"+strconv.Itoa(f.Row), termWidth), termCell(f.PositionNumber, termWidth),
			termValue(f.Value), termText(f.Message)}
		if marked {
			cells = append([]string{newMark(isNew(f))}, cells...)
		}
		if err := t.Append(cells...); err != nil {
			return err
		}
	}
	return t.Render()
}

func newMark(isNew bool) string {
	if isNew {
		return "NEW"
	}
	return ""
}

// findingLines writes one line per finding, cut to the width:
//
//	error   dpn.parts  positions.csv:96  DPN has 3 parts; it needs at le…
func findingLines(w io.Writer, list []*checks.Finding, isNew func(*checks.Finding) bool, o Term) error {
	ruleW, locW := 0, 0
	loc := func(f *checks.Finding) string {
		return termCellTail(filepath.Base(f.File)+":"+strconv.Itoa(f.Row), 32)
	}
	for _, f := range list {
		ruleW, locW = max(ruleW, len(f.Rule)), max(locW, termtable.Len(loc(f)))
	}
	for _, f := range list {
		sev := f.Severity.String()
		l := loc(f)
		head := fmt.Sprintf("%-7s  %-*s  %s%s  ", sev, ruleW, f.Rule, l, strings.Repeat(" ", locW-termtable.Len(l)))
		if isNew != nil {
			head = fmt.Sprintf("%-3s  ", newMark(isNew(f))) + head
		}
		line := termtable.Cut(head+termText(f.Message), o.Width)
		if o.Color {
			line = strings.Replace(line, sev, termtable.Paint(sev, severityStyle(sev)), 1)
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}

// newFindings tells the findings new since their VPD's last recorded check;
// nil when no VPD was compared with one.
func newFindings(res *checks.Result) func(*checks.Finding) bool {
	keys := map[string]map[checks.FindingKey]bool{}
	for i := range res.VPDs {
		c := res.VPDs[i].Changes
		if !c.Compared() {
			continue
		}
		m := make(map[checks.FindingKey]bool, len(c.New))
		for j := range c.New {
			m[checks.KeyOf(&c.New[j])] = true
		}
		keys[res.VPDs[i].VPD] = m
	}
	if len(keys) == 0 {
		return nil
	}
	return func(f *checks.Finding) bool { return keys[f.VPD][checks.KeyOf(f)] }
}

// compareFindings orders findings errors first, then by file and row.
func compareFindings(a, b *checks.Finding) int {
	return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.File, b.File), cmp.Compare(a.Row, b.Row))
}

// topFindings is the first n findings of res in compareFindings order (n <
// 0: all), equal ones in the order of res. It keeps at most n at a time, so
// a national check's million findings are not sorted to print twenty.
func topFindings(res *checks.Result, n int) []*checks.Finding {
	if n == 0 {
		return nil
	}
	var out []*checks.Finding
	for i := range res.VPDs {
		fs := res.VPDs[i].Findings
		for j := range fs {
			f := &fs[j]
			if n < 0 {
				out = append(out, f)
				continue
			}
			if len(out) == n && compareFindings(f, out[n-1]) >= 0 {
				continue
			}
			at, _ := slices.BinarySearchFunc(out, f, func(e, t *checks.Finding) int {
				if compareFindings(e, t) <= 0 {
					return -1 // after every equal one: the input's order kept
				}
				return 1
			})
			out = slices.Insert(out, at, f)
			if len(out) > n {
				out = out[:n]
			}
		}
	}
	if n < 0 {
		slices.SortStableFunc(out, compareFindings)
	}
	return out
}
