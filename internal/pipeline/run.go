package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"dpnkit/internal/atomicfile"
	"dpnkit/internal/exchange"
	"dpnkit/internal/filename"
	"dpnkit/internal/history"
	"dpnkit/internal/interchange"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/load"
	"dpnkit/internal/model"
	"dpnkit/internal/redact"
	"dpnkit/reconcile"
	"dpnkit/report"
)

// RunOptions configure `dpnkit run`.
type RunOptions struct {
	Positions  []string
	Placements []string
	People     []string
	AsOf       time.Time
	VPD        string
	Map        map[string]string
	HeaderRow  map[string]int // the header's row of tabular files (load.Options.HeaderRow)
	Sheet      string
	DB         string // run history; "" = dpnkit.db
	Out        string // folder for the run's files
	DryRun     bool   // write every report, change no state
	Values     string // replacement coded-value lists; "" = built in
	JSONLines  bool   // APP records as JSON lines instead of CSV
	// CSVNames names the interface files (APP, APC, DNF, DNC) by their
	// content, .csv or .jsonl, instead of .DAT as the real interface does.
	CSVNames bool
	// LocalOffices is a file of further local office names; "" = the
	// built-in table only.
	LocalOffices string
	Format       string
	Workers      int
	Redact       bool   // mask personal fields in every file (report.Meta.Redact)
	Password     string // encrypt the .xlsx files (report.Meta.Password); "" = not
	// Force runs an as-of date earlier than the last run in the history,
	// which is otherwise refused (UsageError).
	Force bool
	// Pause, when set, is called with the run's context as the run reaches
	// each of these points, and the run waits for it to return (tests stop
	// a run there):
	//   "positions staged"  the exchange's positions are in the history's
	//                       open transaction
	//   "writing"           the first file is being written (its temporary
	//                       file exists in the staging folder)
	//   "committing"        every file is written, the state not yet
	//                       committed
	Pause func(ctx context.Context, stage string)
	// PartialExport accepts a placement export narrower than the last
	// run's (exchange.Input.PartialExport).
	PartialExport bool

	// LocalOfficeNames, TrustNames and Config are the configuration's
	// (CheckOptions).
	LocalOfficeNames map[string][]string
	TrustNames       map[string]string
	Config           string
}

// UsageError is a mistake in how a job was asked for, found only once the
// job looks at its files or history (exit status 2, as a bad flag).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func (o *RunOptions) pause(ctx context.Context, stage string) {
	if o.Pause != nil {
		o.Pause(ctx, stage)
	}
}

// Run does one interface run (interface-run.md steps 1–8): load, check,
// reconcile, exchange against the state of the last run, write the files,
// then commit the new state in one transaction. The files go into a
// staging folder in opts.Out that becomes the run's own folder
// (runfolder.go) only after the commit, so a run that fails or is
// cancelled leaves neither files nor history changed.
func Run(ctx context.Context, s *iostreams.Streams, opts RunOptions) (*exchange.Result, error) {
	res, saved, err := runDay(ctx, s, opts)
	if err != nil && !saved && ctx.Err() != nil {
		return nil, fmt.Errorf("run stopped before its state was saved; no file was kept and the history is unchanged: %w", err)
	}
	return res, err
}

