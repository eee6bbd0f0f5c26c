package pipeline

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// localOffices is the local office table of a job: the --local-offices
// file when given, else the built-in table with the configuration's names
// (names, from the file config) on top; nil when neither adds any.
func localOffices(path string, names map[string][]string, config string) (*model.LocalOffices, error) {
	if path != "" || len(names) == 0 {
		return readLocalOffices(path)
	}
	l := model.DefaultLocalOffices()
	for _, c := range slices.Sorted(maps.Keys(names)) {
		for _, n := range names[c] {
			if err := l.Add(c, n); err != nil {
				return nil, fmt.Errorf("configuration %s: local-offices: %w", config, err)
			}
		}
	}
	return l, nil
}

// printPolicy says what the configuration changed in the result: the
// findings accepted (not counted in the verdict), the acceptances that
// expired (their findings counted again), the rules switched off, and the
// acceptances that matched nothing. Nothing when there was no
// configuration.
func printPolicy(w io.Writer, res *checks.Result, config string) {
	if config == "" {
		return
	}
	t := &res.Totals
	var parts []string
	if t.Accepted > 0 {
		parts = append(parts, fmt.Sprintf("%d finding(s) accepted (not counted in the verdict; listed in the JSON \"accepted\" list and the workbooks' Accepted tab)", t.Accepted))
	}
	if t.ExpiredAcceptances > 0 {
		parts = append(parts, fmt.Sprintf("%d acceptance(s) expired: those findings count again", t.ExpiredAcceptances))
	}
	if len(t.RulesOff) > 0 {
		parts = append(parts, "rules off: "+strings.Join(t.RulesOff, ", "))
	}
	if len(res.Unused) > 0 {
		parts = append(parts, fmt.Sprintf("%d acceptance(s) matched no finding (%s)", len(res.Unused), sources(res.Unused, config)))
	}
	if len(parts) == 0 {
		fmt.Fprintf(w, "configuration %s\n", config)
		return
	}
	fmt.Fprintf(w, "configuration %s: %s\n", config, strings.Join(parts, "; "))
}

// printPlacementPolicy says what the configuration changed in the
// reconciliation's placement findings: accepted, expired, and the
// acceptances of placements that matched none. Nothing when none.
func printPlacementPolicy(w io.Writer, res *reconcile.Result, config string) {
	var parts []string
	if n := len(res.Accepted); n > 0 {
		parts = append(parts, fmt.Sprintf("%d reconciliation finding(s) accepted (not counted in the exit status; listed in the JSON \"accepted\" list and the workbook's Accepted tab)", n))
	}
	if n := len(res.ExpiredAcceptances); n > 0 {
		parts = append(parts, fmt.Sprintf("%d reconciliation acceptance(s) expired: those findings count again", n))
	}
	if n := len(res.UnusedAcceptances); n > 0 {
		parts = append(parts, fmt.Sprintf("%d reconciliation acceptance(s) matched no finding (%s)", n, sources(res.UnusedAcceptances, config)))
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "configuration %s: %s\n", config, strings.Join(parts, "; "))
	}
}

// sources names where the first three acceptances are written ("line 14,
// line 21, ..."), without the configuration's name.
func sources(as []checks.Acceptance, config string) string {
	where := make([]string, 0, min(len(as), 3))
	for _, a := range as[:min(len(as), 3)] {
		where = append(where, strings.TrimPrefix(a.Source, config+" "))
	}
	if len(as) > 3 {
		where = append(where, "...")
	}
	return strings.Join(where, ", ")
}
