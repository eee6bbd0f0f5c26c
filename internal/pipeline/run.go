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
// (or, for a dry run, its files were put in place). Its steps overlap
// where they can on two cores: the people load while the exchange plans,
// the plan's state is staged in the history's open transaction and its
// files written while the people are waited for and the run finished, and
// the rest of the state is staged while the rest of the files are written.
// Every file is written (all or nothing) before the state is committed.
func runDay(ctx context.Context, s *iostreams.Streams, opts RunOptions) (_ *exchange.Result, saved bool, _ error) {
	started := time.Now().UTC()
	job, err := openRun(ctx, s.Err, opts)
	if err != nil {
		return nil, false, err
	}
	defer job.close()
	bar, meter := loadMeter(s, "loading", opts.Positions, opts.Placements)
	defer bar.Done()
	export := exchange.NewExportView(opts.AsOf)
	posInputs, placInputs, rec, err := job.loadReconciled(ctx, meter, export)
	if err != nil {
		return nil, false, err
	}
	prev, err := job.lastState()
	if err != nil {
		return nil, false, err
	}
	// Only the people who could match an applicant are kept (PeopleKeep).
	people := startPeople(ctx, opts.People, job.peopleOptions(exchange.PeopleKeep(rec), nextLoad(bar, "people", opts.People)))
	defer people.stop()
	plan, err := exchange.PlanRun(job.exchangeInput(rec, export), prev)
	if err != nil {
		return nil, false, planError(err)
	}
	stage := job.stage(ctx, plan)
	defer stage.abort() // unless committed
	files := atomicfile.NewBatch(ctx, job.folder.staging)
	defer files.Abort() // nothing written stays unless Close succeeds
	files.Add(pausedFirst(ctx, &opts, earlyRunFiles(plan, job.meta, opts.JSONLines, opts.CSVNames)), 1)
	persons, peopleInputs, err := people.wait()
	if err != nil {
		return nil, false, err
	}
	bar.Phase("interface run", 0)
	res := plan.Finish(persons)
	res.Rows.People = exchange.PeopleRowsOf(peopleInputs, res.Rows.People.Kept)
	bar.Phase("writing files", 0)
	staged := stage.finish(job.historyRun(started, res, posInputs, placInputs, peopleInputs), res.Next)
	files.Add(lateRunFiles(res, job.meta, opts.CSVNames), fileWriters(opts.Workers))
	written, err := files.Close() // an error names the file
	if stageErr := <-staged; err == nil && stageErr != nil {
		err = fmt.Errorf("save run to %s: %w", job.db, stageErr)
	}
	if err != nil {
		return nil, false, err
	}
	dir, saved, err := job.commit(ctx, stage)
	if err != nil {
		return nil, saved, err
	}
	for i, p := range written {
		written[i] = filepath.Join(dir, filepath.Base(p))
	}
	bar.Done()
	printInputs(s, opts.Format, posInputs, placInputs, peopleInputs)
	if err := printRun(s, res, job.meta, opts, written, dir); err != nil {
		return nil, true, err
	}
	return res, true, nil
}

// runJob is what a run opens before it reads its inputs: its options,
// the lists it works with, its history and its folder.
type runJob struct {
	opts            RunOptions
	db              string
	meta            report.Meta
	offices         *model.LocalOffices
	values          *exchange.Values
	posMap, placMap map[string]string // --map, split between the loaders (splitMap)
	store           *history.Store    // nil: a dry run without a history
	folder          *runFolder
	prev            chan lastState // the last run's state, read while the inputs load; nil once taken
}

// lastState is the history's state as the last run left it.
type lastState struct {
	state exchange.State
	err   error
}

