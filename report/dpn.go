package report

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// Tab names of the DPN report workbook, in order.
const (
	TabSummary      = "Summary"
	TabDuplicates   = "Duplicate DPN"
	TabAllPositions = "All DPN Positions"
	TabCrossVPD     = "Cross-VPD DPNs"
)

// The statistics labels, exactly as the seed's DPN report and checks.md.
const (
	LabelWithDPN    = "No. of ESR Records with Deanery Records"
	LabelDuplicates = "No. of Deanery Records linked to multiple Positions"
	LabelDPNIssues  = "No. of data quality issues with DPN"
	LabelNameIssues = "No. of data quality issues with Position Name"
	// LabelErrors counts the findings of severity error: each blocks go-live.
	LabelErrors = "Errors (each blocks go-live)"
)

// Verdict texts.
const (
	VerdictReady    = "READY for go-live"
	VerdictNotReady = "NOT READY for go-live"
)

func verdict(ready bool) string {
	if ready {
		return VerdictReady
	}
	return VerdictNotReady
}

// The seed's generic wording, tidied.
const (
	backgroundText = "As ESR position data is transferred to the Deanery/Local Office system (e.g. Intrepid/TIS) " +
		"as part of the Streamlined Deanery Interface, problems may occur with the interface process where a trust " +
		"has the same DPN on more than one active ESR position. The duplicate posts confuse the Deanery/Local Office " +
		"system and may generate multiple applications for the same DPN within a single file.\n\n" +
		"Additionally, the DPN and/or Position Name may contain invalid characters (such as tabs or linefeeds). " +
		"These data quality issues can result in the record not transferring correctly."
	issueText = "This report lists the posts within your workstructures that have duplicate DPNs and/or data " +
		"quality issues; they must be resolved before go-live on the Streamlined Deanery Interface. Duplicates " +
		"are itemised on the 'Duplicate DPN' tab, and data quality issues are highlighted in red on the " +
		"'All DPN Positions' tab. The 'Findings' tab lists every finding with its severity: each finding of severity " +
		"error blocks go-live (an unreadable date too, since the position may or may not be active); warnings and " +
		"info do not block go-live but may cause trouble."
)

var adviceNotes = []string{
	"1. To resolve a duplicate DPN, end-date the post or remove the DPN from the appropriate position, " +
		"so that there is a 1:1 mapping between DPN and ESR position and the interface is not impacted by the duplicate posts.",
	"2. To resolve a data quality issue, check the record against the rules below and correct it in the Deanery/Local Office system.",
	"For more information, please contact your ESR Deanery Programme Lead.",
	"",
	"A DPN must adhere to the following rules:",
	"a. Must contain a minimum of 4 parts separated by /",
	"b. The first part must contain exactly 3 characters (the deanery prefix, e.g. MER)",
	"c. Must contain only readable ASCII text: no control characters, tabs, linefeeds, non-breaking spaces or smart quotes (brackets, commas etc. are allowed)",
	"d. Each part must contain a value (e.g. MER//123/123 is not allowed, nor is a trailing /)",
	"",
	"A Position Name must adhere to the following rules:",
	"a. Must contain exactly 4 parts separated by |",
	"b. The first part must be numeric",
	"c. The remaining parts must either be empty or contain only readable ASCII text",
}

// DPNWorkbook writes the DPN report workbook of one VPD (reports.md §1):
// tabs Summary, Duplicate DPN, All DPN Positions and Findings, and Changes
// when v was compared with its previous recorded check (v.Changes).
func DPNWorkbook(w io.Writer, res *checks.Result, v *checks.VPDResult, meta Meta) error {
	if res == nil || v == nil {
		return fmt.Errorf("dpn workbook: no result to write")
	}
	f, st, err := newWorkbook(TabSummary, meta, "DPN Report "+vpdTitle(v.VPD, trustName(meta, v)))
	if err != nil {
		return fmt.Errorf("dpn workbook for VPD %s: %w", v.VPD, err)
	}
	if err := buildDPN(f, st, res, v, meta); err != nil {
		_ = f.Close()
		return fmt.Errorf("dpn workbook for VPD %s: %w", v.VPD, err)
	}
	if err := finish(f, w); err != nil {
		return fmt.Errorf("dpn workbook for VPD %s: %w", v.VPD, err)
	}
	return nil
}