// runDay is Run; saved reports whether the run's state was committed
// (or, for a dry run, its files were put in place).
//
// Long: to be split into plan / early files / finish / commit steps when
// exchange.Run splits into Plan and Finish (issue 18), not before.
func runDay(ctx context.Context, s *iostreams.Streams, opts RunOptions) (_ *exchange.Result, saved bool, _ error) {
	started := time.Now().UTC()
	db := cmp.Or(opts.DB, "dpnkit.db")
	if opts.Out == "" {
		return nil, false, &UsageError{"run needs an output folder (--out DIR)"}
	}
	if err := checkRunPaths(opts.Out, db); err != nil {
		return nil, false, err
	}
	offices, err := localOffices(opts.LocalOffices, opts.LocalOfficeNames, opts.Config)
	if err != nil {
		return nil, false, err
	}
	values, err := runValues(opts.Values)
	if err != nil {
		return nil, false, err
	}
	var (
		prev     exchange.State
		prevErr  error
		prevRead sync.WaitGroup // the last run's state, read while the inputs load
	)
	// Everything about the history is checked before any file is written.
	store, err := openRunHistory(ctx, s.Err, db, opts)
	if err != nil {
		return nil, false, err
	}
	if store != nil {
		defer store.Close()
		// Reading the last state (half a second after a national run) needs
		// one core the loaders leave; it is waited for before the exchange,
		// and before the store closes on any way out.
		prevRead.Go(func() { prev, prevErr = store.State(ctx) })
		defer prevRead.Wait()
	}
	folder, err := newRunFolder(opts.Out, opts.AsOf, opts.DryRun, s.Err)
	if err != nil {
		return nil, false, err
	}
	defer folder.discard() // unless published

	posMap, placMap := splitMap(opts.Map)
	bar, meter := loadMeter(s, "loading", opts.Positions, opts.Placements)
	defer bar.Done()
	export := exchange.NewExportView(opts.AsOf)
	posInputs, placInputs, recRes, err := loadReconciled(ctx, reconcileLoad{
		positions: opts.Positions, placements: opts.Placements, offices: offices,
		posOpts: load.Options{VPD: opts.VPD, Map: posMap, HeaderRow: opts.HeaderRow, Sheet: opts.Sheet, Workers: opts.Workers,
			Checksum: true, Progress: meter},
		placOpts: load.Options{Map: placMap, HeaderRow: opts.HeaderRow, Sheet: opts.Sheet, Workers: opts.Workers, Checksum: true, Progress: meter},
		rec: reconcile.Options{AsOf: opts.AsOf, KeepFull: exchange.FullInWindow(opts.AsOf),
			NoSuggestions: true},
		seePlacements: export.Add,
	})
	if err != nil {
		return nil, false, err
	}
	prevRead.Wait()
	if prevErr != nil {
		return nil, false, fmt.Errorf("read run history %s: %w", db, prevErr)
	}
	// The people are loaded while the exchange does the steps that do not
	// need them (outbound, applicants, MEDROT): on two cores the exchange's
	// single thread and the loader's workers share the machine instead of
	// taking turns.
	// Only the people who could match an applicant are kept: the loader
	// hands on no others (KeepPerson).
	mayKeep := exchange.PeopleKeep(recRes)
	peopleCtx, cancelPeople := context.WithCancel(ctx)
	defer cancelPeople()
	type loadedPeople struct {
		people []model.Person
		inputs []model.Input
		err    error
	}
	peopleCh := make(chan loadedPeople, 1)
	peopleMeter := nextLoad(bar, "people", opts.People)
	go func() {
		// Each batch's kept people go in a slice of their exact size and
		// the slices are joined once at the end: the people kept are a few
		// percent of 1.5M, but regrowing one slice of them under a lock
		// copied them several times over.
		var chunks [][]model.Person
		var mu sync.Mutex
		inputs, err := load.People(peopleCtx, opts.People,
			load.Options{VPD: opts.VPD, Map: placMap, HeaderRow: opts.HeaderRow, Sheet: opts.Sheet, Workers: opts.Workers, Checksum: true,
				Progress: peopleMeter, KeepPerson: mayKeep},
			func(batch []model.Person) {
				if len(batch) == 0 {
					return
				}
				chunk := make([]model.Person, len(batch))
				for i := range batch {
					chunk[i] = batch[i].Clone() // the batch's strings are the loader's
				}
				mu.Lock()
				chunks = append(chunks, chunk)
				mu.Unlock()
			})
		peopleCh <- loadedPeople{slices.Concat(chunks...), inputs, err}
	}()
	var (
		peopleInputs []model.Input
		peopleErr    error
		waited       bool
	)
	waitPeople := func() ([]model.Person, error) {
		waited = true
		r := <-peopleCh
		peopleInputs, peopleErr = r.inputs, r.err
		if r.err != nil {
			return nil, r.err
		}
		bar.Phase("interface run", 0)
		return r.people, nil
	}
	// The history's transaction is begun, and the positions written, as
	// soon as the exchange knows them: the exchange's last steps run on
	// one core and leave the other to SQLite, which otherwise stands
	// alone on the run's critical path at the end.
	var (
		staged    *history.Staged
		stageErr  error
		stageDone chan struct{} // closed once staged (or stageErr) is set
	)
	beginStage := func(positions map[string]*exchange.POR, tis *exchange.TISSeen) {
		stageDone = make(chan struct{})
		go func() {
			defer close(stageDone)
			st, err := store.Begin(ctx, opts.AsOf)
			if err == nil && positions != nil {
				err = st.Positions(positions) // on error it has rolled back
			}
			if err == nil && tis != nil {
				err = st.TIS(tis) // likewise
			}
			if err != nil {
				stageErr = err
				return
			}
			staged = st
			if positions != nil {
				opts.pause(ctx, "positions staged")
			}
		}()
	}
	defer func() { // whatever way out: a stage not committed is rolled back
		if stageDone != nil {
			<-stageDone
			staged.Abort()
		}
	}()
	meta := report.Meta{Tool: Tool, Version: Version, AsOf: opts.AsOf, Redact: opts.Redact, Password: opts.Password,
		TrustNames: opts.TrustNames}
	// The files are written all or nothing, in two lots: those final
	// before the people are needed (POR, APP, MEDROT) begin as soon as
	// the exchange has them, on one writer beside its single thread; the
	// rest once it is done.
	files := atomicfile.NewBatch(ctx, folder.staging)
	defer files.Abort() // nothing written stays unless Close succeeds
	ready := false
	onReady := func(r *exchange.Result) {
		ready = true
		if !opts.DryRun {
			beginStage(r.Next.Positions, r.Next.TIS)
		}
		files.Add(pausedFirst(ctx, &opts, earlyRunFiles(r, meta, opts.JSONLines, opts.CSVNames)), 1)
	}
	// The exchange lets the DPN check go once it has the transferred
	// posts: nothing here may keep a pointer to it.
	check := recRes.PositionCheck
	recRes.PositionCheck = nil
	res, err := exchange.Run(exchange.Input{AsOf: opts.AsOf, Check: check, Reconcile: recRes,
		WaitPeople: waitPeople, Ready: onReady, Values: values, LocalOffices: offices,
		Export: export, PartialExport: opts.PartialExport}, prev)
	if !waited { // the exchange failed first: stop the load
		cancelPeople()
		<-peopleCh
	}
	if peopleErr != nil {
		return nil, false, peopleErr
	}
	if err != nil {
		if narrow := (*exchange.NarrowExportError)(nil); errors.As(err, &narrow) {
			return nil, false, fmt.Errorf("interface run: %w. Nothing was written and the run history is unchanged; "+
				"if the export leaves them out on purpose, run again with --partial-export (the last run's "+
				"placements of a local office it lacks are then kept as they were)", err)
		}
		return nil, false, fmt.Errorf("interface run: %w", err)
	}
	res.Rows.People = exchange.PeopleRowsOf(peopleInputs, res.Rows.People.Kept)
	if !ready { // exchange.Run calls Ready whenever it succeeds; were it not to, the files still go
		files.Add(pausedFirst(ctx, &opts, earlyRunFiles(res, meta, opts.JSONLines, opts.CSVNames)), 1)
	}
	bar.Phase("writing files", 0)
	// The rest of the state is staged in the history's transaction while
	// the files are written (the two use different cores, and the files'
	// fsyncs wait on the disk), and committed only once every file is in
	// place.
	stageCh := make(chan error, 1)
	if !opts.DryRun {
		run := history.Run{AsOf: opts.AsOf, Started: started, Finished: time.Now().UTC(),
			Inputs: runInputs(posInputs, placInputs, peopleInputs), Counts: res.Totals,
			Notifications: len(res.Notifications)}
		for _, f := range res.APPFiles {
			run.APPFiles = append(run.APPFiles, f.Name)
		}
		for _, f := range res.APCFiles {
			run.APCFiles = append(run.APCFiles, f.Name)
		}
		if stageDone == nil { // the exchange had no positions to hand over early
			beginStage(nil, nil)
		}
		go func() {
			<-stageDone
			if stageErr == nil {
				stageErr = staged.Finish(run, res.Next)
			}
			stageCh <- stageErr
		}()
	} else {
		stageCh <- nil
	}
	files.Add(lateRunFiles(res, meta, opts.CSVNames), fileWriters(opts.Workers))
	written, err := files.Close() // an error names the file
	stageErr = <-stageCh
	if err != nil {
		staged.Abort()
		return nil, false, err
	}
	if stageErr != nil {
		return nil, false, fmt.Errorf("save run to %s: %w", db, stageErr)
	}
	opts.pause(ctx, "committing")
	if err := ctx.Err(); err != nil {
		staged.Abort()
		return nil, false, err
	}
	if staged != nil {
		if _, err := staged.Commit(); err != nil {
			return nil, false, fmt.Errorf("save run to %s: %w; no file was kept and the history is unchanged", db, err)
		}
	}
	// The state is saved: from here the run's folder is put in place
	// whatever happens (a signal now is too late to stop the run).
	dir, err := folder.publish()
	if err != nil {
		kept := folder.staging
		folder.staging = "" // the saved run's files: never removed here
		return nil, true, fmt.Errorf("the run is saved in %s, but its files stay in %s: %w", db, kept, err)
	}
	for i, p := range written {
		written[i] = filepath.Join(dir, filepath.Base(p))
	}
	bar.Done()
	printInputs(s, opts.Format, posInputs, placInputs, peopleInputs)
	if err := printRun(s, res, meta, opts, written, dir); err != nil {
		return nil, true, err
	}
	return res, true, nil
}

