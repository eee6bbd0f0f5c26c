package history

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"time"
)

// Check is one recorded check of position files (`dpnkit check` or `report`
// with --db): it holds, per VPD, the findings the check made, so that the
// next check of that VPD can say which are new, persisting or resolved.
//
// Only each VPD's latest check keeps its findings (all a comparison needs):
// recording a check of a VPD drops the findings of that VPD's earlier checks
// and keeps their counts, so a history checked every day stays the size of
// one check.
//
// A check takes the database's write lock only while it records (one BEGIN
// IMMEDIATE transaction), not for the whole check as a run does (Lock): a
// check changes no state that another job works from, so the worst a check
// running beside another check of the same VPD can do is compare with the
// check before them both. Recording waits for a run holding the lock (up to
// the busy timeout) and then fails with ErrBusy.
type Check struct {
	ID      int64     // assigned by RecordCheck, 1, 2, ...
	AsOf    time.Time // the check's as-of date
	Checked time.Time // when it was made (wall clock); stored in UTC
}

// CheckFinding is one finding as a check records it: what a later check
// needs to match it (rule, position number, value) and to list it once it is
// resolved. Severity is the finding's severity name ("error", ...).
type CheckFinding struct {
	Rule, Severity, PositionNumber, Value, Message string
	PositionName, DPN                              string // of the position the finding is about, when known
	File                                           string // the input file, as given
	Row                                            int
}

// CheckVPD is what a check found in one VPD.
type CheckVPD struct {
	VPD      string
	Findings iter.Seq[CheckFinding] // nil = none
}

// LastCheck is a VPD's latest recorded check and the findings it made, in
// the order they were recorded.
type LastCheck struct {
	Check
	Findings []CheckFinding
}

