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
		people, day2             bool
		seed                     int64
	)
	cmd := &cobra.Command{
		Use:   "gen --scale trust|national --out DIR",
		Short: "Write synthetic ESR position data with planted defects and its expected statistics",
		Long: `gen writes realistic ESR position exports with DPN defects planted at known
rates, TIS placements for the same posts (placements.csv, with their own
planted faults and near-miss NPNs), and expected.json beside them: the
statistics and per-rule counts a correct checker must report. The same seed
always writes the same bytes.

  --scale trust      one VPD, 20,000 positions (default)
  --scale national   200 VPDs, 2,000,000 positions in one CSV (about 290 MB)`,
		Example: `  dpnkit gen --scale trust --out data/
  dpnkit gen --scale trust --format dat --seed 7 --out data/
  dpnkit gen --scale trust --placements 0 --out data/   # positions only
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
			if rows < 0 || vpds < 0 || placements < -1 {
				return usagef("--rows and --vpds must not be negative; --placements takes 0 for none")
			}
			t, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			o := fixtures.Options{Scale: sc, Rows: rows, VPDs: vpds, Seed: seed, Format: fixtures.Format(format), AsOf: t}
			if placements < 0 {
				if placements, err = fixtures.DefaultPlacements(o); err != nil {
					return usagef("%v", err)
				}
			}
			o.Placements = placements
			o.People, o.Day2 = people && placements > 0, day2 && placements > 0
			_, err = pipeline.Gen(cmd.Context(), s, pipeline.GenOptions{Out: out, Fixture: o})
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&scale, "scale", "trust", "trust or national")
	fl.IntVar(&rows, "rows", 0, "number of positions (default by scale)")
	fl.IntVar(&vpds, "vpds", 0, "number of VPDs (default by scale)")
	fl.IntVar(&placements, "placements", -1, "about how many TIS placements to write for the positions (default by scale: 1.5 per training post, national 150,000; 0 for none)")
	fl.Int64Var(&seed, "seed", 1, "random seed")
	fl.BoolVar(&people, "people", true, "also write the ESR people export (people.csv) for the trainees")
	fl.BoolVar(&day2, "day2", true, "also write the next day's placements (placements_day2.csv) with deletions, date changes, new posts and trainees moving between trusts, and expected_day2.json")
	fl.StringVar(&format, "format", "csv", "csv, dat (ESR GO file), xlsx or tsv-1252")
	fl.StringVar(&asOf, "as-of", "", "as-of date the expected statistics assume, YYYY-MM-DD (default today)")
	fl.StringVar(&out, "out", "", "output folder")
	return cmd
}
