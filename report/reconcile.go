package report

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

type reconcileInputs struct {
	Positions  []model.Input `json:"positions"`
	Placements []model.Input `json:"placements"`
}

// jsonPlacement is one placement of the JSON document. It deliberately has
// no personal field (surname, forenames, GMC number, date of birth, ...):
// a placement is named by its TIS id only.
type jsonPlacement struct {
	PlacementID     string               `json:"placement_id"`
	NPN             string               `json:"npn"`
	ManagingDeanery string               `json:"managing_deanery"`
	EmployingBody   string               `json:"employing_body"`
	StartDate       string               `json:"start_date"` // YYYY-MM-DD, "" when empty or unreadable
	EndDate         string               `json:"end_date"`
	PositionMatch   string               `json:"position_match"`
	ApplicantExport string               `json:"applicant_export"`
	Positions       []checks.PositionRef `json:"positions"`
	Suggestions     []checks.Suggestion  `json:"suggestions"`
	Issue           string               `json:"issue"`
}

type jsonUnplacedPosition struct {
	VPD            string `json:"vpd"`
	PositionNumber string `json:"position_number"`
	DPN            string `json:"dpn"`
}

func jsonDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// sortedGroups copies groups sorted by Group (stable), [] when empty.
func sortedGroups(groups []checks.ReconcileStats) []checks.ReconcileStats {
	out := slices.Clone(groups)
	if out == nil {
		out = []checks.ReconcileStats{}
	}
	slices.SortStableFunc(out, func(a, b checks.ReconcileStats) int { return cmp.Compare(a.Group, b.Group) })
	return out
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clip(s)
}

// ReconcileJSON writes the reconciliation as one JSON document: keys tool,
// version, as_of (YYYY-MM-DD), inputs {positions, placements}, totals (no
// group key), by_managing_deanery, by_employing_body and by_vpd (sorted by
// group), placements (res.Placements order: placement_id, npn,
// managing_deanery, employing_body, start_date, end_date, position_match,
// applicant_export, positions, suggestions, issue), unplaced_positions
// (vpd, position_number, dpn) and findings (res.Findings order). Empty lists
// are [], never null; dates are YYYY-MM-DD or "" when empty. Two-space
// indentation and a trailing newline; the same result always gives the
// same bytes.
//
// Personal data: the placements carry no names, GMC numbers, dates of birth
// or other personal fields, only the TIS placement id, so the document can
// be shared and logged. (The findings are written as the reconciler made
// them; their values and messages name NPNs and ids, not people.)
func ReconcileJSON(w io.Writer, res *checks.ReconcileResult, meta Meta) error {
	if res == nil {
		return fmt.Errorf("reconcile json report: no result to write")
	}
	totals := res.Totals
	totals.Group = ""
	// The document is streamed element by element: a national run has
	// ~150,000 placements and would otherwise be built whole in memory.
	j := newJSONStream(w)
	j.raw("{\n")
	j.field("tool", meta.tool())
	j.field("version", meta.Version)
	j.field("as_of", meta.AsOf.Format("2006-01-02"))
	j.field("inputs", reconcileInputs{Positions: orEmpty(res.PositionInputs), Placements: orEmpty(res.PlacementInputs)})
	j.field("totals", totals)
	j.field("by_managing_deanery", sortedGroups(res.ByManagingDeanery))
	j.field("by_employing_body", sortedGroups(res.ByEmployingBody))
	j.field("by_vpd", sortedGroups(res.ByVPD))
	j.array("placements", len(res.Placements), func(i int) any {
		pr := &res.Placements[i]
		p := &pr.Placement
		return &jsonPlacement{
			PlacementID:     p.ID,
			NPN:             p.NPN,
			ManagingDeanery: p.ManagingDeanery,
			EmployingBody:   p.EmployingBody,
			StartDate:       jsonDate(p.DateFrom),
			EndDate:         jsonDate(p.DateTo),
			PositionMatch:   pr.Match,
			ApplicantExport: pr.Export,
			Positions:       orEmpty(pr.Positions),
			Suggestions:     orEmpty(pr.Suggestions),
			Issue:           pr.Issue,
		}
	})
	j.raw(",\n")
	j.array("unplaced_positions", len(res.Unplaced), func(i int) any {
		p := &res.Unplaced[i]
		return &jsonUnplacedPosition{VPD: p.VPD, PositionNumber: p.Number, DPN: p.DPN}
	})
	j.raw(",\n")
	j.array("findings", len(res.Findings), func(i int) any { return &res.Findings[i] })
	j.raw("\n}\n")
	if err := j.flush(); err != nil {
		return fmt.Errorf("write reconcile json report: %w", err)
	}
	return nil
}

// jsonStream writes a JSON object whose values are encoded one at a time,
// byte for byte as json.Encoder with SetIndent("", "  ") and
// SetEscapeHTML(false) would write the whole object.
type jsonStream struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc map[string]*json.Encoder // by line prefix, all writing to buf
	err error
}

func newJSONStream(w io.Writer) *jsonStream {
	return &jsonStream{w: bufio.NewWriterSize(w, 64<<10), enc: map[string]*json.Encoder{}}
}

