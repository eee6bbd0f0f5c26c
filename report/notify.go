package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/exchange"
)

// Tabs of the notifications workbook, in order.
const (
	TabApplicantNotification = "Deanery Applicant Notification"
	TabWithdrawn             = "Withdrawn"
	TabDateChanges           = "Date Changes"
	TabNewPosts              = "New Posts"
	TabNewStarters           = "New Starters"
)

// The seed's wording of ESR's notifications to the MSO.
const (
	failedSentence = "The following applications have failed to load as part of the Deanery Recruitment Interface. " +
		"Please contact the appropriate Deanery Body to have the data resent or to make arrangements to have it entered manually."
	successSentence   = "The following new applications were successfully created by the Deanery Recruitment Interface"
	actionSentence    = "This Notification requires user action."
	withdrawnTitle    = "Medical Training - Applicant(s) Withdrawn"
	withdrawnSentence = "The following medical and dental trainee(s) have been withdrawn from their placement. " +
		"See details below and take the necessary steps to withdraw their applicant record."
	withdrawnTrainee = "Withdrawn Medical and Dental Trainee"
	positionDetails  = "Position Details"
	// dateChangeTitle is ESR's title as the seed shows it, "Project" (sic)
	// included: it is what the MSO sees.
	dateChangeTitle    = "Medical Training - Change to Project Hire/End Date Notification"
	dateChangeSentence = "Below are details of a trainee who has had their projected hire/end date amended in the LETB system. " +
		"Please locate the person record and make the appropriate amendment to the application."
	newPostTitle    = "Medical Training - New Training Post Created by LETB"
	newPostSentence = "The following position(s) have been created by LETB. Please contact the LETB directly to " +
		"establish full details, so that this post can be set up within ESR."
	// noSpecialty is ESR's title suffix for a notification whose post
	// specialty is empty.
	noSpecialty     = "No specialty supplied"
	starterTitle    = "Deanery - Jnr. Doctor Starter(s)"
	starterSentence = "The following medical and dental trainees are due to commence their new placement within the next 5 days. " +
		"You should ensure that the necessary steps have been taken to hire them into their new positions on the hire date. " +
		"Please note: If the trainee already occupies a post within your organisation, please remember to action their " +
		"current employee assignment accordingly. If you are the host trust for the trainee, please ensure that you hire " +
		"the applicant as an honorary employee."
	medrotTitle    = "Medical Training - Medical Rotation Notification"
	medrotSentence = "Below is the latest Medical Rotation grid, as trainees at your Trust are due to rotate to their next " +
		"placement. Check the details and undertake the necessary steps to either appoint them into their new position " +
		"or terminate their employee record. Where the details of the current and or next post holder are blank, this " +
		"may or may not indicate a vacancy against the position: contact your LETB Lead for more information."
	noneLine = "None."
)

// Table headers of the notifications, the seed's columns. The withdrawal,
// date change and starter tables carry the seed's names, GMC number and
// applicant number, and for the rest what the run knows: no position name,
// the TPN and TIS placement instead. A withdrawn applicant's GMC number is
// the one sent (blank for applicants sent before the run history kept it),
// a date change's the one TIS holds now; the position is in a Position
// Details block under each withdrawn trainee, as the seed shows it.
var (
	failedHeader     = []string{"Vacancy Ref Number", "Position Number", "Deanery Number", "Applicant Name", "Message Type", "Message"}
	successHeader    = []string{"Vacancy Ref Number", "Position Number", "Deanery Number", "Applicant Name", "Applicant Number", "Message Type", "Message"}
	withdrawnHeader  = []string{"Last Name", "First Name", "GMC supplied by LETB", "Employee/Applicant Number", "Employee Status", "Withdrawal Reason", "TIS Placement ID", "Projected Hire Date"}
	dateChangeHeader = []string{"Last Name", "First Name", "GMC Number", "Position Number", "TPN", "TIS Placement ID", "Old Projected Hire Date", "New Projected Hire Date", "Old Projected End Date", "New Projected End Date"}
	newPostHeader    = []string{"Training Post Number", "LETB/Deanery", "Site/Location", "TIS Placement ID"}
	starterHeader    = []string{"Position Number", "TPN", "Last Name", "First Name", "GMC Number", "Applicant Number", "Projected Hire Date", "Hire As"}
)

