package main

import (
	"github.com/spf13/cobra"

	"dpnkit/checks"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
)

func newReportCmd(s *iostreams.Streams) *cobra.Command {
	var f checkFlags
	var out, db string
	var pf personalFlags
	var html bool
	cmd := &cobra.Command{
		Use:   "report FILE... --out DIR",
		Short: "Check ESR position exports and write the DPN report workbook per VPD",
		Long: `report does what check does and writes DPN_Report_<VPD>_<YYYYMMDD>.xlsx for each
VPD in the input into --out (tabs: Summary, Duplicate DPN, All DPN Positions,
Findings), plus DPN_Report_National_<YYYYMMDD>.xlsx when the input holds more
than one VPD. Workbooks are written whole or not at all, readable only by you
(mode 0600); --password (or DPNKIT_PASSWORD) encrypts them.

` + dbHelp + ` With --db each workbook's Summary tab also has a "Since last
check" block, and a Changes tab lists each resolved and new finding. The check
is recorded once the workbooks are written.

` + exitStatusHelp,
		Example: `  dpnkit report positions.csv --out reports/
  dpnkit report GO_*.DAT --out reports/ --as-of 2026-11-25 --format json > findings.json
  dpnkit report positions.csv --out reports/ --db dpnkit.db   # adds a Changes tab from the 2nd report on`,
		Args:   needFiles,
		PreRun: func(*cobra.Command, []string) { tuneGC(50, 0) },
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("report needs --out DIR: the folder for the workbooks")
			}
			opts, err := f.options(args, positionKind)
			if err != nil {
				return err
			}
			opts.OutDir, opts.DB, opts.HTML = out, db, html
			// A DPN report holds positions, not people: --redact changes
			// nothing in it, and is accepted so one command line serves all.
			opts.Redact, opts.Password = pf.Redact(), pf.Password()
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
	cmd.Flags().StringVar(&out, "out", "", "folder for the workbooks (created if missing)")
	cmd.Flags().BoolVar(&html, "html", false, "also write DPN_Report_<YYYYMMDD>.html: one self-contained page with the verdict, tables and findings")
	registerDB(cmd, &db)
	pf.register(cmd)
	return cmd
}
