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
		Short: "Generate sample ESR data for three trusts and write their DPN reports",
		Long: `demo generates synthetic ESR position exports for three trusts (VPDs) with
planted DPN defects, runs 'dpnkit report' on them, and prints where the
workbooks are. It exits 0 when the demo ran, whatever the verdict.`,
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
