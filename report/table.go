package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"dpnkit/checks"
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
	t := tablewriter.NewTable(w, tablewriter.WithRowAlignment(tw.AlignRight), tablewriter.WithHeaderAutoFormat(tw.Off))
	t.Header("VPD", "Positions", "Active", "With DPN", "Duplicate DPNs", "DPN issues", "Name issues", "Warnings", "Verdict")
	row := func(label string, s *checks.Stats) []string {
		v := "READY"
		if !s.Ready {
			v = "NOT READY"
		}
		return []string{label, strconv.Itoa(s.Positions), strconv.Itoa(s.Active), strconv.Itoa(s.ActiveWithDPN),
			strconv.Itoa(s.DuplicateDPNs), strconv.Itoa(s.DPNIssues), strconv.Itoa(s.PositionNameIssues),
			strconv.Itoa(s.Warnings), v}
	}
	for i := range res.VPDs {
		if err := t.Append(row(visible(res.VPDs[i].VPD), &res.VPDs[i].Stats)); err != nil {
			return err
		}
	}
	if len(res.VPDs) != 1 {
		t.Footer(row("Total", &res.Totals))
	}
	return t.Render()
}

// verdictLine is "Verdict: READY for go-live" or "Verdict: NOT READY for
// go-live", naming the VPDs not ready in a run of several.
func verdictLine(res *checks.Result) string {
	var notReady []string
	for i := range res.VPDs {
		if !res.VPDs[i].Ready {
			notReady = append(notReady, visible(res.VPDs[i].VPD))
		}
	}
	ready := res.Totals.Ready && len(notReady) == 0
	line := "Verdict: " + verdict(ready)
	if len(res.VPDs) > 1 && len(notReady) > 0 {
		line += fmt.Sprintf(" (%d of %d VPDs not ready: %s)", len(notReady), len(res.VPDs), strings.Join(notReady, ", "))
	}
	return line
}

func findingsTable(w io.Writer, res *checks.Result, top int) error {
	all := res.Findings()
	n := len(all)
	if top >= 0 && top < n {
		n = top
	}
	if n > 0 {
		t := tablewriter.NewTable(w,
			tablewriter.WithHeaderAutoFormat(tw.Off),
			tablewriter.WithRowAutoWrap(tw.WrapNormal),
			tablewriter.WithRowMaxWidth(48),
		)
		t.Header("Rule", "Severity", "VPD", "File:Row", "Position", "Value", "Message")
		for _, f := range all[:n] {
			loc := f.File + ":" + strconv.Itoa(f.Row)
			if err := t.Append([]string{f.Rule, f.Severity.String(), visible(f.VPD), visible(loc),
				visible(f.PositionNumber), visibleValue(f.Value), visible(f.Message)}); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	var err error
	switch {
	case len(all) == 0:
		_, err = fmt.Fprintln(w, "No findings.")
	case n < len(all):
		_, err = fmt.Fprintf(w, "Showing %d of %d findings; use --format csv or --format json for all of them.\n", n, len(all))
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
