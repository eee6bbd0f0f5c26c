package pipeline

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/atomicfile"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/load"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
	"dpnkit/report"
)

// ReconcileOptions configure `dpnkit reconcile`.
type ReconcileOptions struct {
	Positions  []string // ESR position exports, any shape `check` accepts
	Placements []string // TIS placement exports
	AsOf       time.Time
	VPD        string
	Map        map[string]string // field=Header for either kind of file
	HeaderRow  map[string]int    // the header's row of tabular files (load.Options.HeaderRow)
	Sheet      string
	Format     string
	OutDir     string // where Placement_ESR_Check_<date>.xlsx goes; "" = no workbook
	Workers    int
	Top        int
	Redact     bool   // mask personal fields (report.Meta.Redact)
	Password   string // encrypt the exception workbook (report.Meta.Password); "" = not
	// LocalOffices is a file of further local office names; "" = the
	// built-in table only.
	LocalOffices string
	// LocalOfficeNames, TrustNames and Config are the configuration's
	// (CheckOptions).
	LocalOfficeNames map[string][]string
	TrustNames       map[string]string
	Config           string
	// Policy applies to the DPN check of the positions (its verdict, its
	// accepted findings); nil = none.
	Policy *checks.Policy
}

// Reconcile checks the positions, matches the TIS placements to them and
// prints the result; with OutDir it writes the HEE exception workbook.
func Reconcile(ctx context.Context, s *iostreams.Streams, opts ReconcileOptions) (*reconcile.Result, []string, error) {
	if opts.OutDir != "" {
		if err := ensureWritableDir(opts.OutDir); err != nil {
			return nil, nil, err
		}
	}
	offices, err := localOffices(opts.LocalOffices, opts.LocalOfficeNames, opts.Config)
	if err != nil {
		return nil, nil, err
	}
	posMap, placMap := splitMap(opts.Map)
	bar, meter := loadMeter(s, "loading", opts.Positions, opts.Placements)
	defer bar.Done()
	_, placInputs, res, err := loadReconciled(ctx, reconcileLoad{
		offices:   offices,
		positions: opts.Positions, placements: opts.Placements,
		posOpts: load.Options{VPD: opts.VPD, Map: posMap, HeaderRow: opts.HeaderRow, Sheet: opts.Sheet,
			Workers: opts.Workers, Progress: meter},
		placOpts:    load.Options{Map: placMap, HeaderRow: opts.HeaderRow, Sheet: opts.Sheet, Workers: opts.Workers, Progress: meter},
		rec:         reconcile.Options{AsOf: opts.AsOf, Lean: true},
		reconciling: func() { bar.Phase("reconciling", 0) },
		policy:      opts.Policy,
	})
	if err != nil {
		return nil, nil, err
	}
	for _, in := range placInputs {
		if in.Rows == 0 {
			return nil, nil, fmt.Errorf("%s: no placement records: the file has a header but no data rows", in.Path)
		}
	}

	meta := report.Meta{Tool: Tool, Version: Version, AsOf: opts.AsOf, Redact: opts.Redact, Password: opts.Password,
		TrustNames: opts.TrustNames}
	var paths []string
	if opts.OutDir != "" {
		bar.Phase("writing report", 0)
		p, err := atomicfile.WriteFile(opts.OutDir, report.ExceptionWorkbookName(opts.AsOf), func(w io.Writer) error {
			return report.ExceptionWorkbook(w, res, meta)
		})
		if err != nil {
			return nil, nil, fmt.Errorf("write exception report: %w", err)
		}
		paths = append(paths, p)
	}
	bar.Done()
	printInputs(s, opts.Format, res.PositionInputs, res.PlacementInputs)
	switch opts.Format {
	case FormatJSON:
		err = report.ReconcileJSON(s.Out, res, meta)
	case FormatCSV:
		err = report.ReconcileCSV(s.Out, res)
	default:
		err = report.ReconcileTerminal(s.Out, res, meta, terminal(s, opts.Top, paths))
	}
	if err != nil {
		return nil, nil, err
	}
	w := s.Out
	if opts.Format != FormatTable {
		w = s.Err
	}
	if res.PositionCheck != nil {
		printPolicy(w, res.PositionCheck, opts.Config)
	}
	printPlacementPolicy(w, res, opts.Config)
	if len(paths) > 0 {
		printPaths(w, paths, opts.OutDir)
	}
	return res, paths, nil
}

