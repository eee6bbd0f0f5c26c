package main

import (
	"github.com/spf13/cobra"

	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
)

func newDemoCmd(s *iostreams.Streams) *cobra.Command {
	var out, asOf string
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Generate sample data for three trusts and run every job on it",
		Long: `demo generates synthetic ESR position exports for three trusts (VPDs) with
planted DPN defects, TIS placements, ESR people and a second day of
placements; runs 'dpnkit report', 'dpnkit reconcile' and two days of
'dpnkit run' on them; and prints where every file is. It exits 0 when the
demo ran, whatever the verdict.`,
		Example: `  dpnkit demo
  dpnkit demo --out /tmp/dpnkit-demo`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			_, _, err = pipeline.Demo(cmd.Context(), s, pipeline.DemoOptions{Out: out, AsOf: t})
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "dpnkit-demo", "folder for the sample data and workbooks")
	cmd.Flags().StringVar(&asOf, "as-of", "", "as-of date, YYYY-MM-DD (default today)")
	return cmd
}