// NotificationsName is the file name of a VPD's notifications workbook:
// "Notifications_<VPD>_<YYYYMMDD>.xlsx" (VPD made safe as in
// DPNWorkbookName).
func NotificationsName(vpd string, asOf time.Time) string {
	return "Notifications_" + safeVPD(vpd) + "_" + asOf.Format("20060102") + ".xlsx"
}

// NotificationsTextName is the file name of the plain-text notifications
// of a VPD: NotificationsName with ".txt" for ".xlsx".
func NotificationsTextName(vpd string, asOf time.Time) string {
	return "Notifications_" + safeVPD(vpd) + "_" + asOf.Format("20060102") + ".txt"
}

// notifyDate is the seed's "Date of Notification": "25 Nov 2026".
func notifyDate(t time.Time) string { return t.Format("02 Jan 2006") }

// withdrawalReason is the reason code in words: "3: Other" (the default).
func withdrawalReason(code string) string {
	switch code {
	case "", "3":
		return "3: Other"
	}
	return code
}

// newPostSite is the site of a new post's placement, when known.
func newPostSite(n *exchange.Notification) string {
	for _, h := range []*exchange.Holder{n.Next, n.Current} {
		if h != nil && h.Site != "" {
			return h.Site
		}
	}
	return ""
}

// hireAs is the New Starters reminder column.
func hireAs(s *exchange.Starter) string {
	if s.HostEmployer {
		return "Honorary"
	}
	return ""
}

// notifySection is one notification an MSO reads: a title, lines, an
// optional body sentence and tables of rows (cells: strings, time.Time
// dates). Workbook and text are written from the same sections; the
// sections of one tab follow each other in it.
type notifySection struct {
	tab, title string
	lead       []string // lines before the first table
	body       string   // a sentence after the lead, "" = none
	tables     []notifyTable
}

// notifyTable is a sentence over a header and rows; a table without a
// header is a block of label and value pairs (Position Details).
type notifyTable struct {
	sentence string
	header   []string
	rows     [][]any
}

// withSpecialty is a title with the specialty of its notifications, as ESR
// shows it: "... (General Practice)", "... (No specialty supplied)".
func withSpecialty(title, specialty string) string {
	if specialty == "" {
		specialty = noSpecialty
	}
	return title + " (" + specialty + ")"
}

// bySpecialty splits notifications into runs of one specialty, the
// specialties sorted (the empty one first), each run in the order given.
func bySpecialty(ns []exchange.Notification) [][]exchange.Notification {
	idx := make([]int, len(ns))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ns[idx[a]].Specialty < ns[idx[b]].Specialty })
	var out [][]exchange.Notification
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && ns[idx[j]].Specialty == ns[idx[i]].Specialty {
			j++
		}
		run := make([]exchange.Notification, 0, j-i)
		for _, x := range idx[i:j] {
			run = append(run, ns[x])
		}
		out = append(out, run)
		i = j
	}
	return out
}

// specialtySections makes a tab's sections, one per specialty of ns (a
// single one, untitled by specialty, when ns is empty), each from build.
func specialtySections(ns []exchange.Notification, tab, title string, lead []string,
	build func(ns []exchange.Notification) notifySection) []notifySection {
	if len(ns) == 0 {
		s := build(nil)
		s.tab, s.title, s.lead = tab, title, lead
		return []notifySection{s}
	}
	var out []notifySection
	for _, run := range bySpecialty(ns) {
		s := build(run)
		s.tab, s.title, s.lead = tab, withSpecialty(title, run[0].Specialty), lead
		out = append(out, s)
	}
	return out
}

// employeeStatus is the withdrawn notice's Employee Status: "Employee"
// when the withdrawn placement had started by the as-of date (the MSO will
// have hired the trainee), "Applicant" when ESR holds their application,
// else "".
func employeeStatus(w *exchange.Notification, asOf time.Time) string {
	switch {
	case !w.NewStart.IsZero() && !w.NewStart.After(asOf):
		return "Employee"
	case w.ApplicantNumber != "":
		return "Applicant"
	}
	return ""
}