// reconcileLoad is what loadReconciled reads and how: the files, the
// options of their loads (Progress included; posOpts.Workers also sets
// the reconciliation's) and of the reconciliation (its AsOf is the
// check's).
type reconcileLoad struct {
	positions, placements []string
	posOpts, placOpts     load.Options
	rec                   reconcile.Options
	reconciling           func()              // called, if set, once both are loaded
	offices               *model.LocalOffices // the check's local office names; nil = built in
	// seePlacements, if set, sees every batch of placements as it loads
	// (the reconciliation keeps only those in scope); it may be called
	// from several goroutines at once.
	seePlacements func([]model.Placement)
	// policy applies to the DPN check before the reconciliation sees it
	// (checks.ApplyPolicy); nil = none.
	policy *checks.Policy
}

// loadReconciled loads and checks the positions (inactive ones kept: the
// reconciliation tells placements on ended posts apart) and reconciles the
// placements against them, for reconcile and run. The placements are read
// while the positions are, into a buffer that keeps them and then does
// what needs only them (their order, which overlap), and are matched once
// the positions are checked: the loads overlap where there are cores to
// spare (on this project's 2-core machine the run measured the same
// either way). Errors are reported as if one file were read after the
// other: the positions' first.
func loadReconciled(ctx context.Context, l reconcileLoad) (posInputs, placInputs []model.Input, _ *reconcile.Result, _ error) {
	buf := reconcile.NewPlacementBuffer(l.rec)
	placCtx, cancelPlacements := context.WithCancel(ctx)
	defer cancelPlacements()
	type loaded struct {
		inputs []model.Input
		err    error
	}
	placDone := make(chan loaded, 1)
	go func() {
		sink := buf.Add
		if see := l.seePlacements; see != nil {
			sink = func(batch []model.Placement) { see(batch); buf.Add(batch) }
		}
		in, err := load.Placements(placCtx, l.placements, l.placOpts, sink)
		if err == nil {
			buf.Prepare()
		}
		placDone <- loaded{in, err}
	}()
	runner := checks.NewRunner(checks.Options{AsOf: l.rec.AsOf, KeepInactive: true, LocalOffices: l.offices})
	// Rows no rule and no match can use (no DPN) are only counted
	// (checks.CountOnly): nothing reconciled or run needs them built.
	posOpts := l.posOpts
	posOpts.Counter = runner
	posInputs, err := load.Positions(ctx, l.positions, posOpts, runner.Add)
	if err == nil {
		err = refuseEmpty(posInputs, l.posOpts.VPD)
	}
	if err != nil {
		cancelPlacements()
		<-placDone
		return nil, nil, nil, err
	}
	plac := <-placDone
	if plac.err != nil {
		return nil, nil, nil, plac.err
	}
	if l.reconciling != nil {
		l.reconciling()
	}
	chk := runner.Finish(posInputs)
	checks.ApplyPolicy(chk, l.policy, l.rec.AsOf)
	rec := reconcile.New(chk, l.rec)
	rec.AddBuffer(buf, workers(l.posOpts.Workers))
	res := rec.Finish(posInputs, plac.inputs)
	reconcile.ApplyPolicy(res, l.policy)
	return posInputs, plac.inputs, res, nil
}

// workers is the number of goroutines for n: n, or every core when 0.
func workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// splitMap gives each loader the --map entries for its own fields, so one
// flag serves both kinds of file: a position field to the positions, any
// other to the placements (and the people, which run gives the same map).
// An entry naming its file ("FILE:field") goes to both: only the loader
// of that file uses it, and a loader leaves out the fields of other kinds.
func splitMap(m map[string]string) (positions, placements map[string]string) {
	if len(m) == 0 {
		return nil, nil
	}
	known := func(fields []load.Field, name string) bool {
		for _, f := range fields {
			if f.Name == name {
				return true
			}
		}
		return false
	}
	positions, placements = map[string]string{}, map[string]string{}
	for k, v := range m {
		file, field := load.SplitMapKey(k)
		switch {
		case file != "":
			positions[k], placements[k] = v, v
		case !known(load.Fields, field):
			placements[k] = v
		default:
			positions[k] = v
		}
	}
	return positions, placements
}
