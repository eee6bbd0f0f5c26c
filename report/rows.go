package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/exchange"
	"dpnkit/reconcile"
)

// rowsKind is the accounting of one kind of input row (positions,
// placements, people): the records read, the categories that add up to
// them, and the rows the loader skipped beside them.
type rowsKind struct {
	name    string // "Positions"
	read    int
	parts   []checks.RowCount
	skipped int
}

// reconcileKinds are the kinds a reconciliation reads.
func reconcileKinds(r reconcile.Rows) []rowsKind {
	return []rowsKind{
		{"Positions", r.Positions.Read, r.Positions.Parts(), r.Positions.Skipped},
		{"Placements", r.Placements.Read, r.Placements.Parts(), r.Placements.Skipped},
	}
}

// runKinds are the kinds a run reads.
func runKinds(r exchange.RunRows) []rowsKind {
	return []rowsKind{
		{"Positions", r.Positions.Read, r.Positions.Parts(), r.Positions.Skipped},
		{"Placements", r.Placements.Read, r.Placements.Parts(), r.Placements.Skipped},
		{"People", r.People.Read, r.People.Parts(), r.People.Skipped},
	}
}

// line is the terminal line of k: "Placements: 5 read = 2 in scope + 1
// vacant (RECRUIT - VACANCY) + 1 ended (out of scope) + 1 unreadable (bad
// or reversed dates); 1 row skipped by the loader (not in read)." A sum
// that differs from the records read (a fault of dpnkit's) is said, never
// hidden.
func (k rowsKind) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d read = ", k.name, k.read)
	sum := 0
	for i, p := range k.parts {
		if i > 0 {
			b.WriteString(" + ")
		}
		fmt.Fprintf(&b, "%d %s", p.N, p.Label)
		sum += p.N
	}
	if sum != k.read {
		fmt.Fprintf(&b, " (%d not accounted for)", k.read-sum)
	}
	if k.skipped > 0 {
		fmt.Fprintf(&b, "; %d %s skipped by the loader (not in read)", k.skipped, plural(k.skipped, "row", "rows"))
	}
	b.WriteString(".")
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// rowsHeader is the header of the workbooks' table of rows read.
var rowsHeader = []string{"Input", "Rows", "Count"}

// cells are k's rows of that table: read, each category, then skipped
// (only when the loader skipped any).
func (k rowsKind) cells() [][]any {
	out := [][]any{{k.name, "read", k.read}}
	for _, p := range k.parts {
		out = append(out, []any{k.name, p.Label, p.N})
	}
	if k.skipped > 0 {
		out = append(out, []any{k.name, "skipped by the loader (not in read)", k.skipped})
	}
	return out
}

// rowsLayout adds the table of rows read to a layout tab, under a
// heading.
func rowsLayout(l *layout, st *styles, kinds []rowsKind) {
	l.line(st.heading, "Every row accounted for")
	l.header(st.header, rowsHeader...)
	for _, k := range kinds {
		for _, r := range k.cells() {
			l.row(text(r[0].(string)), text(r[1].(string)), excelize.Cell{Value: r[2]})
		}
	}
}
