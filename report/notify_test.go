package report

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/exchange"
)

func openNotifications(t *testing.T, n exchange.MSONotices) *excelize.File {
	t.Helper()
	return openRunWorkbook(t, func(b *bytes.Buffer) error { return NotificationsWorkbook(b, n, runMeta()) })
}

func TestNotificationsName(t *testing.T) {
	for _, tc := range []struct{ vpd, want string }{
		{"999", "Notifications_999_20261125.xlsx"},
		{"9 9/9", "Notifications_9_9_9_56131c0b_20261125.xlsx"},
		{"", "Notifications_UNKNOWN_20261125.xlsx"},
		{"a\nb", "Notifications_a_b_28e4c710_20261125.xlsx"},
		{"a/b", "Notifications_a_b_3a8e75c1_20261125.xlsx"},
	} {
		if got := NotificationsName(tc.vpd, runAsOf); got != tc.want {
			t.Errorf("NotificationsName(%q) = %q, want %q", tc.vpd, got, tc.want)
		}
		// The text file is named the same way (it once took the raw VPD).
		if got, want := NotificationsTextName(tc.vpd, runAsOf), strings.TrimSuffix(tc.want, ".xlsx")+".txt"; got != want {
			t.Errorf("NotificationsTextName(%q) = %q, want %q", tc.vpd, got, want)
		}
	}
}

func TestNotificationsWorkbookTabs(t *testing.T) {
	f := openNotifications(t, notices999())
	want := []string{"Deanery Applicant Notification", "Withdrawn", "Date Changes", "New Posts", "New Starters"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("tabs = %q, want %q", got, want)
	}
}

func TestNotificationsWorkbookApplicantTab(t *testing.T) {
	f := openNotifications(t, notices999())
	const tab = "Deanery Applicant Notification"
	for _, tc := range []struct {
		row  int
		want []string
	}{
		{1, []string{"Deanery Applicant Notification"}},
		{2, []string{"Trust ID: 999"}},
		{3, []string{"Date of Notification: 25 Nov 2026"}},
		{4, []string{"This Notification requires user action."}},
		{5, []string{""}},
		{6, []string{"The following applications have failed to load as part of the Deanery Recruitment Interface. " +
			"Please contact the appropriate Deanery Body to have the data resent or to make arrangements to have it entered manually."}},
		{7, []string{"Vacancy Ref Number", "Position Number", "Deanery Number", "Applicant Name", "Message Type", "Message"}},
		{8, []string{"296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", ",Sam", "ERROR",
			"Mandatory item LAST_NAME not supplied. Application rejected."}},
		{9, []string{""}},
		{10, []string{"The following new applications were successfully created by the Deanery Recruitment Interface"}},
		{11, []string{"Vacancy Ref Number", "Position Number", "Deanery Number", "Applicant Name", "Applicant Number",
			"Message Type", "Message"}},
		{12, []string{"296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", "Jones,Ann", "4769163", "WARNING",
			"Value for DISABILITY does not exist in ESR. The value NO will be ignored."}},
		{13, []string{"296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", "Jones,Ann", "4769163", "INFO",
			"Application is from a NEW Applicant"}},
		{14, []string{"296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", `=HYPERLINK("http://evil","x"),Eve`, "4769164", "INFO",
			"Application is from a NEW Applicant"}},
		{15, []string{"", "", ""}},
	} {
		wantRow(t, f, tab, tc.row, tc.want...)
	}
	wantTextCell(t, f, tab, "D14", `=HYPERLINK("http://evil","x"),Eve`)
	wantTextCell(t, f, tab, "B8", "10508064")
	wantTextCell(t, f, tab, "E12", "4769163")
}

