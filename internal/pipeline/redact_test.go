package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"dpnkit/fixtures"
	"dpnkit/internal/iostreams"
	"dpnkit/internal/model"
)

// Categories of personal value the redaction test looks for.
const (
	catName  = "name"
	catGMC   = "GMC number"
	catNI    = "NI number"
	catEmail = "e-mail"
	catDOB   = "date of birth"
)

// personalValue is one personal value of the input and its category.
type personalValue struct{ value, cat string }

// inputPersonalValues collects every surname, forename, GMC number, NI
// number, e-mail address and date of birth of the placement and people
// files, each date of birth in every form an output could write it
// (YYYY-MM-DD, DD/MM/YYYY, DD-MON-YYYY, YYYYMMDD, and its Excel serial
// number; an unreadable one as written). Left out: vacancy placeholders
// (they name no one); name parts of one or two characters, counted in
// short ("Li" is in "Lincoln"); and a date of birth that is also a
// non-personal date of the inputs (a position's effective date, a
// placement's start), counted in sameDay: an output rightly shows that
// date.
func inputPersonalValues(t *testing.T, files, otherFiles []string) (values []personalValue, short, sameDay int) {
	t.Helper()
	otherDates := nonPersonalDates(t, append(append([]string{}, files...), otherFiles...))
	seen := map[personalValue]bool{}
	add := func(v, cat string) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		pv := personalValue{v, cat}
		if !seen[pv] {
			seen[pv] = true
			values = append(values, pv)
		}
	}
	columns := map[string]string{
		"Surname": catName, "Forenames": catName, "Last Name": catName, "First Name": catName,
		"GMC Number": catGMC, "NI Number": catNI, "Email Address": catEmail, "Date of Birth": catDOB,
	}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		header := recs[0]
		for _, rec := range recs[1:] {
			row := map[string]string{}
			for i, h := range header {
				row[h] = rec[i]
			}
			surname := row["Surname"]
			if strings.EqualFold(strings.TrimSpace(surname), model.VacancySurname) ||
				strings.TrimSpace(row["GMC Number"]) == model.VacancyGMC {
				continue
			}
			for col, cat := range columns {
				v := strings.TrimSpace(row[col])
				if v == "" {
					continue
				}
				switch cat {
				case catName:
					for _, part := range strings.Fields(v) {
						if utf8.RuneCountInString(part) <= 2 {
							short++
							continue
						}
						add(part, cat)
					}
				case catDOB:
					add(v, cat) // as written, read or not
					d, ok := parseInputDate(v)
					if !ok {
						continue // an unreadable one ("31/02/1992") is never quoted either
					}
					if otherDates[d] {
						sameDay++
						continue
					}
					for _, layout := range []string{"2006-01-02", "02/01/2006", "20060102"} {
						add(d.Format(layout), cat)
					}
					add(strings.ToUpper(d.Format("02-Jan-2006")), cat)
					add(d.Format("02-Jan-2006"), cat)
					add(strconv.Itoa(int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours()/24)), cat)
				default:
					add(v, cat)
				}
			}
		}
	}
	return values, short, sameDay
}

// personalColumns are the columns of the generated files that hold
// personal values (names, identifiers, dates of birth, contact and
// sensitive details).
var personalColumns = map[string]bool{
	"Surname": true, "Forenames": true, "Last Name": true, "First Name": true, "GMC Number": true,
	"NI Number": true, "Email Address": true, "Date of Birth": true, "Gender": true, "Title": true,
	"Nationality": true, "Disability": true, "Ethnic Origin": true, "Marital Status": true, "Religion": true,
	"Sexual Orientation": true,
}

// nonPersonalDates are the dates in the other columns of the CSV files.
func nonPersonalDates(t *testing.T, files []string) map[time.Time]bool {
	t.Helper()
	dates := map[time.Time]bool{}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, rec := range recs[1:] {
			for i, v := range rec {
				if personalColumns[recs[0][i]] {
					continue
				}
				if d, ok := parseInputDate(strings.TrimSpace(v)); ok {
					dates[d] = true
				}
			}
		}
	}
	return dates
}