// RecordCheck stores one check of the given VPDs in one transaction: all or
// nothing. c.ID is ignored; the new check's id is returned. Each VPD's
// earlier checks keep their counts but lose their findings. When the Store
// holds the run lock (Lock), the check is written in that transaction and
// committed with the run.
func (s *Store) RecordCheck(ctx context.Context, c Check, vpds []CheckVPD) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.AsOf.IsZero() {
		return 0, errors.New("record check: no as-of date")
	}
	seen := make(map[string]bool, len(vpds))
	for _, v := range vpds {
		if seen[v.VPD] {
			return 0, fmt.Errorf("record check in %s: VPD %q given twice", s.path, v.VPD)
		}
		seen[v.VPD] = true
	}
	fail := func(err error) (int64, error) { return 0, s.fail("record check in", ctx, s.heldCtx, err) }
	tx := s.held
	if tx == nil {
		var err error
		if tx, err = s.writeTx(ctx); err != nil {
			return fail(err)
		}
		defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO checks (as_of, checked) VALUES (?, ?)",
		encodeTime(c.AsOf), encodeTime(c.Checked))
	if err != nil {
		return fail(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fail(err)
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO check_vpds (check_id, vpd, findings, data) VALUES (?, ?, ?, ?)")
	if err != nil {
		return fail(err)
	}
	defer ins.Close()
	prune, err := tx.PrepareContext(ctx,
		"UPDATE check_vpds SET data = NULL WHERE vpd = ? AND check_id < ? AND data IS NOT NULL")
	if err != nil {
		return fail(err)
	}
	defer prune.Close()
	var enc findingsEncoder
	for _, v := range vpds {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		enc.reset()
		if v.Findings != nil {
			for f := range v.Findings {
				enc.add(&f)
			}
		}
		if _, err := ins.ExecContext(ctx, id, v.VPD, enc.n, enc.bytes()); err != nil {
			return fail(err)
		}
		if _, err := prune.ExecContext(ctx, v.VPD, id); err != nil {
			return fail(err)
		}
	}
	s.step("check")
	if s.held != nil {
		return id, nil // committed with the run
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return id, nil
}

// LastChecks returns, for each of vpds that has been checked before, its
// latest recorded check with its findings. A VPD never checked is missing
// from the map. All come from one consistent snapshot.
func (s *Store) LastChecks(ctx context.Context, vpds []string) (map[string]LastCheck, error) {
	out := make(map[string]LastCheck)
	err := s.read(ctx, "read last checks from", func(tx *sql.Tx) error {
		last, err := tx.PrepareContext(ctx, `SELECT v.check_id, v.findings, v.data, c.as_of, c.checked
			FROM check_vpds v JOIN checks c ON c.id = v.check_id
			WHERE v.vpd = ? ORDER BY v.check_id DESC LIMIT 1`)
		if err != nil {
			return err
		}
		defer last.Close()
		for _, vpd := range vpds {
			if _, done := out[vpd]; done {
				continue
			}
			var lc LastCheck
			var n int
			var data []byte
			var asOf, checked string
			err := last.QueryRowContext(ctx, vpd).Scan(&lc.ID, &n, &data, &asOf, &checked)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("last check of VPD %q: %w", vpd, err)
			}
			if lc.AsOf, err = decodeTime(asOf); err != nil {
				return fmt.Errorf("check %d as-of: %w", lc.ID, err)
			}
			if lc.Checked, err = decodeTime(checked); err != nil {
				return fmt.Errorf("check %d time: %w", lc.ID, err)
			}
			if lc.Findings, err = decodeFindings(data, n); err != nil {
				return fmt.Errorf("findings of check %d of VPD %q: %w", lc.ID, vpd, err)
			}
			out[vpd] = lc
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// The findings of one VPD's check are stored as one blob rather than a row
// each: a national check makes ~100k findings, and a row each would cost a
// check more than the check itself. The blob is, after a format byte (1):
// the number of distinct files, each file (the findings index them), then
// per finding its rule, severity, position number, value, message, position
// name and DPN, its file's index and its row. A string is its length (an
// unsigned varint) and its bytes; a number an unsigned varint.
const findingsFormat = 1

type findingsEncoder struct {
	n     int
	body  []byte
	files []string
	index map[string]int
	out   []byte
}

func (e *findingsEncoder) reset() {
	e.n, e.body, e.files, e.out = 0, e.body[:0], e.files[:0], e.out[:0]
	if e.index == nil {
		e.index = map[string]int{}
	}
	clear(e.index)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func (e *findingsEncoder) add(f *CheckFinding) {
	fi, ok := e.index[f.File]
	if !ok {
		fi = len(e.files)
		e.index[f.File] = fi
		e.files = append(e.files, f.File)
	}
	for _, s := range [...]string{f.Rule, f.Severity, f.PositionNumber, f.Value, f.Message, f.PositionName, f.DPN} {
		e.body = appendString(e.body, s)
	}
	e.body = binary.AppendUvarint(e.body, uint64(fi))
	e.body = binary.AppendUvarint(e.body, uint64(max(f.Row, 0)))
	e.n++
}

// bytes returns the blob; it is valid until the next reset.
func (e *findingsEncoder) bytes() []byte {
	e.out = append(e.out, findingsFormat)
	e.out = binary.AppendUvarint(e.out, uint64(len(e.files)))
	for _, f := range e.files {
		e.out = appendString(e.out, f)
	}
	return append(e.out, e.body...)
}

// findingsDecoder reads a blob kept as one string, so that every string
// decoded is a slice of it rather than an allocation of its own.
type findingsDecoder struct {
	s   string
	err error
}

func (d *findingsDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	var v uint64
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		b := d.s[i]
		if i == binary.MaxVarintLen64-1 && b > 1 {
			break // overflows 64 bits
		}
		v |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			d.s = d.s[i+1:]
			return v
		}
	}
	d.err = errors.New("damaged findings: bad number")
	return 0
}

func (d *findingsDecoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.s)) {
		d.err = errors.New("damaged findings: string runs past the end")
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

// decodeFindings reads the n findings of a blob; a NULL blob (findings
// dropped) reads as an error unless n is 0.
func decodeFindings(data []byte, n int) ([]CheckFinding, error) {
	out := make([]CheckFinding, 0, n)
	if data == nil {
		if n == 0 {
			return out, nil
		}
		return nil, fmt.Errorf("%d findings were dropped", n)
	}
	if len(data) == 0 || data[0] != findingsFormat {
		return nil, errors.New("damaged findings: unknown format")
	}
	d := &findingsDecoder{s: string(data[1:])}
	nf := d.uvarint()
	if nf > uint64(len(d.s)) {
		return nil, errors.New("damaged findings: bad file count")
	}
	files := make([]string, nf)
	for i := range files {
		files[i] = d.string()
	}
	for d.err == nil && len(d.s) > 0 {
		var f CheckFinding
		f.Rule, f.Severity, f.PositionNumber, f.Value = d.string(), d.string(), d.string(), d.string()
		f.Message, f.PositionName, f.DPN = d.string(), d.string(), d.string()
		fi := d.uvarint()
		row := d.uvarint()
		if d.err != nil {
			break
		}
		if fi >= uint64(len(files)) || row > 1<<40 {
			return nil, errors.New("damaged findings: bad file or row")
		}
		f.File, f.Row = files[fi], int(row)
		out = append(out, f)
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(out) != n {
		return nil, fmt.Errorf("damaged findings: %d recorded, %d read", n, len(out))
	}
	return out, nil
}