func buildDPN(f *excelize.File, st *styles, res *checks.Result, v *checks.VPDResult, meta Meta) error {
	grids := []*grid{duplicatesGrid(v), positionsGrid(res, v, st), findingsGrid(v.Findings)}
	if v.Changes.Compared() {
		grids = append(grids, changesGrid(v))
	}
	grids = withAccepted(grids, v.AcceptedFindings, v.ExpiredFindings)
	var splits []string
	for _, g := range grids {
		if names := g.tabNames(); len(names) > 1 {
			splits = append(splits, fmt.Sprintf("'%s' has %d rows, more than one Excel tab holds: it continues on tabs %s.",
				g.name, g.len(), strings.Join(names, ", ")))
		}
	}
	if err := writeDPNSummary(f, st, res, v, meta, splits); err != nil {
		return fmt.Errorf("write tab %s: %w", TabSummary, err)
	}
	for _, g := range grids {
		if _, err := g.write(&excelBook{f, st}, st); err != nil {
			return err
		}
	}
	return nil
}

// vpdInputs are the inputs that fed v: those named by its positions or
// findings, or every input when none is named.
func vpdInputs(res *checks.Result, v *checks.VPDResult) []model.Input {
	used := map[string]bool{}
	for i := range v.Positions {
		used[v.Positions[i].File] = true
	}
	for _, f := range v.Findings {
		used[f.File] = true
	}
	var out []model.Input
	for _, in := range res.Inputs {
		if used[in.Path] {
			out = append(out, in)
		}
	}
	if len(out) == 0 {
		out = res.Inputs
	}
	return out
}

func describeInput(in model.Input) string {
	var b strings.Builder
	b.WriteString(filepath.Base(in.Path))
	b.WriteString(" (")
	b.WriteString(string(in.Format))
	if in.Encoding != "" {
		b.WriteString(", " + in.Encoding)
	}
	if in.Sheet != "" {
		b.WriteString(", sheet " + in.Sheet)
	}
	fmt.Fprintf(&b, ", %d rows", in.Rows)
	if in.Repaired > 0 {
		fmt.Fprintf(&b, ", %d repaired", in.Repaired)
	}
	if in.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", in.Skipped)
	}
	b.WriteString(")")
	for _, n := range in.Notes {
		b.WriteString("; " + n)
	}
	return b.String()
}

// sheetWriter writes the Summary tab row by row.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

func (s *sheetWriter) cell(col int) string {
	name, _ := excelize.CoordinatesToCellName(col, s.row)
	return name
}

// put writes values from column A on the current row; strings stay text.
func (s *sheetWriter) put(style int, vals ...any) {
	for i, v := range vals {
		if s.err != nil {
			return
		}
		c := s.cell(i + 1)
		switch v := v.(type) {
		case string:
			s.err = s.f.SetCellStr(s.sheet, c, v)
		case nil:
		default:
			s.err = s.f.SetCellValue(s.sheet, c, v)
		}
		if style != 0 && s.err == nil && v != nil {
			s.err = s.f.SetCellStyle(s.sheet, c, c, style)
		}
	}
}

func (s *sheetWriter) style(col, style int) {
	if s.err == nil {
		c := s.cell(col)
		s.err = s.f.SetCellStyle(s.sheet, c, c, style)
	}
}

// paragraph writes wrapped text merged over columns A:D.
func (s *sheetWriter) paragraph(st *styles, txt string, width float64) {
	s.put(st.wrap, txt)
	if s.err != nil {
		return
	}
	end := s.cell(4)
	s.err = s.f.MergeCell(s.sheet, s.cell(1), end)
	lines := wrappedLines(txt, int(width))
	if s.err == nil {
		s.err = s.f.SetRowHeight(s.sheet, s.row, float64(lines)*15+2)
	}
}

func (s *sheetWriter) next(n int) { s.row += n }

// wide writes txt in column col of the current row of the DPN Summary,
// merged to column D and wrapped, the row tall enough for it: a long value
// beside a label prints whole instead of running off the page.
func (s *sheetWriter) wide(st *styles, col int, txt string) {
	if s.err != nil {
		return
	}
	c := s.cell(col)
	if s.err = s.f.SetCellStr(s.sheet, c, txt); s.err != nil {
		return
	}
	if s.err = s.f.SetCellStyle(s.sheet, c, c, st.wrap); s.err != nil {
		return
	}
	width := 0.0
	for i := col; i <= len(summaryWidths); i++ {
		width += summaryWidths[i-1]
	}
	if col < len(summaryWidths) {
		s.err = s.f.MergeCell(s.sheet, c, s.cell(len(summaryWidths)))
	}
	if lines := wrappedLines(txt, int(width)); lines > 1 && s.err == nil {
		s.err = s.f.SetRowHeight(s.sheet, s.row, float64(lines*lineHeight))
	}
}