func TestNotificationsWorkbookOtherTabs(t *testing.T) {
	f := openNotifications(t, notices999())
	for _, tc := range []struct {
		tab, title, sentenceHas string
		header, row             []string
	}{
		{"Date Changes", "Medical Training - Change to Project Hire/End Date Notification (Obstetrics and Gynaecology)",
			"projected hire/end date amended",
			[]string{"Last Name", "First Name", "GMC Number", "Position Number", "TPN", "TIS Placement ID", "Old Projected Hire Date",
				"New Projected Hire Date", "Old Projected End Date", "New Projected End Date"},
			[]string{"Hunter", "Keith", "7455687", "10000002", "KSS/RXX/001/F1/002", "P8", "03/02/2027", "10/02/2027", "03/08/2027", "03/08/2027"}},
		{"New Posts", "Medical Training - New Training Post Created by LETB (General Practice)", "have been created by LETB",
			[]string{"Training Post Number", "LETB/Deanery", "Site/Location", "TIS Placement ID"},
			[]string{"KSS/RYY/002/ST1/004", "KSS", "Medical Centre", "P9"}},
		{"New Starters", "Deanery - Jnr. Doctor Starter(s) (999)", "hire the applicant as an honorary employee",
			[]string{"Position Number", "TPN", "Last Name", "First Name", "GMC Number", "Applicant Number", "Projected Hire Date", "Hire As"},
			[]string{"32557334", "KSS/RXX/001/F1/003", "Heathcliffe", "Simon", "7123456", "4769160", "28/11/2026", "Honorary"}},
	} {
		wantRow(t, f, tc.tab, 1, tc.title)
		wantRow(t, f, tc.tab, 2, "Trust ID: 999")
		wantRow(t, f, tc.tab, 3, "Date of Notification: 25 Nov 2026")
		if s := runCell(t, f, tc.tab, "A5"); !strings.Contains(s, tc.sentenceHas) {
			t.Errorf("%s!A5 = %q, want it to contain %q", tc.tab, s, tc.sentenceHas)
		}
		wantRow(t, f, tc.tab, 6, tc.header...)
		wantRow(t, f, tc.tab, 7, tc.row...)
		wantRow(t, f, tc.tab, 8, "")
	}
}

// The withdrawn notice as the seed shows it: the title with the specialty
// (none supplied here), the body, then per trainee the trainee's row with
// the Employee Status and the Position Details block.
func TestNotificationsWorkbookWithdrawnTab(t *testing.T) {
	f := openNotifications(t, notices999())
	const tab = "Withdrawn"
	for _, tc := range []struct {
		row  int
		want []string
	}{
		{1, []string{"Medical Training - Applicant(s) Withdrawn (No specialty supplied)"}},
		{2, []string{"Trust ID: 999"}},
		{3, []string{"Date of Notification: 25 Nov 2026"}},
		{4, []string{""}},
		{5, []string{"The following medical and dental trainee(s) have been withdrawn from their placement. " +
			"See details below and take the necessary steps to withdraw their applicant record."}},
		{7, []string{"Withdrawn Medical and Dental Trainee"}},
		{8, []string{"Last Name", "First Name", "GMC supplied by LETB", "Employee/Applicant Number", "Employee Status",
			"Withdrawal Reason", "TIS Placement ID", "Projected Hire Date"}},
		// Starts 03/02/2027, after the as-of date: ESR holds an application.
		{9, []string{"Smith", "Frederick", "7021070", "4769159", "Applicant", "3: Other", "P7", "03/02/2027"}},
		{11, []string{"Position Details"}},
		{12, []string{"ESR Position ID", "888888888", "TPN", "KSS/RXX/001/F1/001"}},
		{13, []string{"Managing LETB", "KSS", "Position Title", "Foundation Doctor - Year 1"}},
		{14, []string{"Occ Code", "004", "Job", "Foundation Doctor - Year 1"}},
		{15, []string{"Head/Lead Status", "Host Employer", "Organisation", "123 MED Foundation Programme"}},
		{16, []string{"Lead Trust", "999", "Location", "General Hospital"}},
		{17, []string{"Position Number", "10000001"}},
		{18, []string{""}},
	} {
		wantRow(t, f, tab, tc.row, tc.want...)
	}
}