// printRun shows the run's summary and where its files are.
func printRun(s *iostreams.Streams, res *exchange.Result, meta report.Meta, opts RunOptions, written []string, dir string) error {
	var err error
	switch opts.Format {
	case FormatJSON:
		err = report.RunJSON(s.Out, res, meta)
	default:
		err = report.RunTerminal(s.Out, res, meta, terminal(s, 0, nil))
	}
	if err != nil {
		return err
	}
	w := s.Out
	if opts.Format == FormatJSON {
		w = s.Err
	}
	if opts.DryRun {
		fmt.Fprintln(w, "dry run: the run history was not changed")
	}
	runFileNameNotes(w, res)
	printPaths(w, written, dir)
	return nil
}

// runFileNameNotes says which VPDs and managing deaneries of the run are
// named otherwise in its files (noteFileNames).
func runFileNameNotes(w io.Writer, res *exchange.Result) {
	var deaneries, vpds []string
	for _, f := range res.APPFiles {
		deaneries = append(deaneries, strings.ToUpper(f.Deanery))
	}
	for _, n := range res.MSO {
		vpds = append(vpds, n.VPD)
	}
	for _, r := range res.MEDROT {
		vpds = append(vpds, r.VPD)
	}
	noteFileNames(w, "managing deanery", deaneries)
	noteFileNames(w, "VPD", vpds)
}

