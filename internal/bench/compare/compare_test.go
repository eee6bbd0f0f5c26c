package main

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, dir, rel, content string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

type part struct{ name, data string }

// writeZip writes the parts in the order given, each with the method and
// time given: the zip metadata the comparison must not look at.
func writeZip(t *testing.T, dir, rel string, method uint16, modified time.Time, parts ...part) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: method, Modified: modified})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, rel, buf.String())
}

func writeDB(t *testing.T, dir, rel string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

const schema = `CREATE TABLE runs (id INTEGER PRIMARY KEY, as_of TEXT, started TEXT, finished TEXT);
	CREATE TABLE sent (key TEXT PRIMARY KEY, status TEXT, run_id INTEGER) WITHOUT ROWID;
	CREATE TABLE run_inputs (run_id INTEGER, seq INTEGER, path TEXT, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;`

// trees writes two small output trees that differ in known ways.
func trees(t *testing.T) (string, string) {
	root := t.TempDir()
	base, nw := filepath.Join(root, "base"), filepath.Join(root, "new")
	for _, dir := range []string{base, nw} {
		writeFile(t, dir, "same.csv", "a,b\n1,2\n")
		// Only the version differs: equal.
		writeFile(t, dir, "check.json", `{"tool":"dpnkit","version":"`+filepath.Base(dir)+`","as_of":"2026-11-25"}`+"\n")
		// Each side names its own folder: equal once normalised.
		writeFile(t, dir, "run-day1.txt", "wrote 3 file(s) to "+dir+"/run-day1\n")
	}
	writeFile(t, base, "check.csv", "rule,count\nDPN001,12\nDPN002,3\n")
	writeFile(t, nw, "check.csv", "rule,count\nDPN001,12\nDPN002,4\n")
	// A version field inside an object is data, not the tool's version.
	writeFile(t, base, "nested.json", `{"version":"1","inputs":[{"version":"a"}]}`)
	writeFile(t, nw, "nested.json", `{"version":"2","inputs":[{"version":"b"}]}`)
	// Beyond the version, JSON is compared byte for byte.
	writeFile(t, base, "spaced.json", `{"a": 1}`)
	writeFile(t, nw, "spaced.json", `{"a":1}`)
	// The same parts with other zip metadata: equal.
	ct, s1 := part{"[Content_Types].xml", "<Types/>"}, part{"xl/worksheets/sheet1.xml", "<sheetData/>"}
	writeZip(t, base, "report/book.xlsx", zip.Store, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), ct, s1)
	writeZip(t, nw, "report/book.xlsx", zip.Deflate, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), s1, ct)
	// One part's byte differs and one part is new.
	writeZip(t, base, "report/changed.xlsx", zip.Deflate, time.Time{}, ct, s1,
		part{"xl/worksheets/sheet2.xml", `<c r="B2"><v>7</v></c>`})
	writeZip(t, nw, "report/changed.xlsx", zip.Deflate, time.Time{}, ct, s1,
		part{"xl/worksheets/sheet2.xml", `<c r="B2"><v>8</v></c>`}, part{"xl/worksheets/sheet3.xml", "<x/>"})
	// The run's files moved into a dated subfolder: one on each side only.
	writeFile(t, base, "run-day1/POR_20261125.csv", "POR\n")
	writeFile(t, nw, "run-day1/2026-11-25_01/POR_20261125.csv", "POR\n")
	// Histories equal but for the run times, rows written in another order.
	writeDB(t, base, "history.db", schema,
		`INSERT INTO runs VALUES (1, '2026-11-25', '2026-12-07T18:00:00Z', '2026-12-07T18:00:01Z')`,
		`INSERT INTO sent VALUES ('p1', 'SENT', 1), ('p2', 'SENT', 1)`)
	writeDB(t, nw, "history.db", schema,
		`INSERT INTO runs VALUES (1, '2026-11-25', '2026-12-08T09:30:00Z', '2026-12-08T09:30:02Z')`,
		`INSERT INTO sent VALUES ('p2', 'SENT', 1), ('p1', 'SENT', 1)`)
	// Histories that differ in an input's path and an applicant's status.
	writeDB(t, base, "other.db", schema,
		`INSERT INTO run_inputs VALUES (1, 0, 'a.csv'), (1, 1, 'b.csv')`, `INSERT INTO sent VALUES ('p2', 'SENT', 1)`)
	writeDB(t, nw, "other.db", schema,
		`INSERT INTO run_inputs VALUES (1, 0, 'a.csv'), (1, 1, 'c.csv')`, `INSERT INTO sent VALUES ('p2', 'QUARANTINED', 1)`)
	return base, nw
}

