package main

import (
	"github.com/spf13/cobra"

	"dpnkit/checks"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
	"dpnkit/reconcile"
)

func newReconcileCmd(s *iostreams.Streams) *cobra.Command {
	var (
		f                     checkFlags
		pf                    personalFlags
		positions, placements []string
		out                   string
	)
	cmd := &cobra.Command{
		Use:   "reconcile FILE... --placements FILE...",
		Short: "Match TIS placements to ESR positions and write the HEE exception report",
		Long: `reconcile checks the ESR positions as 'check' does, then matches every TIS
placement that has not ended to the active ESR position carrying its National
Post Number, and reports the placements that will not reach ESR (no position,
several positions, end-dated position, over 40 applicants on one post, missing
applicant details, overlapping placements) with the ESR DPN each unmatched NPN
most likely meant, and the ESR training posts with no current or future
placement. With --out it writes Placement_ESR_Check_<YYYYMMDD>.xlsx.

` + positionArgsHelp + `

The workbook names trainees (surname, forenames, GMC number): --redact masks
them (initials, ***), --password (or DPNKIT_PASSWORD) encrypts it. The JSON,
CSV and table name placements by TIS id only.

--fail-on is judged on the reconciliation findings and on the findings of
the DPN check of the positions, whose verdict is printed (and is
"position_check" in the JSON): with the default --fail-on error, positions
NOT READY for go-live exit 1 even when every placement matches.

` + exitStatusHelp,
		Example: `  dpnkit reconcile positions.csv --placements placements.csv --out reports/
  dpnkit reconcile GO_504_EXP_GOF_20261125_00000001.DAT --placements tis.xlsx --format json
  DPNKIT_PASSWORD=... dpnkit reconcile positions.csv --placements placements.csv --redact --out share/`,
		PreRun: func(*cobra.Command, []string) { tuneGC(100, 225<<20) },
		RunE: func(cmd *cobra.Command, args []string) error {
			positions := append(append([]string(nil), args...), positions...)
			if len(positions) == 0 || len(placements) == 0 {
				return usagef("reconcile needs the position exports (FILE... or --positions FILE) and --placements FILE")
			}
			o, err := f.options(append(append([]string(nil), positions...), placements...), positionKind, placementKind)
			if err != nil {
				return err
			}
			failOn, _ := parseFailOn(f.failOn)
			var res *reconcile.Result
			err = withOutput(s, f.output, o.Format, func(s *iostreams.Streams) (err error) {
				res, _, err = pipeline.Reconcile(cmd.Context(), s, pipeline.ReconcileOptions{
					Positions: positions, Placements: placements, AsOf: o.AsOf, VPD: o.VPD, Map: o.Map, HeaderRow: o.HeaderRow,
					Sheet: o.Sheet, Format: o.Format, OutDir: out, Workers: o.Workers, Top: o.Top,
					Redact: pf.Redact(), Password: pf.Password(), LocalOffices: o.LocalOffices,
					LocalOfficeNames: o.LocalOfficeNames, TrustNames: o.TrustNames, Config: o.Config, Policy: o.Policy})
				return err
			})
			if err != nil {
				return err
			}
			return failOnReconcile(res, failOn)
		},
	}
	f.register(cmd)
	pf.register(cmd)
	fl := cmd.Flags()
	fl.StringSliceVar(&positions, "positions", nil, "ESR position export(s), as the FILE arguments (repeat or comma-separate)")
	fl.StringSliceVar(&placements, "placements", nil, "TIS placement export(s) (repeat or comma-separate)")
	fl.StringVar(&out, "out", "", "folder for the exception workbook (created if missing)")
	return cmd
}

// positionArgsHelp says how reconcile and run take their files.
const positionArgsHelp = `Files are given as to check: the FILE arguments are the ESR position
exports (--positions FILE says the same), and the other kinds of file follow
their flag (--placements, and --people for run): every file after
--placements up to the next flag is a placement export, so give the
position exports first.`

// failOnReconcile is errFindings when the worst finding of the
// reconciliation or of the DPN check of its positions reaches failOn.
func failOnReconcile(res *reconcile.Result, failOn checks.Severity) error {
	var worst checks.Severity
	for _, f := range res.Findings {
		worst = max(worst, f.Severity)
	}
	if res.PositionCheck != nil {
		worst = max(worst, res.PositionCheck.Worst())
	}
	return failOnWorst(worst, failOn)
}
