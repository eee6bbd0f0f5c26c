package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"dpnkit/checks"
	"dpnkit/internal/iostreams"
)

func newRulesCmd(s *iostreams.Streams) *cobra.Command {
	return &cobra.Command{
		Use:     "rules",
		Short:   "List every rule id (DPN checks, then placement reconciliation), its severity and what it checks",
		Example: `  dpnkit rules`,
		Args:    noArgs,
		RunE: func(*cobra.Command, []string) error {
			tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "RULE\tSEVERITY\tDESCRIPTION")
			for _, r := range append(append([]checks.Rule(nil), checks.Catalogue...), checks.ReconcileCatalogue...) {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Description)
			}
			return tw.Flush()
		},
	}
}
