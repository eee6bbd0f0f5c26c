// Package pipeline runs dpnkit's jobs end to end — load, check, write — for
// the commands in cmd/dpnkit. Each job takes an options struct built from
// flags and the command's streams; it never decides an exit status (the
// command does, from the result and the error).
package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/history"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/load"
	"dpnkit/internal/model"
	"dpnkit/report"
)

// Tool and Version identify dpnkit in reports and JSON.
const Tool = "dpnkit"

// Version is the tool's version; the build may override it with -ldflags.
var Version = "0.1.0"

// Output formats for findings on stdout.
const (
	FormatTable = "table"
	FormatJSON  = "json"
	FormatCSV   = "csv"
)

// CheckOptions configure `dpnkit check` and `dpnkit report`.
type CheckOptions struct {
	Files   []string
	AsOf    time.Time
	VPD     string
	Map     map[string]string
	Sheet   string
	Format  string // table, json or csv
	OutDir  string // report only: where the workbooks go
	Workers int    // 0 = all cores
	Top     int    // findings shown by the table format; 0 = DefaultTop, < 0 = all
	// Redact and Password are reserved for personal-data handling.
	Redact   bool
	Password string
	// DB is the run history (SQLite, shared with `run`) in which to record
	// this check and compare each VPD with its last recorded check; "" =
	// neither (nothing is opened or written).
	DB string
	// LocalOffices is a file of further local office names
	// (model.ReadLocalOffices); "" = the built-in table only.
	LocalOffices string

	// HeaderRow gives the header's row of tabular files (load.Options.HeaderRow).
	HeaderRow map[string]int

	// Configuration (dpnkit.toml). Config is its path, named in the
	// output; "" = none. LocalOfficeNames are further local office names,
	// CODE -> names, used when LocalOffices is "". TrustNames names the
	// trust of each VPD code (report.Meta.TrustNames). Policy switches
	// rules off, changes severities and accepts findings
	// (checks.ApplyPolicy); nil = none.
	Config           string
	LocalOfficeNames map[string][]string
	TrustNames       map[string]string
	Policy           *checks.Policy

	// HTML, with OutDir, also writes the self-contained HTML report
	// (report.WriteHTML).
	HTML bool

	// Clock stamps a check recorded in DB with the time it was made (the
	// history only, never the check's own outputs); nil = time.Now.
	Clock func() time.Time
}

// Check loads the files, applies every check and prints the result in the
// chosen format. With OutDir set it also writes the DPN report workbooks and
// returns their paths. The result it returns has its statistics and
// findings but no positions (releasePositions). A returned error means the
// job could not run (bad input, output not writable); findings are not
// errors.
//
// With DB set, each VPD is compared with its last check recorded there
// (VPDResult.Changes), and once the workbooks are written this check is
// recorded, every VPD with all its findings, in one transaction. A failed
// report or check records nothing, so the next check compares with the same
// one. Recording takes the history's write lock only for its transaction, not
// for the whole job as a run does: a check changes nothing a run works from.
func Check(ctx context.Context, s *iostreams.Streams, opts CheckOptions) (*checks.Result, []string, error) {
	if opts.OutDir != "" {
		if err := ensureWritableDir(opts.OutDir); err != nil {
			return nil, nil, err
		}
	}
	var store *history.Store
	if opts.DB != "" {
		// Open first: a foreign or newer database fails before the work.
		var err error
		if store, err = history.Open(ctx, opts.DB); err != nil {
			return nil, nil, err
		}
		defer store.Close()
	}
	bar, meter := loadMeter(s, "positions", opts.Files)
	defer bar.Done()
	res, err := checkFiles(ctx, opts, meter)
	if err != nil {
		return nil, nil, err
	}
	var record func(context.Context) (int64, error)
	if store != nil {
		if record, err = compareWithHistory(ctx, store, res, opts.AsOf, opts.Clock); err != nil {
			return nil, nil, err
		}
	}
	meta := report.Meta{Tool: Tool, Version: Version, AsOf: opts.AsOf, Redact: opts.Redact, Password: opts.Password,
		TrustNames: opts.TrustNames}
	var paths []string
	if opts.OutDir != "" {
		bar.Phase("writing reports", 0)
		paths, err = report.DPNReports(opts.OutDir, res, meta, opts.Workers)
		if err == nil && opts.HTML {
			var p string
			p, err = report.WriteHTML(opts.OutDir, res, nil, meta)
			paths = append(paths, p)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("write reports: %w", err)
		}
	}
	var checkID int64
	if record != nil {
		if checkID, err = record(ctx); err != nil {
			return nil, nil, fmt.Errorf("the check was not recorded: %w", err)
		}
	}
	bar.Done()
	releasePositions(res)
	printInputs(s, opts.Format, res.Inputs)
	if err := printResult(s, res, meta, opts, paths); err != nil {
		return nil, nil, err
	}
	w := s.Out
	if opts.Format != FormatTable {
		w = s.Err // stdout holds only the JSON or CSV document
	}
	printPolicy(w, res, opts.Config)
	if record != nil {
		fmt.Fprintf(w, "recorded check %d in %s\n", checkID, opts.DB)
	}
	if len(paths) > 0 {
		vpds := make([]string, len(res.VPDs))
		for i := range res.VPDs {
			vpds[i] = res.VPDs[i].VPD
		}
		noteFileNames(w, "VPD", vpds)
		printPaths(w, paths, opts.OutDir)
	}
	return res, paths, nil
}