func parseInputDate(s string) (time.Time, bool) {
	for _, layout := range []string{"02/01/2006", "02-Jan-2006", "2006-01-02", "20060102"} {
		if d, err := time.Parse(layout, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// outputText is the searchable text of one output.
type outputText struct {
	name string
	text string
}

var escapedRune = regexp.MustCompile(`\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}`)

// unescape turns the \uXXXX escapes of the text outputs (non-ASCII shown
// escaped) and JSON back into characters, so "Kov\u00e1cs" is found.
func unescape(s string) string {
	return escapedRune.ReplaceAllStringFunc(s, func(e string) string {
		n, err := strconv.ParseUint(e[2:], 16, 32)
		if err != nil {
			return e
		}
		return string(rune(n))
	})
}

// xlsxText is the character data of every XML part of a workbook (shared
// strings, sheets, properties...), one text node per line.
func xlsxText(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	var b strings.Builder
	parts := 0
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(rc)
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s %s: %v", path, zf.Name, err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				b.Write(cd)
				b.WriteByte('\n')
			}
		}
		rc.Close()
		parts++
	}
	if parts == 0 {
		t.Fatalf("%s: no parts", path)
	}
	return b.String()
}

// outputTexts reads every file under dirs (every part of a workbook) and
// adds the streams' texts.
func outputTexts(t *testing.T, streams []outputText, dirs ...string) []outputText {
	t.Helper()
	out := append([]outputText(nil), streams...)
	for i := range out {
		out[i].text = unescape(out[i].text)
	}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if strings.HasSuffix(path, ".db") || strings.Contains(path, ".db-") {
				return nil // the run history, not an output
			}
			var text string
			if strings.HasSuffix(path, ".xlsx") {
				text = xlsxText(t, path)
			} else {
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				text = unescape(string(b))
			}
			out = append(out, outputText{name: path, text: text})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// hits finds where a value occurs in the texts as a whole: not inside a
// longer word or number ("Ann" is not in "Annex", "1234567" not in
// "12345678"). Case matters. It indexes each text's words first, so
// thousands of values are searched at once.
type hits struct {
	texts []outputText
	words []map[string][]int // per text: word -> byte offsets
}

func newHits(texts []outputText) *hits {
	h := &hits{texts: texts}
	for _, tx := range texts {
		idx := map[string][]int{}
		s := tx.text
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			if !isWordRune(r) {
				i += n
				continue
			}
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
			idx[s[i:j]] = append(idx[s[i:j]], i)
			i = j
		}
		h.words = append(h.words, idx)
	}
	return h
}

// find returns the names of the outputs where v occurs as a whole.
func (h *hits) find(v string) []string {
	lead := strings.IndexFunc(v, isWordRune)
	if lead < 0 {
		return nil
	}
	end := lead
	for end < len(v) {
		r, n := utf8.DecodeRuneInString(v[end:])
		if !isWordRune(r) {
			break
		}
		end += n
	}
	first := v[lead:end]
	var where []string
	for k, tx := range h.texts {
		for _, off := range h.words[k][first] {
			start := off - lead
			if start < 0 || !strings.HasPrefix(tx.text[start:], v) {
				continue
			}
			if start > 0 {
				if r, _ := utf8.DecodeLastRuneInString(tx.text[:start]); isWordRune(r) {
					continue
				}
			}
			if r, _ := utf8.DecodeRuneInString(tx.text[start+len(v):]); start+len(v) < len(tx.text) && isWordRune(r) {
				continue
			}
			where = append(where, filepath.Base(tx.name))
			break
		}
	}
	return where
}