// summary column widths: A labels, B values, C severity, D description.
var summaryWidths = []float64{55, 32, 10, 70} // B: the verdict, 14-point bold

// writeDPNSummary writes the Summary tab: the verdict and the run's details,
// the background, the statistics, the findings by rule (with a chart
// beside the statistics) and the advice notes.
func writeDPNSummary(f *excelize.File, st *styles, res *checks.Result, v *checks.VPDResult, meta Meta, splits []string) error {
	s := &sheetWriter{f: f, sheet: TabSummary, row: 1}
	paraWidth, err := setSummaryWidths(f)
	if err != nil {
		return err
	}
	writeDPNVerdict(s, st, res, v, meta)
	writeSummaryText(s, st, paraWidth)
	statsRow := s.row + 1
	writeDPNStatistics(s, st, v, splits)
	writeSinceLastCheck(s, st, v.Changes)
	writeConfigSummary(s, st, res, v) // report/accepted.go
	first, lastRule := writeRuleCounts(s, st, v)
	writeAdviceNotes(s, st)
	if s.err != nil {
		return s.err
	}
	// Freeze the title and verdict so they stay in view.
	if err := f.SetPanes(TabSummary, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := pageSetupExcelize(f, TabSummary, 3); err != nil {
		return err
	}
	if lastRule >= first {
		return addRuleChart(f, "C"+strconv.Itoa(statsRow), first, lastRule)
	}
	return nil
}

// setSummaryWidths sets the Summary tab's column widths and returns the
// width a paragraph spanning them may take.
func setSummaryWidths(f *excelize.File) (float64, error) {
	for i, w := range summaryWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(TabSummary, col, col, w); err != nil {
			return 0, err
		}
	}
	return summaryWidths[0] + summaryWidths[1] + summaryWidths[2] + summaryWidths[3], nil
}

// writeDPNVerdict writes the title, the verdict (row 3, the first thing a
// person sees) and the check's details: VPD, input files, as-of date, tool.
func writeDPNVerdict(s *sheetWriter, st *styles, res *checks.Result, v *checks.VPDResult, meta Meta) {
	trust := trustName(meta, v)
	s.put(st.title, "Deanery Report Summary: VPD "+vpdTitle(v.VPD, trust))
	s.next(2)
	s.put(st.bold, "Verdict")
	vs := st.verdictNotReady
	if v.Ready {
		vs = st.verdictReady
	}
	s.put(0, nil, verdict(v.Ready))
	s.style(2, vs)
	s.wide(st, 3, verdictReason(&v.Stats))
	s.next(2)
	s.put(st.bold, "VPD")
	s.put(0, nil, v.VPD)
	s.next(1)
	if trust != "" {
		s.put(st.bold, "Trust")
		s.put(0, nil, trust)
		s.next(1)
	}
	ins := vpdInputs(res, v)
	for i, in := range ins {
		if i == 0 {
			s.put(st.bold, "Input file(s)")
		}
		s.wide(st, 2, describeInput(in))
		s.next(1)
	}
	if len(ins) == 0 {
		s.put(st.bold, "Input file(s)")
		s.put(0, nil, "(none)")
		s.next(1)
	}
	writeInputColumns(s, st, ins) // report/inputs.go
	s.put(st.bold, "As-of date")
	s.put(0, nil, excelDate(meta.AsOf))
	s.style(2, st.date)
	s.next(1)
	s.put(st.bold, "Produced by")
	s.put(0, nil, meta.toolVersion())
	s.next(2)
}

// writeSummaryText writes the Background and Issue paragraphs.
func writeSummaryText(s *sheetWriter, st *styles, paraWidth float64) {
	s.put(st.heading, "Background")
	s.next(1)
	s.paragraph(st, backgroundText, paraWidth)
	s.next(2)
	s.put(st.heading, "Issue")
	s.next(1)
	s.paragraph(st, issueText, paraWidth)
	s.next(2)
}