// applicantNumberText is the withdrawn notice's Employee/Applicant Number:
// the number, or the seed's "Number Unavailable".
func applicantNumberText(n string) string {
	if n == "" {
		return "Number Unavailable"
	}
	return n
}

// positionDetailRows are the seed's Position Details block of a withdrawn
// trainee, as pairs of a label and a value, with the position number the
// seed's block does not show.
func positionDetailRows(w *exchange.Notification) [][]any {
	var d exchange.PositionDetails
	if w.Position != nil {
		d = *w.Position
	}
	number, vpd := cmp.Or(d.PositionNumber, w.PositionNumber), cmp.Or(d.VPD, w.VPD)
	return [][]any{
		{"ESR Position ID", d.PositionID, "TPN", w.DeaneryNumber},
		{"Managing LETB", w.Deanery, "Position Title", d.Title},
		{"Occ Code", d.OccupationCode, "Job", d.Job},
		{"Head/Lead Status", d.HostLead, "Organisation", d.Organisation},
		{"Lead Trust", vpd, "Location", d.Location},
		{"Position Number", number},
	}
}

// tableRows makes a table's rows of width cells, one per item, filled by
// fill: the cells of all the rows are one allocation (a VPD's successful
// loads are some hundreds of rows, and a run writes each VPD's tables
// twice, as a workbook and as text).
func tableRows[T any](items []T, width int, fill func(dst []any, item *T)) [][]any {
	rows := make([][]any, len(items))
	cells := make([]any, len(items)*width)
	for i := range items {
		rows[i] = cells[i*width : (i+1)*width : (i+1)*width]
		fill(rows[i], &items[i])
	}
	return rows
}

func notifySections(n *exchange.MSONotices, meta Meta) []notifySection {
	pol := meta.policy()
	p, gmc := pol.Name, pol.GMC
	failed := tableRows(n.Failed, 6, func(d []any, a *exchange.APC) {
		copy(d, []any{a.VacancyRefNumber, a.PositionNumber, a.DeaneryNumber, p(a.ApplicantName), a.MessageType, pol.APCMessage(a.MessageText)})
	})
	success := tableRows(n.Successful, 7, func(d []any, a *exchange.APC) {
		copy(d, []any{a.VacancyRefNumber, a.PositionNumber, a.DeaneryNumber, p(a.ApplicantName), a.ApplicantNumber, a.MessageType, pol.APCMessage(a.MessageText)})
	})
	withdrawn := func(ns []exchange.Notification) notifySection {
		if len(ns) == 0 {
			return notifySection{tables: []notifyTable{{sentence: withdrawnSentence, header: withdrawnHeader}}}
		}
		s := notifySection{body: withdrawnSentence}
		for i := range ns {
			w := &ns[i]
			last, first := splitName(w.ApplicantName)
			s.tables = append(s.tables,
				notifyTable{sentence: withdrawnTrainee, header: withdrawnHeader, rows: [][]any{{p(last), p(first), gmc(w.GMC),
					applicantNumberText(w.ApplicantNumber), employeeStatus(w, meta.AsOf), withdrawalReason(w.Reason),
					w.PlacementID, w.NewStart}}},
				notifyTable{sentence: positionDetails, rows: positionDetailRows(w)})
		}
		return s
	}
	changes := func(ns []exchange.Notification) notifySection {
		rows := tableRows(ns, 10, func(d []any, c *exchange.Notification) {
			last, first := splitName(c.ApplicantName)
			copy(d, []any{p(last), p(first), gmc(c.GMC), c.PositionNumber, c.DeaneryNumber, c.PlacementID, c.OldStart, c.NewStart, c.OldEnd, c.NewEnd})
		})
		return notifySection{tables: []notifyTable{{sentence: dateChangeSentence, header: dateChangeHeader, rows: rows}}}
	}
	posts := func(ns []exchange.Notification) notifySection {
		rows := tableRows(ns, 4, func(d []any, np *exchange.Notification) {
			copy(d, []any{np.DeaneryNumber, np.Deanery, newPostSite(np), np.PlacementID})
		})
		return notifySection{tables: []notifyTable{{sentence: newPostSentence, header: newPostHeader, rows: rows}}}
	}
	starters := tableRows(n.Starters, 8, func(d []any, s *exchange.Starter) {
		last, first := splitName(s.ApplicantName)
		copy(d, []any{s.PositionNumber, s.DeaneryNumber, p(last), p(first), gmc(s.GMC), s.ApplicantNumber, s.ProjectedHireDate, hireAs(s)})
	})
	head := []string{"Trust ID: " + n.VPD, "Date of Notification: " + notifyDate(meta.AsOf)}
	out := []notifySection{
		{tab: TabApplicantNotification, title: "Deanery Applicant Notification", lead: append(head[:len(head):len(head)], actionSentence),
			tables: []notifyTable{
				{sentence: failedSentence, header: failedHeader, rows: failed},
				{sentence: successSentence, header: successHeader, rows: success},
			}},
	}
	out = append(out, specialtySections(n.Withdrawn, TabWithdrawn, withdrawnTitle, head, withdrawn)...)
	out = append(out, specialtySections(n.DateChanges, TabDateChanges, dateChangeTitle, head, changes)...)
	out = append(out, specialtySections(n.NewPosts, TabNewPosts, newPostTitle, head, posts)...)
	return append(out, notifySection{tab: TabNewStarters, title: starterTitle + " (" + n.VPD + ")", lead: head,
		tables: []notifyTable{{sentence: starterSentence, header: starterHeader, rows: starters}}})
}