// releasePositions drops the positions of res (each VPD's Positions,
// Inactive and Duplicates, which index Positions) once the workbooks and
// the history have them: the printed output needs only the statistics and
// the findings. A check of 200,000 positions sharing one DPN then writes
// its 100 MB of JSON or CSV with a third of the memory live, within
// check's memory limit (see tuneGC) instead of collecting without pause.
func releasePositions(res *checks.Result) {
	for i := range res.VPDs {
		v := &res.VPDs[i]
		v.Positions, v.Inactive, v.Duplicates = nil, nil, nil
	}
}

// checkFiles streams the files through the loader into the checks.
func checkFiles(ctx context.Context, opts CheckOptions, meter load.Progress) (*checks.Result, error) {
	offices, err := localOffices(opts.LocalOffices, opts.LocalOfficeNames, opts.Config)
	if err != nil {
		return nil, err
	}
	runner := checks.NewRunner(checks.Options{AsOf: opts.AsOf, LocalOffices: offices})
	inputs, err := load.Positions(ctx, opts.Files,
		load.Options{VPD: opts.VPD, Map: opts.Map, HeaderRow: opts.HeaderRow, Sheet: opts.Sheet, Workers: opts.Workers, Progress: meter,
			Counter: runner},
		runner.Add)
	if err != nil {
		return nil, err
	}
	if err := refuseEmpty(inputs, opts.VPD); err != nil {
		return nil, err
	}
	res := runner.Finish(inputs)
	checks.ApplyPolicy(res, opts.Policy, opts.AsOf)
	return res, nil
}

// refuseEmpty stops a run that read no position from a file: a header-only
// export checked as "READY for go-live" would be a dangerous answer.
func refuseEmpty(inputs []model.Input, vpd string) error {
	for _, in := range inputs {
		if in.Rows > 0 {
			continue
		}
		if in.Skipped > 0 && vpd != "" {
			return fmt.Errorf("%s: no position records for VPD %s (%d records of other VPDs skipped)", in.Path, vpd, in.Skipped)
		}
		return fmt.Errorf("%s: no position records: the file has a header but no data rows; export the positions again", in.Path)
	}
	return nil
}

func printResult(s *iostreams.Streams, res *checks.Result, meta report.Meta, opts CheckOptions, workbooks []string) error {
	w := s.Out
	switch opts.Format {
	case FormatJSON:
		return report.JSON(w, res, meta)
	case FormatCSV:
		return report.CSV(w, res)
	default:
		return report.Terminal(w, res, meta, terminal(s, opts.Top, workbooks))
	}
}

// DefaultTop is how many findings the terminal lists by default.
const DefaultTop = 20

// terminal is how s's terminal shows a job's findings: top of them (0:
// DefaultTop; < 0: all), fitted to its width, coloured if it shows colour.
func terminal(s *iostreams.Streams, top int, workbooks []string) report.Term {
	if top == 0 {
		top = DefaultTop
	}
	return report.Term{Top: top, Width: s.Width, Color: s.Color, Workbooks: workbooks}
}

// ensureWritableDir creates dir when missing and proves a file can be
// created in it, so an unwritable output folder fails before the work.
func ensureWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".dpnkit-probe-*")
	if err != nil {
		return fmt.Errorf("output folder %s is not writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(filepath.Clean(name))
}

// listedPaths is how many written files are named one by one; a national
// run writes hundreds, and the folder says the rest.
const listedPaths = 10

func printPaths(w io.Writer, paths []string, dir string) {
	fmt.Fprintf(w, "wrote %d file(s) to %s\n", len(paths), dir)
	for i, p := range paths {
		if i == listedPaths && len(paths) > listedPaths+1 {
			fmt.Fprintf(w, "  ... and %d more\n", len(paths)-i)
			return
		}
		fmt.Fprintf(w, "  %s\n", p)
	}
}
