package checks

// The go-live verdict is defined here, once, from severities: a finding
// blocks go-live when BlocksGoLive(its severity), and a VPD (or a run) is
// READY for go-live when none of its findings does. Every output says the
// verdict from Stats.Ready (the terminal, the JSON "ready" flags, the DPN
// and national workbooks), and the exit status with the default
// --fail-on error is the same test made on the worst severity
// (Result.Worst() >= Error), so they cannot disagree.
//
// A finding of severity error blocks, whatever its rule: duplicates, DPN
// and position-name format (the four statistics of checks.md), and an
// unreadable date (input.date), since a position whose dates cannot be
// read may or may not be active and so may or may not transfer.

// BlocksGoLive reports whether a finding of severity s blocks go-live:
// severity error does; warning and info do not.
func BlocksGoLive(s Severity) bool { return s >= Error }

// vpdStats completes one VPD's statistics: st holds the counts made while
// the positions streamed in (positions, active, active with DPN, DPN and
// position-name issues); the rest come from the duplicate groups and the
// findings.
func vpdStats(st Stats, dups []DuplicateGroup, findings []Finding) Stats {
	st.DuplicateDPNs = len(dups)
	st.PositionsInDuplicates = 0
	for _, g := range dups {
		st.PositionsInDuplicates += len(g.Positions)
	}
	st.Errors, st.Warnings, st.Infos, st.InputErrors = 0, 0, 0, 0
	st.ByRule = nil
	for _, f := range findings {
		switch {
		case BlocksGoLive(f.Severity):
			st.Errors++
		case f.Severity == Warning:
			st.Warnings++
		case f.Severity == Info:
			st.Infos++
		}
		if f.Rule == RuleInputDate {
			st.InputErrors++
		}
		if st.ByRule == nil {
			st.ByRule = make(map[string]int)
		}
		st.ByRule[f.Rule]++
	}
	st.Ready = ready(&st)
	return st
}

// ready is the go-live verdict of st: no finding that blocks go-live.
// (Every duplicate group, DPN issue and position-name issue comes with
// findings of severity error, so checks.md's "the last three statistics
// are all zero" is implied.)
func ready(st *Stats) bool { return st.Errors == 0 }

// totals sums the VPDs' statistics. The run is ready when every VPD is
// ready; a run with no positions (no VPDs) is trivially ready.
func totals(vpds []VPDResult) Stats {
	var t Stats
	for i := range vpds {
		v := &vpds[i].Stats
		t.Positions += v.Positions
		t.Active += v.Active
		t.ActiveWithDPN += v.ActiveWithDPN
		t.DuplicateDPNs += v.DuplicateDPNs
		t.PositionsInDuplicates += v.PositionsInDuplicates
		t.DPNIssues += v.DPNIssues
		t.PositionNameIssues += v.PositionNameIssues
		t.Errors += v.Errors
		t.Warnings += v.Warnings
		t.Infos += v.Infos
		t.InputErrors += v.InputErrors
		t.Accepted += v.Accepted
		t.ExpiredAcceptances += v.ExpiredAcceptances
		for rule, n := range v.ByRule {
			if t.ByRule == nil {
				t.ByRule = make(map[string]int)
			}
			t.ByRule[rule] += n
		}
	}
	t.Ready = ready(&t)
	return t
}
