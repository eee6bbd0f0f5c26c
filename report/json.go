package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// jsonDoc is the JSON document of reports.md §3; field order is key order.
// JSON writes its fields one by one in this order (the findings streamed):
// a field added here must be written there too, or TestJSONStreamed fails.
type jsonDoc struct {
	Tool    string        `json:"tool"`
	Version string        `json:"version"`
	AsOf    string        `json:"as_of"`
	Inputs  []model.Input `json:"inputs"`
	Totals  statsJSON     `json:"totals"`
	VPDs    []statsJSON   `json:"vpds"`
	// Accepted and ExpiredAcceptances are the findings matching an accepted
	// exception of the configuration (checks.ApplyPolicy); absent when none.
	Accepted           []checks.AcceptedFinding `json:"accepted,omitempty"`
	ExpiredAcceptances []checks.AcceptedFinding `json:"expired_acceptances,omitempty"`
	Findings           []checks.Finding         `json:"findings"`
}

// statsJSON is a VPD's or the totals' statistics, with the comparison with
// the previous recorded check when there was one.
type statsJSON struct {
	checks.Stats
	Changes *changesJSON `json:"changes,omitempty"`
}

// JSON writes the result as the JSON document of reports.md §3: keys tool,
// version, as_of (YYYY-MM-DD), inputs, totals (no vpd key), vpds (sorted by
// VPD) and findings (res.Findings() order); empty lists are [], never null.
// A VPD compared with its previous recorded check (VPDResult.Changes) has a
// "changes" object: previous_as_of, previous_check, new, persisting and
// resolved; the totals have one summing the VPDs compared (with
// compared_vpds, and previous_as_of and previous_check when every compared
// VPD was last checked by the same check). It holds no wall-clock time.
// Two-space indentation and a trailing newline; the same result always
// gives the same bytes.
func JSON(w io.Writer, res *checks.Result, meta Meta) error {
	if res == nil {
		return fmt.Errorf("json report: no result to write")
	}
	doc := jsonDoc{
		Tool:    meta.tool(),
		Version: meta.Version,
		AsOf:    meta.AsOf.Format("2006-01-02"),
		Inputs:  slices.Clip(res.Inputs),
		Totals:  statsJSON{Stats: res.Totals, Changes: totalChangesJSON(res)},
		VPDs:    make([]statsJSON, len(res.VPDs)),
		// Findings are streamed below, one at a time: a run whose every
		// position shares one DPN has a finding per position, and the
		// document is never built whole in memory.
	}
	if doc.Inputs == nil {
		doc.Inputs = []model.Input{}
	}
	doc.Totals.VPD = ""
	for i := range res.VPDs {
		doc.VPDs[i] = statsJSON{Stats: res.VPDs[i].Stats, Changes: vpdChangesJSON(res.VPDs[i].Changes)}
	}
	slices.SortStableFunc(doc.VPDs, func(a, b statsJSON) int { return cmp.Compare(a.VPD, b.VPD) })
	findings := findingRefs(res)
	// Byte for byte what json.Encoder with SetIndent("", "  ") and
	// SetEscapeHTML(false) writes for doc with its findings (tested).
	j := newJSONStream(w)
	j.raw("{\n")
	j.field("tool", doc.Tool)
	j.field("version", doc.Version)
	j.field("as_of", doc.AsOf)
	j.field("inputs", doc.Inputs)
	j.field("totals", doc.Totals)
	j.field("vpds", doc.VPDs)
	if doc.Accepted, doc.ExpiredAcceptances = acceptedLists(res); len(doc.Accepted) > 0 {
		j.field("accepted", doc.Accepted)
	}
	if len(doc.ExpiredAcceptances) > 0 {
		j.field("expired_acceptances", doc.ExpiredAcceptances)
	}
	j.rawArray("findings", len(findings), func(b []byte, i int) []byte {
		return appendFindingJSON(b, findings[i])
	})
	j.raw("\n}\n")
	if err := j.flush(); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

// findingRefs points at every finding of res in res.Findings() order,
// without copying them.
func findingRefs(res *checks.Result) []*checks.Finding {
	n := 0
	for i := range res.VPDs {
		n += len(res.VPDs[i].Findings)
	}
	out := make([]*checks.Finding, 0, n)
	for i := range res.VPDs {
		fs := res.VPDs[i].Findings
		for j := range fs {
			out = append(out, &fs[j])
		}
	}
	return out
}