// NotificationsWorkbook writes the ESR notifications a VPD's Medical
// Staffing Officer receives from the run (interface-run.md step 7), one tab
// each:
//   - "Deanery Applicant Notification": the seed's failed-loads table
//     (Vacancy Ref Number, Position Number, Deanery Number, Applicant Name,
//     Message Type, Message) under its sentence, then the successful
//     creations table (with Applicant Number) under its sentence; one row
//     per APC message, in the order given;
//   - "Withdrawn" (Applicant(s) Withdrawn: per trainee the trainee's row,
//     with the Employee Status, and the Position Details block), "Date
//     Changes" (Change to Project Hire/End Date Notification), "New Posts"
//     (New Training Post Created by LETB): one notice per specialty, its
//     title ending "(<specialty>)" or "(No specialty supplied)", one after
//     another in the tab;
//   - "New Starters" (Jnr. Doctor Starter(s), with the reminder to hire a
//     host employer's trainees as Honorary).
//
// Each notice starts with its title, Trust ID (the VPD) and date (the
// as-of date); an empty table shows "None.". Every input value is a
// text cell, dates are date cells. The workbook names trainees by design;
// with meta.Redact names are initials and quoted coded values "***" (see
// Meta).
func NotificationsWorkbook(w io.Writer, n exchange.MSONotices, meta Meta) error {
	b := newPlainBook(w, meta, "ESR notifications "+n.VPD)
	for rest := notifySections(&n, meta); len(rest) > 0; {
		k := 1
		for k < len(rest) && rest[k].tab == rest[0].tab {
			k++
		}
		tab := tabSections(rest[:k])
		rest = rest[k:]
		spec, cols := tab.spec()
		if err := b.tab(tab[0].tab, spec, func(sw *plainRows) error { return tab.writeRows(sw, cols) }); err != nil {
			break // close reports it
		}
	}
	if err := b.close(); err != nil {
		return fmt.Errorf("notifications workbook %s: %w", n.VPD, err)
	}
	return nil
}

// A tab of sections: per section its title, the lead lines, the body (a
// blank row, the sentence in bold) if any, then per table a blank row, the
// sentence in bold, the header (if any) and the rows (or "None."); a blank
// row between sections. Written straight into the sheet (plainRows).
// Widths count the headers and the rows, not the lines.
type tabSections []notifySection