// openRun checks the run's paths, reads its lists, opens its history
// (everything about the history is checked before any file is written),
// begins reading the last state and prepares the run's folder.
func openRun(ctx context.Context, notes io.Writer, opts RunOptions) (*runJob, error) {
	db := cmp.Or(opts.DB, "dpnkit.db")
	if opts.Out == "" {
		return nil, &UsageError{"run needs an output folder (--out DIR)"}
	}
	if err := checkRunPaths(opts.Out, db); err != nil {
		return nil, err
	}
	offices, err := localOffices(opts.LocalOffices, opts.LocalOfficeNames, opts.Config)
	if err != nil {
		return nil, err
	}
	values, err := runValues(opts.Values)
	if err != nil {
		return nil, err
	}
	store, err := openRunHistory(ctx, notes, db, opts)
	if err != nil {
		return nil, err
	}
	j := &runJob{opts: opts, db: db, offices: offices, values: values, store: store,
		meta: report.Meta{Tool: Tool, Version: Version, AsOf: opts.AsOf, Redact: opts.Redact, Password: opts.Password,
			TrustNames: opts.TrustNames}}
	j.posMap, j.placMap = splitMap(opts.Map)
	if store != nil {
		// Reading the last state (half a second after a national run)
		// needs one core the loaders leave.
		j.prev = make(chan lastState, 1)
		go func() {
			st, err := store.State(ctx)
			j.prev <- lastState{st, err}
		}()
	}
	if j.folder, err = newRunFolder(opts.Out, opts.AsOf, opts.DryRun, notes); err != nil {
		j.close()
		return nil, err
	}
	return j, nil
}

// close removes the run's staging folder unless it was published, and
// closes the history once the last state's read is over.
func (j *runJob) close() {
	if j.folder != nil {
		j.folder.discard()
	}
	if j.store != nil {
		if j.prev != nil {
			<-j.prev
		}
		j.store.Close()
	}
}

// lastState waits for the last run's state (a first run's, empty, for a
// dry run without a history).
func (j *runJob) lastState() (exchange.State, error) {
	if j.prev == nil {
		return exchange.State{}, nil
	}
	last := <-j.prev
	j.prev = nil
	if last.err != nil {
		return exchange.State{}, fmt.Errorf("read run history %s: %w", j.db, last.err)
	}
	return last.state, nil
}

// loadReconciled loads the positions and placements, checks the positions
// and reconciles the placements (loadReconciled); export sees every
// placement as it loads.
func (j *runJob) loadReconciled(ctx context.Context, meter load.Progress, export *exchange.ExportView) (
	posInputs, placInputs []model.Input, _ *reconcile.Result, _ error) {
	o := j.opts
	return loadReconciled(ctx, reconcileLoad{
		positions: o.Positions, placements: o.Placements, offices: j.offices,
		posOpts: load.Options{VPD: o.VPD, Map: j.posMap, HeaderRow: o.HeaderRow, Sheet: o.Sheet, Workers: o.Workers,
			Checksum: true, Progress: meter},
		placOpts: load.Options{Map: j.placMap, HeaderRow: o.HeaderRow, Sheet: o.Sheet, Workers: o.Workers, Checksum: true,
			Progress: meter},
		rec:           reconcile.Options{AsOf: o.AsOf, KeepFull: exchange.FullInWindow(o.AsOf), NoSuggestions: true},
		seePlacements: export.Add,
	})
}

// peopleOptions are the people load's options: keep those keep says, with
// progress shown on meter.
func (j *runJob) peopleOptions(keep func(gmc, ni string) bool, meter load.Progress) load.Options {
	o := j.opts
	return load.Options{VPD: o.VPD, Map: j.placMap, HeaderRow: o.HeaderRow, Sheet: o.Sheet, Workers: o.Workers, Checksum: true,
		Progress: meter, KeepPerson: keep}
}

// exchangeInput is the exchange's input for rec. The DPN check goes to
// the exchange as Input.Check alone: rec's own pointer to it, which the
// exchange does not read, is cleared, so that the check is let go once
// the plan's first step is done with it, not with the reconciliation at
// the end of the plan (the largest heap of a national run is in between).
func (j *runJob) exchangeInput(rec *reconcile.Result, export *exchange.ExportView) exchange.Input {
	check := rec.PositionCheck
	rec.PositionCheck = nil
	return exchange.Input{AsOf: j.opts.AsOf, Check: check, Reconcile: rec, Values: j.values, LocalOffices: j.offices,
		Export: export, PartialExport: j.opts.PartialExport}
}