// Notices of two specialties get a titled notice each, in one tab; a
// withdrawal whose placement had started is an Employee's, and one ESR
// gave no number says so.
func TestNotificationsSpecialtyNotices(t *testing.T) {
	n := notices999()
	w := n.Withdrawn[0]
	w.Specialty, w.PlacementID, w.ApplicantNumber = "Anaesthetics", "P6", ""
	w.NewStart = rday(2026, 11, 25)
	w.Position = nil
	n.Withdrawn = append(n.Withdrawn, w)
	f := openNotifications(t, n)
	const tab = "Withdrawn"
	wantRow(t, f, tab, 1, "Medical Training - Applicant(s) Withdrawn (No specialty supplied)")
	wantRow(t, f, tab, 17, "Position Number", "10000001")
	wantRow(t, f, tab, 18, "")
	wantRow(t, f, tab, 19, "Medical Training - Applicant(s) Withdrawn (Anaesthetics)")
	wantRow(t, f, tab, 27, "Smith", "Frederick", "7021070", "Number Unavailable", "Employee", "3: Other", "P6", "25/11/2026")
	wantRow(t, f, tab, 30, "ESR Position ID", "", "TPN", "KSS/RXX/001/F1/001")
	wantRow(t, f, tab, 34, "Lead Trust", "999", "Location", "")
	var buf bytes.Buffer
	if err := NotificationsText(&buf, n, runMeta()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	i := strings.Index(out, "\nMedical Training - Applicant(s) Withdrawn (No specialty supplied)\n")
	j := strings.Index(out, "\nMedical Training - Applicant(s) Withdrawn (Anaesthetics)\n")
	if i < 0 || j < i {
		t.Errorf("text notices: want the unnamed specialty's withdrawal notice, then Anaesthetics':\n%s", out)
	}
}

func TestNotificationsWorkbookEmpty(t *testing.T) {
	f := openNotifications(t, exchange.MSONotices{VPD: "999"})
	wantRow(t, f, "Deanery Applicant Notification", 8, "None.")
	wantRow(t, f, "Deanery Applicant Notification", 11, "Vacancy Ref Number")
	wantRow(t, f, "Deanery Applicant Notification", 12, "None.")
	for _, tab := range []string{"Withdrawn", "Date Changes", "New Posts", "New Starters"} {
		wantRow(t, f, tab, 7, "None.")
	}
}

func TestNotificationsWorkbookDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := NotificationsWorkbook(&a, notices999(), runMeta()); err != nil {
		t.Fatal(err)
	}
	if err := NotificationsWorkbook(&b, notices999(), runMeta()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same notices differ")
	}
}