// spec is what the tab's sheet says around its rows, and its columns: a
// sentence wider than the columns together is merged across them (and
// wrapped: writeRows, by the same test).
func (ts tabSections) spec() (sheetSpec, noticeColumns) {
	var spec sheetSpec
	type sentence struct {
		row  int
		text string
	}
	var lines []sentence
	row := 0
	line := func(text string) {
		row++
		spec.lastRow, spec.lastCol = row, max(spec.lastCol, 1)
		lines = append(lines, sentence{row, text})
	}
	title := func() { // a title is never wrapped: a line of its own
		row++
		spec.lastRow, spec.lastCol = row, max(spec.lastCol, 1)
	}
	counted := func(n int, width func(i int) int) {
		row++
		if n == 0 {
			return
		}
		spec.lastRow, spec.lastCol = row, max(spec.lastCol, n)
		for len(spec.widths) < n {
			spec.widths = append(spec.widths, 0)
		}
		for i := range n {
			spec.widths[i] = max(spec.widths[i], width(i))
		}
	}
	for si, s := range ts {
		if si > 0 {
			row++ // blank
		}
		title()
		for _, l := range s.lead {
			line(l)
		}
		if s.body != "" {
			row++ // blank
			line(s.body)
		}
		for _, t := range s.tables {
			row++ // blank
			line(t.sentence)
			if t.header != nil {
				counted(len(t.header), func(i int) int { return stringWidth(t.header[i]) })
			}
			if len(t.rows) == 0 {
				line(noneLine)
			}
			for _, r := range t.rows {
				counted(len(r), func(i int) int { return layoutWidth(r[i]) })
			}
		}
	}
	cols := newNoticeColumns(spec.widths)
	if spec.lastCol > 1 {
		last, _ := excelize.ColumnNumberToName(spec.lastCol)
		for _, l := range lines {
			if cols.wraps(l.text) {
				n := strconv.Itoa(l.row)
				spec.merges = append(spec.merges, [2]string{"A" + n, last + n})
			}
		}
	}
	return spec, cols
}

// noticeColumns is what writing a tab's rows needs of its columns.
type noticeColumns struct {
	widths []int // per column, its width in the sheet (plainColWidth)
	total  int   // the columns' widths together
}

// newNoticeColumns is the columns of a tab whose widest cells are widest
// (sheetSpec.widths).
func newNoticeColumns(widest []int) noticeColumns {
	l := noticeColumns{widths: make([]int, len(widest))}
	for i, w := range widest {
		l.widths[i] = plainColWidth(w)
		l.total += l.widths[i]
	}
	l.total = max(l.total, minColWidth)
	return l
}

// wraps reports whether a sentence is written merged across the tab and
// wrapped (as spec decides): one wider than the tab's columns together.
func (l noticeColumns) wraps(text string) bool { return stringWidth(text) > l.total }

// wrapsCell reports whether v, in column i, is a text wider than its
// column, and if so the column's width.
func (l noticeColumns) wrapsCell(i int, v any) (string, int, bool) {
	t, ok := v.(string)
	if !ok || i >= len(l.widths) || stringWidth(t)+2 <= l.widths[i] {
		return "", 0, false
	}
	return t, l.widths[i], true
}

// writeRows writes the tab's rows, its columns as spec laid them out.
func (ts tabSections) writeRows(sw *plainRows, lay noticeColumns) error {
	row := 0
	for si := range ts {
		if si > 0 {
			row++ // blank
		}
		var err error
		if row, err = ts[si].writeRows(sw, row, lay); err != nil {
			return err
		}
	}
	return nil
}

// writeRows writes the section's rows after row and returns its last row.
// A long sentence is wrapped across the merged row, a cell wider than its
// column wrapped in it, each row as tall as its text.
func (s *notifySection) writeRows(sw *plainRows, row int, lay noticeColumns) (int, error) {
	st := &plainStyles
	line := func(style int, text string) {
		row++
		lines := 1
		if style != st.title && lay.wraps(text) {
			lines = wrappedLines(text, lay.total)
			if style == st.bold {
				style = plainBoldWrap
			} else {
				style = st.wrap
			}
		}
		sw.startRowLines(row, lines)
		sw.text(0, style, text)
		sw.endRow()
	}
	line(st.title, s.title)
	for _, l := range s.lead {
		line(0, l)
	}
	if s.body != "" {
		row++ // blank
		line(st.bold, s.body)
	}
	for _, t := range s.tables {
		row++ // blank
		line(st.bold, t.sentence)
		if t.header != nil {
			row++
			sw.startRow(row)
			for i, h := range t.header {
				sw.text(i, st.header, h)
			}
			sw.endRow()
		}
		if len(t.rows) == 0 {
			line(0, noneLine)
		}
		for _, r := range t.rows {
			row++
			if err := writeNoticeRow(sw, row, r, lay); err != nil {
				return row, err
			}
		}
	}
	return row, nil
}

