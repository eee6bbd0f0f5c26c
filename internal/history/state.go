package history

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"dpnkit/internal/exchange"
)

// counterNextApplicant is the counters row holding State.NextApplicantNumber.
const counterNextApplicant = "next_applicant_number"

// State returns the state the last committed run left, or the zero State
// (nil maps) when no run has been committed. After a run every map is
// non-nil, possibly empty, so a caller can tell "no earlier run" from "an
// earlier run that sent nothing". Dates come back as UTC.
//
// The Store remembers which run the State came from: a later Begin on this
// Store fails with ErrConflict if another run has committed since (which
// cannot happen while the Store holds the Lock).
func (s *Store) State(ctx context.Context) (exchange.State, error) {
	var st exchange.State
	err := s.read(ctx, "read state from", func(tx *sql.Tx) error {
		last, err := lastRun(ctx, tx)
		if err != nil {
			return err
		}
		var notified map[string]string
		if last != 0 {
			notified = map[string]string{}
			if st, err = readState(ctx, tx, last, notified); err != nil {
				return err
			}
		}
		s.base, s.baseState, s.baseNotified = last, st, notified
		return nil
	})
	if err != nil {
		return exchange.State{}, err
	}
	return st, nil
}

func lastRun(ctx context.Context, tx *sql.Tx) (int64, error) {
	var id sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT max(id) FROM runs").Scan(&id); err != nil {
		return 0, fmt.Errorf("last run: %w", err)
	}
	return id.Int64, nil
}

// porFields lists p's fields in POR file order: the order the positions
// table's por column packs them in, for writing and reading alike.
func porFields(p *exchange.POR) []*string {
	return []*string{&p.PositionID, &p.ChangeDeleteIndicator, &p.PositionNumber, &p.PositionTitle,
		&p.DeaneryNumber, &p.ManagingOffice, &p.HostLeadIndicator, &p.ODSCode, &p.EmployingOrgVPDCode,
		&p.ESROrganisation, &p.ESRLocation}
}

// sentFields lists a's fields in the order the sent table's sent column
// packs them (for writing and reading alike), with the dates as text in
// start and end.
func sentFields(a *exchange.SentApplicant, start, end *string) []*string {
	return []*string{&a.PlacementID, &a.NPN, &a.PositionID, &a.PositionNumber, &a.VPD, &a.Deanery, start, end,
		&a.ApplicantNumber, &a.Status, &a.File, &a.LastName, &a.FirstName, &a.GMC}
}

// readState reads the state tables; every map is non-nil. The notified
// table's rows go into notified as well, as they are stored, unless it is
// nil.
func readState(ctx context.Context, tx *sql.Tx, last int64, notified map[string]string) (exchange.State, error) {
	st := exchange.State{Sequences: map[string]int{}, Notified: map[string]bool{}}
	var err error
	if st.Positions, err = readPositions(ctx, tx); err != nil {
		return st, fmt.Errorf("positions: %w", err)
	}
	if st.Sent, err = readSent(ctx, tx); err != nil {
		return st, fmt.Errorf("sent applicants: %w", err)
	}
	if err := readSequences(ctx, tx, st.Sequences); err != nil {
		return st, fmt.Errorf("sequences: %w", err)
	}
	if err := readNotified(ctx, tx, st.Notified, notified); err != nil {
		return st, fmt.Errorf("notifications: %w", err)
	}
	err = tx.QueryRowContext(ctx, "SELECT value FROM counters WHERE name = ?", counterNextApplicant).
		Scan(&st.NextApplicantNumber)
	if err != nil && err != sql.ErrNoRows {
		return st, fmt.Errorf("next applicant number: %w", err)
	}
	if st.TIS, err = readTIS(ctx, tx, last); err != nil {
		return st, err
	}
	return st, nil
}

// readPositions reads the positions table: State.Positions.
func readPositions(ctx context.Context, tx *sql.Tx) (map[string]*exchange.POR, error) {
	var (
		positions = map[string]*exchange.POR{}
		p         exchange.POR
		pFields   = porFields(&p)
		slab      []exchange.POR // the records, a chunk at a time: the map points into them
	)
	err := eachGroupRecord(ctx, tx, "positions", func(k, rec string) error {
		p = exchange.POR{}
		if err := unpack(rec, pFields...); err != nil {
			return fmt.Errorf("position %s: %w", k, err)
		}
		if len(slab) == cap(slab) {
			slab = make([]exchange.POR, 0, 4096)
		}
		slab = append(slab, p)
		positions[k] = &slab[len(slab)-1]
		return nil
	})
	return positions, err
}

