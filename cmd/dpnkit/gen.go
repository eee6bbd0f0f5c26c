package main

import (
	"github.com/spf13/cobra"

	"dpnkit/fixtures"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
)

func newGenCmd(s *iostreams.Streams) *cobra.Command {
	var (
		scale, format, asOf, out string
		rows, vpds, placements   int
		seed                     int64
	)
	cmd := &cobra.Command{
		Use:   "gen --scale trust|national --out DIR",
		Short: "Write synthetic ESR position data with planted defects and its expected statistics",
		Long: `gen writes realistic ESR position exports with DPN defects planted at known
rates, and expected.json beside them: the statistics and per-rule counts a
correct checker must report. The same seed always writes the same bytes.

  --scale trust      one VPD, 20,000 positions (default)
  --scale national   200 VPDs, 2,000,000 positions in one CSV (about 290 MB)`,
		Example: `  dpnkit gen --scale trust --out data/
  dpnkit gen --scale trust --format dat --seed 7 --out data/
  dpnkit gen --scale trust --placements 3000 --out data/
  dpnkit gen --scale national --out /tmp/national`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("gen needs --out DIR")
			}
			sc := fixtures.Scale(scale)
			if sc != fixtures.Trust && sc != fixtures.National {
				return usagef("--scale %q: want trust or national", scale)
			}
			switch fixtures.Format(format) {
			case "csv", "dat", "xlsx", "tsv-1252":
			default:
				return usagef("--format %q: want csv, dat, xlsx or tsv-1252", format)
			}
			if rows < 0 || vpds < 0 || placements < 0 {
				return usagef("--rows, --vpds and --placements must not be negative")
			}
			t, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			_, err = pipeline.Gen(cmd.Context(), s, pipeline.GenOptions{Out: out, Fixture: fixtures.Options{
				Scale: sc, Rows: rows, VPDs: vpds, Placements: placements, Seed: seed, Format: fixtures.Format(format), AsOf: t}})
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&scale, "scale", "trust", "trust or national")
	fl.IntVar(&rows, "rows", 0, "number of positions (default by scale)")
	fl.IntVar(&vpds, "vpds", 0, "number of VPDs (default by scale)")
	fl.IntVar(&placements, "placements", 0, "also write about this many TIS placements (placements.csv) for the positions")
	fl.Int64Var(&seed, "seed", 1, "random seed")
	fl.StringVar(&format, "format", "csv", "csv, dat (ESR GO file), xlsx or tsv-1252")
	fl.StringVar(&asOf, "as-of", "", "as-of date the expected statistics assume, YYYY-MM-DD (default today)")
	fl.StringVar(&out, "out", "", "output folder")
	return cmd
}