func (j *jsonStream) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v as indented JSON whose lines after the first start with prefix.
func (j *jsonStream) value(prefix string, v any) {
	if j.err != nil {
		return
	}
	enc := j.enc[prefix]
	if enc == nil {
		enc = json.NewEncoder(&j.buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent(prefix, "  ")
		j.enc[prefix] = enc
	}
	j.buf.Reset()
	if j.err = enc.Encode(v); j.err != nil {
		return
	}
	_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
}

// field writes one member of the top-level object followed by a comma.
// name is a constant key that needs no escaping.
func (j *jsonStream) field(name string, v any) {
	j.raw(`  "` + name + `": `)
	j.value("  ", v)
	j.raw(",\n")
}

// array writes the member name of the top-level object as an array of n
// elements, at(i) encoded one at a time; no comma follows.
func (j *jsonStream) array(name string, n int, at func(i int) any) {
	j.raw(`  "` + name + `": [`)
	if n == 0 {
		j.raw("]")
		return
	}
	j.raw("\n")
	for i := range n {
		j.raw("    ")
		j.value("    ", at(i))
		if i < n-1 {
			j.raw(",\n")
		} else {
			j.raw("\n")
		}
	}
	j.raw("  ]")
}

func (j *jsonStream) flush() error {
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// reconcileCSVHeader is CSV's header with placement_id appended.
var reconcileCSVHeader = append(slices.Clip(csvHeader), "placement_id")

// ReconcileCSV writes the reconciliation findings (res.Findings order) as
// RFC 4180 CSV with the columns of CSV followed by placement_id:
// rule,severity,vpd,file,row,column,position_number,value,message,placement_id.
func ReconcileCSV(w io.Writer, res *checks.ReconcileResult) error {
	if res == nil {
		return fmt.Errorf("reconcile csv report: no result to write")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(reconcileCSVHeader); err != nil {
		return fmt.Errorf("write reconcile csv report: %w", err)
	}
	for _, f := range res.Findings {
		rec := []string{f.Rule, f.Severity.String(), f.VPD, f.File, strconv.Itoa(f.Row), f.Column,
			f.PositionNumber, f.Value, f.Message, f.PlacementID}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write reconcile csv report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write reconcile csv report: %w", err)
	}
	return nil
}

// ReconcileTable writes the terminal summary of a reconciliation: a
// counts table per managing deanery (with a total row), the unplaced
// positions and exceptions line, and the first top exception placements
// with their "did you mean" suggestions (top < 0: all of them; 0: none).
// No personal data is printed: placements are named by TIS id.
func ReconcileTable(w io.Writer, res *checks.ReconcileResult, meta Meta, top int) error {
	if res == nil {
		return fmt.Errorf("reconcile table report: no result to write")
	}
	if err := reconcileTable(w, res, meta, top); err != nil {
		return fmt.Errorf("write reconcile table report: %w", err)
	}
	return nil
}

func reconcileTable(w io.Writer, res *checks.ReconcileResult, meta Meta, top int) error {
	if _, err := fmt.Fprintf(w, "Placement reconciliation as of %s (%s)\n", meta.AsOf.Format("02/01/2006"), meta.toolVersion()); err != nil {
		return err
	}
	t := tablewriter.NewTable(w, tablewriter.WithRowAlignment(tw.AlignRight), tablewriter.WithHeaderAutoFormat(tw.Off))
	t.Header("Managing deanery", "Placements", "Matched", "No position", "End-dated", "Multiple",
		"Exported", "Not yet due", "Blocked", "Exceptions")
	row := func(label string, s *checks.ReconcileStats) []string {
		return []string{label, strconv.Itoa(s.Placements), strconv.Itoa(s.Matched), strconv.Itoa(s.NoPosition),
			strconv.Itoa(s.EndDated), strconv.Itoa(s.ManyPositions), strconv.Itoa(s.Exported),
			strconv.Itoa(s.NotYetDue), strconv.Itoa(s.Blocked), strconv.Itoa(s.Exceptions)}
	}
	for _, g := range sortedGroups(res.ByManagingDeanery) {
		if err := t.Append(row(visible(groupLabel(g.Group)), &g)); err != nil {
			return err
		}
	}
	t.Footer(row("Total", &res.Totals))
	if err := t.Render(); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "%d of %d placements are exceptions; %d vacancies; %d active DPN positions have no placement.\n",
		res.Totals.Exceptions, res.Totals.Placements, res.Totals.Vacancies, res.Totals.Unplaced); err != nil {
		return err
	}
	if pc := res.PositionCheck; pc != nil {
		if _, err := fmt.Fprintln(w, "DPN check of the positions: "+strings.TrimPrefix(verdictLine(pc), "Verdict: ")); err != nil {
			return err
		}
	}
	var exc []*checks.PlacementResult
	for i := range res.Placements {
		if res.Placements[i].Exception {
			exc = append(exc, &res.Placements[i])
		}
	}
	n := len(exc)
	if top >= 0 && top < n {
		n = top
	}
	if n > 0 {
		t := tablewriter.NewTable(w,
			tablewriter.WithHeaderAutoFormat(tw.Off),
			tablewriter.WithRowAutoWrap(tw.WrapNormal),
			tablewriter.WithRowMaxWidth(48),
		)
		t.Header("Placement", "NPN", "Position match", "Export", "Issue", "Did you mean")
		for _, pr := range exc[:n] {
			if err := t.Append([]string{visible(pr.Placement.ID), visibleValue(pr.Placement.NPN), pr.Match,
				visible(pr.Export), visible(pr.Issue), suggestionsText(pr.Suggestions)}); err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	var err error
	switch {
	case len(exc) == 0:
		_, err = fmt.Fprintln(w, "No exceptions.")
	case n < len(exc):
		_, err = fmt.Fprintf(w, "Showing %d of %d exceptions; the workbook (--out) or --format csv|json list them all.\n", n, len(exc))
	}
	return err
}
