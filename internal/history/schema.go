package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// applicationID is written to the SQLite header (PRAGMA application_id):
// "DPNK".
const applicationID = 0x44504E4B

// appName is the meta table's application row.
const appName = "dpnkit"

// migrations[i] takes the schema from version i to i+1; version 0 is an empty
// database. Append only: a released step never changes.
var migrations = []string{
	// 1: runs, their inputs, the state tables.
	`CREATE TABLE meta (
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
		run_id INTEGER NOT NULL REFERENCES runs(id),
		seq    INTEGER NOT NULL,
		path   TEXT    NOT NULL,
		sha256 TEXT    NOT NULL,
		rows   INTEGER NOT NULL,
		PRIMARY KEY (run_id, seq)
	) WITHOUT ROWID;
	CREATE TABLE positions (
		key               TEXT PRIMARY KEY, -- the State.Positions key
		position_id       TEXT NOT NULL,
		change_delete     TEXT NOT NULL,
		position_number   TEXT NOT NULL,
		position_title    TEXT NOT NULL,
		deanery_number    TEXT NOT NULL,
		managing_office   TEXT NOT NULL,
		host_lead         TEXT NOT NULL,
		ods_code          TEXT NOT NULL,
		vpd               TEXT NOT NULL,
		esr_organisation  TEXT NOT NULL,
		esr_location      TEXT NOT NULL,
		run_id            INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	CREATE TABLE sent (
		key              TEXT PRIMARY KEY, -- the State.Sent key
		placement_id     TEXT NOT NULL,
		npn              TEXT NOT NULL,
		position_id      TEXT NOT NULL,
		position_number  TEXT NOT NULL,
		vpd              TEXT NOT NULL,
		deanery          TEXT NOT NULL,
		start_date       TEXT NOT NULL,
		end_date         TEXT NOT NULL,
		applicant_number TEXT NOT NULL,
		status           TEXT NOT NULL,
		file             TEXT NOT NULL,
		last_name        TEXT NOT NULL,
		first_name       TEXT NOT NULL,
		run_id           INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	CREATE TABLE sequences (
		kind   TEXT PRIMARY KEY,
		seq    INTEGER NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	CREATE TABLE notified (
		key    TEXT PRIMARY KEY,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	CREATE TABLE counters (
		name   TEXT PRIMARY KEY,
		value  INTEGER NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;`,
	// 2: checks of position files (check and report with --db): per check
	// and VPD the number of findings and, for each VPD's latest check only,
	// the findings themselves, encoded (checks.go) for the next check to
	// compare with.
	`CREATE TABLE checks (
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
	CREATE INDEX check_vpds_by_vpd ON check_vpds (vpd, check_id);`,
	// 3: the GMC number each applicant was sent with, for the withdrawal
	// notice; '' for applicants sent before this version.
	`ALTER TABLE sent ADD COLUMN gmc TEXT NOT NULL DEFAULT '';`,
	// 4: the state tables hold one packed value a row (appendPacked: fields
	// tab-separated, escaped) instead of a column a field, and the notified
	// keys are grouped by notification type and VPD. A national first run
	// stages ~73,000 positions, 23,000 applicants and 73,000 notification
	// keys, and binding a parameter per field and a row per key through
	// database/sql and the driver was most of the history's time and
	// garbage, on the run's critical path.
	//   positions.por: positionID, changeDeleteIndicator, positionNumber,
	//     positionTitle, deaneryNumber, managingOffice, hostLeadIndicator,
	//     odsCode, employingOrgVPDCode, esrOrganisation, esrLocation
	//   sent.sent: placement_id, npn, position_id, position_number, vpd,
	//     deanery, start_date, end_date, applicant_number, status, file,
	//     last_name, first_name, gmc
	//   notified.keys: the keys of the group (the text of a key up to its
	//     second "|": type and VPD), sorted
	`CREATE TABLE positions_v4 (
		key    TEXT PRIMARY KEY,
		por    TEXT NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	INSERT INTO positions_v4 (key, por, run_id)
		SELECT key, ` + packSQL("position_id", "change_delete", "position_number", "position_title", "deanery_number",
		"managing_office", "host_lead", "ods_code", "vpd", "esr_organisation", "esr_location") + `, run_id FROM positions;
	DROP TABLE positions;
	ALTER TABLE positions_v4 RENAME TO positions;
	CREATE TABLE sent_v4 (
		key    TEXT PRIMARY KEY,
		sent   TEXT NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	INSERT INTO sent_v4 (key, sent, run_id)
		SELECT key, ` + packSQL("placement_id", "npn", "position_id", "position_number", "vpd", "deanery", "start_date",
		"end_date", "applicant_number", "status", "file", "last_name", "first_name", "gmc") + `, run_id FROM sent;
	DROP TABLE sent;
	ALTER TABLE sent_v4 RENAME TO sent;
	CREATE TABLE notified_v4 (
		grp    TEXT PRIMARY KEY,
		keys   TEXT NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID;
	INSERT INTO notified_v4 (grp, keys, run_id)
		SELECT ` + groupSQL("key") + `, group_concat(` + packSQL("key") + `, char(9) ORDER BY key), max(run_id)
		FROM notified GROUP BY 1;
	DROP TABLE notified;
	ALTER TABLE notified_v4 RENAME TO notified;`,
	// 5: an input's checksum is CRC-32C (a run's inputs are fingerprinted
	// as they are read, and SHA-256 of a national run's ~500 MB cost a third
	// of a second); the values recorded before say they are SHA-256.
	`ALTER TABLE run_inputs RENAME COLUMN sha256 TO checksum;
	UPDATE run_inputs SET checksum = 'sha256:' || checksum;`,
	// 6: the positions and the applicants sent are stored a VPD a row: a
	// national first run transfers ~73,000 positions and sends ~23,000
	// applicants over ~200 VPDs, and a row each was most of the history's
	// work on that run (and, a day after, reading them back).
	//   vpd: the record's VPD field (employingOrgVPDCode, vpd) as packed
	//   recs: the VPD's records sorted by key, one a line, each the packed
	//     key, a tab and the record's packed fields (writeGroups)
	//   run_id: the run that last changed the VPD's records
	regroupSQL("positions", "por", porVPDField) + regroupSQL("sent", "sent", sentVPDField),
}

