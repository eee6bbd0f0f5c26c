// Package history keeps the interface run's memory (interface-run.md "State:
// the run history") in an embedded SQLite database: every committed run (as-of
// date, start and finish times, input files with their checksums (CRC-32C),
// counts, the APP and APC files written) and the exchange.State the last run
// left: the POR records transferred, the applicants sent with their applicant
// numbers and status, the keys of the notifications emitted, the file
// sequences and the next applicant number.
//
// A run commits its record and its next state in one transaction (Begin,
// Staged.Finish, Staged.Commit), so a run that fails, is cancelled or is
// killed half-way leaves the history as it was. A dry run simply never
// calls Begin.
//
// The database uses the pure-Go driver modernc.org/sqlite in WAL mode, one
// connection per Store, and a busy timeout of 10 seconds. Two runs on one
// database never lose each other's work:
//
//   - a run that calls Lock first holds the write lock from its start to its
//     commit; a second run waits at its own Lock, then proceeds on the state
//     the first left, or fails with ErrBusy ("database is busy: another
//     dpnkit run is using dpnkit.db") before doing any work;
//   - without Lock, Begin takes the write lock until the staged run ends (a
//     second Begin waits, or fails with ErrBusy), and a run whose State was
//     read before another run committed is refused with ErrConflict rather
//     than overwriting that run's state.
//
// Readers (State, Runs) are never blocked by a writer.
//
// The database carries its own identity (PRAGMA application_id and a meta
// table with the application name and schema version): Open refuses a file
// that is not ours (ErrNotDpnkit), that a newer build wrote (ErrNewerSchema)
// or that an older, unreleased build wrote (ErrOlderSchema): there is one
// schema and no migration.
package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"dpnkit/internal/atomicfile"
	"dpnkit/internal/exchange"
)

// Errors Open, Begin and Staged.Commit return, wrapped with the database
// path; test with errors.Is.
var (
	// ErrNotDpnkit: the file is not SQLite, or is the SQLite database of
	// another application.
	ErrNotDpnkit = errors.New("not a dpnkit database")
	// ErrNewerSchema: a newer dpnkit wrote the database; this build cannot
	// read it safely.
	ErrNewerSchema = errors.New("written by a newer dpnkit")
	// ErrOlderSchema: an older, unreleased dpnkit build wrote the database
	// in a schema this build does not read.
	ErrOlderSchema = errors.New("written by an older dpnkit build")
	// ErrBusy: another process held the database for longer than the busy
	// timeout.
	ErrBusy = errors.New("database is busy")
	// ErrConflict: another run committed after this Store read the State, so
	// committing would lose that run's state.
	ErrConflict = errors.New("the run history changed while this run was working")
	// ErrReadOnly: the database, or the folder it is in, cannot be written.
	ErrReadOnly = errors.New("cannot be written")
)

// DefaultBusyTimeout is how long an operation waits for another process's
// lock before failing with ErrBusy.
const DefaultBusyTimeout = 10 * time.Second

// Store is an open run history. Its methods may be called from several
// goroutines; they take turns on the Store's one connection.
type Store struct {
	db   *sql.DB
	path string

	mu sync.Mutex // held by every method while it uses the connection
	// base is the id of the last run when State was last read (0 = none),
	// or -1 before State is called; Begin refuses if it has changed.
	base int64
	// baseState is the state State read at base: a run writes only what
	// differs from it instead of reading the state again.
	baseState exchange.State
	// baseNotified is the notified table's rows as State read them (group
	// -> packed keys), so that a run compares the new groups with them
	// instead of regrouping baseState.Notified; nil = not known.
	baseNotified map[string]string
	// held is the write transaction Lock began, ended by Begin's staged run or by Close;
	// heldCtx is the context it was begun with.
	held    *sql.Tx
	heldCtx context.Context

	// hook, when set (tests), is called between the statements of a run's commit
	// with the name of the step just done.
	hook func(step string)
}

// Open opens the run history at path. A missing file is created (mode
// 0600): a new database is made under a temporary name in the same folder
// and linked into place only once it is complete, so that path never names
// a half-made history. An existing file is never initialised: Open refuses
// an empty (0-byte) file, an SQLite database with no tables, a file that is
// not a dpnkit database (all ErrNotDpnkit) and one written by a newer
// dpnkit (ErrNewerSchema) or an older, unreleased one (ErrOlderSchema).
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, DefaultBusyTimeout)
}

func open(ctx context.Context, path string, busy time.Duration) (*Store, error) {
	if path == "" {
		return nil, errors.New("open run history: no database path")
	}
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open %s: a database path may not contain '?'", path)
	}
	if err := createMissing(ctx, path, busy); err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("open %s: %w (not a regular file)", path, ErrNotDpnkit)
	case st.Size() == 0:
		return nil, fmt.Errorf("open %s: %w (an empty file; dpnkit starts a new history only in a file it creates: "+
			"remove it, or give --db a name that does not exist yet)", path, ErrNotDpnkit)
	}
	return openSQLite(ctx, path, busy, false)
}

// openSQLite opens the database at path, which exists. fresh allows a
// database with no tables (one createMissing has just made), which is then
// given the schema; otherwise such a file is refused.
func openSQLite(ctx context.Context, path string, busy time.Duration, fresh bool) (*Store, error) {
	name := path
	if strings.HasPrefix(name, "file:") {
		name = "./" + name // not a URI
	}
	dsn := name + "?_txlock=immediate&_foreign_keys=1&_busy_timeout=" +
		strconv.FormatInt(busy.Milliseconds(), 10)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, path: path, base: -1}
	if err := s.prepare(ctx, fresh); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// createMissing makes a new, complete database at path when nothing is
