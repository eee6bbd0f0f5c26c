package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

type status int

const (
	same status = iota
	differ
	onlyBase
	onlyNew
)

func (s status) String() string {
	return [...]string{"identical", "DIFFERS", "ONLY IN BASE", "ONLY IN NEW"}[s]
}

// fileResult is the comparison of one file, by its path relative to the
// two trees' roots.
type fileResult struct {
	path   string
	kind   string // bytes, json, xlsx or sqlite: how it was compared
	status status
	parts  int    // xlsx parts or database tables compared
	detail string // the first difference
}

// compareOptions say what may legitimately differ between the two sides.
type compareOptions struct {
	base, new normaliser      // each side's own folder, shown as $OUT
	ignore    map[string]bool // database columns not compared, "table.column"
}

// compareTrees compares every regular file under baseDir with the file at
// the same relative path under newDir, and reports the files present on one
// side only. A SQLite database's -wal, -shm and -journal files are part of
// the database and not listed.
func compareTrees(baseDir, newDir string, opt compareOptions) ([]fileResult, error) {
	a, err := listFiles(baseDir)
	if err != nil {
		return nil, err
	}
	b, err := listFiles(newDir)
	if err != nil {
		return nil, err
	}
	all := append(slices.Clone(a), b...)
	slices.Sort(all)
	all = slices.Compact(all)
	var out []fileResult
	for _, rel := range all {
		_, inA := slices.BinarySearch(a, rel)
		_, inB := slices.BinarySearch(b, rel)
		switch {
		case !inB:
			out = append(out, fileResult{path: rel, kind: kindOf(rel, nil), status: onlyBase})
		case !inA:
			out = append(out, fileResult{path: rel, kind: kindOf(rel, nil), status: onlyNew})
		default:
			out = append(out, compareFile(rel, filepath.Join(baseDir, rel), filepath.Join(newDir, rel), opt))
		}
	}
	return out, nil
}

// listFiles returns the slash-separated relative paths of the regular
// files under root, sorted.
func listFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			if strings.HasSuffix(path, suffix) {
				return nil
			}
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	slices.Sort(out)
	return out, err
}

// kindOf says how a file is compared: by its SQLite header (head, when
// read), else by its extension.
func kindOf(rel string, head []byte) string {
	switch {
	case isSQLite(head):
		return "sqlite"
	case strings.EqualFold(filepath.Ext(rel), ".xlsx"):
		return "xlsx"
	case strings.EqualFold(filepath.Ext(rel), ".json"):
		return "json"
	}
	return "bytes"
}

// compareFile compares one file present on both sides.
func compareFile(rel, pa, pb string, opt compareOptions) fileResult {
	r := fileResult{path: rel, status: differ}
	ha, errA := readHead(pa)
	hb, errB := readHead(pb)
	if err := errors.Join(errA, errB); err != nil {
		r.kind, r.detail = "bytes", "cannot read: "+err.Error()
		return r
	}
	r.kind = kindOf(rel, ha)
	if r.kind == "sqlite" && !isSQLite(hb) {
		r.kind, r.detail = "bytes", "base is an SQLite database, new is not"
		return r
	}
	var err error
	switch r.kind {
	case "sqlite":
		r.parts, r.detail, err = compareSQLite(pa, pb, opt)
	default:
		r.parts, r.detail, err = compareContent(r.kind, pa, pb, opt)
	}
	if err != nil {
		r.detail = "cannot compare: " + err.Error()
		return r
	}
	if r.detail == "" {
		r.status = same
	}
	return r
}

func compareSQLite(pa, pb string, opt compareOptions) (int, string, error) {
	da, err := dumpSQLite(pa, opt.ignore, opt.base)
	if err != nil {
		return 0, "", fmt.Errorf("base: %w", err)
	}
	db, err := dumpSQLite(pb, opt.ignore, opt.new)
	if err != nil {
		return 0, "", fmt.Errorf("new: %w", err)
	}
	n, detail := compareParts("table", da, db, rowDiff)
	return n, detail, nil
}

// compareContent compares a plain, JSON or workbook file: equal bytes are
// equal; otherwise each side is normalised (its folder, a JSON's version,
// a workbook split into its parts) and compared again.
func compareContent(kind, pa, pb string, opt compareOptions) (int, string, error) {
	eq, err := sameBytes(pa, pb)
	if err != nil {
		return 0, "", err
	}
	if eq && kind != "xlsx" {
		return 0, "", nil
	}
	a, err := os.ReadFile(pa)
	if err != nil {
		return 0, "", err
	}
	b, err := os.ReadFile(pb)
	if err != nil {
		return 0, "", err
	}
	if kind == "xlsx" {
		return compareWorkbooks(a, b, opt)
	}
	a, b = opt.base.apply(a), opt.new.apply(b)
	if kind == "json" {
		ma, okA := maskVersion(a)
		mb, okB := maskVersion(b)
		if okA && okB {
			a, b = ma, mb
		}
	}
	return 0, firstDiff(a, b), nil
}

// compareWorkbooks compares two .xlsx files part by part: the zip's own
// metadata (times, compression, order of entries) may differ.
func compareWorkbooks(a, b []byte, opt compareOptions) (int, string, error) {
	pa, errA := zipParts(a)
	pb, errB := zipParts(b)
	if errA != nil || errB != nil {
		// Not a zip (an encrypted workbook, or a broken one): bytes decide.
		if d := firstDiff(a, b); d != "" {
			return 0, fmt.Sprintf("not readable as zip (%v): %s", errors.Join(errA, errB), d), nil
		}
		return 0, "", nil
	}
	for name, p := range pa {
		pa[name] = opt.base.apply(p)
	}
	for name, p := range pb {
		pb[name] = opt.new.apply(p)
	}
	n, detail := compareParts("part", pa, pb, firstDiff)
	return n, detail, nil
}

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// sameBytes streams two files and reports whether they are byte-identical.
func sameBytes(pa, pb string) (bool, error) {
	fa, err := os.Open(pa)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(pb)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	sa, err := fa.Stat()
	if err != nil {
		return false, err
	}
	sb, err := fb.Stat()
	if err != nil {
		return false, err
	}
	if sa.Size() != sb.Size() {
		return false, nil
	}
	bufA, bufB := make([]byte, 1<<20), make([]byte, 1<<20)
	for {
		na, errA := io.ReadFull(fa, bufA)
		nb, errB := io.ReadFull(fb, bufB)
		if !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false, nil
		}
		doneA := errors.Is(errA, io.EOF) || errors.Is(errA, io.ErrUnexpectedEOF)
		doneB := errors.Is(errB, io.EOF) || errors.Is(errB, io.ErrUnexpectedEOF)
		if doneA || doneB {
			return doneA && doneB, nil
		}
		if err := errors.Join(errA, errB); err != nil {
			return false, err
		}
	}
}