// readSent reads the sent table: State.Sent.
func readSent(ctx context.Context, tx *sql.Tx) (map[string]exchange.SentApplicant, error) {
	var (
		sent       = map[string]exchange.SentApplicant{}
		a          exchange.SentApplicant
		start, end string
		aFields    = sentFields(&a, &start, &end)
	)
	err := eachGroupRecord(ctx, tx, "sent", func(k, rec string) error {
		a = exchange.SentApplicant{}
		if err := unpack(rec, aFields...); err != nil {
			return fmt.Errorf("applicant %s: %w", k, err)
		}
		var err error
		if a.Start, err = decodeTime(start); err != nil {
			return fmt.Errorf("applicant %s start: %w", k, err)
		}
		if a.End, err = decodeTime(end); err != nil {
			return fmt.Errorf("applicant %s end: %w", k, err)
		}
		sent[k] = a
		return nil
	})
	return sent, err
}

// readSequences reads the sequences table into seqs.
func readSequences(ctx context.Context, tx *sql.Tx, seqs map[string]int) error {
	return eachRow(ctx, tx, "SELECT kind, seq FROM sequences", func(r *sql.Rows) error {
		var k string
		var n int
		if err := r.Scan(&k, &n); err != nil {
			return err
		}
		seqs[k] = n
		return nil
	})
}

// readNotified reads the notified table's keys into set and, unless it is
// nil, its rows as stored into rows.
func readNotified(ctx context.Context, tx *sql.Tx, set map[string]bool, rows map[string]string) error {
	return eachRow(ctx, tx, "SELECT grp, keys FROM notified", func(r *sql.Rows) error {
		var g, keys string
		if err := r.Scan(&g, &keys); err != nil {
			return err
		}
		if err := unpackEach(keys, func(k string) { set[k] = true }); err != nil {
			return fmt.Errorf("group %s: %w", g, err)
		}
		if rows != nil {
			rows[g] = keys
		}
		return nil
	})
}

