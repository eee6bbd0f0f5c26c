package checks

import (
	"sort"
	"strings"
	"sync"
	"time"

	"dpnkit/internal/model"
)

// Options configure a run of the checks.
type Options struct {
	// AsOf is the as-of date (UTC midnight) that decides which positions
	// are active. It must be set: the zero time treats every position that
	// is not eliminated or deleted as active.
	AsOf time.Time
	// KeepInactive keeps (clones) the end-dated, eliminated or deleted
	// positions that still carry a DPN, in VPDResult.Inactive, so that
	// reconciliation can tell "ESR Position End-Dated" from "No ESR
	// Position". Off by default: a plain check does not need them.
	KeepInactive bool
	// LocalOffices maps Managing Deanery Body names to codes
	// (dpn.body-mismatch); nil = model's built-in table.
	LocalOffices *model.LocalOffices
}

// Runner checks positions streamed to it in batches. Add may be called from
// several goroutines at once; Finish is called once, after every Add has
// returned.
//
// Only active positions carrying a DPN are kept (cloned) for the checks
// that need every position and for the report; other positions leave only
// their counts and findings behind.
type Runner struct {
	opts           Options
	positionChecks []PositionCheck
	setChecks      []SetCheck

	mu    sync.Mutex
	stats map[string]*Stats // by VPD: counts made in Add
	// kept and inactive hold the cloned positions carrying a DPN, by VPD:
	// active ones for the checks and the report, inactive ones only with
	// KeepInactive. Each VPD's kept positions are the batches' runs of them
	// as they came (never regrown while the loader works), joined into one
	// slice, once, by the first Finish.
	kept     map[string][][]model.Position
	inactive map[string][]model.Position
	// findings are the per-position findings (strings owned), one slice
	// per batch: kept as they came, never copied into one growing slice.
	findings [][]Finding
}

// NewRunner returns a Runner for opts, applying every check of Checks.
func NewRunner(opts Options) *Runner {
	r := &Runner{opts: opts, stats: make(map[string]*Stats),
		kept: make(map[string][][]model.Position), inactive: make(map[string][]model.Position)}
	for _, c := range Checks {
		if pc, ok := c.(PositionCheck); ok {
			r.positionChecks = append(r.positionChecks, pc)
		}
		if sc, ok := c.(SetCheck); ok {
			r.setChecks = append(r.setChecks, sc)
		}
	}
	return r
}

// Add checks one batch of positions. It is safe for concurrent use. The
// batch and its strings need only be valid during the call: whatever Add
// keeps, it copies. The work is done on local state and merged under the
// Runner's lock once per batch.
func (r *Runner) Add(batch []model.Position) {
	if len(batch) == 0 {
		return
	}
	var (
		local   = make(map[string]*Stats) // keyed by the batch's own VPD strings
		lastVPD string
		last    *Stats
		keep    []int32 // indexes in batch of the active positions carrying a DPN
		dormant []model.Position
		found   []Finding
		s       Subject // reused: passing &s to the checks costs one allocation per batch
		files   interner
		vpds    interner
	)
	for i := range batch {
		p := &batch[i]
		if last == nil || p.VPD != lastVPD {
			lastVPD = p.VPD
			if last = local[lastVPD]; last == nil {
				last = &Stats{}
				local[lastVPD] = last
			}
		}
		s = newSubject(p, r.opts.AsOf)
		start := len(found)
		for _, c := range r.positionChecks {
			found = c.CheckPosition(&s, found)
		}
		last.Positions++
		if s.Active {
			last.Active++
			if s.HasDPN {
				last.ActiveWithDPN++
				keep = append(keep, int32(i))
			}
		} else if r.opts.KeepInactive && s.HasDPN {
			dormant = append(dormant, cloneInterned(p, &files, &vpds))
		}
		if len(found) == start {
			continue
		}
		dpnIssue, nameIssue := ownFindings(found[start:], &files, &vpds)
		if dpnIssue {
			last.DPNIssues++
		}
		if nameIssue {
			last.PositionNameIssues++
		}
	}
	kept := cloneKept(batch, keep, &files, &vpds)

	r.mu.Lock()
	defer r.mu.Unlock()
	r.merge(local, kept, dormant, found)
}

