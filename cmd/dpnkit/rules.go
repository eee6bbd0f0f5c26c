package main

import (
	"encoding/json"
	"io"

	"github.com/spf13/cobra"

	"dpnkit/checks"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/pipeline"
	"dpnkit/internal/termtable"
	"dpnkit/reconcile"
)

func newRulesCmd(s *iostreams.Streams) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule id (DPN checks, then placement reconciliation), its severity and what it checks",
		Example: `  dpnkit rules
  dpnkit rules --format json`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			switch format {
			case pipeline.FormatJSON:
				return rulesJSON(s.Out)
			case pipeline.FormatTable:
			default:
				return usagef("--format %q: want table or json", format)
			}
			t := termtable.New(s.Out, listLayout(s), "RULE", "SEVERITY", "DESCRIPTION").Fit(s.Width).Shrink(2)
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
	cmd.Flags().StringVar(&format, "format", pipeline.FormatTable, "output: table or json")
	return cmd
}

// listLayout is how the listings (rules, fields) lay out their last
// column: wrapped to the terminal's width, or on one line when it is not known.
func listLayout(s *iostreams.Streams) termtable.Layout {
	if s.Width > 0 {
		return termtable.Wrapped
	}
	return termtable.Text
}

// ruleJSON is one rule in `dpnkit rules --format json`.
type ruleJSON struct {
	ID          string `json:"id"`
	Severity    string `json:"severity"`
	Group       string `json:"group"`
	Description string `json:"description"`
}

// rulesJSON writes every rule as a JSON array, in the order of the table.
func rulesJSON(w io.Writer) error {
	var out []ruleJSON
	for _, g := range ruleGroups {
		for _, r := range g.rules {
			out = append(out, ruleJSON{ID: r.ID, Severity: r.Severity.String(), Group: g.title, Description: r.Description})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
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
