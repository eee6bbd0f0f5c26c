package report

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// wantNumberCell fails unless sheet!cell is a number cell (no type, or
// type n) whose value is want.
func wantNumberCell(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil || got != want {
		t.Errorf("%s!%s = %q (%v), want %q", sheet, cell, got, err, want)
	}
	typ, err := f.GetCellType(sheet, cell)
	if err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
		t.Errorf("%s!%s type = %v (%v), want a number cell", sheet, cell, typ, err)
	}
}

// longMessage is a finding message longer than any column is wide, with
// words a test can find whole in a PDF of the workbook.
const longMessage = "DPN \"KSS/RJZ01\\u00a0030/STR/003\" has a non-breaking space; it passes the format rules " +
	"but will not match the TIS National Post Number exactly. Remove the spaces from the Deanery Post " +
	"Number on position 10000004, then export again: lookups against ESR fail until then. ENDOFMESSAGE"

// readableLong is longMessage as a workbook shows it.
const readableLong = "DPN \"KSS/RJZ01[non-breaking space]030/STR/003\" has a non-breaking space; it passes the format rules " +
	"but will not match the TIS National Post Number exactly. Remove the spaces from the Deanery Post " +
	"Number on position 10000004, then export again: lookups against ESR fail until then. ENDOFMESSAGE"

// printResult is singleResult with a long message quoting a non-breaking
// space, a position number with a leading zero and one organisation on
// every position.
func printResult() *checks.Result {
	res := singleResult()
	v := &res.VPDs[0]
	v.Findings = append(v.Findings, checks.Finding{Rule: checks.RuleDPNWhitespace, Severity: checks.Warning, VPD: "504",
		File: "in/positions.csv", Row: 5, Column: "Deanery Post Number", PositionNumber: "10000004",
		Value: "KSS/RJZ01\u00a0030/STR/003", Message: longMessage})
	v.Positions[2].Number = "0010003"
	v.Findings[1].PositionNumber = "0010003"
	for i := range v.Positions {
		v.Positions[i].Organisation = "Northtown Hospitals NHS Trust "
	}
	return res
}

// printException is reconcileResult with a long issue on its first
// placement.
func printException() *reconcile.Result {
	res := reconcileResult()
	res.Placements[0].Issue = readableLong
	return res
}

type sampleBook struct {
	name string
	data []byte
}

// sampleWorkbooks writes every workbook the package writes.
func sampleWorkbooks(t *testing.T) []sampleBook {
	t.Helper()
	res := printResult()
	writers := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"dpn.xlsx", func(b *bytes.Buffer) error { return DPNWorkbook(b, res, &res.VPDs[0], testMeta()) }},
		{"changes.xlsx", func(b *bytes.Buffer) error {
			c := comparedResult()
			return DPNWorkbook(b, c, &c.VPDs[0], testMeta())
		}},
		{"exception.xlsx", func(b *bytes.Buffer) error { return ExceptionWorkbook(b, printException(), testMeta()) }},
		{"national.xlsx", func(b *bytes.Buffer) error { return NationalWorkbook(b, nationalResult(), testMeta()) }},
		{"run.xlsx", func(b *bytes.Buffer) error { return RunSummaryWorkbook(b, runResult(), runMeta()) }},
		{"medrot.xlsx", func(b *bytes.Buffer) error { return MEDROTWorkbook(b, "999", medrotRows(), runMeta()) }},
		{"notify.xlsx", func(b *bytes.Buffer) error { return NotificationsWorkbook(b, notices999(), runMeta()) }},
	}
	var out []sampleBook
	for _, w := range writers {
		var buf bytes.Buffer
		if err := w.write(&buf); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		out = append(out, sampleBook{w.name, buf.Bytes()})
	}
	return out
}