// addedTables are tables added to the schema without a new schema version:
// Open creates those missing (CREATE TABLE IF NOT EXISTS), in a database of
// any version, and a build that does not know them leaves them alone. They
// hold the exchange.TISSeen of the run the counters row tis_run names
// (tis.go):
//   - seen_placements: TISSeen.Placements by local office
//     (SeenPlacement.Office) and part: part 0 holds the office's
//     placements, later parts what later runs changed (seen.go); lines
//     is the number of lines of recs (a placement each: the packed id, a
//     tab and SeenPlacement.Rec as it is; or the packed id alone: gone
//     from the office), run_id the run that wrote the row;
//   - seen_npns: TISSeen.NPNs by grp (an NPN's first two parts, npnGroup),
//     npns (the group's NPNs sorted, packed), run_id.
var addedTables = []struct{ name, create string }{
	{"seen_placements", `CREATE TABLE IF NOT EXISTS seen_placements (
		office TEXT    NOT NULL,
		part   INTEGER NOT NULL,
		lines  INTEGER NOT NULL, -- before recs: read without the overflow pages of recs
		run_id INTEGER NOT NULL REFERENCES runs(id),
		recs   TEXT    NOT NULL,
		PRIMARY KEY (office, part)
	) WITHOUT ROWID`},
	{"seen_npns", `CREATE TABLE IF NOT EXISTS seen_npns (
		grp    TEXT PRIMARY KEY,
		npns   TEXT NOT NULL,
		run_id INTEGER NOT NULL REFERENCES runs(id)
	) WITHOUT ROWID`},
}