func TestCompareTrees(t *testing.T) {
	base, nw := trees(t)
	got, err := compareTrees(base, nw, compareOptions{
		base: normaliser{base}, new: normaliser{nw},
		ignore: map[string]bool{"runs.started": true, "runs.finished": true},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		kind   string
		status status
		parts  int
		detail string // the whole detail, or for a database its start
	}{
		"same.csv":         {"bytes", same, 0, ""},
		"check.json":       {"json", same, 0, ""},
		"run-day1.txt":     {"bytes", same, 0, ""},
		"check.csv":        {"bytes", differ, 0, `line 3, column 8: base "DPN002,3", new "DPN002,4"`},
		"nested.json":      {"json", differ, 0, `line 1, column 46: base …"sion\":\"<version>\",\"inputs\":[{\"version\":\"a\"}]}", new …"sion\":\"<version>\",\"inputs\":[{\"version\":\"b\"}]}"`},
		"spaced.json":      {"json", differ, 0, `line 1, column 6: base "{\"a\": 1}", new "{\"a\":1}"`},
		"report/book.xlsx": {"xlsx", same, 2, ""},
		"report/changed.xlsx": {"xlsx", differ, 4,
			`part xl/worksheets/sheet2.xml: line 1, column 14: base "<c r=\"B2\"><v>7</v></c>", new "<c r=\"B2\"><v>8</v></c>" (2 of 4 parts differ)`},
		"run-day1/POR_20261125.csv":               {"bytes", onlyBase, 0, ""},
		"run-day1/2026-11-25_01/POR_20261125.csv": {"bytes", onlyNew, 0, ""},
		"history.db": {"sqlite", same, 4, ""},
		"other.db": {"sqlite", differ, 4,
			`table run_inputs: row run_id=1 seq=1, column path: line 3, column 22: base "run_id=1\tseq=1\tpath=\"b.csv\"", new "run_id=1\tseq=1\tpath=\"c.csv\"" (2 of 4 tables differ)`},
	}
	seen := map[string]bool{}
	for _, r := range got {
		w, ok := want[r.path]
		if !ok {
			t.Errorf("unexpected file %s (%s)", r.path, r.status)
			continue
		}
		seen[r.path] = true
		if r.kind != w.kind || r.status != w.status || r.parts != w.parts || r.detail != w.detail {
			t.Errorf("%s: got %s %s, %d parts, %q;\nwant %s %s, %d parts, %q",
				r.path, r.kind, r.status, r.parts, r.detail, w.kind, w.status, w.parts, w.detail)
		}
	}
	for path := range want {
		if !seen[path] {
			t.Errorf("%s not reported", path)
		}
	}
}

// Without the run times ignored, the equal histories differ in them.
func TestCompareTreesTimesCountUnlessIgnored(t *testing.T) {
	base, nw := trees(t)
	got, err := compareTrees(base, nw, compareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		if r.path == "history.db" {
			want := `table runs: row id=1, column started: line 2, column 43: base …`
			if r.status != differ || !strings.HasPrefix(r.detail, want) {
				t.Errorf("history.db: %s %q, want a difference starting %q", r.status, r.detail, want)
			}
			return
		}
	}
	t.Error("history.db not reported")
}

func TestMaskVersion(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{`{"version":"0.1.0","a":1}`, `{"version":"<version>","a":1}`, true},
		{"{\n  \"tool\": \"dpnkit\",\n  \"version\": \"0.1.0\",\n  \"a\": [1]\n}\n",
			"{\n  \"tool\": \"dpnkit\",\n  \"version\": \"<version>\",\n  \"a\": [1]\n}\n", true},
		{`{"a":{"version":"x"},"b":2}`, `{"a":{"version":"x"},"b":2}`, true},
		{`{"version":{"major":1}}`, `{"version":"<version>"}`, true},
		{`[{"version":"x"}]`, `[{"version":"x"}]`, false},
		{`{"version":`, `{"version":`, false},
	} {
		got, ok := maskVersion([]byte(tc.in))
		if string(got) != tc.want || ok != tc.ok {
			t.Errorf("maskVersion(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFirstDiff(t *testing.T) {
	long := func(c string) string { return strings.Repeat("a", 100) + c + strings.Repeat("b", 100) }
	for _, tc := range []struct{ a, b, want string }{
		{"abc\n", "abc\n", ""},
		{"abc\ndef\n", "abc\ndxf\n", `line 2, column 2: base "def", new "dxf"`},
		{"abc", "abcd", `line 1, column 4: base ends, new "abcd"`},
		{"é=1", "é=2", `line 1, column 3: base "é=1", new "é=2"`},
		{"\x00\x01\x02", "\x00\x01\x03", "byte 2: base 0x02, new 0x03 (sizes 3 and 3)"},
		{long("X"), long("Y"), `line 1, column 101: base …"` + strings.Repeat("a", 40) + "X" + strings.Repeat("b", 39) +
			`"…, new …"` + strings.Repeat("a", 40) + "Y" + strings.Repeat("b", 39) + `"…`},
	} {
		if got := firstDiff([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("firstDiff(%q, %q)\n got %s\nwant %s", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSummarise(t *testing.T) {
	ok := []fileResult{{path: "a.csv", kind: "bytes"}, {path: "b.xlsx", kind: "xlsx", parts: 3}}
	for _, tc := range []struct {
		name    string
		results []fileResult
		want    bool
		line    string
	}{
		{"all identical", ok, true, "2 files compared: 2 identical, 0 differ; 0 only in base, 0 only in new"},
		{"one differs", append(ok, fileResult{path: "c.json", kind: "json", status: differ, detail: "line 1"}), false,
			"  DIFFERS      c.json: line 1"},
		{"one missing", append(ok, fileResult{path: "d.DAT", kind: "bytes", status: onlyBase}), false,
			"2 files compared: 2 identical, 0 differ; 1 only in base, 0 only in new"},
		{"nothing", nil, false, "0 files compared"},
	} {
		var out bytes.Buffer
		if got := summarise(&out, tc.results, []string{"runs.started"}, false); got != tc.want {
			t.Errorf("%s: identical = %v, want %v", tc.name, got, tc.want)
		}
		if !strings.Contains(out.String(), tc.line+"\n") && !strings.Contains(out.String(), tc.line+":") {
			t.Errorf("%s: output lacks %q:\n%s", tc.name, tc.line, out.String())
		}
	}
}