func openBytes(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// noPrintTitles are the tabs with no header row to repeat: the
// notifications' tabs of notices, one after another, and the run's
// details.
var noPrintTitles = map[string]bool{TabRunDetails: true, TabApplicantNotification: true, TabWithdrawn: true,
	TabDateChanges: true, TabNewPosts: true, TabNewStarters: true}

// TestWorkbookPageSetup: every tab of every workbook prints landscape, one
// page wide, with a footer of file name, date and page x of y, and its
// header rows (the frozen ones) repeated on every page.
func TestWorkbookPageSetup(t *testing.T) {
	for _, b := range sampleWorkbooks(t) {
		f := openBytes(t, b.data)
		titles := map[string]string{}
		for _, dn := range f.GetDefinedName() {
			if dn.Name == printTitlesName {
				titles[dn.Scope] = dn.RefersTo
			}
		}
		for _, tab := range f.GetSheetList() {
			where := b.name + " " + tab
			pl, err := f.GetPageLayout(tab)
			if err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" {
				t.Errorf("%s: orientation %v (%v), want landscape", where, pl.Orientation, err)
			}
			if pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
				t.Errorf("%s: fit to %v wide, %v tall; want 1 wide, 0 (any) tall", where, pl.FitToWidth, pl.FitToHeight)
			}
			props, err := f.GetSheetProps(tab)
			if err != nil || props.FitToPage == nil || !*props.FitToPage {
				t.Errorf("%s: fit to page not set (%v)", where, err)
			}
			hf, err := f.GetHeaderFooter(tab)
			if err != nil || hf == nil || hf.OddFooter != "&L&F&C&D&RPage &P of &N" {
				t.Errorf("%s: footer %+v (%v), want file name, date and page x of y", where, hf, err)
			}
			if noPrintTitles[tab] {
				continue
			}
			panes, _ := f.GetPanes(tab)
			if !panes.Freeze || panes.YSplit < 1 {
				t.Errorf("%s: no frozen header", where)
				continue
			}
			want := fmt.Sprintf("'%s'!$1:$%d", tab, panes.YSplit)
			if got := titles[tab]; got != want {
				t.Errorf("%s: print titles %q, want %q", where, got, want)
			}
		}
	}
}

// TestWorkbookNoEmptyColumns: on a tab with data rows, every column has a
// value in some row (the HEE view's columns excepted: their layout is
// HEE's).
func TestWorkbookNoEmptyColumns(t *testing.T) {
	for _, b := range sampleWorkbooks(t) {
		if b.name == "notify.xlsx" || b.name == "medrot.xlsx" {
			continue // seed layouts, not tables with one header row
		}
		f := openBytes(t, b.data)
		for _, tab := range f.GetSheetList() {
			if tab == TabSummary || tab == TabRunDetails {
				continue // a summary of labels and values
			}
			rows, err := f.GetRows(tab)
			if err != nil || len(rows) < 2 {
				continue
			}
			first := 0
			if tab == TabPlacementCheck {
				first = heeViewColumns
			}
			for c := first; c < len(rows[0]); c++ {
				used := false
				for _, r := range rows[1:] {
					if c < len(r) && r[c] != "" {
						used = true
					}
				}
				if !used {
					t.Errorf("%s %s: column %q is empty in every row", b.name, tab, rows[0][c])
				}
			}
		}
	}
	// Hand-checked: the DPN fixture's positions have no Effective To but
	// one (position 2), and Host/Lead on every one: with both cleared the
	// All DPN Positions tab has neither column.
	res := printResult()
	for i := range res.VPDs[0].Positions {
		res.VPDs[0].Positions[i].HostLead = ""
		res.VPDs[0].Positions[i].EffectiveTo = model.Position{}.EffectiveTo
	}
	f := openDPN(t, res, 0)
	rows, _ := f.GetRows(TabAllPositions)
	if slices.Contains(rows[0], "Host/Lead Employer Status") || slices.Contains(rows[0], "Effective To") ||
		!slices.Contains(rows[0], "Effective From") {
		t.Errorf("All DPN Positions header = %q, want no Host/Lead or Effective To, Effective From kept", rows[0])
	}
}

