package main

import (
	"github.com/spf13/cobra"

	"dpnkit/checks"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/termtable"
	"dpnkit/reconcile"
)

func newRulesCmd(s *iostreams.Streams) *cobra.Command {
	return &cobra.Command{
		Use:     "rules",
		Short:   "List every rule id (DPN checks, then placement reconciliation), its severity and what it checks",
		Example: `  dpnkit rules`,
		Args:    noArgs,
		RunE: func(*cobra.Command, []string) error {
			t := termtable.New(s.Out, termtable.Text, "RULE", "SEVERITY", "DESCRIPTION")
			for _, g := range ruleGroups {
				for _, r := range g.rules {
					if err := t.Append(r.ID, r.Severity.String(), r.Description); err != nil {
						return err
					}
				}
			}
			return t.Render()
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
