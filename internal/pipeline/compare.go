package pipeline

import (
	"context"
	"fmt"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/history"
)

// compareWithHistory gives every VPD of res its Changes against the VPD's
// last check recorded in store (a VPD never checked before gets an empty
// Changes: its first recorded check). It returns the function that then
// records this check — every VPD of res with all its findings — in one
// transaction, stamped with clock's time (nil: time.Now; it goes into the
// history only, and a later check's workbook shows it as "Previous check
// made").
func compareWithHistory(ctx context.Context, store *history.Store, res *checks.Result, asOf time.Time, clock func() time.Time) (
	record func(context.Context) (int64, error), err error) {
	vpds := make([]string, len(res.VPDs))
	for i := range res.VPDs {
		vpds[i] = res.VPDs[i].VPD
	}
	last, err := store.LastChecks(ctx, vpds)
	if err != nil {
		return nil, err
	}
	for i := range res.VPDs {
		v := &res.VPDs[i]
		lc, ok := last[v.VPD]
		if !ok {
			v.Changes = &checks.Changes{}
			continue
		}
		prev, err := pastFindings(lc.Findings)
		if err != nil {
			return nil, fmt.Errorf("read last check of VPD %s from %s: check %d: %w", v.VPD, store.Path(), lc.ID, err)
		}
		ch := checks.Compare(prev, v.Findings)
		ch.Previous = checks.CheckRef{ID: lc.ID, AsOf: lc.AsOf, Checked: lc.Checked}
		v.Changes = &ch
	}
	if clock == nil {
		clock = time.Now
	}
	record = func(ctx context.Context) (int64, error) {
		recs := make([]history.CheckVPD, len(res.VPDs))
		for i := range res.VPDs {
			recs[i] = history.CheckVPD{VPD: res.VPDs[i].VPD, Findings: checkFindings(&res.VPDs[i])}
		}
		return store.RecordCheck(ctx, history.Check{AsOf: asOf, Checked: clock().UTC()}, recs)
	}
	return record, nil
}

// pastFindings maps a recorded check's findings back to the checks' type.
func pastFindings(rows []history.CheckFinding) ([]checks.PastFinding, error) {
	out := make([]checks.PastFinding, len(rows))
	for i, r := range rows {
		sev, err := checks.ParseSeverity(r.Severity)
		if err != nil {
			return nil, err
		}
		out[i] = checks.PastFinding{
			FindingKey: checks.FindingKey{Rule: r.Rule, PositionNumber: r.PositionNumber, Value: r.Value},
			Severity:   sev, Message: r.Message, PositionName: r.PositionName, DPN: r.DPN, File: r.File, Row: r.Row,
		}
	}
	return out, nil
}

// checkFindings yields v's findings as the history records them, with the
// name and DPN of the position each is about.
func checkFindings(v *checks.VPDResult) func(yield func(history.CheckFinding) bool) {
	return func(yield func(history.CheckFinding) bool) {
		pos := checks.IndexPositions(v)
		for i := range v.Findings {
			p := pos.Past(&v.Findings[i])
			if !yield(history.CheckFinding{Rule: p.Rule, Severity: p.Severity.String(), PositionNumber: p.PositionNumber,
				Value: p.Value, Message: p.Message, PositionName: p.PositionName, DPN: p.DPN, File: p.File, Row: p.Row}) {
				return
			}
		}
	}
}