// colOf is the column letter of header name in tab's first row.
func colOf(t *testing.T, f *excelize.File, tab, name string) string {
	t.Helper()
	rows, err := f.GetRows(tab)
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: no rows (%v)", tab, err)
	}
	i := slices.Index(rows[0], name)
	if i < 0 {
		t.Fatalf("%s: no column %q in %q", tab, name, rows[0])
	}
	col, _ := excelize.ColumnNumberToName(i + 1)
	return col
}

// wantWrapped fails unless column name of tab is wrapWidth wide and its
// cell on row is wrapped.
func wantWrapped(t *testing.T, f *excelize.File, tab, name string, row int) {
	t.Helper()
	col := colOf(t, f, tab, name)
	if w, _ := f.GetColWidth(tab, col); w != wrapWidth {
		t.Errorf("%s %s width = %v, want %d", tab, name, w, wrapWidth)
	}
	cell := fmt.Sprintf("%s%d", col, row)
	id, _ := f.GetCellStyle(tab, cell)
	st, err := f.GetStyle(id)
	if err != nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("%s!%s (%s) is not wrapped", tab, cell, name)
	}
}

// TestWorkbookWrapAndReadable: long text columns wrap; a message quoting
// a non-breaking space names it, and the exact value stays in its cell.
func TestWorkbookWrapAndReadable(t *testing.T) {
	f := openDPN(t, printResult(), 0)
	// The long finding is a warning: after the 8 errors, the first warning
	// is dpn.lowercase (row 10), then whitespace (11), then the long one (12).
	msg := colOf(t, f, TabFindings, "Message")
	if got := cellValue(t, f, TabFindings, msg+"12"); got != readableLong {
		t.Errorf("Findings!%s12 = %q, want %q", msg, got, readableLong)
	}
	if got := cellValue(t, f, TabFindings, colOf(t, f, TabFindings, "Value")+"12"); got != "KSS/RJZ01\u00a0030/STR/003" {
		t.Errorf("Findings value = %q, want the exact DPN", got)
	}
	wantWrapped(t, f, TabFindings, "Message", 12)
	// Wrapped a word at a time at 48 characters the message is 7 lines:
	// `DPN "KSS/RJZ01[non-breaking space]030/STR/003"` (47), "has a ...
	// format" (46), "rules ... Post" (46), "Number ... the" (42), "Deanery
	// ... then" (46), "export ... until" (44), "then. ENDOFMESSAGE".
	if ht, _ := f.GetRowHeight(TabFindings, 12); ht != 7*lineHeight {
		t.Errorf("Findings row 12 height = %v, want 7 lines of the message at %d characters", ht, wrapWidth-2)
	}

	// A long bad position name: its column wraps, and the red cell with it.
	res := printResult()
	res.VPDs[0].Positions[4].Name = "ABC|" + strings.Repeat("long position name ", 4)
	f = openDPN(t, res, 0)
	wantWrapped(t, f, TabAllPositions, "Position Name", 6) // position 10000005's row
	if got := fillColour(t, f, TabAllPositions, "C6"); got != colourRed {
		t.Errorf("bad name fill = %q, want red", got)
	}

	e := openException(t, printException())
	wantWrapped(t, e, TabPlacementCheck, "Issue", 2)
	wantWrapped(t, e, TabPlacementCheck, "Did You Mean", 2)
	wantWrapped(t, e, TabFixList, "Why", 2)
}