func TestNotificationsText(t *testing.T) {
	var buf bytes.Buffer
	if err := NotificationsText(&buf, notices999(), runMeta()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// The sections in the order an MSO reads them, each line as it must appear.
	wantInOrder := []string{
		"ESR notifications to the Medical Staffing Officer of VPD 999 as of 25/11/2026 (dpnkit 1.2.3)\n",
		"\nDeanery Applicant Notification\n==============================\nTrust ID: 999\nDate of Notification: 25 Nov 2026\n",
		"This Notification requires user action.\n",
		"\nThe following applications have failed to load as part of the Deanery Recruitment Interface.",
		"Vacancy Ref Number  Position Number  Deanery Number         Applicant Name  Message Type  Message\n",
		"296-Vac1            10508064         WAL/1D9PL/527/TYU/987  ,Sam            ERROR         Mandatory item LAST_NAME not supplied. Application rejected.\n",
		"\nThe following new applications were successfully created by the Deanery Recruitment Interface\n",
		"Jones,Ann",
		"4769163",
		"Value for DISABILITY does not exist in ESR. The value NO will be ignored.\n",
		"\nMedical Training - Medical Rotation Notification\n",
		"    DE_999_MEDROT_20261125.xlsx\n",
		"\nMedical Training - Applicant(s) Withdrawn (No specialty supplied)\n",
		"\nWithdrawn Medical and Dental Trainee\n",
		"Smith      Frederick   7021070               4769159                    Applicant        3: Other           P7                03/02/2027\n",
		"\nPosition Details\n\n",
		"ESR Position ID   888888888      TPN             KSS/RXX/001/F1/001\n",
		"Head/Lead Status  Host Employer  Organisation    123 MED Foundation Programme\n",
		"Position Number   10000001\n",
		"\nMedical Training - Change to Project Hire/End Date Notification (Obstetrics and Gynaecology)\n",
		"Hunter     Keith       7455687     10000002",
		"03/02/2027               10/02/2027",
		"\nMedical Training - New Training Post Created by LETB (General Practice)\n",
		"KSS/RYY/002/ST1/004   KSS           Medical Centre  P9\n",
		"\nDeanery - Jnr. Doctor Starter(s) (999)\n",
		"hire the applicant as an honorary employee.",
		"32557334         KSS/RXX/001/F1/003  Heathcliffe  Simon       7123456     4769160           28/11/2026           Honorary\n",
	}
	assertInOrder(t, "text", out, wantInOrder)
}

func TestNotificationsTextEscapes(t *testing.T) {
	n := exchange.MSONotices{VPD: "999", Failed: []exchange.APC{{VacancyRefNumber: "V\t1", ApplicantName: "Line\nBreak,A",
		MessageType: "ERROR", MessageText: lastNameMissing}}}
	var buf bytes.Buffer
	if err := NotificationsText(&buf, n, runMeta()); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, `V\t1`) || !strings.Contains(out, `Line\nBreak,A`) {
		t.Errorf("control characters not escaped:\n%s", out)
	}
}

func TestNotificationsWriteErrors(t *testing.T) {
	for name, write := range map[string]func(io.Writer) error{
		"workbook": func(w io.Writer) error { return NotificationsWorkbook(w, notices999(), runMeta()) },
		"text":     func(w io.Writer) error { return NotificationsText(w, notices999(), runMeta()) },
	} {
		err := write(brokenWriter{})
		if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "999") {
			t.Errorf("%s: error = %v, want one naming the VPD and wrapping the write error", name, err)
		}
	}
}

// notifyLayout lays a tab's sections out as the workbook did before its
// tabs were written straight from the sections: the reference that a
// tab's spec and writeRows must agree with.
func notifyLayout(ss []notifySection) *layout {
	l := &layout{}
	for si, s := range ss {
		if si > 0 {
			l.blank()
		}
		notifyLayoutSection(l, s)
	}
	return l
}

func notifyLayoutSection(l *layout, s notifySection) {
	st := &plainStyles
	l.line(st.title, s.title)
	for _, line := range s.lead {
		l.line(0, line)
	}
	if s.body != "" {
		l.blank()
		l.line(st.bold, s.body)
	}
	for _, t := range s.tables {
		l.blank()
		l.line(st.bold, t.sentence)
		if t.header != nil {
			l.header(st.header, t.header...)
		}
		if len(t.rows) == 0 {
			l.line(0, noneLine)
		}
		for _, r := range t.rows {
			cells := make([]excelize.Cell, len(r))
			for i, v := range r {
				if s, ok := v.(string); ok {
					cells[i] = text(s)
				} else {
					cells[i] = excelize.Cell{Value: v}
				}
			}
			l.row(cells...)
		}
	}
}

// unwrapped is a notices sheet without what wrapping its long texts adds
// (TestNoticeTextsWrap): row heights, the wrapping styles (plain 5, bold
// 16) and the merges of the long sentences.
func unwrapped(sheet []byte) []byte {
	s := regexp.MustCompile(` ht="\d+" customHeight="1"`).ReplaceAllString(string(sheet), "")
	s = strings.ReplaceAll(s, `<c s="16" `, `<c s="2" `)
	s = strings.ReplaceAll(s, `<c s="5" `, `<c `)
	s = regexp.MustCompile(`<mergeCells count="\d+">.*?</mergeCells>`).ReplaceAllString(s, "")
	return []byte(s)
}

