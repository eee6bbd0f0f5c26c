package checks

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
	st.Warnings, st.Infos, st.InputErrors = 0, 0, 0
	st.ByRule = nil
	for _, f := range findings {
		switch f.Severity {
		case Warning:
			st.Warnings++
		case Info:
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

// ready is the go-live verdict: no duplicate DPNs, no DPN issues and no
// position-name issues. Warnings, infos and unreadable dates do not block.
func ready(st *Stats) bool {
	return st.DuplicateDPNs == 0 && st.DPNIssues == 0 && st.PositionNameIssues == 0
}

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
		t.Warnings += v.Warnings
		t.Infos += v.Infos
		t.InputErrors += v.InputErrors
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