// ownFindings makes one position's findings its own (their strings no
// longer the loader's) and reports whether any is a DPN issue, and any a
// position name issue.
func ownFindings(fs []Finding, files, vpds *interner) (dpnIssue, nameIssue bool) {
	for j := range fs {
		f := &fs[j]
		dpnIssue = dpnIssue || isDPNIssue(f.Rule)
		nameIssue = nameIssue || isNameIssue(f.Rule)
		f.VPD, f.File = vpds.get(f.VPD), files.get(f.File)
		own(f)
	}
	return dpnIssue, nameIssue
}

// cloneKept clones the positions of batch that keep indexes into a slice
// of their exact number: it is kept as it is (see Runner.kept).
func cloneKept(batch []model.Position, keep []int32, files, vpds *interner) []model.Position {
	kept := make([]model.Position, len(keep))
	for j, i := range keep {
		kept[j] = cloneInterned(&batch[i], files, vpds)
	}
	return kept
}

// cloneInterned is p.Clone with File and VPD interned: they are left out of
// the position's own copy of its texts (a national file's path would be a
// tenth of it) and shared along the batch.
func cloneInterned(p *model.Position, files, vpds *interner) model.Position {
	q := *p
	q.File, q.VPD = "", ""
	c := q.Clone()
	c.File, c.VPD = files.get(p.File), vpds.get(p.VPD)
	return c
}

// statsOf returns the Stats block of vpd, adding one (with its own copy of
// vpd, which may share memory with a loader's buffers) on first sight. The
// caller holds r.mu.
func (r *Runner) statsOf(vpd string) *Stats {
	st := r.stats[vpd]
	if st == nil {
		vpd = strings.Clone(vpd)
		st = &Stats{VPD: vpd}
		r.stats[vpd] = st
	}
	return st
}

// merge adds a batch's counts per VPD, kept and dormant positions and
// findings to the Runner's. The caller holds r.mu.
func (r *Runner) merge(local map[string]*Stats, kept, dormant []model.Position, found []Finding) {
	for vpd, ls := range local {
		st := r.statsOf(vpd)
		st.Positions += ls.Positions
		st.Active += ls.Active
		st.ActiveWithDPN += ls.ActiveWithDPN
		st.DPNIssues += ls.DPNIssues
		st.PositionNameIssues += ls.PositionNameIssues
	}
	for lo := 0; lo < len(kept); {
		hi := lo + 1
		for hi < len(kept) && kept[hi].VPD == kept[lo].VPD {
			hi++
		}
		r.kept[kept[lo].VPD] = append(r.kept[kept[lo].VPD], kept[lo:hi:hi])
		lo = hi
	}
	for i := range dormant {
		r.inactive[dormant[i].VPD] = append(r.inactive[dormant[i].VPD], dormant[i])
	}
	if len(found) > 0 {
		r.findings = append(r.findings, found)
	}
}

// interner copies strings that repeat along a batch (file, VPD) once, so
// that kept positions and findings share one copy, not the loader's buffer.
type interner struct {
	raw, owned string
	ok         bool
}

func (in *interner) get(s string) string {
	if !in.ok || s != in.raw {
		in.raw, in.owned, in.ok = s, strings.Clone(s), true
	}
	return in.owned
}

// own copies a finding's per-position strings so that it no longer shares
// memory with the loader's buffers (VPD and File are interned by Add).
// Messages are built fresh and are already owned.
func own(f *Finding) {
	f.Column = strings.Clone(f.Column)
	f.PositionNumber = strings.Clone(f.PositionNumber)
	f.Value = strings.Clone(f.Value)
}

