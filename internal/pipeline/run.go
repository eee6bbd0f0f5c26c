package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/exchange"
	"dpnkit/internal/history"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/load"
	"dpnkit/internal/model"
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
	Sheet      string
	DB         string // run history; "" = dpnkit.db
	Out        string // folder for the run's files
	DryRun     bool   // write every report, change no state
	Values     string // replacement coded-value lists; "" = built in
	JSONLines  bool   // APP records as JSON lines instead of CSV
	Format     string
	Workers    int
	Redact     bool   // mask personal fields in every file (report.Meta.Redact)
	Password   string // encrypt the .xlsx files (report.Meta.Password); "" = not
	// PartialExport accepts a placement export narrower than the last
	// run's (exchange.Input.PartialExport).
	PartialExport bool
}

// afterOutputs, when set by a test, runs after the run's files are written
// and before its state is committed.
var afterOutputs func()

// stagedHook, when set by a test, runs once the run's positions are staged
// in the history ahead of the rest of its state.
var stagedHook func()

// Run does one interface run (interface-run.md steps 1–8): load, check,
// reconcile, exchange against the state of the last run, write the files,
// then commit the new state in one transaction. A run that fails or is
// cancelled before the commit leaves the history as it was.
func Run(ctx context.Context, s *iostreams.Streams, opts RunOptions) (*exchange.Result, error) {
	started := time.Now().UTC()
	if err := ensureWritableDir(opts.Out); err != nil {
		return nil, err
	}
	values := exchange.DefaultValues()
	if opts.Values != "" {
		f, err := os.Open(opts.Values)
		if err != nil {
			return nil, fmt.Errorf("coded values: %w", err)
		}
		values, err = exchange.ReadValues(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("coded values %s: %w", opts.Values, err)
		}
	}
	db := opts.DB
	if db == "" {
		db = "dpnkit.db"
	}
	var (
		store    *history.Store
		prev     exchange.State
		prevErr  error
		prevRead sync.WaitGroup // the last run's state, read while the inputs load
		err      error
	)
	if _, statErr := os.Stat(db); opts.DryRun && errors.Is(statErr, os.ErrNotExist) {
		// A dry run creates nothing: no history yet means a first run.
	} else {
		if store, err = history.Open(ctx, db); err != nil {
			return nil, err
		}
		defer store.Close()
		if !opts.DryRun {
			// Hold the history's write lock for the whole run: a second run
			// on the same database waits, then works from this one's state.
			if err := store.Lock(ctx); err != nil {
				return nil, err
			}
		}
		// Reading the last state (half a second after a national run) needs
		// one core the loaders leave; it is waited for before the exchange,
		// and before the store closes on any way out.
		prevRead.Go(func() { prev, prevErr = store.State(ctx) })
		defer prevRead.Wait()
	}

	posMap, placMap := splitMap(opts.Map)
	bar, meter := loadMeter(s, "loading", opts.Positions, opts.Placements)
	defer bar.Done()
	export := exchange.NewExportView(opts.AsOf)
	posInputs, placInputs, recRes, err := loadReconciled(ctx, reconcileLoad{
		positions: opts.Positions, placements: opts.Placements,
		posOpts: load.Options{VPD: opts.VPD, Map: posMap, Sheet: opts.Sheet, Workers: opts.Workers,
			Checksum: true, Progress: meter},
		placOpts: load.Options{Map: placMap, Sheet: opts.Sheet, Workers: opts.Workers, Checksum: true, Progress: meter},
		rec: checks.ReconcileOptions{AsOf: opts.AsOf, KeepFull: exchange.FullInWindow(opts.AsOf),
			NoSuggestions: true},
		seePlacements: export.Add,
	})
	if err != nil {
		return nil, err
	}
	prevRead.Wait()
	if prevErr != nil {
		return nil, fmt.Errorf("read run history %s: %w", db, prevErr)
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
			load.Options{VPD: opts.VPD, Map: placMap, Sheet: opts.Sheet, Workers: opts.Workers, Checksum: true,
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
			if positions != nil && stagedHook != nil {
				stagedHook()
			}
		}()
	}
	defer func() { // whatever way out: a stage not committed is rolled back
		if stageDone != nil {
			<-stageDone
			staged.Abort()
		}
	}()
	meta := report.Meta{Tool: Tool, Version: Version, AsOf: opts.AsOf, Redact: opts.Redact, Password: opts.Password}
	// The files are written all or nothing, in two lots: those final
	// before the people are needed (POR, APP, MEDROT) begin as soon as
	// the exchange has them, on one writer beside its single thread; the
	// rest once it is done.
	files := report.NewBatch(opts.Out)
	defer files.Abort() // nothing written stays unless Close succeeds
	ready := false
	onReady := func(r *exchange.Result) {
		ready = true
		if !opts.DryRun {
			beginStage(r.Next.Positions, r.Next.TIS)
		}
		files.Add(earlyRunFiles(r, meta, opts.JSONLines), 1)
	}
	// The exchange lets the DPN check go once it has the transferred
	// posts: nothing here may keep a pointer to it.
	check := recRes.PositionCheck
	recRes.PositionCheck = nil
	res, err := exchange.Run(exchange.Input{AsOf: opts.AsOf, Check: check, Reconcile: recRes,
		WaitPeople: waitPeople, Ready: onReady, Values: values, Export: export, PartialExport: opts.PartialExport}, prev)
	if !waited { // the exchange failed first: stop the load
		cancelPeople()
		<-peopleCh
	}
	if peopleErr != nil {
		return nil, peopleErr
	}
	if err != nil {
		if narrow := (*exchange.NarrowExportError)(nil); errors.As(err, &narrow) {
			return nil, fmt.Errorf("interface run: %w. Nothing was written and the run history is unchanged; "+
				"if the export leaves them out on purpose, run again with --partial-export (the last run's "+
				"placements of a local office it lacks are then kept as they were)", err)
		}
		return nil, fmt.Errorf("interface run: %w", err)
	}
	if !ready { // exchange.Run calls Ready whenever it succeeds; were it not to, the files still go
		files.Add(earlyRunFiles(res, meta, opts.JSONLines), 1)
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
	files.Add(lateRunFiles(res, meta), fileWriters(opts.Workers))
	written, err := files.Close() // an error names the file
	stageErr = <-stageCh
	if err != nil {
		staged.Abort()
		return nil, err
	}
	if stageErr != nil {
		return nil, fmt.Errorf("save run to %s: %w", db, stageErr)
	}
	if afterOutputs != nil {
		afterOutputs()
	}
	if err := ctx.Err(); err != nil {
		staged.Abort()
		return nil, fmt.Errorf("run cancelled before its state was saved; the history is unchanged: %w", err)
	}
	if staged != nil {
		if _, err := staged.Commit(); err != nil {
			return nil, fmt.Errorf("save run to %s: %w", db, err)
		}
	}
	bar.Done()
	switch opts.Format {
	case FormatJSON:
		err = report.RunJSON(s.Out, res, meta)
	default:
		err = report.RunTable(s.Out, res, meta)
	}
	if err != nil {
		return nil, err
	}
	w := s.Out
	if opts.Format == FormatJSON {
		w = s.Err
	}
	if opts.DryRun {
		fmt.Fprintln(w, "dry run: the run history was not changed")
	}
	printPaths(w, written, opts.Out)
	return res, nil
}

// earlyRunFiles are the files of a run that are final before the people
// are needed (exchange.Input.Ready): the POR file, the APP files and per
// VPD the MEDROT. They take what they write from res now: the exchange
// goes on filling res.
func earlyRunFiles(res *exchange.Result, meta report.Meta, jsonLines bool) []report.File {
	var files []report.File
	add := func(name string, f func(io.Writer) error) {
		files = append(files, report.File{Name: name, Write: f})
	}
	outbound := res.Outbound
	add("POR_"+meta.AsOf.Format("20060102")+".csv", func(w io.Writer) error { return report.PORFile(w, outbound) })
	for _, f := range res.APPFiles {
		name, enc := f.Name+".csv", report.APPFileCSVMeta
		if jsonLines {
			name, enc = f.Name+".jsonl", report.APPFileJSONLMeta
		}
		add(name, func(w io.Writer) error { return enc(w, f, meta) })
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
// the APC files, per VPD the notifications (workbook and text), and the
// summary.
func lateRunFiles(res *exchange.Result, meta report.Meta) []report.File {
	var files []report.File
	add := func(name string, f func(io.Writer) error) {
		files = append(files, report.File{Name: name, Write: f})
	}
	for _, f := range res.APCFiles {
		add(f.Name+".csv", func(w io.Writer) error { return report.APCFileCSVMeta(w, f, meta) })
	}
	for _, n := range res.MSO {
		add(report.NotificationsName(n.VPD, meta.AsOf), func(w io.Writer) error {
			return report.NotificationsWorkbook(w, n, meta)
		})
		add(fmt.Sprintf("Notifications_%s_%s.txt", n.VPD, meta.AsOf.Format("20060102")), func(w io.Writer) error {
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
// used (the fsyncs wait on goroutines of their own, report.Batch).
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