// writeDPNStatistics writes the Statistics block: one count a row, then a
// note for each split input.
func writeDPNStatistics(s *sheetWriter, st *styles, v *checks.VPDResult, splits []string) {
	s.put(st.heading, "Statistics")
	s.next(1)
	for _, kv := range []struct {
		label string
		n     int
	}{
		{LabelWithDPN, v.ActiveWithDPN},
		{LabelDuplicates, v.DuplicateDPNs},
		{LabelDPNIssues, v.DPNIssues},
		{LabelNameIssues, v.PositionNameIssues},
		{"Positions read", v.Stats.Positions},
		{"Active positions", v.Active},
		{"Positions in duplicate groups", v.PositionsInDuplicates},
		{LabelErrors, v.Errors},
		{"Warnings", v.Warnings},
		{"Info", v.Infos},
		{"Unreadable dates", v.InputErrors},
	} {
		s.put(0, kv.label, kv.n)
		s.next(1)
	}
	for _, note := range splits {
		s.put(st.bold, "Note")
		s.wide(st, 2, note)
		s.next(1)
	}
	s.next(1)
}

// writeRuleCounts writes the Findings by rule table and returns its first
// and last data rows (last < first when no rule has findings).
func writeRuleCounts(s *sheetWriter, st *styles, v *checks.VPDResult) (first, last int) {
	s.put(st.heading, "Findings by rule")
	s.next(1)
	s.put(st.bold, "Rule", "Count", "Severity", "What it means")
	s.next(1)
	counts := ruleCounts(&v.Stats, v.Findings)
	first = s.row
	for _, r := range checks.Catalogue {
		if n := counts[r.ID]; n > 0 {
			s.put(0, r.ID, n, r.Severity.String())
			s.wide(st, 4, r.Description)
			s.next(1)
		}
	}
	for _, id := range unknownRules(counts) {
		s.put(0, id, counts[id])
		s.next(1)
	}
	last = s.row - 1
	if last < first {
		s.put(0, "(no findings)")
		s.next(1)
	}
	s.next(1)
	return first, last
}

// writeAdviceNotes writes the Advice Notes, one line a row.
func writeAdviceNotes(s *sheetWriter, st *styles) {
	s.put(st.heading, "Advice Notes")
	s.next(1)
	for _, n := range adviceNotes {
		if n != "" {
			s.put(0, n)
		}
		s.next(1)
	}
}

// addRuleChart puts a small bar chart of findings by rule at anchor, beside
// the statistics (columns C-D there are empty: it never covers a number).
func addRuleChart(f *excelize.File, anchor string, first, last int) error {
	ref := func(col string, r int) string { return "$" + col + "$" + strconv.Itoa(r) }
	return f.AddChart(TabSummary, anchor, &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       "Findings",
			Categories: "'" + TabSummary + "'!" + ref("A", first) + ":" + ref("A", last),
			Values:     "'" + TabSummary + "'!" + ref("B", first) + ":" + ref("B", last),
		}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Findings by rule"}}},
		Legend: excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{
			Width:  520,
			Height: 200,
		},
	})
}

// ruleCounts counts findings per rule: the checks' ByRule when present,
// else counted from the findings.
func ruleCounts(s *checks.Stats, findings []checks.Finding) map[string]int {
	if len(s.ByRule) > 0 {
		return s.ByRule
	}
	m := map[string]int{}
	for _, f := range findings {
		m[f.Rule]++
	}
	return m
}