// isDPNIssue reports whether a rule counts towards "No. of data quality
// issues with DPN".
func isDPNIssue(rule string) bool {
	switch rule {
	case RuleDPNParts, RuleDPNPrefix, RuleDPNChars, RuleDPNEmptyPart:
		return true
	}
	return false
}

// isNameIssue reports whether a rule counts towards "No. of data quality
// issues with Position Name".
func isNameIssue(rule string) bool {
	switch rule {
	case RuleNameParts, RuleNameNumber, RuleNameChars:
		return true
	}
	return false
}

// Finish runs the checks that need every position (duplicates, cross-VPD,
// once-per-VPD notes), computes the statistics, sorts everything and
// returns the result. Call it once, after every Add has returned; calling
// it again returns an equal result.
func (r *Runner) Finish(inputs []model.Input) *Result {
	r.mu.Lock()
	defer r.mu.Unlock()

	set := r.buildSet()
	byVPD := r.findingsByVPD(set)
	sets := make(map[string]*VPDSet, len(set.VPDs))
	for i := range set.VPDs {
		sets[set.VPDs[i].VPD] = &set.VPDs[i]
	}

	vpds := make([]string, 0, len(r.stats))
	for v := range r.stats {
		vpds = append(vpds, v)
	}
	sort.Strings(vpds)

	inactive := r.inactive

	res := &Result{Inputs: inputs, VPDs: make([]VPDResult, 0, len(vpds))}
	for _, v := range vpds {
		vr := VPDResult{Stats: *r.stats[v], Findings: byVPD[v], Inactive: inactive[v]}
		sortPositions(vr.Inactive)
		vr.ByRule = nil
		if vs := sets[v]; vs != nil {
			vr.Positions = vs.Positions
			vr.Duplicates = vs.Duplicates
		}
		sortFindings(vr.Findings)
		vr.Stats = vpdStats(vr.Stats, vr.Duplicates, vr.Findings)
		res.VPDs = append(res.VPDs, vr)
	}
	res.Totals = totals(res.VPDs)
	return res
}

// findingsByVPD gathers the per-position findings and those of the set
// checks into one slice per VPD. A VPD whose findings all come from one
// set check (a VPD where every position shares one DPN: one duplicate
// finding each) keeps that check's run of them, uncopied; the others get
// one slice each, allocated at its final size. So a run holds its findings
// once, not in several growing copies. The per-position findings stay as
// they are, so that Finish can be called again.
func (r *Runner) findingsByVPD(set *Set) map[string][]Finding {
	type run struct {
		check, lo, hi int
		shared        bool // findings from elsewhere too
	}
	count := make(map[string]int)
	for _, batch := range r.findings {
		for i := range batch {
			count[batch[i].VPD]++
		}
	}
	sets := make([][]Finding, len(r.setChecks))
	runs := make(map[string]*run)
	for ci, c := range r.setChecks {
		sets[ci] = c.CheckSet(set)
		fs := sets[ci]
		for lo := 0; lo < len(fs); {
			hi := lo + 1
			for hi < len(fs) && fs[hi].VPD == fs[lo].VPD {
				hi++
			}
			v := fs[lo].VPD
			if rn := runs[v]; rn != nil {
				rn.shared = true
			} else {
				runs[v] = &run{check: ci, lo: lo, hi: hi, shared: count[v] > 0}
			}
			count[v] += hi - lo
			lo = hi
		}
	}
	byVPD := make(map[string][]Finding, len(count))
	for v, n := range count {
		if rn := runs[v]; rn != nil && !rn.shared {
			byVPD[v] = sets[rn.check][rn.lo:rn.hi:rn.hi]
			continue
		}
		byVPD[v] = make([]Finding, 0, n)
	}
	add := func(f *Finding) {
		if rn := runs[f.VPD]; rn == nil || rn.shared {
			byVPD[f.VPD] = append(byVPD[f.VPD], *f)
		}
	}
	for _, batch := range r.findings {
		for i := range batch {
			add(&batch[i])
		}
	}
	for ci := range sets {
		for i := range sets[ci] {
			add(&sets[ci][i])
		}
	}
	return byVPD
}