// there. It is made under a temporary name in path's folder (mode 0600;
// SQLite gives its -wal and -shm files the same mode), closed, and hard
// linked to path, which fails if another process created path meanwhile
// (its database is then used). An existing file is left alone: opening it
// here and closing that descriptor would drop the POSIX locks SQLite holds
// on it.
func createMissing(ctx context.Context, path string, busy time.Duration) (err error) {
	if _, err := os.Lstat(path); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("open %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
			_ = os.Remove(p)
		}
	}()
	if err := f.Close(); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	s, err := openSQLite(ctx, tmp, busy, true)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := atomicfile.LinkNew(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil // made here, or by another process first (its database is used)
}

// Lock takes the database's write lock for a whole run: a second run on the
// same database then waits at its own Lock (up to the busy timeout) and either
// proceeds once the first has finished, on the state it left, or fails with
// ErrBusy before doing any work. Readers (State, Runs from another Store) are
// not blocked.
//
// State, Runs, LastAsOf and RecordCheck on this Store then work inside the
// locked transaction, and Begin stages the run in it (Staged.Commit commits
// it, Staged.Abort ends it); Close ends it without committing. Cancelling
// ctx releases the lock and makes a later commit fail. Without Lock, Begin
// takes the lock until the staged run ends and relies on ErrConflict to
// refuse a run that worked from a stale State.
func (s *Store) Lock(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held != nil {
		return fmt.Errorf("lock %s: this store already holds the lock", s.path)
	}
	tx, err := s.writeTx(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("lock %s: %w", s.path, ctx.Err())
		}
		return s.wrap("lock", err)
	}
	// The write lock alone does not show that the file can be written
	// (SQLite opens a read-only file read-only and lets it be locked): a
	// write that changes nothing, rolled back with the transaction unless
	// the run commits, makes a read-only history fail here, before the
	// run does any work, rather than at its commit.
	if _, err := tx.ExecContext(ctx, "UPDATE meta SET value = value WHERE key = 'schema_version'"); err != nil {
		_ = tx.Rollback()
		return s.fail("lock", ctx, nil, err)
	}
	s.held, s.heldCtx = tx, ctx
	return nil
}

// unlock ends the transaction Lock began without committing anything. It
// does nothing when the Store does not hold the lock.
func (s *Store) unlock() error {
	if s.held == nil {
		return nil
	}
	err := s.held.Rollback()
	s.held, s.heldCtx = nil, nil
	if err != nil && !errors.Is(err, sql.ErrTxDone) {
		return s.wrap("unlock", err)
	}
	return nil
}

// Close releases the lock if held, without committing, and closes the
// database.
func (s *Store) Close() error {
	s.mu.Lock()
	err := s.unlock()
	s.mu.Unlock()
	if err != nil {
		_ = s.db.Close()
		return err
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close %s: %w", s.path, err)
	}
	return nil
}

// Path is the database file the Store was opened on.
func (s *Store) Path() string { return s.path }

// wrap gives err context ("<op> <path>: ..."), turning SQLite's codes into
// this package's errors.
func (s *Store) wrap(op string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%s %s: %w: another dpnkit run is using %s", op, s.path, ErrBusy, s.path)
		case sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%s %s: %w (not an SQLite file)", op, s.path, ErrNotDpnkit)
		case sqlite3.SQLITE_READONLY:
			return fmt.Errorf("%s %s: the run history %w: the file or its folder is read-only (%v)", op, s.path, ErrReadOnly, err)
		case sqlite3.SQLITE_CANTOPEN:
			return fmt.Errorf("%s %s: the run history %w: SQLite cannot open it, or its -wal file beside it, for writing; "+
				"is the file or its folder read-only? (%v)", op, s.path, ErrReadOnly, err)
		}
	}
	return fmt.Errorf("%s %s: %w", op, s.path, err)
}

func (s *Store) step(name string) {
	if s.hook != nil {
		s.hook(name)
	}
}

// readTx begins a read-only (deferred) transaction: a consistent snapshot.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	return s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// read runs f in the held transaction, or else in a read transaction of its
// own, with s.mu held; op names the operation in errors.
func (s *Store) read(ctx context.Context, op string, f func(tx *sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := s.held
	if tx == nil {
		t, err := s.readTx(ctx)
		if err != nil {
			return s.fail(op, ctx, nil, err)
		}
		defer t.Rollback() //nolint:errcheck // read only
		tx = t
	}
	if err := f(tx); err != nil {
		return s.fail(op, ctx, s.heldCtx, err)
	}
	return nil
}

// fail wraps err for op, saying so when ctx, or lockCtx (the held
// transaction's), has ended.
func (s *Store) fail(op string, ctx, lockCtx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s %s: %w", op, s.path, ctx.Err())
	}
	if lockCtx != nil && lockCtx.Err() != nil {
		return fmt.Errorf("%s %s: the lock was released: %w", op, s.path, lockCtx.Err())
	}
	return s.wrap(op, err)
}

// writeTx begins a BEGIN IMMEDIATE transaction (the DSN's _txlock): it takes
// the write lock at once, waiting up to the busy timeout.
func (s *Store) writeTx(ctx context.Context) (*sql.Tx, error) {
	return s.db.BeginTx(ctx, nil)
}