func TestReadableMessage(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain",
		`DPN "A\u00a0B" has a non-breaking space`:     `DPN "A[non-breaking space]B" has a non-breaking space`,
		`DPN "A\tB" and "C\u200bD"`:                   `DPN "A[tab]B" and "C[zero-width space]D"`,
		`name "O'Brien \"Jr\"" kept`:                  `name "O'Brien "Jr"" kept`,
		"raw\u00a0outside quotes":                     "raw[non-breaking space]outside quotes",
		`unbalanced " quote \u00a0`:                   `unbalanced " quote \u00a0`,
		"smart \u201cquotes\u201d and caf\u00e9 kept": "smart \u201cquotes\u201d and caf\u00e9 kept",
		"bell\x07 and bad\xff byte":                   "bell[U+0007] and bad[byte 0xFF] byte",
	} {
		if got := readableMessage(in); got != want {
			t.Errorf("readableMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNumberCell(t *testing.T) {
	for in, want := range map[string]any{
		"10000001": 10000001, "0": 0, "99999999999": 99999999999,
		"0010003": "0010003", "123456789012": "123456789012", " 1": " 1", "12a": "12a", "-1": "-1", "": nil,
	} {
		if got := numberCell(in).Value; got != want {
			t.Errorf("numberCell(%q) = %#v, want %#v", in, got, want)
		}
	}
}

// TestWorkbookPositionNumbersAndTrust: digits are numbers, a leading zero
// stays text; the trust is named beside its VPD.
func TestWorkbookPositionNumbersAndTrust(t *testing.T) {
	f := openDPN(t, printResult(), 0)
	wantNumberCell(t, f, TabAllPositions, "B2", "10000001")
	wantTextCell(t, f, TabAllPositions, "B4", "0010003")
	wantNumberCell(t, f, TabDuplicates, "B2", "10000002")
	wantTextCell(t, f, TabDuplicates, "B3", "0010003")
	// From the organisation column: every position names the same one.
	if got := cellValue(t, f, TabSummary, "A1"); got != "Deanery Report Summary: VPD 504 Northtown Hospitals NHS Trust" {
		t.Errorf("title = %q", got)
	}
	if got, _ := summaryValue(t, f, "Trust"); got != "Northtown Hospitals NHS Trust" {
		t.Errorf("Trust = %q", got)
	}
	// Two organisations: no name from them; the configuration's wins.
	res := printResult()
	res.VPDs[0].Positions[3].Organisation = "Cardiology"
	f = openDPN(t, res, 0)
	if got := cellValue(t, f, TabSummary, "A1"); got != "Deanery Report Summary: VPD 504" {
		t.Errorf("title with two organisations = %q", got)
	}
	meta := testMeta()
	meta.TrustNames = map[string]string{"504": "Southtown NHS Foundation Trust"}
	var buf bytes.Buffer
	if err := DPNWorkbook(&buf, res, &res.VPDs[0], meta); err != nil {
		t.Fatal(err)
	}
	f = openBytes(t, buf.Bytes())
	if got := cellValue(t, f, TabSummary, "A1"); got != "Deanery Report Summary: VPD 504 Southtown NHS Foundation Trust" {
		t.Errorf("title from TrustNames = %q", got)
	}
	// The national summary names it beside the VPD, and has no Trust
	// column when no trust is named.
	buf.Reset()
	nat := nationalResult()
	if err := NationalWorkbook(&buf, nat, Meta{AsOf: asOf, TrustNames: map[string]string{nat.VPDs[0].VPD: "Named Trust"}}); err != nil {
		t.Fatal(err)
	}
	f = openBytes(t, buf.Bytes())
	rows, _ := f.GetRows(TabSummary)
	found := false
	for _, r := range rows[1:] {
		if r[0] == nat.VPDs[0].VPD {
			found = r[1] == "Named Trust"
		}
	}
	if rows[0][1] != "Trust" || !found {
		t.Errorf("national summary: header %q, want Trust beside VPD %s named", rows[0], nat.VPDs[0].VPD)
	}
	// The exception and run summaries name it beside the VPD group.
	for _, tc := range []struct {
		write func(*bytes.Buffer, Meta) error
		vpd   string
	}{
		{func(b *bytes.Buffer, m Meta) error { return ExceptionWorkbook(b, reconcileResult(), m) }, "504"},
		{func(b *bytes.Buffer, m Meta) error { return RunSummaryWorkbook(b, runResult(), m) }, "888"},
	} {
		buf.Reset()
		if err := tc.write(&buf, Meta{AsOf: asOf, TrustNames: map[string]string{tc.vpd: "Named Trust"}}); err != nil {
			t.Fatal(err)
		}
		rows, _ := openBytes(t, buf.Bytes()).GetRows(TabSummary)
		var groups []string
		for _, r := range rows {
			if len(r) > 1 && r[0] == GroupVPD {
				groups = append(groups, r[1])
			}
		}
		if !slices.Contains(groups, tc.vpd+" Named Trust") {
			t.Errorf("VPD groups = %q, want %q named", groups, tc.vpd)
		}
	}
	buf.Reset()
	if err := NationalWorkbook(&buf, nationalResult(), testMeta()); err != nil {
		t.Fatal(err)
	}
	rows, _ = openBytes(t, buf.Bytes()).GetRows(TabSummary)
	if slices.Contains(rows[0], "Trust") {
		t.Errorf("national summary with no trust named has a Trust column: %q", rows[0])
	}
}

// TestFixList: the fixes of the fixture's three exceptions, worked out by
// hand, and of a hand-made set: an ESR DPN with a non-breaking space (fix
// in ESR), two placements on one post carried by two positions (one fix),
// and an NPN nothing is close to.
func TestFixList(t *testing.T) {
	f := openException(t, reconcileResult())
	rows, err := f.GetRows(TabFixList)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Fix In", "Record", "Position Number", "Placement TIS ID", "VPD", "Field", "Value Now", "Should Be", "Why"},
		{"TIS", "TIS placement", "", "P1001", "504", "National Post Number", "EOE/RGT0O/021/FY1/010", "EOE/RGT00/021/FY1/010"},
		{"ESR", "ESR position", "10000010, 10000011", "P1002", "504", "Deanery Post Number", "EOE/RGT00/030/ST1/001",
			"on one active position only"},
		{"ESR", "ESR position", "10000020", "P1003", "504", "Deanery Post Number", "EOE/RGT00/031/ST2/001",
			"on the post's active position"},
	}
	if len(rows) != len(want) {
		t.Fatalf("Fix List rows = %q, want %d", rows, len(want))
	}
	for i := range want {
		if got := rows[i][:min(len(rows[i]), len(want[i]))]; !slices.Equal(got, want[i]) {
			t.Errorf("Fix List row %d = %q, want %q", i+1, got, want[i])
		}
	}
	if !strings.Contains(rows[1][8], "position 10002345 in VPD 504 carries EOE/RGT00/021/FY1/010 (letter O typed for zero)") {
		t.Errorf("why = %q", rows[1][8])
	}
	wantNumberCell(t, f, TabFixList, "C4", "10000020")

	kept := func(id, npn string) *reconcile.KeptPlacement { return &reconcile.KeptPlacement{ID: id, NPN: npn} }
	many := []reconcile.PositionRef{{VPD: "504", PositionNumber: "1", DPN: "A/B/C/D"}, {VPD: "504", PositionNumber: "2", DPN: "A/B/C/D"}}
	res := &reconcile.Result{Placements: []reconcile.PlacementResult{
		{Placement: kept("P1", "EOE/RGT00/021/FY1/010"), Match: reconcile.MatchNone, Suggestions: []reconcile.Suggestion{
			{DPN: "EOE/RGT00/021/FY1/010\u00a0", PositionNumber: "7", VPD: "504", Kind: reconcile.SuggestSpacing}}},
		{Placement: kept("P2", "A/B/C/D"), Match: reconcile.MatchMany, Positions: many, PositionCount: 2},
		{Placement: kept("P3", "A/B/C/D"), Match: reconcile.MatchMany, Positions: many, PositionCount: 2},
		{Placement: kept("P4", "ZZZ/1/2/3"), Match: reconcile.MatchNone},
		{Placement: kept("P5", "A/B/C/E"), Match: reconcile.MatchYes},
	}}
	got := fixes(res)
	wantFix := []fix{
		{in: "ESR", record: "ESR position", position: "7", placement: "P1", vpd: "504", field: "Deanery Post Number",
			now: "EOE/RGT00/021/FY1/010\u00a0", should: "EOE/RGT00/021/FY1/010"},
		{in: "ESR", record: "ESR position", position: "1, 2", placement: "P2, P3", vpd: "504", field: "Deanery Post Number",
			now: "A/B/C/D", should: "on one active position only"},
		{in: "ESR or TIS", record: "TIS placement", placement: "P4", field: "National Post Number", now: "ZZZ/1/2/3"},
	}
	if len(got) != len(wantFix) {
		t.Fatalf("fixes = %+v, want %d", got, len(wantFix))
	}
	for i := range wantFix {
		g := got[i]
		g.why = ""
		if g != wantFix[i] {
			t.Errorf("fix %d = %+v, want %+v", i+1, g, wantFix[i])
		}
	}
}

// TestWorkbooksRenderInLibreOffice converts each workbook to PDF with
// LibreOffice and checks that the long message prints whole (not cut at
// its column's edge). It needs soffice and pdftotext (poppler-utils):
// skipped without them, except in CI (CI=true), where .ci/run installs
// them and their absence fails.
func TestWorkbooksRenderInLibreOffice(t *testing.T) {
	soffice, err1 := exec.LookPath("soffice")
	pdftotext, err2 := exec.LookPath("pdftotext")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("soffice or pdftotext missing in CI (%v, %v): .ci/run installs libreoffice-calc-nogui and poppler-utils", err1, err2)
		}
		t.Skip("soffice or pdftotext not installed")
	}
	dir := t.TempDir()
	books := sampleWorkbooks(t)
	var files []string
	for _, b := range books {
		p := filepath.Join(dir, b.name)
		if err := os.WriteFile(p, b.data, 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	profile := "file://" + filepath.Join(dir, "profile")
	args := append([]string{"-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf", "--outdir", dir}, files...)
	if out, err := exec.Command(soffice, args...).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	// Words as pdftotext gives them: a line broken after a hyphen joins
	// without a space.
	words := func(s string) string { return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "- ", "-") }
	for _, b := range books {
		pdf := filepath.Join(dir, strings.TrimSuffix(b.name, ".xlsx")+".pdf")
		out, err := exec.Command(pdftotext, "-raw", pdf, "-").Output()
		if err != nil {
			t.Errorf("%s: pdftotext: %v", b.name, err)
			continue
		}
		txt := words(string(out))
		long := []string{readableLong}
		if b.name == "exception.xlsx" {
			long = append(long, "Several active ESR positions carry this DPN: end-date the post or remove the DPN from the "+
				"other position(s); if one trust hosts the post and another is its lead employer, set Host/Lead Employer "+
				"Status on both positions instead.") // the Fix List's Why of P1002
		}
		if b.name == "notify.xlsx" && !strings.Contains(txt, words(starterSentence)) {
			// The notices' longest sentence, wrapped across its tab.
			t.Errorf("%s: the starters' sentence is not whole in the PDF", b.name)
		}
		switch b.name {
		case "dpn.xlsx", "exception.xlsx":
			for _, l := range long[1:] {
				if !strings.Contains(txt, words(l)) {
					t.Errorf("%s: %q is not whole in the PDF", b.name, l)
				}
			}
			if !strings.Contains(txt, words(readableLong)) {
				i := strings.Index(txt, "KSS/RJZ01[non-breaking space]")
				t.Errorf("%s: the long message is not whole in the PDF: %q", b.name, txt[max(i, 0):min(max(i, 0)+400, len(txt))])
			}
		}
		if len(txt) == 0 {
			t.Errorf("%s: empty PDF", b.name)
		}
	}
}

func TestWrappedLines(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width int
		want  int
	}{
		{"", 10, 1},
		{"short", 10, 1},
		{"exactly ten", 11, 1},
		{"aaaa bbbb cccc", 9, 2},             // "aaaa bbbb" (9), "cccc"
		{"aaaa bbbb cccc", 8, 3},             // each word alone
		{"one\ntwo", 50, 2},                  // a line feed starts a line
		{"abcdefghijklmnopqrstuvwxy", 10, 3}, // a long word is cut: 10, 10, 5
		{"ab abcdefghijklmnopqrstuvwxy", 10, 4},
		{"a  b", 3, 1}, // two spaces count as one
	} {
		if got := wrappedLines(tc.s, tc.width); got != tc.want {
			t.Errorf("wrappedLines(%q, %d) = %d, want %d", tc.s, tc.width, got, tc.want)
		}
	}
}
