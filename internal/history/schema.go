package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// applicationID is written to the SQLite header (PRAGMA application_id):
// "DPNK".
const applicationID = 0x44504E4B

// appName is the meta table's application row.
const appName = "dpnkit"

// schemaVersion is the meta table's schema_version row: the one schema this
// build reads and writes. Versions 1 to 6 were written by unreleased
// development builds; their databases are refused (ErrOlderSchema), not
// migrated.
const schemaVersion = 7

// schema creates every table of a new database.
//
// The state tables hold packed values (pack.go: fields tab-separated,
// escaped):
//   - positions and sent: a VPD's records in one row (writeGroups): vpd is
//     the record's VPD field as packed (vpdGroup), recs the VPD's records
//     sorted by key, one a line, each the packed key, a tab and the
//     record's packed fields (positions: porFields; sent: sentFields),
//     run_id the run that last changed the VPD's records;
//   - notified: the notification keys by group (notifiedGroup: a key's
//     text up to its second "|", the notification type and the VPD), keys
//     the group's keys sorted, packed;
//   - seen_placements: exchange.TISSeen.Placements by local office and part
//     (seen.go); lines is the number of lines of recs (read without the
//     overflow pages of recs);
//   - seen_npns: TISSeen.NPNs by grp (npnGroup), npns the group's NPNs
//     sorted, packed.
//
// The seen tables hold the TISSeen of the run the counters row tis_run
// names (tis.go). run_inputs.checksum is the algorithm, a colon and the
// value ("crc32c:1a2b3c4d"). check_vpds holds, per check of position files
// (check and report with --db) and VPD, the number of findings and, for
// each VPD's latest check only, the findings themselves (checks.go).
const schema = `CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE runs (
		id            INTEGER PRIMARY KEY AUTOINCREMENT,
		as_of         TEXT    NOT NULL,
		started       TEXT    NOT NULL,
		finished      TEXT    NOT NULL,
		counts        TEXT    NOT NULL,
		app_files     TEXT    NOT NULL,
		apc_files     TEXT    NOT NULL,
		notifications INTEGER NOT NULL
	);
	CREATE TABLE run_inputs (
		run_id   INTEGER NOT NULL REFERENCES runs(id),
		seq      INTEGER NOT NULL,
		path     TEXT    NOT NULL,
		checksum TEXT    NOT NULL,
		rows     INTEGER NOT NULL,
		PRIMARY KEY (run_id, seq)
	) WITHOUT ROWID;
	CREATE TABLE sequences (
		kind   TEXT PRIMARY KEY,
		seq    INTEGER NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	CREATE TABLE counters (
		name   TEXT PRIMARY KEY,
		value  INTEGER NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	CREATE TABLE checks (
		id      INTEGER PRIMARY KEY AUTOINCREMENT,
		as_of   TEXT NOT NULL,
		checked TEXT NOT NULL
	);
	CREATE TABLE check_vpds (
		check_id INTEGER NOT NULL REFERENCES checks(id),
		vpd      TEXT    NOT NULL,
		findings INTEGER NOT NULL,
		data     BLOB, -- the encoded findings; NULL once a later check of the VPD is recorded
		PRIMARY KEY (check_id, vpd)
	);
	CREATE INDEX check_vpds_by_vpd ON check_vpds (vpd, check_id);
	CREATE TABLE positions (
		vpd    TEXT PRIMARY KEY,
		recs   TEXT NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	CREATE TABLE sent (
		vpd    TEXT PRIMARY KEY,
		recs   TEXT NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	CREATE TABLE notified (
		grp    TEXT PRIMARY KEY,
		keys   TEXT NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	CREATE TABLE seen_placements (
		office TEXT    NOT NULL,
		part   INTEGER NOT NULL,
		lines  INTEGER NOT NULL, -- before recs: read without the overflow pages of recs
		run_id INTEGER NOT NULL REFERENCES runs(id),
		recs   TEXT    NOT NULL,
		PRIMARY KEY (office, part)
	) WITHOUT ROWID;
	CREATE TABLE seen_npns (
		grp    TEXT PRIMARY KEY,
		npns   TEXT NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;`

// identity is what a database says about itself.
type identity struct {
	fresh   bool // no tables, no application id: ours to create
	version int
}