// buildSet groups the kept positions by VPD, sorts them by number, file
// and row, and finds each VPD's duplicate groups.
func (r *Runner) buildSet() *Set {
	set := &Set{VPDs: make([]VPDSet, 0, len(r.kept)), LocalOffices: r.opts.LocalOffices}
	for v, runs := range r.kept {
		ps := sortRuns(runs)
		r.kept[v] = [][]model.Position{ps} // a second Finish finds them joined
		vs := VPDSet{VPD: v, Positions: ps, Normal: make([]string, len(ps))}
		for i := range ps {
			vs.Normal[i] = model.NormalDPN(ps[i].DPN)
		}
		vs.Duplicates = groupDuplicates(&vs)
		set.VPDs = append(set.VPDs, vs)
	}
	sort.Slice(set.VPDs, func(a, b int) bool { return set.VPDs[a].VPD < set.VPDs[b].VPD })
	return set
}

// sortRuns is runs as one slice sorted by positionLess. It sorts indexes,
// not the 368-byte positions, then moves each position once: into a new
// slice of their exact number when there are several runs, or within the
// only run, in place. The runs are dropped.
func sortRuns(runs [][]model.Position) []model.Position {
	if len(runs) == 1 {
		sortPositions(runs[0])
		return runs[0]
	}
	n := 0
	for _, r := range runs {
		n += len(r)
	}
	order := make([]*model.Position, 0, n)
	for _, r := range runs {
		for i := range r {
			order = append(order, &r[i])
		}
	}
	sort.Slice(order, func(a, b int) bool { return positionLess(order[a], order[b]) })
	ps := make([]model.Position, n)
	for i, p := range order {
		ps[i] = *p
	}
	clear(runs)
	return ps
}

// sortPositions sorts ps by positionLess in place, sorting indexes and then
// moving each position once.
func sortPositions(ps []model.Position) {
	from := make([]int32, len(ps)) // from[i]: index of the position that goes to i
	for i := range from {
		from[i] = int32(i)
	}
	sort.Slice(from, func(a, b int) bool { return positionLess(&ps[from[a]], &ps[from[b]]) })
	permute(ps, from)
}

// permute rearranges ps in place so that the new ps[i] is the old
// ps[from[i]], following each cycle of the permutation once. It uses up
// from.
func permute(ps []model.Position, from []int32) {
	for i := range ps {
		if from[i] < 0 || int(from[i]) == i {
			continue
		}
		tmp := ps[i]
		j := i
		for {
			k := int(from[j])
			from[j] = -1
			if k == i {
				ps[j] = tmp
				break
			}
			ps[j] = ps[k]
			j = k
		}
	}
}

// positionLess orders positions by number, file and row, then by the
// remaining values so that the order never depends on arrival.
func positionLess(a, b *model.Position) bool {
	switch {
	case a.Number != b.Number:
		return a.Number < b.Number
	case a.File != b.File:
		return a.File < b.File
	case a.Row != b.Row:
		return a.Row < b.Row
	case a.DPN != b.DPN:
		return a.DPN < b.DPN
	case a.Name != b.Name:
		return a.Name < b.Name
	}
	return a.ID < b.ID
}

// sortFindings orders findings by row, rule, file and value, then by the
// remaining fields so that the order never depends on arrival.
func sortFindings(fs []Finding) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		switch {
		case a.Row != b.Row:
			return a.Row < b.Row
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		case a.File != b.File:
			return a.File < b.File
		case a.Value != b.Value:
			return a.Value < b.Value
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.PositionNumber != b.PositionNumber:
			return a.PositionNumber < b.PositionNumber
		}
		return a.Message < b.Message
	})
}
