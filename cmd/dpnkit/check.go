package main

import (
	"github.com/spf13/cobra"

	"dpnkit/checks"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
)

// checkFlags are the flags `check` and `report` share.
type checkFlags struct {
	asOf, vpd, format, failOn, sheet string
	localOffices                     string
	maps                             []string
	config                           string
	cmd                              *cobra.Command
	workers                          int
	headerRows                       []string
	top                              int
	output                           string
}

func (f *checkFlags) register(cmd *cobra.Command) {
	f.cmd = cmd
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", configHelp)
	fl.StringVar(&f.asOf, "as-of", "", "evaluate on this date: 2026-11-25, 25/11/2026 or 25-NOV-2026 (default today)")
	fl.StringVar(&f.vpd, "vpd", "", "VPD code for files without a VPD column; with one, check only this VPD")
	fl.StringVar(&f.format, "format", pipeline.FormatTable, "output: table, json or csv")
	fl.StringVar(&f.failOn, "fail-on", "error", "exit 1 when a finding is at least: error, warning, info or none")
	fl.StringArrayVar(&f.maps, "map", nil,
		"use this header for a field: field=Header, or FILE:field=Header for one file only (repeatable; 'dpnkit fields' lists the fields)")
	fl.StringArrayVar(&f.headerRows, "header-row", nil,
		"the header is on this row of tabular files: N, or FILE=N for one file (repeatable; default: the first row, within 30, naming every required field)")
	fl.StringVar(&f.sheet, "sheet", "", "worksheet to read from .xlsx files (default the first)")
	fl.IntVar(&f.workers, "workers", 0, "parallel parse workers (default all cores)")
	// An expert's tuning knob: accepted, not shown in the help.
	_ = fl.MarkHidden("workers")
	fl.IntVar(&f.top, "top", pipeline.DefaultTop, "list at most N findings on the terminal, errors first (0: all of them)")
	fl.StringVar(&f.output, "output", "", "write the table, JSON or CSV to FILE instead of stdout (CSV with a UTF-8 byte order mark for Excel)")
	fl.StringVar(&f.localOffices, "local-offices", "", "file of further local office names, one CODE=Name (or CODE<TAB>Name) a line")
}

// options validates the flags into pipeline options; files are every
// input file of the command (--map and --header-row may name them) and
// kinds the kinds of file it reads (the fields --map may name).
func (f *checkFlags) options(files []string, kinds ...fieldKind) (pipeline.CheckOptions, error) {
	var o pipeline.CheckOptions
	var err error
	if o.AsOf, err = parseAsOf(f.asOf); err != nil {
		return o, err
	}
	if o.Format, err = parseFormat(f.format); err != nil {
		return o, err
	}
	if _, err = parseFailOn(f.failOn); err != nil {
		return o, err
	}
	if o.Map, err = parseMap(f.maps); err != nil {
		return o, err
	}
	if err = checkMap(o.Map, files, kinds...); err != nil {
		return o, err
	}
	if o.HeaderRow, err = parseHeaderRows(f.headerRows, files); err != nil {
		return o, err
	}
	if f.top < 0 {
		return o, usagef("--top %d: want a number of findings, or 0 for all of them", f.top)
	}
	o.Top = f.top
	if f.top == 0 {
		o.Top = -1 // all
	}
	o.Files, o.VPD, o.Sheet, o.Workers, o.LocalOffices = files, f.vpd, f.sheet, f.workers, f.localOffices
	return o, f.applyConfig(&o, files)
}

func newCheckCmd(s *iostreams.Streams) *cobra.Command {
	var f checkFlags
	var db string
	cmd := &cobra.Command{
		Use:   "check FILE...",
		Short: "Check ESR position exports and print the go-live verdict and every finding",
		Long: `check loads one or more ESR position exports (GO .DAT, .csv/.tsv/.txt, .xlsx;
several files are combined, e.g. one per VPD), applies every rule of
'dpnkit rules', and prints the statistics, the go-live verdict and the findings.

The verdict is READY for go-live when no finding is of severity error:
warnings and info do not block go-live; duplicates, DPN and position-name
faults and unreadable dates do. With the default --fail-on error the exit
status is 1 exactly when the verdict is NOT READY.

` + dbHelp + `

` + exitStatusHelp,
		Example: `  dpnkit check positions.csv
  dpnkit check GO_504_EXP_GOF_20261125_00000001.DAT --as-of 2026-11-25 --format json
  dpnkit check export.xlsx --sheet Positions --vpd 504 --map dpn="Post Ref" --fail-on warning
  dpnkit check positions.csv --db dpnkit.db   # what changed since the last check`,
		Args:   needFiles,
		PreRun: func(*cobra.Command, []string) { tuneGC(50, 85<<20) },
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := f.options(args, positionKind)
			if err != nil {
				return err
			}
			opts.DB = db
			failOn, _ := parseFailOn(f.failOn)
			var res *checks.Result
			err = withOutput(s, f.output, opts.Format, func(s *iostreams.Streams) (err error) {
				res, _, err = pipeline.Check(cmd.Context(), s, opts)
				return err
			})
			if err != nil {
				return err
			}
			return failOnFindings(res, failOn)
		},
	}
	f.register(cmd)
	registerDB(cmd, &db)
	return cmd
}

// dbHelp explains --db for check and report.
const dbHelp = `With --db FILE (the run history that 'dpnkit run' keeps; created if missing)
the check is recorded there, and each VPD is compared with its last recorded
check: every finding (rule, position number, value) is new, persisting or
resolved, and the counts are shown ("Since last check"). Without --db nothing
is recorded.`

// registerDB adds --db to check and report.
func registerDB(cmd *cobra.Command, db *string) {
	cmd.Flags().StringVar(db, "db", "",
		"record the check in this run history (SQLite) and compare each VPD with its last recorded check")
}
