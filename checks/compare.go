package checks

import (
	"time"

	"dpnkit/internal/model"
)

// FindingKey identifies a finding from one check of a VPD to the next: the
// rule, the position number and the finding's raw value. The row is not part
// of it, so a position that moves in the export keeps its findings. A
// finding without a position number (none of the position rules make one,
// but a future rule might) is keyed by the fields it has.
type FindingKey struct {
	Rule, PositionNumber, Value string
}

// KeyOf returns f's key.
func KeyOf(f *Finding) FindingKey {
	return FindingKey{Rule: f.Rule, PositionNumber: f.PositionNumber, Value: f.Value}
}

// PastFinding is a finding as a check records it: enough to list it again
// when a later check finds it resolved. PositionName and DPN are those of the
// position the finding is about when the check kept it (an active position
// carrying a DPN), else empty; Row and File locate it in that check's input.
type PastFinding struct {
	FindingKey
	Severity     Severity
	Message      string
	PositionName string
	DPN          string
	File         string
	Row          int
}

// CheckRef names a recorded check.
type CheckRef struct {
	ID      int64     // the history's check id; 0 = none
	AsOf    time.Time // the check's as-of date
	Checked time.Time // when the check was made (wall clock, UTC)
}

// Changes compares one VPD's findings with those of its previous recorded
// check. Previous.ID == 0 means this is the VPD's first recorded check:
// nothing was compared and New, Persisting and Resolved are empty.
type Changes struct {
	Previous   CheckRef
	New        []Finding     // found now, not before; in the order of the current findings
	Persisting int           // found both times
	Resolved   []PastFinding // found before, not now; in the order they were recorded
}

// Compared reports whether c holds a comparison with an earlier check (false
// for nil and for a VPD's first recorded check).
func (c *Changes) Compared() bool { return c != nil && c.Previous.ID != 0 }

// Compare classifies the findings of a VPD's check against those its
// previous check recorded. A key found k times before and n times now gives
// min(k, n) persisting findings, n-k new ones (the last ones of cur with that
// key) or k-n resolved ones (the last ones of prev). The caller sets
// Previous.
func Compare(prev []PastFinding, cur []Finding) Changes {
	left := make(map[FindingKey]int, len(prev))
	for i := range prev {
		left[prev[i].FindingKey]++
	}
	var ch Changes
	for i := range cur {
		k := KeyOf(&cur[i])
		if left[k] > 0 {
			left[k]--
			ch.Persisting++
			continue
		}
		ch.New = append(ch.New, cur[i])
	}
	// What is left over was not found again; the last ones of each key are
	// the resolved ones, so walk prev backwards and restore its order.
	for i := len(prev) - 1; i >= 0; i-- {
		k := prev[i].FindingKey
		if left[k] > 0 {
			left[k]--
			ch.Resolved = append(ch.Resolved, prev[i])
		}
	}
	for i, j := 0, len(ch.Resolved)-1; i < j; i, j = i+1, j-1 {
		ch.Resolved[i], ch.Resolved[j] = ch.Resolved[j], ch.Resolved[i]
	}
	return ch
}

// PositionIndex finds the position a finding of a VPD is about, by file and
// row, among the VPD's kept positions (Positions and Inactive).
type PositionIndex struct {
	at map[posAt]*model.Position
}

type posAt struct {
	file string
	row  int
}

// IndexPositions indexes v's kept positions by file and row.
func IndexPositions(v *VPDResult) *PositionIndex {
	p := &PositionIndex{at: make(map[posAt]*model.Position, len(v.Positions)+len(v.Inactive))}
	for _, list := range [][]model.Position{v.Inactive, v.Positions} {
		for i := range list {
			p.at[posAt{list[i].File, list[i].Row}] = &list[i]
		}
	}
	return p
}

// Past returns f as a check records it, with the position name and DPN of
// its position when p holds it.
func (p *PositionIndex) Past(f *Finding) PastFinding {
	pf := PastFinding{FindingKey: KeyOf(f), Severity: f.Severity, Message: f.Message, File: f.File, Row: f.Row}
	if pos := p.at[posAt{f.File, f.Row}]; pos != nil {
		pf.PositionName, pf.DPN = pos.Name, pos.DPN
	}
	return pf
}

// ChangeTotals sums the comparisons of a result's VPDs.
type ChangeTotals struct {
	VPDs                      int // VPDs compared with an earlier check
	New, Persisting, Resolved int
	// Previous is the previous check when every compared VPD was last
	// checked by the same check, else zero.
	Previous CheckRef
}

// ChangeTotals sums the VPDs' comparisons; ok is false when no VPD was
// compared.
func (r *Result) ChangeTotals() (t ChangeTotals, ok bool) {
	same := true
	for i := range r.VPDs {
		c := r.VPDs[i].Changes
		if !c.Compared() {
			continue
		}
		if t.VPDs == 0 {
			t.Previous = c.Previous
		} else if c.Previous.ID != t.Previous.ID {
			same = false
		}
		t.VPDs++
		t.New += len(c.New)
		t.Persisting += c.Persisting
		t.Resolved += len(c.Resolved)
	}
	if !same {
		t.Previous = CheckRef{}
	}
	return t, t.VPDs > 0
}