// identify reads the database's identity inside tx. It returns an error
// wrapping ErrNotDpnkit for a file that is not ours.
func (s *Store) identify(ctx context.Context, tx *sql.Tx) (identity, error) {
	var appID int64
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return identity{}, s.wrap("open", err)
	}
	var tables int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return identity{}, s.wrap("open", err)
	}
	if tables == 0 && appID == 0 {
		return identity{fresh: true}, nil // prepare decides whether it may be made ours
	}
	if appID != 0 && appID != applicationID {
		return identity{}, s.foreign()
	}
	meta, err := s.readMeta(ctx, tx)
	if err != nil {
		return identity{}, err
	}
	if meta["application"] != appName {
		return identity{}, s.foreign()
	}
	v, err := strconv.Atoi(meta["schema_version"])
	if err != nil || v < 1 {
		return identity{}, fmt.Errorf("open %s: %w (bad schema version %q)", s.path, ErrNotDpnkit, meta["schema_version"])
	}
	return identity{version: v}, nil
}

// foreign is the error for an SQLite database that is not ours.
func (s *Store) foreign() error {
	return fmt.Errorf("open %s: %w (an SQLite database of another application)", s.path, ErrNotDpnkit)
}

// readMeta reads the meta table's application and schema_version rows; a
// database without that table is foreign.
func (s *Store) readMeta(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	meta := map[string]string{}
	rows, err := tx.QueryContext(ctx, "SELECT key, value FROM meta WHERE key IN ('application', 'schema_version')")
	if err != nil {
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_ERROR {
			return nil, s.foreign() // no meta table, or not ours
		}
		return nil, s.wrap("open", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, s.foreign()
		}
		meta[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("open", err)
	}
	return meta, nil
}

// prepare checks the database is ours and of this build's schema. A
// database with no tables is given the schema only when fresh is set (a
// file createMissing has just made); otherwise it is refused.
func (s *Store) prepare(ctx context.Context, fresh bool) error {
	id, err := s.readIdentity(ctx)
	if err != nil {
		return err
	}
	if id.fresh && !fresh {
		return fmt.Errorf("open %s: %w (an SQLite database with no tables; dpnkit starts a new history only in a file "+
			"it creates: remove it, or give --db a name that does not exist yet)", s.path, ErrNotDpnkit)
	}
	if err := s.checkVersion(id); err != nil {
		return err
	}
	// A new history gets pages of 16 KiB instead of SQLite's 4 KiB: its
	// state is stored as packed record lines (packGroup), blobs of tens of
	// KiB that 4 KiB pages chain over many overflow pages. A national run
	// then writes and checkpoints about a quarter of the pages, 0.5-0.7 s
	// of CPU less (docs/performance.md), in a file ~15% larger that grows
	// ~0.37 MB a run instead of ~0.23 MB (32 KiB pages measured no faster
	// and grow by ~0.53 MB). The page size is fixed once the database is
	// in WAL mode: an existing history keeps its own.
	if id.fresh {
		if _, err := s.db.ExecContext(ctx, "PRAGMA page_size=16384"); err != nil {
			return s.wrap("open", err)
		}
	}
	// WAL lets readers (dpnkit runs) work while a run commits. It is a
	// property of the file, set before the first table exists; an existing
	// database keeps it, and a no-op when it is already WAL.
	if _, err := s.db.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return s.wrap("open", err)
	}
	if id.fresh {
		return s.create(ctx)
	}
	return nil
}

func (s *Store) readIdentity(ctx context.Context) (identity, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return identity{}, s.wrap("open", err)
	}
	defer tx.Rollback() //nolint:errcheck // read only
	return s.identify(ctx, tx)
}

// checkVersion refuses a database of any schema but this build's.
func (s *Store) checkVersion(id identity) error {
	switch {
	case id.fresh || id.version == schemaVersion:
		return nil
	case id.version > schemaVersion:
		return fmt.Errorf("open %s: %w (schema %d, this build knows %d)", s.path, ErrNewerSchema, id.version, schemaVersion)
	default:
		return fmt.Errorf("open %s: this history was %w (schema %d; this build reads only schema %d): "+
			"start a new history file with --db NEW.db", s.path, ErrOlderSchema, id.version, schemaVersion)
	}
}

// create gives a new database the schema, its identity and version, in one
// BEGIN IMMEDIATE transaction, reading the identity again under the write
// lock.
func (s *Store) create(ctx context.Context) error {
	tx, err := s.writeTx(ctx)
	if err != nil {
		return s.wrap("create", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	id, err := s.identify(ctx, tx)
	if err != nil {
		return err
	}
	if !id.fresh {
		return s.checkVersion(id) // made meanwhile: use it if it is of this schema
	}
	for _, q := range []string{schema, fmt.Sprintf("PRAGMA application_id = %d", applicationID)} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return s.wrap("create", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('application', ?), ('schema_version', ?)",
		appName, strconv.Itoa(schemaVersion)); err != nil {
		return s.wrap("create", err)
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("create", err)
	}
	return nil
}