// personalRuns reconciles and runs two days of generated data into dir,
// with or without Redact, and returns the text of every output: each file
// (every XML part of a workbook) and what went to stdout and stderr.
func personalRuns(t *testing.T, m *fixtures.Manifest, dir string, redact bool) []outputText {
	t.Helper()
	var streams []outputText
	capture := func(name string, out, errOut *bytes.Buffer) {
		streams = append(streams, outputText{name + " stdout", out.String()}, outputText{name + " stderr", errOut.String()})
	}
	ctx := context.Background()
	for _, format := range []string{FormatTable, FormatJSON, FormatCSV} {
		s, out, errOut := iostreams.Test()
		rd := filepath.Join(dir, "reconcile-"+format)
		if _, _, err := Reconcile(ctx, s, ReconcileOptions{Positions: m.Files, Placements: m.PlacementFiles,
			AsOf: asOf, Format: format, OutDir: rd, Top: -1, Redact: redact}); err != nil {
			t.Fatal(err)
		}
		capture("reconcile "+format, out, errOut)
	}
	db := filepath.Join(dir, "history.db")
	for day, placements := range [][]string{m.PlacementFiles, m.Day2Files} {
		for _, format := range []string{FormatTable, FormatJSON} {
			s, out, errOut := iostreams.Test()
			// Day 1 writes APP files as CSV, day 2 as JSON lines; the JSON
			// run is a dry run into a folder of its own.
			_, err := Run(ctx, s, RunOptions{Positions: m.Files, Placements: placements, People: m.PeopleFiles,
				AsOf: asOf.AddDate(0, 0, day), DB: db, Out: filepath.Join(dir, "run-"+strconv.Itoa(day+1)+"-"+format),
				Format: format, JSONLines: day == 1, DryRun: format == FormatJSON, Redact: redact})
			if err != nil {
				t.Fatal(err)
			}
			capture("run day "+strconv.Itoa(day+1)+" "+format, out, errOut)
		}
	}
	return outputTexts(t, streams, dir)
}