// planError is the message for an exchange that could not plan the run.
func planError(err error) error {
	if narrow := (*exchange.NarrowExportError)(nil); errors.As(err, &narrow) {
		return fmt.Errorf("interface run: %w. Nothing was written and the run history is unchanged; "+
			"if the export leaves them out on purpose, run again with --partial-export (the last run's "+
			"placements of a local office it lacks are then kept as they were)", err)
	}
	return fmt.Errorf("interface run: %w", err)
}

// commit commits the run's staged state, once every file is written, and
// puts its folder in place; it returns the folder. saved reports whether
// the state was committed (or, for a dry run, the files were put in place).
func (j *runJob) commit(ctx context.Context, stage *historyStage) (dir string, saved bool, _ error) {
	j.opts.pause(ctx, "committing")
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	if err := stage.commit(); err != nil {
		return "", false, fmt.Errorf("save run to %s: %w; no file was kept and the history is unchanged", j.db, err)
	}
	// The state is saved: from here the run's folder is put in place
	// whatever happens (a signal now is too late to stop the run).
	dir, err := j.folder.publish()
	if err != nil {
		kept := j.folder.staging
		j.folder.staging = "" // the saved run's files: never removed here
		return "", true, fmt.Errorf("the run is saved in %s, but its files stay in %s: %w", j.db, kept, err)
	}
	return dir, true, nil
}

// peopleLoad is the ESR people's load, begun before the exchange plans
// the run and waited for before it finishes it: on two cores the
// exchange's single thread and the loader's workers share the machine
// instead of taking turns.
type peopleLoad struct {
	cancel context.CancelFunc
	done   chan loadedPeople
	waited bool
}

type loadedPeople struct {
	people []model.Person
	inputs []model.Input
	err    error
}

// startPeople begins loading the people of files with opts.
func startPeople(ctx context.Context, files []string, opts load.Options) *peopleLoad {
	ctx, cancel := context.WithCancel(ctx)
	l := &peopleLoad{cancel: cancel, done: make(chan loadedPeople, 1)}
	go func() {
		// Each batch's kept people go in a slice of their exact size and
		// the slices are joined once at the end: the people kept are a few
		// percent of 1.5M, but regrowing one slice of them under a lock
		// copied them several times over.
		var chunks [][]model.Person
		var mu sync.Mutex
		inputs, err := load.People(ctx, files, opts, func(batch []model.Person) {
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
		l.done <- loadedPeople{slices.Concat(chunks...), inputs, err}
	}()
	return l
}

// wait waits for the people and their files.
func (l *peopleLoad) wait() ([]model.Person, []model.Input, error) {
	l.waited = true
	r := <-l.done
	return r.people, r.inputs, r.err
}

// stop stops the load, if it was not waited for, and waits for it to end.
func (l *peopleLoad) stop() {
	l.cancel()
	if !l.waited {
		<-l.done
	}
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

// earlyRunFiles are the files of a run that its plan makes final before
// the people are needed (exchange.Plan): the POR file, the APP files and
// per VPD the MEDROT. The APP files are named as the interface names
// them, .DAT, or with csvNames by their content (interfaceFileName).
func earlyRunFiles(plan *exchange.Plan, meta report.Meta, jsonLines, csvNames bool) []atomicfile.File {
	var files []atomicfile.File
	add := func(name string, f func(io.Writer) error) {
		files = append(files, atomicfile.File{Name: name, Write: f})
	}
	outbound := plan.Outbound
	add("POR_"+meta.AsOf.Format("20060102")+".csv", func(w io.Writer) error { return interchange.WritePOR(w, outbound) })
	for _, f := range plan.APPFiles {
		name, enc := interfaceFileName(f.Name, "csv", csvNames), interchange.CSV
		if jsonLines {
			name, enc = interfaceFileName(f.Name, "jsonl", csvNames), interchange.JSONLines
		}
		add(name, func(w io.Writer) error { return interchange.WriteAPP(w, f, enc, redact.Policy{Mask: meta.Redact}) })
	}
	// The MEDROT rows come by VPD: each VPD's are a run of them, written
	// as they are (a VPD found twice would name its file twice, which the
	// batch refuses).
	for rest := plan.MEDROT; len(rest) > 0; {
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
