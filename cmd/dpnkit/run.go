package main

import (
	"github.com/spf13/cobra"

	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
)

// runHelp is the run command's long help, before the exit statuses.
const runHelp = `run does what the real interface does for one day, on your own exports:
it transfers the positions that pass the DPN rules (POR records), reconciles
the TIS placements, writes the APP applicant files per managing deanery for
placements inside the transfer window, loads them as ESR would (quarantine
over 40 per post, mandatory items, coded values, NEW vs EXISTING person)
giving APC confirmations, and emits the notifications (withdrawals, date
changes, new posts, MEDROT) as the DNF (first run) and DNC files per local
office, and each trust's MSO notifications. The interface files are named
as the real ones, DE_<LO>_<TYPE>_<YYYYMMDD>_<seq>.DAT (CSV inside);
--csv-names names them .csv (.jsonl with --jsonl) instead.

It remembers what was sent in a run history (--db, default dpnkit.db): the
next day's run sends only what is new and notifies only what changed. A run
saves its state in one transaction after writing its files; a failed or
interrupted run leaves the history as it was, and keeps no file. --dry-run
writes every file and changes no state. An --as-of before the last run's is
refused unless --force is given.

Each run writes into a folder of its own in --out, named when the run has
finished: OUT/<as-of>_<NN> (01, 02, ... for runs of the same day),
OUT/<as-of>_dry-run_<NN> for a dry run. No run writes where another run's
files are; the folder is printed at the end. --db may be beside the run
folders, not inside one.

The APP files, notifications and MEDROT hold trainees' personal data by
design. --redact masks it in every file (names to initials; GMC and NI
numbers, dates of birth, e-mail, address and sensitive details to ***), for
files to share; --password (or DPNKIT_PASSWORD) encrypts the .xlsx files, but
not the CSV, JSON lines and text files.

`

func newRunCmd(s *iostreams.Streams, cfg cliConfig) *cobra.Command {
	var (
		f                                           checkFlags
		pf                                          personalFlags
		positions, placements, people               []string
		db, out, values                             string
		dryRun, jsonLines, csvNames, force, partial bool
	)
	cmd := &cobra.Command{
		Use:   "run FILE... --placements FILE... [--people FILE...] --out DIR",
		Short: "Run the whole ESR-TIS interface on your exports for an as-of date",
		Long:  runHelp + positionArgsHelp + "\n\n" + exitStatusHelp,
		Example: `  dpnkit run positions.csv --placements placements.csv --people people.csv --out runs/
  dpnkit run GO_504_EXP_GOF_20261125_00000001.DAT --placements tis.xlsx --as-of 2026-11-26 --out runs/
  dpnkit runs`,
		PreRun: func(*cobra.Command, []string) { tuneGC(200, 440<<20) },
		RunE: func(cmd *cobra.Command, args []string) error {
			positions := append(append([]string(nil), args...), positions...)
			if len(positions) == 0 || len(placements) == 0 {
				return usagef("run needs the position exports (FILE... or --positions FILE) and --placements FILE")
			}
			if out == "" {
				return usagef("run needs --out DIR: the folder for the run's files")
			}
			o, err := f.options(append(append(append([]string(nil), positions...), placements...), people...),
				positionKind, placementKind, peopleKind)
			if err != nil {
				return err
			}
			return withOutput(s, f.output, o.Format, func(s *iostreams.Streams) error {
				_, err := pipeline.Run(cmd.Context(), s, pipeline.RunOptions{
					Positions: positions, Placements: placements, People: people, AsOf: o.AsOf, VPD: o.VPD,
					Map: o.Map, HeaderRow: o.HeaderRow, Sheet: o.Sheet, DB: db, Out: out, DryRun: dryRun, Values: values,
					JSONLines: jsonLines, CSVNames: csvNames, Format: o.Format, Workers: o.Workers,
					Redact: pf.Redact(), Password: pf.Password(), LocalOffices: o.LocalOffices,
					LocalOfficeNames: o.LocalOfficeNames, TrustNames: o.TrustNames, Config: o.Config,
					Force: force, Pause: cfg.runPause, PartialExport: partial})
				return err
			})
		},
	}
	f.register(cmd)
	_ = cmd.Flags().MarkHidden("top") // run lists no findings
	pf.register(cmd)
	fl := cmd.Flags()
	fl.StringSliceVar(&positions, "positions", nil, "ESR position export(s), as the FILE arguments")
	fl.StringSliceVar(&placements, "placements", nil, "TIS placement export(s)")
	fl.StringSliceVar(&people, "people", nil, "ESR people export(s): GO file PRA+ASA records or a table")
	fl.StringVar(&db, "db", "dpnkit.db", "run history database (SQLite)")
	fl.StringVar(&out, "out", "", "folder in which each run writes a folder of its own (created if missing)")
	fl.BoolVar(&dryRun, "dry-run", false, "write every file but change no state")
	fl.BoolVar(&force, "force", false, "run an --as-of date earlier than the last run in the history")
	fl.StringVar(&values, "values", "", "file of ESR coded-value lists replacing the built-in ones")
	fl.BoolVar(&jsonLines, "jsonl", false, "write APP records as JSON lines instead of CSV")
	fl.BoolVar(&csvNames, "csv-names", false, "name the interface files .csv (.jsonl) instead of .DAT, to open them in a spreadsheet")
	fl.BoolVar(&partial, "partial-export", false, "accept a placement export with fewer local offices or far fewer placements than the last run's")
	return cmd
}

func newRunsCmd(s *iostreams.Streams) *cobra.Command {
	var db, format string
	cmd := &cobra.Command{
		Use:   "runs [--db FILE]",
		Short: "List the interface runs in the run history",
		Example: `  dpnkit runs --db dpnkit.db
  dpnkit runs --format json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != pipeline.FormatTable && format != pipeline.FormatJSON {
				return usagef("--format %q: want table or json", format)
			}
			return pipeline.Runs(cmd.Context(), s, db, format)
		},
	}
	cmd.Flags().StringVar(&db, "db", "dpnkit.db", "run history database (SQLite)")
	cmd.Flags().StringVar(&format, "format", pipeline.FormatTable, "output: table or json")
	return cmd
}