func eachRow(ctx context.Context, tx *sql.Tx, query string, f func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// eachGroupRecord calls f with the key and the packed fields of every
// record of a table stored a VPD a row.
func eachGroupRecord(ctx context.Context, tx *sql.Tx, table string, f func(key, rec string) error) error {
	return eachGrouped(ctx, tx, table, "vpd", func(_, key, rec string) error { return f(key, rec) })
}

// eachGrouped calls f with the group (col, as stored), the key and the
// packed fields of every record of a table stored a group a row
// (writeGroups).
func eachGrouped(ctx context.Context, tx *sql.Tx, table, col string, f func(group, key, rec string) error) error {
	return eachRow(ctx, tx, "SELECT "+col+", recs FROM "+table, func(r *sql.Rows) error {
		var vpd, recs string
		if err := r.Scan(&vpd, &recs); err != nil {
			return err
		}
		for line := range strings.SplitSeq(recs, "\n") {
			k, rec, ok := strings.Cut(line, "\t")
			if !ok {
				return fmt.Errorf("VPD %s: a record without its key", vpd)
			}
			key, err := unescape(k)
			if err != nil {
				return fmt.Errorf("VPD %s: key %w", vpd, err)
			}
			if err := f(vpd, key, rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// writePositions makes the positions table hold next (writeGroups).
func writePositions(ctx context.Context, tx *sql.Tx, runID int64, cur, next map[string]*exchange.POR) error {
	var (
		row    exchange.POR
		fields = porFields(&row)
	)
	return writeGroups(ctx, tx, "positions", "vpd", runID, cur, next,
		func(a, b *exchange.POR) bool { return a == b || *a == *b }, // the same record, kept from the last state, or an equal one
		func(p *exchange.POR) string { return p.EmployingOrgVPDCode },
		func(dst []byte, p *exchange.POR) []byte {
			row = *p
			return appendPackedFields(dst, fields)
		})
}

// writeGroups makes a table stored a VPD a row hold next,
// rewriting only the VPDs in which a record was added, removed or changed
// (a record moved to another VPD changes both); the rows rewritten carry
// runID. vpd is a record's VPD field (its group, in column col), pack
// appends its packed fields.
func writeGroups[V any](ctx context.Context, tx *sql.Tx, table, col string, runID int64, cur, next map[string]V,
	same func(a, b V) bool, vpd func(V) string, pack func(dst []byte, v V) []byte) error {
	var (
		dirty = map[string]bool{}
		keys  = map[string][]string{} // by group, every group of next
	)
	for k, v := range next {
		g := vpdGroup(vpd(v))
		keys[g] = append(keys[g], k)
		if old, had := cur[k]; !had || !same(old, v) {
			dirty[g] = true
			if had { // it may have moved to another VPD: the old one loses it
				dirty[vpdGroup(vpd(old))] = true
			}
		}
	}
	for k, old := range cur {
		if _, ok := next[k]; !ok {
			dirty[vpdGroup(vpd(old))] = true
		}
	}
	if len(dirty) == 0 {
		return nil
	}
	var (
		groups     = sortedKeys(dirty)
		gone, rows []any
	)
	for _, g := range groups {
		if len(keys[g]) == 0 {
			gone = append(gone, g)
		}
	}
	if err := deleteRows(ctx, tx, table, col, gone); err != nil {
		return err
	}
	var recs []byte // reused: each group's text is copied into its own string
	for _, g := range groups {
		ks := keys[g]
		if len(ks) == 0 {
			continue
		}
		recs = packGroup(recs[:0], ks, func(dst []byte, k string) []byte { return pack(dst, next[k]) })
		rows = append(rows, g, string(recs), runID)
	}
	ins := &batcher{tx: tx, cols: 3, sql: func(n int) string {
		return "INSERT OR REPLACE INTO " + table + " (" + col + ", recs, run_id) VALUES " + placeholders(n, 3)
	}}
	defer ins.close()
	if err := ins.exec(ctx, rows); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}

// packGroup appends a group's records, one line each in key order (ks is
// sorted in place): the packed key, a tab, then what rec appends for it.
func packGroup(dst []byte, ks []string, rec func(dst []byte, k string) []byte) []byte {
	slices.Sort(ks)
	for i, k := range ks {
		if i > 0 {
			dst = append(dst, '\n')
		}
		dst = rec(append(appendPacked(dst, k), '\t'), k)
	}
	return dst
}

// writeState makes the state tables other than positions (writePositions)
// and the seen tables (writeTIS) hold next, changing only what differs from cur (the state before this
// run): sent by VPD (writeGroups), the others by row; rows written carry
// runID. curNotified is the notified table's rows as read with cur, or nil
// to group cur.Notified again.
func (s *Store) writeState(ctx context.Context, tx *sql.Tx, runID int64, cur exchange.State, curNotified map[string]string,
	next exchange.State) error {
	var (
		row        exchange.SentApplicant
		start, end string
		fields     = sentFields(&row, &start, &end)
	)
	if err := writeGroups(ctx, tx, "sent", "vpd", runID, cur.Sent, next.Sent, sameSent,
		func(a exchange.SentApplicant) string { return a.VPD },
		func(dst []byte, a exchange.SentApplicant) []byte {
			row, start, end = a, encodeTime(a.Start), encodeTime(a.End)
			return appendPackedFields(dst, fields)
		}); err != nil {
		return err
	}
	s.step("sent")
	if err := syncTable(ctx, tx, "sequences", "kind", cur.Sequences, next.Sequences,
		func(a, b int) bool { return a == b },
		"INSERT OR REPLACE INTO sequences (kind, seq, run_id)",
		func(dst []any, k string, n int) []any { return append(dst, k, n, runID) }); err != nil {
		return err
	}
	s.step("sequences")
	if curNotified == nil {
		curNotified = groupNotified(cur.Notified)
	}
	if err := syncTable(ctx, tx, "notified", "grp", curNotified, groupNotified(next.Notified),
		func(a, b string) bool { return a == b },
		"INSERT OR REPLACE INTO notified (grp, keys, run_id)",
		func(dst []any, g, keys string) []any { return append(dst, g, keys, runID) }); err != nil {
		return err
	}
	s.step("notified")
	if cur.NextApplicantNumber != next.NextApplicantNumber {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO counters (name, value, run_id) VALUES (?, ?, ?)",
			counterNextApplicant, next.NextApplicantNumber, runID); err != nil {
			return fmt.Errorf("write next applicant number: %w", err)
		}
	}
	s.step("counters")
	return nil
}

// syncTable deletes the keys of cur missing from next and writes the entries
// of next that are new or differ. upsert is the statement without its
// VALUES clause: rows go in batches of many rows per statement, since a
// national first run writes about 170,000 rows and the per-statement cost
// of database/sql and the driver dominates one-row statements.
func syncTable[V any](ctx context.Context, tx *sql.Tx, table, keyCol string, cur, next map[string]V,
	same func(a, b V) bool, upsert string, args func(dst []any, k string, v V) []any) error {
	var gone []any
	for _, k := range sortedKeys(cur) {
		if _, ok := next[k]; !ok {
			gone = append(gone, k)
		}
	}
	if err := deleteRows(ctx, tx, table, keyCol, gone); err != nil {
		return err
	}
	var changed []string
	for _, k := range sortedKeys(next) {
		if old, ok := cur[k]; !ok || !same(old, next[k]) {
			changed = append(changed, k)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	// The rows' arguments are made a batch at a time into one slice: a
	// national first run writes ~170,000 rows.
	row := args(nil, changed[0], next[changed[0]])
	ins := &batcher{tx: tx, cols: len(row), sql: func(rows int) string { return upsert + " VALUES " + placeholders(rows, len(row)) }}
	defer ins.close()
	per := ins.perBatch()
	flat := make([]any, 0, min(per, len(changed)*len(row)))
	for _, k := range changed {
		if flat = args(flat, k, next[k]); len(flat) == per {
			if err := ins.exec(ctx, flat); err != nil {
				return fmt.Errorf("write %s: %w", table, err)
			}
			clear(flat)
			flat = flat[:0]
		}
	}
	if err := ins.exec(ctx, flat); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}

// deleteRows deletes the rows of table whose col is one of keys, many
// keys a statement.
func deleteRows(ctx context.Context, tx *sql.Tx, table, col string, keys []any) error {
	del := &batcher{tx: tx, cols: 1, sql: func(rows int) string {
		return "DELETE FROM " + table + " WHERE " + col + " IN (?" + strings.Repeat(", ?", rows-1) + ")"
	}}
	defer del.close()
	if err := del.exec(ctx, keys); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}

// batchParams bounds the parameters of one statement (SQLite allows 32,766).
const batchParams = 4096

// batcher runs a statement over flat arguments, many rows at a time: one
// prepared statement for full batches (kept until close), one for the rest.
type batcher struct {
	tx   *sql.Tx
	cols int
	sql  func(rows int) string
	full *sql.Stmt
}

// perBatch is the number of arguments of a full batch.
func (b *batcher) perBatch() int { return max(1, batchParams/b.cols) * b.cols }

func (b *batcher) exec(ctx context.Context, flat []any) error {
	per := b.perBatch()
	for len(flat) >= per {
		if b.full == nil {
			var err error
			if b.full, err = b.tx.PrepareContext(ctx, b.sql(per/b.cols)); err != nil {
				return err
			}
		}
		if _, err := b.full.ExecContext(ctx, flat[:per]...); err != nil {
			return err
		}
		flat = flat[per:]
	}
	if len(flat) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.sql(len(flat)/b.cols), flat...)
	return err
}

func (b *batcher) close() {
	if b.full != nil {
		_ = b.full.Close()
	}
}

// placeholders is "(?, ?), (?, ?)" for rows rows of cols columns.
func placeholders(rows, cols int) string {
	var b strings.Builder
	one := "(?" + strings.Repeat(", ?", cols-1) + ")"
	b.Grow(rows * (len(one) + 2))
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// sameSent compares as stored: times by their encoding.
func sameSent(a, b exchange.SentApplicant) bool {
	ea, eb := encodeTime(a.Start), encodeTime(b.Start)
	fa, fb := encodeTime(a.End), encodeTime(b.End)
	a.Start, a.End, b.Start, b.End = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b && ea == eb && fa == fb
}