// A section's spec (dimension, widths) and its rows, walked separately,
// give the same sheet as the section's layout does, but for wrapping: every
// tab of full and of empty notices, plain and redacted, byte for byte.
func TestNotificationTabsMatchTheirLayout(t *testing.T) {
	sheets := func(raw []byte) map[string][]byte {
		t.Helper()
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "xl/worksheets/") {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Fatal(err)
				}
				out[f.Name] = b
			}
		}
		return out
	}
	for _, n := range []exchange.MSONotices{notices999(), {VPD: "998"}} {
		for _, redact := range []bool{false, true} {
			meta := runMeta()
			meta.Redact = redact
			var got bytes.Buffer
			if err := NotificationsWorkbook(&got, n, meta); err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			b := newPlainBook(&want, meta, "reference")
			for rest := notifySections(&n, meta); len(rest) > 0; {
				k := 1
				for k < len(rest) && rest[k].tab == rest[0].tab {
					k++
				}
				if err := notifyLayout(rest[:k]).write(b, rest[0].tab); err != nil {
					t.Fatal(err)
				}
				rest = rest[k:]
			}
			if err := b.close(); err != nil {
				t.Fatal(err)
			}
			g, w := sheets(got.Bytes()), sheets(want.Bytes())
			if len(g) != 5 || len(g) != len(w) {
				t.Fatalf("VPD %s: %d tabs, reference %d", n.VPD, len(g), len(w))
			}
			for name, wb := range w {
				if !bytes.Equal(unwrapped(g[name]), wb) {
					t.Errorf("VPD %s redact %v: %s differs from its layout's:\n got %s\nwant %s", n.VPD, redact, name, g[name], wb)
				}
			}
		}
	}
}

// TestNoticeTextsWrap: on every tab of the notices workbook, a text wider
// than its column (a long sentence, a long message) is wrapped, in a cell
// merged across the tab when it is a sentence, and its row is made taller
// than one line: printed or on screen, none is cut off. Titles stay one line.
func TestNoticeTextsWrap(t *testing.T) {
	var buf bytes.Buffer
	if err := NotificationsWorkbook(&buf, notices999(), runMeta()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wrapped := 0
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		merges, _ := f.GetMergeCells(sh)
		cols, _ := f.GetCols(sh)
		for r, row := range rows {
			for c, v := range row {
				if r == 0 || v == "" {
					continue // the title
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				room, _ := f.GetColWidth(sh, cell[:len(cell)-len(strconv.Itoa(r+1))])
				if c == 0 && len(slices.DeleteFunc(slices.Clone(row), func(v string) bool { return v == "" })) == 1 {
					// A sentence alone on its row runs on over the empty
					// cells beside it: it has the tab's whole width.
					room = 0
					for col := 1; col <= len(cols); col++ {
						name, _ := excelize.ColumnNumberToName(col)
						w, _ := f.GetColWidth(sh, name)
						room += w
					}
				}
				for _, m := range merges {
					if m.GetStartAxis() == cell {
						room = 0
						for col := 1; ; col++ {
							name, _ := excelize.ColumnNumberToName(col)
							w, _ := f.GetColWidth(sh, name)
							room += w
							if name+strconv.Itoa(r+1) == m.GetEndAxis() {
								break
							}
						}
					}
				}
				if float64(utf8.RuneCountInString(v)) <= room {
					continue
				}
				style, _ := f.GetCellStyle(sh, cell)
				st, _ := f.GetStyle(style)
				height, _ := f.GetRowHeight(sh, r+1)
				if st == nil || st.Alignment == nil || !st.Alignment.WrapText || height < 2*lineHeight {
					t.Errorf("%s %s: %d characters in %.0f wide, not wrapped (row height %.0f): %.60q",
						sh, cell, utf8.RuneCountInString(v), room, height, v)
				}
				wrapped++
			}
		}
	}
	if wrapped == 0 {
		t.Fatal("no long text in the notices: the test checks nothing")
	}
}
