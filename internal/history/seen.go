package history

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"dpnkit/internal/exchange"
)

// The seen_placements table holds exchange.TISSeen.Placements by local
// office: part 0 of an office is its placements as some run saw them,
// later parts what each run since changed in them. A national run
// remembers ~100,000 placements (~8 MB) and changes a few per cent a day:
// rewriting the offices whole cost a day's run as much as writing them on
// the first. An office is written whole again (its changes folded in and
// its later parts deleted) when the lines of its later parts would
// outnumber a quarter of its part 0's (compactShare).
//
// A line of recs is the packed placement id, a tab and SeenPlacement.Rec
// as it is (the placement, now of this office), or the packed id alone
// (the placement is no longer of this office). The rows are applied in
// the order the runs wrote them (run_id, then office and part), so that a
// placement that moved from one office to another ends in the right one.

// compactShare: an office is written whole when its later parts' lines
// would be more than 1/compactShare of its part 0's.
const compactShare = 4

// seenRow is one row of seen_placements.
type seenRow struct {
	office      string
	part, lines int64
	run         int64
	recs        string
}

// readSeenPlacements reads TISSeen.Placements.
func readSeenPlacements(ctx context.Context, tx *sql.Tx) (map[string]exchange.SeenPlacement, error) {
	var rows []seenRow
	n := 0
	err := eachRow(ctx, tx, "SELECT office, part, lines, run_id, recs FROM seen_placements ORDER BY run_id, office, part",
		func(r *sql.Rows) error {
			var x seenRow
			if err := r.Scan(&x.office, &x.part, &x.lines, &x.run, &x.recs); err != nil {
				return err
			}
			rows = append(rows, x)
			n += int(x.lines)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("TIS placements: %w", err)
	}
	// Made at its size: grown from empty, ~100,000 placements rehash it a
	// dozen times over.
	m := make(map[string]exchange.SeenPlacement, n)
	for _, x := range rows {
		if x.recs == "" {
			continue
		}
		for line := range strings.SplitSeq(x.recs, "\n") {
			k, rec, upsert := strings.Cut(line, "\t")
			key, err := unescape(k)
			if err != nil {
				return nil, fmt.Errorf("TIS placements: office %s: key %w", x.office, err)
			}
			switch {
			case upsert:
				m[key] = exchange.SeenPlacement{Office: x.office, Rec: rec}
			case m[key].Office == x.office:
				delete(m, key)
			}
		}
	}
	return m, nil
}

// writeSeenPlacements makes seen_placements hold next, writing per office
// what changed since cur (the state before this run; nil when the table
// may hold another run's: it is then emptied and written whole).
func writeSeenPlacements(ctx context.Context, tx *sql.Tx, runID int64, cur, next map[string]exchange.SeenPlacement) error {
	changed := map[string][]string{} // office -> its change lines
	line := func(office, key, rec string, upsert bool) {
		b := appendPacked(nil, key)
		if upsert {
			b = append(append(b, '\t'), seenRec(rec)...)
		}
		changed[office] = append(changed[office], string(b))
	}
	if cur == nil {
		if _, err := tx.ExecContext(ctx, "DELETE FROM seen_placements"); err != nil {
			return fmt.Errorf("write seen_placements: %w", err)
		}
		for _, v := range next {
			changed[v.Office] = nil // every office is written whole
		}
	}
	for k, v := range next {
		old, had := cur[k]
		if had && old == v {
			continue
		}
		if cur != nil {
			line(v.Office, k, v.Rec, true)
		}
		if had && old.Office != v.Office {
			line(old.Office, k, "", false)
		}
	}
	for k, old := range cur {
		if _, ok := next[k]; !ok {
			line(old.Office, k, "", false)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	held, err := seenParts(ctx, tx)
	if err != nil {
		return err
	}
	var whole []string // offices written whole
	var rows []any
	for _, office := range sortedKeys(changed) {
		lines := changed[office]
		h := held[office]
		if cur != nil && h.base && (h.later+int64(len(lines)))*compactShare <= h.baseLines {
			slices.Sort(lines)
			rows = append(rows, office, h.last+1, len(lines), runID, strings.Join(lines, "\n"))
			continue
		}
		whole = append(whole, office)
	}
	if len(whole) > 0 {
		more, err := wholeOffices(ctx, tx, runID, whole, next)
		if err != nil {
			return err
		}
		rows = append(rows, more...)
	}
	ins := &batcher{tx: tx, cols: 5, sql: func(n int) string {
		return "INSERT OR REPLACE INTO seen_placements (office, part, lines, run_id, recs) VALUES " + placeholders(n, 5)
	}}
	defer ins.close()
	if err := ins.exec(ctx, rows); err != nil {
		return fmt.Errorf("write seen_placements: %w", err)
	}
	return nil
}

// seenRec is a record as one line (exchange.SeenPlacement.Rec holds no
// line feed; were one there, it would end the line).
func seenRec(rec string) string {
	if strings.IndexByte(rec, '\n') < 0 {
		return rec
	}
	return strings.ReplaceAll(rec, "\n", " ")
}

// officeParts is what seen_placements holds of an office.
type officeParts struct {
	base      bool  // a part 0
	baseLines int64 // its lines
	later     int64 // the lines of the later parts
	last      int64 // the last part
}

// seenParts reads what seen_placements holds of each office, without its
// records (lines is stored before recs, which is not read).
func seenParts(ctx context.Context, tx *sql.Tx) (map[string]officeParts, error) {
	held := map[string]officeParts{}
	err := eachRow(ctx, tx, "SELECT office, part, lines FROM seen_placements", func(r *sql.Rows) error {
		var office string
		var part, lines int64
		if err := r.Scan(&office, &part, &lines); err != nil {
			return err
		}
		h := held[office]
		if part == 0 {
			h.base, h.baseLines = true, lines
		} else {
			h.later += lines
		}
		h.last = max(h.last, part)
		held[office] = h
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read seen_placements: %w", err)
	}
	return held, nil
}

// wholeOffices deletes the rows of offices and returns the arguments of
// their new part 0, from next (none for an office next has no placement
// of).
func wholeOffices(ctx context.Context, tx *sql.Tx, runID int64, offices []string, next map[string]exchange.SeenPlacement) ([]any, error) {
	gone := make([]any, len(offices))
	keys := make(map[string][]string, len(offices))
	for i, o := range offices {
		gone[i] = o
		keys[o] = nil
	}
	if err := deleteRows(ctx, tx, "seen_placements", "office", gone); err != nil {
		return nil, err
	}
	for k, v := range next {
		if ks, ok := keys[v.Office]; ok {
			keys[v.Office] = append(ks, k)
		}
	}
	var rows []any
	var b []byte
	for _, o := range offices {
		ks := keys[o]
		if len(ks) == 0 {
			continue
		}
		b = packGroup(b[:0], ks, func(dst []byte, k string) []byte { return append(dst, seenRec(next[k].Rec)...) })
		rows = append(rows, o, 0, len(ks), runID, string(b))
	}
	return rows, nil
}
