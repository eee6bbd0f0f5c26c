package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"dpnkit/checks"
	"dpnkit/internal/iostreams"
	"dpnkit/reconcile"
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
			for _, g := range ruleGroups {
				for _, r := range g.rules {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Description)
				}
			}
			return tw.Flush()
		},
	}
}

// ruleGroups is what `dpnkit rules` lists, in order. docs/rules.md is
// generated from it (rulesdoc_test.go; make rules-doc).
var ruleGroups = []struct {
	title, applies string
	rules          []checks.Rule
}{
	{"DPN checks", "`check` and `report` apply them to every position; `reconcile` and `run` check the positions they load the same way.", checks.Catalogue},
	{"Placement reconciliation", "`reconcile` and `run` apply them to the TIS placements that have not ended and to the active DPN positions they are matched against.", reconcile.Catalogue},
}
