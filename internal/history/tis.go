package history

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"dpnkit/internal/exchange"
)

// counterTISRun is the counters row naming the run whose
// exchange.TISSeen the seen_placements and seen_npns tables hold. A run
// that saw no TIS deletes it: the tables are then not read, and the next
// run works as the first.
const counterTISRun = "tis_run"

// readTIS reads the TISSeen of run last, or nil when the tables hold
// another run's (or none).
func readTIS(ctx context.Context, tx *sql.Tx, last int64) (*exchange.TISSeen, error) {
	var run int64
	err := tx.QueryRowContext(ctx, "SELECT value FROM counters WHERE name = ?", counterTISRun).Scan(&run)
	if err == sql.ErrNoRows || (err == nil && (run != last || last == 0)) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("TIS run: %w", err)
	}
	t := &exchange.TISSeen{}
	var asOf string
	if err := tx.QueryRowContext(ctx, "SELECT as_of FROM runs WHERE id = ?", run).Scan(&asOf); err != nil {
		return nil, fmt.Errorf("TIS run %d: %w", run, err)
	}
	if t.AsOf, err = decodeTime(asOf); err != nil {
		return nil, fmt.Errorf("TIS run %d as-of: %w", run, err)
	}
	if t.Placements, err = readSeenPlacements(ctx, tx); err != nil {
		return nil, err
	}
	// The rows are read first and the map made at their size: grown from
	// empty, ~75,000 NPNs rehash it a dozen times over.
	type row struct{ group, text string }
	var npns []row
	n := 0
	err = eachRow(ctx, tx, "SELECT grp, npns FROM seen_npns", func(r *sql.Rows) error {
		var x row
		if err := r.Scan(&x.group, &x.text); err != nil {
			return err
		}
		npns = append(npns, x)
		n += strings.Count(x.text, "\t") + 1
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("TIS NPNs: %w", err)
	}
	t.NPNs = make(map[string]bool, n)
	for _, x := range npns {
		if err := unpackEach(x.text, func(npn string) { t.NPNs[npn] = true }); err != nil {
			return nil, fmt.Errorf("TIS NPNs: group %s: %w", x.group, err)
		}
	}
	return t, nil
}

// writeTIS makes the seen tables hold next (nil: none), changing only the
// groups that differ from cur (the state before this run; nil: the tables
// are emptied first, as they may hold an older run's).
func writeTIS(ctx context.Context, tx *sql.Tx, runID int64, cur, next *exchange.TISSeen) error {
	if next == nil {
		if _, err := tx.ExecContext(ctx, "DELETE FROM counters WHERE name = ?", counterTISRun); err != nil {
			return fmt.Errorf("write TIS run: %w", err)
		}
		return nil
	}
	if cur == nil {
		for _, table := range []string{"seen_placements", "seen_npns"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
				return fmt.Errorf("write %s: %w", table, err)
			}
		}
		cur = &exchange.TISSeen{}
	}
	if err := writeSeenPlacements(ctx, tx, runID, cur.Placements, next.Placements); err != nil {
		return err
	}
	if err := writeNPNs(ctx, tx, runID, cur.NPNs, next.NPNs); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO counters (name, value, run_id) VALUES (?, ?, ?)",
		counterTISRun, runID, runID); err != nil {
		return fmt.Errorf("write TIS run: %w", err)
	}
	return nil
}

// npnGroup is the seen_npns row an NPN is stored in: its first two parts
// (deanery and trust or site code; a few dozen NPNs, so that a day's new
// posts rewrite few rows), or all of it.
func npnGroup(npn string) string {
	i := strings.IndexByte(npn, '/')
	if i < 0 {
		return npn
	}
	if j := strings.IndexByte(npn[i+1:], '/'); j >= 0 {
		return npn[:i+1+j]
	}
	return npn
}

// writeNPNs makes seen_npns hold next, rewriting only the groups with an
// NPN added or removed (an NPN is seldom removed: the set grows).
func writeNPNs(ctx context.Context, tx *sql.Tx, runID int64, cur, next map[string]bool) error {
	if cur != nil && next != nil && reflect.ValueOf(cur).UnsafePointer() == reflect.ValueOf(next).UnsafePointer() {
		return nil // the run added none: its state holds the last one's set itself
	}
	dirty := map[string]bool{}
	for k := range next {
		if !cur[k] {
			dirty[npnGroup(k)] = true
		}
	}
	for k := range cur {
		if !next[k] {
			dirty[npnGroup(k)] = true
		}
	}
	if len(dirty) == 0 {
		return nil
	}
	keys := map[string][]string{}
	for k := range next {
		if g := npnGroup(k); dirty[g] {
			keys[g] = append(keys[g], k)
		}
	}
	var gone, rows []any
	var b []byte
	for _, g := range sortedKeys(dirty) {
		ks := keys[g]
		if len(ks) == 0 {
			gone = append(gone, g)
			continue
		}
		slices.Sort(ks)
		b = appendPacked(b[:0], ks...)
		rows = append(rows, g, string(b), runID)
	}
	if err := deleteRows(ctx, tx, "seen_npns", "grp", gone); err != nil {
		return err
	}
	ins := &batcher{tx: tx, cols: 3, sql: func(n int) string {
		return "INSERT OR REPLACE INTO seen_npns (grp, npns, run_id) VALUES " + placeholders(n, 3)
	}}
	defer ins.close()
	if err := ins.exec(ctx, rows); err != nil {
		return fmt.Errorf("write seen_npns: %w", err)
	}
	return nil
}
