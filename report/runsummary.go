package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/exchange"
	"dpnkit/internal/termtable"
)

// Tabs of the run summary workbook, in order (the first is TabSummary).
const (
	TabRunDetails    = "Run"
	TabAPPFiles      = "APP Files"
	TabAPCFiles      = "APC Files"
	TabQuarantined   = "Quarantined"
	TabExcluded      = "Excluded Positions"
	TabNotifications = "Notifications"
)

// notifyTypes are the DNC title codes a run emits, in order, and their
// names (interface-run.md; 3 is never sent).
var notifyTypes = []struct {
	code int
	name string
}{
	{exchange.NotifyHolders, "Current and next post holder (MEDROT)"},
	{exchange.NotifyWithdrawn, "Applicant(s) Withdrawn"},
	{exchange.NotifyDateChange, "Change to Projected Hire/End Date"},
	{exchange.NotifyNewPost, "New Training Post Created"},
}

// notifyTypeName names a title code; an unknown one is "type N".
func notifyTypeName(code int) string {
	for _, t := range notifyTypes {
		if t.code == code {
			return t.name
		}
	}
	return "type " + strconv.Itoa(code)
}

// RunSummaryName is the file name of the run summary workbook:
// "Run_Summary_<YYYYMMDD>.xlsx" (as-of date).
func RunSummaryName(asOf time.Time) string {
	return "Run_Summary_" + asOf.Format("20060102") + ".xlsx"
}

// notificationsByType counts ns by title code; every code of notifyTypes
// is present (0 when none), and any other code seen.
func notificationsByType(ns []exchange.Notification) map[int]int {
	m := make(map[int]int, len(notifyTypes))
	for _, t := range notifyTypes {
		m[t.code] = 0
	}
	for i := range ns {
		m[ns[i].Type]++
	}
	return m
}