// writeNoticeRow writes one table row: a text wider than its column is
// wrapped in it, and the row made as tall as its tallest cell.
func writeNoticeRow(sw *plainRows, row int, r []any, lay noticeColumns) error {
	lines := 1
	for i, v := range r {
		if t, width, ok := lay.wrapsCell(i, v); ok {
			lines = max(lines, wrappedLines(t, width))
		}
	}
	sw.startRowLines(row, lines)
	for i, v := range r {
		if t, _, ok := lay.wrapsCell(i, v); ok {
			sw.text(i, plainStyles.wrap, t)
			continue
		}
		if err := sw.cell(i, excelize.Cell{Value: v}); err != nil {
			return err
		}
	}
	sw.endRow()
	return nil
}

// NotificationsText writes the same notifications as plain text, in the
// order an MSO reads them: Deanery Applicant Notification (failed, then
// successful), Medical Rotation Notification (naming the MEDROT workbook,
// MEDROTName), Applicant(s) Withdrawn, Change to Project Hire/End Date
// Notification and New Training Post Created by LETB (each once per
// specialty), and Jnr. Doctor Starter(s). Tables are columns aligned with
// spaces; dates are DD/MM/YYYY. Text is UTF-8 and names are printed as
// they are (López, Wiśniewski, 李); only control and invisible formatting
// characters are shown escaped (printable). Personal values are masked as
// in the workbook when meta.Redact.
func NotificationsText(w io.Writer, n exchange.MSONotices, meta Meta) error {
	bw := bufio.NewWriter(w)
	if err := notificationsText(bw, &n, meta); err != nil {
		return fmt.Errorf("write notifications %s: %w", n.VPD, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write notifications %s: %w", n.VPD, err)
	}
	return nil
}

func notificationsText(w *bufio.Writer, n *exchange.MSONotices, meta Meta) error {
	fmt.Fprintf(w, "ESR notifications to the Medical Staffing Officer of VPD %s as of %s (%s)\n",
		printable(n.VPD), meta.AsOf.Format("02/01/2006"), meta.toolVersion())
	sections := notifySections(n, meta)
	medrot := notifySection{title: medrotTitle, lead: sections[0].lead[:2]}
	sections = append(sections[:1], append([]notifySection{medrot}, sections[1:]...)...)
	for i, s := range sections {
		fmt.Fprintf(w, "\n%s\n%s\n", s.title, strings.Repeat("=", textWidth(s.title)))
		for _, line := range s.lead {
			fmt.Fprintln(w, printable(line))
		}
		if i == 1 {
			fmt.Fprintf(w, "\n%s\n\n    %s\n", medrotSentence, printable(MEDROTName(n.VPD, meta.AsOf)))
		}
		if s.body != "" {
			fmt.Fprintf(w, "\n%s\n", s.body)
		}
		for _, t := range s.tables {
			fmt.Fprintf(w, "\n%s\n\n", t.sentence)
			if len(t.rows) == 0 {
				fmt.Fprintln(w, noneLine)
				continue
			}
			cells := make([][]string, 0, len(t.rows)+1)
			if t.header != nil {
				cells = append(cells, t.header)
			}
			for _, r := range t.rows {
				row := make([]string, len(r))
				for j, v := range r {
					switch v := v.(type) {
					case string:
						row[j] = printable(v)
					case time.Time:
						if !v.IsZero() {
							row[j] = v.Format("02/01/2006")
						}
					default:
						row[j] = fmt.Sprint(v)
					}
				}
				cells = append(cells, row)
			}
			writeTextTable(w, cells)
		}
	}
	return nil
}

// printable is s for a UTF-8 text file: every printable character as it
// is, accents and other scripts included (López, Wiśniewski, Ørsted, 李);
// control characters (\t, \n, \r, others as \u00XX), invisible formatting
// characters (zero-width, bidirectional controls: \uXXXX), the line and
// paragraph separators and bytes that are not UTF-8 (\xXX) escaped, so
// that a value cannot break or disguise a line.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if escapedInText(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case escapedInText(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// escapedInText reports whether printable escapes r.
func escapedInText(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}