func genPersonalData(t *testing.T) *fixtures.Manifest {
	t.Helper()
	m, err := fixtures.Generate(t.TempDir(), fixtures.Options{Scale: fixtures.Trust, Rows: 3000, Seed: 11,
		Placements: 600, People: true, Day2: true, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRedactLeavesNoPersonalValue: no output of a --redact reconcile and
// two days of interface runs — workbooks (every XML part), APP files in CSV
// and JSON lines, APC and POR files, notification texts, JSON, CSV and
// tables on stdout, stderr — holds any surname, forename, GMC number, NI
// number, e-mail address or date of birth of the input. The same runs
// without --redact hold some of each, so the search can fail.
func TestRedactLeavesNoPersonalValue(t *testing.T) {
	m := genPersonalData(t)
	inputs := append(append(append([]string{}, m.PlacementFiles...), m.Day2Files...), m.PeopleFiles...)
	values, short, sameDay := inputPersonalValues(t, inputs, m.Files)
	perCat := map[string]int{}
	for _, v := range values {
		perCat[v.cat]++
	}
	t.Logf("searching %d personal values of the input %v; skipped %d name parts of 1-2 characters and %d dates of birth that are also other dates of the input",
		len(values), perCat, short, sameDay)
	if short > len(values)/10 || sameDay > perCat[catDOB]/10 {
		t.Fatal("too many personal values skipped for the test to mean much")
	}
	for _, cat := range []string{catName, catGMC, catNI, catEmail, catDOB} {
		if perCat[cat] == 0 {
			t.Fatalf("the input has no %s to search for", cat)
		}
	}

	plainDir := filepath.Join(t.TempDir(), "plain")
	plain := newHits(personalRuns(t, m, plainDir, false))
	found := map[string]int{}
	for _, v := range values {
		if len(plain.find(v.value)) > 0 {
			found[v.cat]++
		}
	}
	t.Logf("without --redact the outputs hold %v", found)
	for _, cat := range []string{catName, catGMC, catNI, catEmail, catDOB} {
		if found[cat] == 0 {
			t.Errorf("without --redact no output holds any %s: the search cannot tell a leak", cat)
		}
	}

	redactedDir := filepath.Join(t.TempDir(), "redacted")
	texts := personalRuns(t, m, redactedDir, true)
	files := 0
	for _, tx := range texts {
		if !strings.HasSuffix(tx.name, "stdout") && !strings.HasSuffix(tx.name, "stderr") {
			files++
		}
	}
	if files < 10 {
		t.Fatalf("only %d output files to search", files)
	}
	redacted := newHits(texts)
	leaks := 0
	for _, v := range values {
		if where := redacted.find(v.value); len(where) > 0 {
			leaks++
			if leaks <= 20 {
				t.Errorf("%s %q is in the --redact output %v", v.cat, v.value, where)
			}
		}
	}
	if leaks > 20 {
		t.Errorf("... %d personal values in all", leaks)
	}
	// The masks are there: initials and *** in the files that carry people.
	all := ""
	for _, tx := range texts {
		all += tx.text
	}
	for _, w := range []string{"***", "RECRUIT - VACANCY"} {
		if !strings.Contains(all, w) {
			t.Errorf("no --redact output holds %q", w)
		}
	}
	if !regexp.MustCompile(`\b\p{Lu}\., \p{Lu}\.|\n\p{Lu}\.\n`).MatchString(all) {
		t.Error("no --redact output holds initials")
	}
}

// TestPasswordEncryptsEveryWorkbook: with a password, every .xlsx that
// reconcile and run write opens with it and not without it.
func TestPasswordEncryptsEveryWorkbook(t *testing.T) {
	m := genPersonalData(t)
	dir := t.TempDir()
	const pw = "Tr0ub4dor&3"
	s, _, _ := iostreams.Test()
	if _, _, err := Reconcile(context.Background(), s, ReconcileOptions{Positions: m.Files, Placements: m.PlacementFiles,
		AsOf: asOf, OutDir: filepath.Join(dir, "rec"), Password: pw}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), s, RunOptions{Positions: m.Files, Placements: m.PlacementFiles,
		People: m.PeopleFiles, AsOf: asOf, DB: filepath.Join(dir, "h.db"), Out: filepath.Join(dir, "run"),
		Password: pw}); err != nil {
		t.Fatal(err)
	}
	// Day 2 has notifications (a first run raises no new post).
	if _, err := Run(context.Background(), s, RunOptions{Positions: m.Files, Placements: m.Day2Files,
		People: m.PeopleFiles, AsOf: asOf.AddDate(0, 0, 1), DB: filepath.Join(dir, "h.db"), Out: filepath.Join(dir, "run2"),
		Password: pw}); err != nil {
		t.Fatal(err)
	}
	books, _ := filepath.Glob(filepath.Join(dir, "*", "*.xlsx"))
	runBooks, _ := filepath.Glob(filepath.Join(dir, "run*", "2026-11-2?_01", "*.xlsx"))
	books = append(books, runBooks...)
	runBooks, _ = filepath.Glob(filepath.Join(dir, "run2", "2026-11-26_01", "*.xlsx"))
	books = append(books, runBooks...)
	if len(books) < 4 { // exception, notifications, MEDROT, run summary
		t.Fatalf("only %d workbooks written: %v", len(books), books)
	}
	for _, p := range books {
		if f, err := excelize.OpenFile(p); err == nil {
			_ = f.Close()
			t.Errorf("%s opens without the password", filepath.Base(p))
		}
		if f, err := excelize.OpenFile(p, excelize.Options{Password: "wrong"}); err == nil {
			_ = f.Close()
			t.Errorf("%s opens with a wrong password", filepath.Base(p))
		}
		f, err := excelize.OpenFile(p, excelize.Options{Password: pw})
		if err != nil {
			t.Errorf("%s: open with the password: %v", filepath.Base(p), err)
			continue
		}
		if sheets := f.GetSheetList(); len(sheets) == 0 {
			t.Errorf("%s: no tabs", filepath.Base(p))
		} else if v, err := f.GetCellValue(sheets[0], "A1"); err != nil || v == "" {
			t.Errorf("%s: %s!A1 = %q, %v", filepath.Base(p), sheets[0], v, err)
		}
		_ = f.Close()
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600", filepath.Base(p), st.Mode().Perm(), err)
		}
	}
}