// addTables creates the addedTables a database lacks, in one write
// transaction (only when one is missing: an up-to-date database is only
// read).
func (s *Store) addTables(ctx context.Context) error {
	names := make([]any, len(addedTables))
	for i, t := range addedTables {
		names[i] = t.name
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN (?"+
		strings.Repeat(", ?", len(names)-1)+")", names...).Scan(&n); err != nil {
		return s.wrap("open", err)
	}
	if n == len(names) {
		return nil
	}
	tx, err := s.writeTx(ctx)
	if err != nil {
		return s.wrap("open", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	for _, t := range addedTables {
		if _, err := tx.ExecContext(ctx, t.create); err != nil {
			return s.wrap("add table "+t.name+" to", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("add tables to", err)
	}
	return nil
}

// SchemaVersion is the schema this build writes.
func SchemaVersion() int { return len(migrations) }

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
	foreign := fmt.Errorf("open %s: %w (an SQLite database of another application)", s.path, ErrNotDpnkit)
	if tables == 0 && appID == 0 {
		return identity{fresh: true}, nil // prepare decides whether it may be made ours
	}
	if appID != 0 && appID != applicationID {
		return identity{}, foreign
	}
	meta := map[string]string{}
	rows, err := tx.QueryContext(ctx, "SELECT key, value FROM meta WHERE key IN ('application', 'schema_version')")
	if err != nil {
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_ERROR {
			return identity{}, foreign // no meta table, or not ours
		}
		return identity{}, s.wrap("open", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return identity{}, foreign
		}
		meta[k] = v
	}
	if err := rows.Err(); err != nil {
		return identity{}, s.wrap("open", err)
	}
	if meta["application"] != appName {
		return identity{}, foreign
	}
	v, err := strconv.Atoi(meta["schema_version"])
	if err != nil || v < 1 {
		return identity{}, fmt.Errorf("open %s: %w (bad schema version %q)", s.path, ErrNotDpnkit, meta["schema_version"])
	}
	return identity{version: v}, nil
}

// prepare checks the database is ours and brings its schema up to date. A
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
	// WAL lets readers (dpnkit runs) work while a run commits. It is a
	// property of the file, set before the first table exists; an existing
	// database keeps it, and a no-op when it is already WAL.
	if _, err := s.db.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return s.wrap("open", err)
	}
	if id.fresh || id.version != len(migrations) {
		if err := s.migrate(ctx); err != nil {
			return err
		}
	}
	return s.addTables(ctx)
}

func (s *Store) readIdentity(ctx context.Context) (identity, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return identity{}, s.wrap("open", err)
	}
	defer tx.Rollback() //nolint:errcheck // read only
	return s.identify(ctx, tx)
}

func (s *Store) checkVersion(id identity) error {
	if id.version > len(migrations) {
		return fmt.Errorf("open %s: %w (schema %d, this build knows %d)", s.path, ErrNewerSchema, id.version, len(migrations))
	}
	return nil
}

// migrate applies the missing migrations in one BEGIN IMMEDIATE transaction,
// reading the version again under the write lock (another process may have
// created or migrated the database meanwhile).
func (s *Store) migrate(ctx context.Context) error {
	tx, err := s.writeTx(ctx)
	if err != nil {
		return s.wrap("open", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	id, err := s.identify(ctx, tx)
	if err != nil {
		return err
	}
	if err := s.checkVersion(id); err != nil {
		return err
	}
	for v := id.version; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return s.wrap(fmt.Sprintf("migrate schema %d to %d of", v, v+1), err)
		}
	}
	if id.fresh {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return s.wrap("create", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('application', ?)", appName); err != nil {
			return s.wrap("create", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
		strconv.Itoa(len(migrations))); err != nil {
		return s.wrap("migrate", err)
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("migrate", err)
	}
	return nil
}