// unknownRules lists, sorted, the rule ids of counts missing from the catalogue.
func unknownRules(counts map[string]int) []string {
	known := map[string]bool{}
	for _, r := range checks.Catalogue {
		known[r.ID] = true
	}
	var out []string
	for id, n := range counts {
		if !known[id] && n > 0 {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

var duplicateHeader = []string{"VPD", "Position Number", "Position Name", "DPN", "Managing Deanery Body",
	"Effective From", "Effective To", "Duplicate Group", "Positions In Group"}

func duplicatesGrid(v *checks.VPDResult) *grid {
	// Every member of every group, generated row by row: a group of
	// 200,000 positions is never held as cells.
	type member struct{ group, pos int }
	var members []member
	for gi, d := range v.Duplicates {
		for _, pi := range d.Positions {
			if pi >= 0 && pi < len(v.Positions) {
				members = append(members, member{gi, pi})
			}
		}
	}
	row := make([]excelize.Cell, len(duplicateHeader))
	return &grid{name: TabDuplicates, header: duplicateHeader, count: len(members), rowAt: func(i int) []excelize.Cell {
		m := members[i]
		p := &v.Positions[m.pos]
		row[0], row[1], row[2], row[3], row[4] = text(p.VPD), numberCell(p.Number), text(p.Name), text(p.DPN), text(p.ManagingBody)
		row[5], row[6] = excelize.Cell{Value: p.EffectiveFrom}, excelize.Cell{Value: p.EffectiveTo}
		row[7], row[8] = excelize.Cell{Value: m.group + 1}, excelize.Cell{Value: len(v.Duplicates[m.group].Positions)}
		return row
	}}
}

var positionsHeader = []string{"VPD", "Position Number", "Position Name", "DPN", "Managing Deanery Body",
	"Host/Lead Employer Status", "Effective From", "Effective To", "DPN Issues", "Position Name Issues", "Other Findings"}

func positionsGrid(res *checks.Result, v *checks.VPDResult, st *styles) *grid {
	// Extra columns: the union over the positions' files, in first-seen order.
	inputs := map[string]*model.Input{}
	for i := range res.Inputs {
		if _, ok := inputs[res.Inputs[i].Path]; !ok {
			inputs[res.Inputs[i].Path] = &res.Inputs[i]
		}
	}
	extraCol := map[string]int{}
	var extras []string
	fileCols := map[string][]int{} // file -> union column of each of its extras
	for i := range v.Positions {
		file := v.Positions[i].File
		if _, done := fileCols[file]; done {
			continue
		}
		var cols []int
		if in := inputs[file]; in != nil {
			for _, name := range in.ExtraColumns {
				c, ok := extraCol[name]
				if !ok {
					c = len(extras)
					extraCol[name] = c
					extras = append(extras, name)
				}
				cols = append(cols, c)
			}
		}
		fileCols[file] = cols
	}
	g := &grid{name: TabAllPositions, header: append(slices.Clip(positionsHeader), extras...), count: len(v.Positions)}
	issues := issueIndex(v)
	row := make([]excelize.Cell, len(g.header))
	g.rowAt = func(i int) []excelize.Cell {
		p := &v.Positions[i]
		iss := issues.of(i)
		clear(row)
		row[0] = text(p.VPD)
		row[1] = numberCell(p.Number)
		row[2] = text(p.Name)
		row[3] = text(p.DPN)
		if iss.nameBad {
			row[2].StyleID = st.red
		}
		if iss.dpnBad {
			row[3].StyleID = st.red
		}
		row[4] = text(p.ManagingBody)
		row[5] = text(p.HostLead)
		row[6] = excelize.Cell{Value: p.EffectiveFrom}
		row[7] = excelize.Cell{Value: p.EffectiveTo}
		row[8] = message(iss.dpn)
		row[9] = message(iss.name)
		row[10] = message(iss.warnings)
		cols := fileCols[p.File]
		for j, val := range p.Extra {
			if j < len(cols) {
				row[len(positionsHeader)+cols[j]] = text(val)
			}
		}
		return row
	}
	return g
}

var findingsHeader = []string{"Rule", "Severity", "Blocks Go-Live", "VPD", "Position Number", "Column", "Value",
	"Message", "File", "Row"}

// findingsGrid lists every finding of the VPD with its severity (tab
// Findings, as in the exception workbook): first the findings that block
// go-live (severity error), then warnings, then info, each in the findings'
// order (row, rule). A finding of severity error is never on a tab that
// calls it a warning.
func findingsGrid(findings []checks.Finding) *grid {
	rank := func(s checks.Severity) int {
		switch {
		case checks.BlocksGoLive(s):
			return 0
		case s == checks.Warning:
			return 1
		}
		return 2
	}
	order := make([]int32, 0, len(findings))
	for r := range 3 {
		for i := range findings {
			if rank(findings[i].Severity) == r {
				order = append(order, int32(i))
			}
		}
	}
	row := make([]excelize.Cell, len(findingsHeader))
	return &grid{name: TabFindings, header: findingsHeader, count: len(order), rowAt: func(i int) []excelize.Cell {
		f := &findings[order[i]]
		blocks := "No"
		if checks.BlocksGoLive(f.Severity) {
			blocks = "Yes"
		}
		row[0], row[1], row[2], row[3] = text(f.Rule), text(f.Severity.String()), text(blocks), text(f.VPD)
		row[4], row[5], row[6], row[7] = numberCell(f.PositionNumber), text(f.Column), text(f.Value), message(f.Message)
		row[8], row[9] = text(f.File), excelize.Cell{Value: f.Row}
		return row
	}}
}