// noteFileNames says, once for each of values that is not safe in a file
// name as it is, what its files are named with instead (filename.Part): a
// note for that value alone, its files written all the same.
func noteFileNames(w io.Writer, kind string, values []string) {
	seen := map[string]bool{}
	for _, v := range values {
		if !filename.Changed(v) || seen[v] {
			continue
		}
		seen[v] = true
		fmt.Fprintf(w, "note: %s %s cannot be used in a file name as it is: its files are named with %s\n",
			kind, filename.Quote(v), filename.Part(v))
	}
}

// pausedFirst has the first of files call opts.Pause("writing") before it
// writes, when opts.Pause is set.
func pausedFirst(ctx context.Context, opts *RunOptions, files []atomicfile.File) []atomicfile.File {
	if opts.Pause == nil || len(files) == 0 {
		return files
	}
	write := files[0].Write
	files[0].Write = func(w io.Writer) error {
		opts.pause(ctx, "writing")
		return write(w)
	}
	return files
}

// runValues reads the --values file, or gives the built-in lists.
func runValues(path string) (*exchange.Values, error) {
	if path == "" {
		return exchange.DefaultValues(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("coded values: %w", err)
	}
	defer f.Close()
	values, err := exchange.ReadValues(f)
	if err != nil {
		return nil, fmt.Errorf("coded values %s: %w", path, err)
	}
	return values, nil
}

// openRunHistory opens the run history db for a run and checks, before
// the run writes anything, that the run may go on it: a real run takes the
// write lock for its whole length (a second run on the same database waits,
// then works from this one's state) and so proves the history writable; an
// as-of date before the last run's is refused without opts.Force. A dry run
// without a database opens nothing (nil: a first run) and creates nothing.
func openRunHistory(ctx context.Context, notes io.Writer, db string, opts RunOptions) (*history.Store, error) {
	if _, err := os.Stat(db); opts.DryRun && errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	store, err := history.Open(ctx, db)
	if err != nil {
		return nil, err
	}
	if err := checkRunHistory(ctx, notes, store, opts); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

func checkRunHistory(ctx context.Context, notes io.Writer, store *history.Store, opts RunOptions) error {
	if !opts.DryRun {
		if err := store.Lock(ctx); err != nil {
			return err
		}
	}
	last, ok, err := store.LastAsOf(ctx)
	if err != nil || !ok || !opts.AsOf.Before(last) {
		return err
	}
	asOf, lastDay := opts.AsOf.Format("2006-01-02"), last.Format("2006-01-02")
	if !opts.Force {
		return &UsageError{fmt.Sprintf("--as-of %s is before the last run in %s (as of %s): its files would be worked "+
			"out against a later state, and a real run would leave that state behind; give --force to run it anyway",
			asOf, store.Path(), lastDay)}
	}
	fmt.Fprintf(notes, "note: --force: as-of %s is before the last run in %s (as of %s)\n", asOf, store.Path(), lastDay)
	return nil
}

// earlyRunFiles are the files of a run that are final before the people
// are needed (exchange.Input.Ready): the POR file, the APP files and per
// VPD the MEDROT. They take what they write from res now: the exchange
// goes on filling res. The APP files are named as the interface names
// them, .DAT, or with csvNames by their content (interfaceFileName).
func earlyRunFiles(res *exchange.Result, meta report.Meta, jsonLines, csvNames bool) []atomicfile.File {
	var files []atomicfile.File
	add := func(name string, f func(io.Writer) error) {
		files = append(files, atomicfile.File{Name: name, Write: f})
	}
	outbound := res.Outbound
	add("POR_"+meta.AsOf.Format("20060102")+".csv", func(w io.Writer) error { return interchange.WritePOR(w, outbound) })
	for _, f := range res.APPFiles {
		name, enc := interfaceFileName(f.Name, "csv", csvNames), interchange.CSV
		if jsonLines {
			name, enc = interfaceFileName(f.Name, "jsonl", csvNames), interchange.JSONLines
		}
		add(name, func(w io.Writer) error { return interchange.WriteAPP(w, f, enc, redact.Policy{Mask: meta.Redact}) })
	}
	// The MEDROT rows come by VPD: each VPD's are a run of them, written
	// as they are (a VPD found twice would name its file twice, which the
	// batch refuses).
	for rest := res.MEDROT; len(rest) > 0; {
		vpd, n := rest[0].VPD, 1
		for n < len(rest) && rest[n].VPD == vpd {
			n++
		}
		rows := rest[:n:n]
		rest = rest[n:]
		add(report.MEDROTName(vpd, meta.AsOf), func(w io.Writer) error {
			return report.MEDROTWorkbook(w, vpd, rows, meta)
		})
	}
	return files
}

// lateRunFiles are the rest of a run's files, once the exchange is done:
// the APC files, the DNF and DNC files, per VPD the notifications
// (workbook and text), and the summary.
func lateRunFiles(res *exchange.Result, meta report.Meta, csvNames bool) []atomicfile.File {
	var files []atomicfile.File
	add := func(name string, f func(io.Writer) error) {
		files = append(files, atomicfile.File{Name: name, Write: f})
	}
	for _, f := range res.APCFiles {
		add(interfaceFileName(f.Name, "csv", csvNames), func(w io.Writer) error {
			return interchange.WriteAPC(w, f, redact.Policy{Mask: meta.Redact})
		})
	}
	if len(res.NotificationFiles) > 0 {
		dnc := exchange.NewDNCContext(res)
		for _, f := range res.NotificationFiles {
			add(interfaceFileName(f.Name, "csv", csvNames), func(w io.Writer) error {
				return interchange.WriteDNC(w, f, res.Notifications, dnc, redact.Policy{Mask: meta.Redact})
			})
		}
	}
	for _, n := range res.MSO {
		add(report.NotificationsName(n.VPD, meta.AsOf), func(w io.Writer) error {
			return report.NotificationsWorkbook(w, n, meta)
		})
		add(report.NotificationsTextName(n.VPD, meta.AsOf), func(w io.Writer) error {
			return report.NotificationsText(w, n, meta)
		})
	}
	add(report.RunSummaryName(meta.AsOf), func(w io.Writer) error {
		return report.RunSummaryWorkbook(w, res, meta)
	})
	return files
}

// fileWriters is how many goroutines fill the run's files once the
// exchange is done: --workers, or two per core as the run has always
// used (the fsyncs wait on goroutines of their own, atomicfile.Batch).
func fileWriters(workers int) int {
	if workers > 0 {
		return workers
	}
	return 2 * runtime.GOMAXPROCS(0)
}

// runInputs lists a run's input files with the checksums the loader made
// while reading them.
func runInputs(groups ...[]model.Input) []history.InputFile {
	var out []history.InputFile
	for _, g := range groups {
		for _, in := range g {
			out = append(out, history.InputFile{Path: filepath.Clean(in.Path), Checksum: in.Checksum, Rows: in.Rows})
		}
	}
	return out
}