// sortedTypes are the keys of m in order.
func sortedTypes(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// runCounts copies c with a non-nil NotificationsByType holding every
// title code, so that JSON writes {} or zeros, never null.
func runCounts(c exchange.Counts) exchange.Counts {
	m := make(map[int]int, len(notifyTypes))
	for _, t := range notifyTypes {
		m[t.code] = 0
	}
	for k, v := range c.NotificationsByType {
		m[k] = v
	}
	c.NotificationsByType = m
	return c
}

// sortedCounts copies groups sorted by Group, with runCounts applied.
func sortedCounts(groups []exchange.Counts) []exchange.Counts {
	out := make([]exchange.Counts, len(groups))
	for i, g := range groups {
		out[i] = runCounts(g)
	}
	slices.SortStableFunc(out, func(a, b exchange.Counts) int { return cmp.Compare(a.Group, b.Group) })
	return out
}

// apcTally counts an APC file: applicants (distinct ESR vacancy ids),
// SUCCESS and FAIL applicants, WARNING messages and all messages.
type apcTally struct {
	Applicants, Success, Fail, Warnings, Messages int
}

func tallyAPC(f *exchange.APCFile) apcTally {
	var t apcTally
	status := map[int]string{}
	for _, r := range f.Records {
		t.Messages++
		if r.MessageType == "WARNING" {
			t.Warnings++
		}
		if _, seen := status[r.ESRVacancyID]; !seen || r.LoadStatusCode == "FAIL" {
			status[r.ESRVacancyID] = r.LoadStatusCode
		}
	}
	t.Applicants = len(status)
	for _, s := range status {
		switch s {
		case "SUCCESS":
			t.Success++
		case "FAIL":
			t.Fail++
		}
	}
	return t
}

// sortedExclusions copies ex sorted by VPD, position number, DPN, reason.
func sortedExclusions(ex []exchange.Exclusion) []exchange.Exclusion {
	out := slices.Clone(ex)
	slices.SortStableFunc(out, func(a, b exchange.Exclusion) int {
		return cmp.Or(cmp.Compare(a.VPD, b.VPD), cmp.Compare(a.PositionNumber, b.PositionNumber),
			cmp.Compare(a.DPN, b.DPN), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}

// porChanges counts POR records by change/delete indicator.
func porChanges(recs []exchange.POR) (changes, deletes int) {
	for _, r := range recs {
		if r.ChangeDeleteIndicator == "D" {
			deletes++
		} else {
			changes++
		}
	}
	return changes, deletes
}

var runCountsHeader = []string{"Grouping", "Group", "Positions Transferred", "Positions Excluded",
	"Placements In Window", "APP Records", "Success", "Fail", "Warnings", "Quarantined Files",
	"Type 1 Post Holders", "Type 2 Withdrawn", "Type 4 Date Changes", "Type 5 New Posts"}

func countsCells(grouping, group string, c exchange.Counts, style int) []excelize.Cell {
	c = runCounts(c)
	cells := []excelize.Cell{{StyleID: style, Value: grouping}, text(group)}
	for _, n := range []int{c.PositionsTransferred, c.PositionsExcluded, c.PlacementsInWindow, c.APPRecords,
		c.Success, c.Fail, c.Warnings, c.QuarantinedFiles} {
		cells = append(cells, excelize.Cell{Value: n})
	}
	for _, t := range notifyTypes {
		cells = append(cells, excelize.Cell{Value: c.NotificationsByType[t.code]})
	}
	return cells
}

// RunSummaryWorkbook writes the run summary (interface-run.md step 8):
//   - "Summary": counts (exchange.Counts) in total, per managing deanery
//     and per VPD, notifications by title code in columns;
//   - "Run": the as-of date, first run or changes, the POR records, file,
//     quarantine and exclusion counts, notifications by type, and every
//     row read by category (exchange.RunRows);
//   - "APP Files" (file, deanery, sequence, records), "APC Files" (file,
//     APP file, applicants, SUCCESS, FAIL, WARNING messages, messages),
//     "Quarantined" (one row per post over 40 applicants, with its file),
//     "Excluded Positions" (VPD, position, DPN, reason; sorted) and
//     "Notifications" (per title code and VPD).
//
// It holds no personal data. Each table has a frozen header and a filter.
func RunSummaryWorkbook(w io.Writer, r *exchange.Result, meta Meta) error {
	if r == nil {
		return fmt.Errorf("run summary workbook: no result to write")
	}
	f, st, err := newWorkbook(TabSummary, meta, "Interface run summary")
	if err != nil {
		return fmt.Errorf("run summary workbook: %w", err)
	}
	if err := buildRunSummary(f, st, r, meta); err != nil {
		_ = f.Close()
		return fmt.Errorf("run summary workbook: %w", err)
	}
	if err := finish(f, w); err != nil {
		return fmt.Errorf("run summary workbook: %w", err)
	}
	return nil
}

// buildRunSummary writes the run summary workbook's tabs: the counts, the
// run's details, then one table each of APP files, APC files, quarantined
// posts, excluded positions and notifications per VPD.
func buildRunSummary(f *excelize.File, st *styles, r *exchange.Result, meta Meta) error {
	if _, err := runCountsGrid(r, st, meta.TrustNames).write(&excelBook{f, st}, st); err != nil {
		return err
	}
	if err := runDetails(r, st, meta).write(&excelBook{f, st}, TabRunDetails); err != nil {
		return fmt.Errorf("write tab %s: %w", TabRunDetails, err)
	}
	for _, g := range []*grid{appFilesGrid(r), apcFilesGrid(r), quarantinedGrid(r), excludedGrid(r), notificationsGrid(r)} {
		if _, err := g.write(&excelBook{f, st}, st); err != nil {
			return err
		}
	}
	return nil
}

// runCountsGrid is the Summary tab: the total, then per managing deanery
// and per VPD.
func runCountsGrid(r *exchange.Result, st *styles, trusts map[string]string) *grid {
	counts := &grid{name: TabSummary, header: runCountsHeader, fixed: 2} // Grouping, Group
	counts.rows = append(counts.rows, countsCells(GroupTotal, "", r.Totals, st.bold))
	for _, g := range sortedCounts(r.ByDeanery) {
		counts.rows = append(counts.rows, countsCells(GroupManagingDeanery, groupLabel(g.Group), g, 0))
	}
	for _, g := range sortedCounts(r.ByVPD) {
		counts.rows = append(counts.rows, countsCells(GroupVPD, vpdTitle(groupLabel(g.Group), trusts[g.Group]), g, 0))
	}
	return counts
}

// runDetails is the Run Details tab: the run, its files, the notifications
// by type and what became of every input row.
func runDetails(r *exchange.Result, st *styles, meta Meta) *layout {
	byType := notificationsByType(r.Notifications)
	c, d := porChanges(r.Outbound)
	details := &layout{}
	details.line(st.title, "Interface run summary")
	details.blank()
	details.row(excelize.Cell{StyleID: st.bold, Value: "As-of date"}, excelize.Cell{Value: meta.AsOf})
	kind := "changes since the previous run (RMC)"
	if r.First {
		kind = "first run: full position set (RMF)"
	}
	rows := [][2]string{
		{"Run", kind},
		{"Produced by", meta.toolVersion()},
		{"POR records", fmt.Sprintf("%d (%d C, %d D)", len(r.Outbound), c, d)},
		{"Excluded DPN positions", strconv.Itoa(len(r.Excluded))},
		{"APP files", strconv.Itoa(len(r.APPFiles))},
		{"APC files", strconv.Itoa(len(r.APCFiles))},
		{"Quarantined files", strconv.Itoa(len(r.Quarantined))},
	}
	for _, kv := range rows {
		details.labelled(st.bold, kv[0], kv[1])
	}
	details.blank()
	details.header(st.header, "Notification type", "Notification", "Count")
	for _, code := range sortedTypes(byType) {
		details.row(excelize.Cell{Value: code}, text(notifyTypeName(code)), excelize.Cell{Value: byType[code]})
	}
	details.blank()
	rowsLayout(details, st, runKinds(r.Rows))
	details.labelled(st.bold, "Notification files (DNF, DNC)", strconv.Itoa(len(r.NotificationFiles)))
	if w := vpdWarning(r); w != "" {
		details.labelled(st.bold, "Warning", w)
	}
	return details
}

func appFilesGrid(r *exchange.Result) *grid {
	app := &grid{name: TabAPPFiles, header: []string{"File", "Deanery", "Sequence", "Records"}}
	for _, a := range r.APPFiles {
		app.rows = append(app.rows, []excelize.Cell{text(a.Name), text(a.Deanery), {Value: a.Seq}, {Value: len(a.Records)}})
	}
	return app
}

func apcFilesGrid(r *exchange.Result) *grid {
	apc := &grid{name: TabAPCFiles, header: []string{"File", "APP File", "Applicants", "Success", "Fail", "Warnings", "Messages"}}
	for i := range r.APCFiles {
		a := &r.APCFiles[i]
		t := tallyAPC(a)
		apc.rows = append(apc.rows, []excelize.Cell{text(a.Name), text(a.APPFile), {Value: t.Applicants},
			{Value: t.Success}, {Value: t.Fail}, {Value: t.Warnings}, {Value: t.Messages}})
	}
	return apc
}

// quarantinedGrid has one row per post of each quarantined APP file.
func quarantinedGrid(r *exchange.Result) *grid {
	quar := &grid{name: TabQuarantined, header: []string{"APP File", "Deanery Number", "Position Number", "VPD", "Applicants"}}
	for _, q := range r.Quarantined {
		for _, p := range q.Posts {
			quar.rows = append(quar.rows, []excelize.Cell{text(q.APPFile), text(p.DeaneryNumber), numberCell(p.PositionNumber),
				text(p.VPD), {Value: p.Applicants}})
		}
	}
	return quar
}

func excludedGrid(r *exchange.Result) *grid {
	excl := &grid{name: TabExcluded, header: []string{"VPD", "Position Number", "DPN", "Reason"}}
	for _, e := range sortedExclusions(r.Excluded) {
		excl.rows = append(excl.rows, []excelize.Cell{text(e.VPD), numberCell(e.PositionNumber), text(e.DPN), text(readableReason(e.Reason))})
	}
	return excl
}

// notificationsGrid counts the notifications per type and VPD, in that
// order.
func notificationsGrid(r *exchange.Result) *grid {
	notes := &grid{name: TabNotifications, header: []string{"Notification Type", "Notification", "VPD", "Count"}}
	type tv struct {
		code int
		vpd  string
	}
	perVPD := map[tv]int{}
	for i := range r.Notifications {
		perVPD[tv{r.Notifications[i].Type, r.Notifications[i].VPD}]++
	}
	keys := make([]tv, 0, len(perVPD))
	for k := range perVPD {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b tv) int { return cmp.Or(cmp.Compare(a.code, b.code), cmp.Compare(a.vpd, b.vpd)) })
	for _, k := range keys {
		notes.rows = append(notes.rows, []excelize.Cell{{Value: k.code}, text(notifyTypeName(k.code)), text(k.vpd), {Value: perVPD[k]}})
	}
	return notes
}

type runJSONFile struct {
	Name    string `json:"name"`
	Records int    `json:"records"`
}

type runJSONAPC struct {
	Name       string `json:"name"`
	APPFile    string `json:"app_file"`
	Records    int    `json:"records"`
	Applicants int    `json:"applicants"`
	Success    int    `json:"success"`
	Fail       int    `json:"fail"`
	Warnings   int    `json:"warnings"`
}

type runJSONPost struct {
	DeaneryNumber  string `json:"deanery_number"`
	PositionNumber string `json:"position_number"`
	VPD            string `json:"vpd"`
	Applicants     int    `json:"applicants"`
}

type runJSONQuarantine struct {
	APPFile string        `json:"app_file"`
	Posts   []runJSONPost `json:"posts"`
}

type runJSONDoc struct {
	Tool                string              `json:"tool"`
	Version             string              `json:"version"`
	AsOf                string              `json:"as_of"`
	First               bool                `json:"first"`
	Rows                exchange.RunRows    `json:"rows"`
	Totals              exchange.Counts     `json:"totals"`
	ByDeanery           []exchange.Counts   `json:"by_deanery"`
	ByVPD               []exchange.Counts   `json:"by_vpd"`
	APPFiles            []runJSONFile       `json:"app_files"`
	APCFiles            []runJSONAPC        `json:"apc_files"`
	Quarantined         []runJSONQuarantine `json:"quarantined"`
	NotificationsByType map[int]int         `json:"notifications_by_type"`
	ExcludedPositions   int                 `json:"excluded_positions"`
}

// RunJSON writes the run summary as one JSON document: tool, version,
// as_of (YYYY-MM-DD), first, rows {positions, placements, people} (every
// record read, by category: exchange.RunRows), totals (no group key),
// by_deanery and by_vpd
// (sorted by group), app_files [{name, records}], apc_files [{name,
// app_file, records (APC rows), applicants, success, fail, warnings}],
// quarantined [{app_file, posts [{deanery_number, position_number, vpd,
// applicants}]}], notifications_by_type {"1": n, "2": n, "4": n, "5": n}
// (this run's DNC records) and excluded_positions (a count). Every
// notifications_by_type object holds the four title codes; lists are [],
// never null. Two-space indentation, a trailing newline. No personal data.
func RunJSON(w io.Writer, r *exchange.Result, meta Meta) error {
	if r == nil {
		return fmt.Errorf("run json report: no result to write")
	}
	totals := runCounts(r.Totals)
	totals.Group = ""
	doc := runJSONDoc{
		Tool:                meta.tool(),
		Version:             meta.Version,
		AsOf:                meta.AsOf.Format("2006-01-02"),
		First:               r.First,
		Rows:                r.Rows,
		Totals:              totals,
		ByDeanery:           sortedCounts(r.ByDeanery),
		ByVPD:               sortedCounts(r.ByVPD),
		APPFiles:            make([]runJSONFile, len(r.APPFiles)),
		APCFiles:            make([]runJSONAPC, len(r.APCFiles)),
		Quarantined:         make([]runJSONQuarantine, len(r.Quarantined)),
		NotificationsByType: notificationsByType(r.Notifications),
		ExcludedPositions:   len(r.Excluded),
	}
	for i, a := range r.APPFiles {
		doc.APPFiles[i] = runJSONFile{Name: a.Name, Records: len(a.Records)}
	}
	for i := range r.APCFiles {
		a := &r.APCFiles[i]
		t := tallyAPC(a)
		doc.APCFiles[i] = runJSONAPC{Name: a.Name, APPFile: a.APPFile, Records: t.Messages, Applicants: t.Applicants,
			Success: t.Success, Fail: t.Fail, Warnings: t.Warnings}
	}
	for i, q := range r.Quarantined {
		posts := make([]runJSONPost, len(q.Posts))
		for j, p := range q.Posts {
			posts[j] = runJSONPost{DeaneryNumber: p.DeaneryNumber, PositionNumber: p.PositionNumber, VPD: p.VPD, Applicants: p.Applicants}
		}
		doc.Quarantined[i] = runJSONQuarantine{APPFile: q.APPFile, Posts: posts}
	}
	if err := writeJSON(w, &doc); err != nil {
		return fmt.Errorf("write run json report: %w", err)
	}
	return nil
}

// RunTerminal writes the terminal summary of a run: a line naming the as-of
// date and whether it is the first run, one line per kind of input
// accounting for every row read (rowsKind.line), a counts table per managing
// deanery (with a total) and one per VPD, then one line each for the POR
// records, the APP and APC files, the quarantined files and their posts,
// and the notifications by type. No personal data.
// Fitted to o.Width (0: not fitted).
func RunTerminal(w io.Writer, r *exchange.Result, meta Meta, o Term) error {
	if r == nil {
		return fmt.Errorf("run table report: no result to write")
	}
	if err := runTable(w, r, meta, o); err != nil {
		return fmt.Errorf("write run table report: %w", err)
	}
	return nil
}

// runTable writes the run's terminal report: a heading, what became of
// every input row, the counts per managing deanery and per VPD, then one
// line each about the files written and the notifications.
func runTable(w io.Writer, r *exchange.Result, meta Meta, o Term) error {
	kind := "changes since the previous run"
	if r.First {
		kind = "first run"
	}
	if _, err := fmt.Fprintf(w, "Interface run as of %s, %s (%s)\n", meta.AsOf.Format("02/01/2006"), kind, meta.toolVersion()); err != nil {
		return err
	}
	for _, k := range runKinds(r.Rows) {
		if err := writeProse(w, k.line(), o); err != nil {
			return err
		}
	}
	if err := runCountTables(w, r, o); err != nil {
		return err
	}
	for _, l := range runFileLines(r) {
		if err := writeProse(w, l, o); err != nil {
			return err
		}
	}
	return nil
}

// runCountCells is one row of the run's count tables.
func runCountCells(label string, c exchange.Counts) []string {
	n := 0
	for _, v := range c.NotificationsByType {
		n += v
	}
	return []string{label, strconv.Itoa(c.PositionsTransferred), strconv.Itoa(c.PositionsExcluded),
		strconv.Itoa(c.PlacementsInWindow), strconv.Itoa(c.APPRecords), strconv.Itoa(c.Success),
		strconv.Itoa(c.Fail), strconv.Itoa(c.Warnings), strconv.Itoa(c.QuarantinedFiles), strconv.Itoa(n)}
}

// runCountTables writes the counts per managing deanery (with the total)
// and, when there are any, per VPD.
func runCountTables(w io.Writer, r *exchange.Result, o Term) error {
	for _, tbl := range []struct {
		label  string
		groups []exchange.Counts
		total  bool
	}{
		{"Managing deanery", sortedCounts(r.ByDeanery), true},
		{"VPD", sortedCounts(r.ByVPD), false},
	} {
		if len(tbl.groups) == 0 && !tbl.total {
			continue
		}
		t := termtable.New(w, termtable.Numbers, tbl.label, "Transferred", "Excluded", "In window", "APP", "Success", "Fail", "Warnings",
			"Quarantined", "Notifications").Fit(o.Width).Shrink(0).Transpose()
		for _, g := range tbl.groups {
			if err := t.Append(runCountCells(visible(groupLabel(g.Group)), g)...); err != nil {
				return err
			}
		}
		if tbl.total {
			t.Footer(runCountCells("Total", r.Totals)...)
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	return nil
}

// runFileLines are the lines below the tables: POR records, the APP, APC,
// quarantined and notification files, the notifications by type and the
// VPD warning if any.
func runFileLines(r *exchange.Result) []string {
	c, d := porChanges(r.Outbound)
	lines := []string{fmt.Sprintf("POR records: %d (%d C, %d D); excluded DPN positions: %d.", len(r.Outbound), c, d, len(r.Excluded))}
	files := make([]string, len(r.APPFiles))
	for i, a := range r.APPFiles {
		files[i] = fmt.Sprintf("%s (%d)", visible(a.Name), len(a.Records))
	}
	lines = append(lines, "APP files: "+listOrNone(files)+".")
	apcs := make([]string, len(r.APCFiles))
	for i := range r.APCFiles {
		t := tallyAPC(&r.APCFiles[i])
		apcs[i] = fmt.Sprintf("%s (%d SUCCESS, %d FAIL, %d WARNING)", visible(r.APCFiles[i].Name), t.Success, t.Fail, t.Warnings)
	}
	lines = append(lines, "APC files: "+listOrNone(apcs)+".")
	quar := make([]string, len(r.Quarantined))
	for i, q := range r.Quarantined {
		posts := make([]string, len(q.Posts))
		for j, p := range q.Posts {
			posts[j] = fmt.Sprintf("%s %s: %d applicants", visible(p.PositionNumber), visibleValue(p.DeaneryNumber), p.Applicants)
		}
		quar[i] = visible(q.APPFile) + " (" + strings.Join(posts, "; ") + ")"
	}
	lines = append(lines, "Quarantined files, no APC: "+listOrNone(quar)+".")
	notes := make([]string, len(r.NotificationFiles))
	for i, f := range r.NotificationFiles {
		notes[i] = fmt.Sprintf("%s (%d)", visible(f.Name), len(f.Notes))
	}
	lines = append(lines, "Notification files (DNF, DNC): "+listOrNone(notes)+".")
	byType := notificationsByType(r.Notifications)
	types := make([]string, 0, len(byType))
	for _, code := range sortedTypes(byType) {
		types = append(types, fmt.Sprintf("%d %s %d", code, notifyTypeName(code), byType[code]))
	}
	lines = append(lines, "Notifications by type: "+strings.Join(types, ", ")+".")
	if w := vpdWarning(r); w != "" {
		lines = append(lines, w)
	}
	return lines
}

// vpdWarning is the run summary's warning about VPD codes that are not
// what POR's employingOrgVPDCode holds (a number of at most 4 digits):
// their records carry the code as it is, which ESR's real interface would
// not. "" when every VPD is a number.
func vpdWarning(r *exchange.Result) string {
	vpds := r.NonNumericVPDs()
	if len(vpds) == 0 {
		return ""
	}
	for i, v := range vpds {
		vpds[i] = visibleValue(v)
	}
	what, is, it := "VPD", "is", "it"
	if len(vpds) > 1 {
		what, is, it = "VPDs", "are", "them"
	}
	return fmt.Sprintf("Warning: POR's employingOrgVPDCode is a number of at most 4 digits; %s %s %s not: "+
		"the POR records carry %s as exported (check the VPD column or --vpd).", what, strings.Join(vpds, ", "), is, it)
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
