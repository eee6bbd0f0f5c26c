package report

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/exchange"
	"dpnkit/internal/model"
)

func redactMeta() Meta {
	m := runMeta()
	m.Redact = true
	return m
}

func TestRedactName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"John", "J."},
		{"john", "J."},
		{"Mary Kate", "M. K."},
		{"Mary-Jane O'Brien", "M.-J. O."},
		{"d'Arcy", "D."},
		{"  de   la\tCruz  ", "D. L. C."},
		{"Haukin-van der Cingel", "H.-V. D. C."},
		{"Jean\u2013Luc", "J.-L."}, // en dash
		{"Anne-", "A."},
		{"-Anne", "A."},
		{"(Jim)", "J."},
		{"Łukasz", "Ł."},
		{"élodie", "É."},
		{"e\u0301lodie", "E."}, // decomposed accent
		{"Ó Súilleabháin", "Ó. S."},
		{"李小龍", "李."},
		{"Smith,John", "S.,J."},
		{"Smith, John Paul", "S.,J. P."},
		{",Sam", ",S."},
		{"Jones,", "J.,"},
		{"Jo\u00a0Ann", "J. A."},                   // non-breaking space separates
		{`=HYPERLINK("http://evil","x")`, "H.,X."}, // the comma separates names
		{"", ""},
		{"   ", "   "},
		{"*****", Masked},
		{"123", Masked},
		{"RECRUIT - VACANCY", "RECRUIT - VACANCY"},
		{" recruit - vacancy ", " recruit - vacancy "},
	} {
		if got := RedactName(tc.in); got != tc.want {
			t.Errorf("RedactName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactValueAndGMC(t *testing.T) {
	for _, tc := range []struct{ in, value, gmc string }{
		{"", "", ""},
		{"  ", "  ", "  "},
		{"7021070", Masked, Masked},
		{"QQ123456C", Masked, Masked},
		{"ann.jones@nhs.uk", Masked, Masked},
		{model.VacancyGMC, Masked, model.VacancyGMC},
		{" " + model.VacancyGMC + " ", Masked, " " + model.VacancyGMC + " "},
	} {
		if got := RedactValue(tc.in); got != tc.value {
			t.Errorf("RedactValue(%q) = %q, want %q", tc.in, got, tc.value)
		}
		if got := RedactGMC(tc.in); got != tc.gmc {
			t.Errorf("RedactGMC(%q) = %q, want %q", tc.in, got, tc.gmc)
		}
	}
}

// TestPersonalNoRedact: without Redact every value is written as it is.
func TestPersonalNoRedact(t *testing.T) {
	for _, k := range []kind{kindName, kindGMC, kindSecret} {
		for _, s := range []string{"Smith", "7021070", " x ", ""} {
			if got := personal(k, s, runMeta()); got != s {
				t.Errorf("personal(%d, %q) without Redact = %q", k, s, got)
			}
		}
	}
	dob := rday(1995, 3, 4)
	if got := dobText(dob, time.DateOnly, runMeta()); got != "1995-03-04" {
		t.Errorf("dobText = %q", got)
	}
	if got := dobText(dob, time.DateOnly, redactMeta()); got != Masked {
		t.Errorf("redacted dobText = %q", got)
	}
	if got := dobText(time.Time{}, time.DateOnly, redactMeta()); got != "" {
		t.Errorf("redacted unknown dobText = %q, want empty", got)
	}
	if c := dobCell(dob, redactMeta()); c.Value != Masked {
		t.Errorf("redacted dobCell = %#v, want the text %q", c.Value, Masked)
	}
	if c := dobCell(dob, runMeta()); c.Value != dob {
		t.Errorf("dobCell = %#v, want the date", c.Value)
	}
}

func TestAPCMessage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{disabilityNo, "Value for DISABILITY does not exist in ESR. The value *** will be ignored."},
		{"Value for RELIGION does not exist in ESR. The value JEDI will be ignored.",
			"Value for RELIGION does not exist in ESR. The value *** will be ignored."},
		{"Value for SEXUAL_ORIENTATION does not exist in ESR. The value X will be ig", // cut short
			"Value for SEXUAL_ORIENTATION does not exist in ESR. The value *** will be ignored."},
		{"Value for TITLE does not exist in ESR. The value DOCTOR will be ignored.",
			"Value for TITLE does not exist in ESR. The value DOCTOR will be ignored."},
		{"Value for GENDER does not exist in ESR. The value Q will be ignored.",
			"Value for GENDER does not exist in ESR. The value Q will be ignored."},
		{lastNameMissing, lastNameMissing},
		{newApplicant, newApplicant},
		{"Value for", "Value for"},
	} {
		if got := apcMessage(tc.in, redactMeta()); got != tc.want {
			t.Errorf("apcMessage(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := apcMessage(tc.in, runMeta()); got != tc.in {
			t.Errorf("apcMessage(%q) without Redact = %q", tc.in, got)
		}
	}
}

// workbookText is every cell of every tab of f, one per line.
func workbookText(t *testing.T, f *excelize.File) string {
	t.Helper()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			for _, c := range r {
				b.WriteString(c)
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// noneOf fails if text contains any of values.
func noneOf(t *testing.T, what, text string, values ...string) {
	t.Helper()
	for _, v := range values {
		if strings.Contains(text, v) {
			t.Errorf("%s contains personal value %q", what, v)
		}
	}
}

func TestExceptionWorkbookRedacted(t *testing.T) {
	meta := testMeta()
	meta.Redact = true
	f := openRunWorkbook(t, func(b *bytes.Buffer) error { return ExceptionWorkbook(b, reconcileResult(), meta) })
	rows, err := f.GetRows(TabPlacementCheck)
	if err != nil {
		t.Fatal(err)
	}
	// Columns J, K, L: Surname, Forenames, ReferenceNumber; M the placement id.
	want := map[string][3]string{
		"P1001": {"H.,X.", "Y. Z.", Masked},
		"P1002": {"H.-V. D. C.", "G.", Masked},
		"P1003": {"S.", "F.", Masked},
		"P1005": {model.VacancySurname, Masked, model.VacancyGMC},
	}
	for _, r := range rows[1:] {
		if w, ok := want[r[12]]; ok {
			if got := [3]string{r[9], r[10], r[11]}; got != w {
				t.Errorf("placement %s: surname, forenames, GMC = %q, want %q", r[12], got, w)
			}
			delete(want, r[12])
		}
	}
	if len(want) > 0 {
		t.Errorf("placements not found: %v", want)
	}
	noneOf(t, "redacted exception workbook", workbookText(t, f), forenamesP1, gmcP1, forenamesP2, gmcP2, surnameP2,
		"SurnameP1003", "ForenamesP1004", "71003")
	wantTextCell(t, f, TabPlacementCheck, "L2", Masked)
}

func TestNotificationsRedacted(t *testing.T) {
	f := openRunWorkbook(t, func(b *bytes.Buffer) error { return NotificationsWorkbook(b, notices999(), redactMeta()) })
	const tab = TabApplicantNotification
	wantRow(t, f, tab, 8, "296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", ",S.", "ERROR", lastNameMissing)
	wantRow(t, f, tab, 12, "296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", "J.,A.", "4769163", "WARNING",
		"Value for DISABILITY does not exist in ESR. The value *** will be ignored.")
	wantRow(t, f, tab, 14, "296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", "H.,X.,E.", "4769164", "INFO", newApplicant)
	personalValues := []string{"Sam", "Jones", "Ann", "Eve", "Smith", "Frederick", "Hunter", "Keith", "Heathcliffe",
		"Simon", "HYPERLINK", "The value NO"}
	noneOf(t, "redacted notifications workbook", workbookText(t, f), personalValues...)
	text := workbookText(t, f)
	for _, w := range []string{"S.", "F.", "H.", "K.", "S.", "4769160", "P7", "P8"} {
		if !strings.Contains(text, w) {
			t.Errorf("redacted notifications workbook lacks %q", w)
		}
	}
	var buf bytes.Buffer
	if err := NotificationsText(&buf, notices999(), redactMeta()); err != nil {
		t.Fatal(err)
	}
	noneOf(t, "redacted notifications text", buf.String(), personalValues...)
	for _, w := range []string{"J.,A.", "The value *** will be ignored.", "\nH.         K.  "} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("redacted notifications text lacks %q:\n%s", w, buf.String())
		}
	}
}

func TestMEDROTRedacted(t *testing.T) {
	f := openRunWorkbook(t, func(b *bytes.Buffer) error { return MEDROTWorkbook(b, "999", medrotRows(), redactMeta()) })
	const tab = TabMEDROT
	// Row 4: the job share's first row; the sites of the trainees'
	// placements elsewhere are not personal and are still shown.
	wantRow(t, f, tab, 4, "20000001", "KSS/RXX/001/F1/001", "General Hospital", "Y.", "D.", Masked, "1 December 2026",
		"NOT KNOWN", "C.", "J.", Masked, "District Hospital", Masked, "0.5", "2 December 2026", "ST4")
	wantRow(t, f, tab, 6, "20000002", "KSS/RXX/001/F1/002", "District Hospital", Masked, "E.", Masked)
	noneOf(t, "redacted MEDROT", workbookText(t, f), "Ysa", "Dak", "7544158", "Chik", "Jakob", "7585938",
		"jakob.chik@nhs.uk", "Hahara", "Wkralaar", "roa.w@nhs.uk", "7000001", "=1+2", "Evil")
}

func TestAPPFileRedacted(t *testing.T) {
	personalValues := []string{"ann.jones@nhs.uk", "Jones", "Ann", "Mary", "Kate", "1995-03-04", "High St", "Leeds",
		"West Yorkshire", "LS1 1AA", "7585938", "Heterosexual", "None", "British", "QQ123456C", "Single", "England",
		"O'Neil", ",Bo,"}
	var buf bytes.Buffer
	if err := APPFileCSVMeta(&buf, appFile(), redactMeta()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if len(lines) != 4 || lines[3] != "" {
		t.Fatalf("redacted APP file has %d lines, want header, 2 records:\n%s", len(lines), buf.String())
	}
	want := "2026-12-02,***,J.,A.,M. K.,Dr,***,F,***,***,***,***,,,,***,GMC,***,,***,***,***,,***,1001,10508064,***," +
		"2026-12-02,2027-08-03,***,,***,,,,,"
	if lines[1] != want {
		t.Errorf("redacted APP record:\n%s\nwant:\n%s", lines[1], want)
	}
	if want := "2026-12-09,,O.,B.,,,,,,,,,,,,,,,,,,,,,1002,10508065,,,,,,,,,,,"; lines[2] != want {
		t.Errorf("redacted bare APP record (blanks stay blank):\n%s\nwant:\n%s", lines[2], want)
	}
	noneOf(t, "redacted APP CSV", buf.String(), personalValues...)

	buf.Reset()
	if err := APPFileJSONLMeta(&buf, appFile(), redactMeta()); err != nil {
		t.Fatal(err)
	}
	noneOf(t, "redacted APP JSON lines", buf.String(), personalValues...)
	var rec appRecord
	if err := json.NewDecoder(&buf).Decode(&rec); err != nil {
		t.Fatal(err)
	}
	if rec.LastName != "J." || rec.DOB != Masked || rec.UKNino != Masked || rec.Title != "Dr" || rec.Gender != "F" ||
		rec.Address.Postcode != Masked || len(rec.ProfessionalBodies) != 1 || rec.ProfessionalBodies[0] != (appBody{Body: "GMC", RegNumber: Masked}) {
		t.Errorf("redacted APP JSON record = %+v", rec)
	}

	// Without Redact the Meta variants write what the plain ones do.
	for _, tc := range []struct {
		name        string
		plain, meta func(io.Writer) error
	}{
		{"csv", func(w io.Writer) error { return APPFileCSV(w, appFile()) },
			func(w io.Writer) error { return APPFileCSVMeta(w, appFile(), runMeta()) }},
		{"jsonl", func(w io.Writer) error { return APPFileJSONL(w, appFile()) },
			func(w io.Writer) error { return APPFileJSONLMeta(w, appFile(), runMeta()) }},
		{"apc", func(w io.Writer) error { return APCFileCSV(w, runResult().APCFiles[0]) },
			func(w io.Writer) error { return APCFileCSVMeta(w, runResult().APCFiles[0], runMeta()) }},
	} {
		var a, b bytes.Buffer
		if err := tc.plain(&a); err != nil {
			t.Fatal(err)
		}
		if err := tc.meta(&b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() || !strings.Contains(a.String(), "NO") {
			t.Errorf("%s: unredacted Meta variant differs:\n%s\nvs\n%s", tc.name, a.String(), b.String())
		}
	}
}

func TestAPCFileRedacted(t *testing.T) {
	var buf bytes.Buffer
	if err := APCFileCSVMeta(&buf, runResult().APCFiles[0], redactMeta()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "WARNING,Value for DISABILITY does not exist in ESR. The value *** will be ignored.,4769163") {
		t.Errorf("redacted APC file does not mask the coded value:\n%s", buf.String())
	}
	noneOf(t, "redacted APC file", buf.String(), "value NO ")
}

// TestRedactLeavesImpersonalOutputs: outputs with no personal data are the
// same bytes with Redact.
func TestRedactLeavesImpersonalOutputs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(io.Writer, Meta) error
	}{
		{"run summary", func(w io.Writer, m Meta) error { return RunSummaryWorkbook(w, runResult(), m) }},
		{"run json", func(w io.Writer, m Meta) error { return RunJSON(w, runResult(), m) }},
		{"run table", func(w io.Writer, m Meta) error { return RunTable(w, runResult(), m) }},
		{"reconcile json", func(w io.Writer, m Meta) error { return ReconcileJSON(w, reconcileResult(), m) }},
		{"reconcile table", func(w io.Writer, m Meta) error { return ReconcileTable(w, reconcileResult(), m, -1) }},
		{"dpn workbook", func(w io.Writer, m Meta) error {
			res := singleResult()
			return DPNWorkbook(w, res, &res.VPDs[0], m)
		}},
	} {
		var plain, redacted bytes.Buffer
		if err := tc.write(&plain, runMeta()); err != nil {
			t.Fatal(err)
		}
		if err := tc.write(&redacted, redactMeta()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(plain.Bytes(), redacted.Bytes()) {
			t.Errorf("%s: Redact changed an output without personal data", tc.name)
		}
	}
}

// TestPasswordWorkbooks: every workbook written with a password opens with
// it (and reads as the unencrypted one does), and not without it or with a
// wrong one.
func TestPasswordWorkbooks(t *testing.T) {
	const pw = "correct horse battery staple"
	for _, tc := range []struct {
		name, tab, cell string
		write           func(io.Writer, Meta) error
	}{
		{"dpn", TabSummary, "A1", func(w io.Writer, m Meta) error {
			res := singleResult()
			return DPNWorkbook(w, res, &res.VPDs[0], m)
		}},
		{"national", TabSummary, "A1", func(w io.Writer, m Meta) error { return NationalWorkbook(w, nationalResult(), m) }},
		{"exception", TabPlacementCheck, "J2", func(w io.Writer, m Meta) error { return ExceptionWorkbook(w, reconcileResult(), m) }},
		{"notifications", TabApplicantNotification, "D12", func(w io.Writer, m Meta) error {
			return NotificationsWorkbook(w, notices999(), m)
		}},
		{"medrot", TabMEDROT, "D4", func(w io.Writer, m Meta) error { return MEDROTWorkbook(w, "999", medrotRows(), m) }},
		{"run summary", TabSummary, "A1", func(w io.Writer, m Meta) error { return RunSummaryWorkbook(w, runResult(), m) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain := openRunWorkbook(t, func(b *bytes.Buffer) error { return tc.write(b, runMeta()) })
			want := runCell(t, plain, tc.tab, tc.cell)
			if want == "" {
				t.Fatalf("%s!%s is empty: pick a cell with a value", tc.tab, tc.cell)
			}
			meta := runMeta()
			meta.Password = pw
			var buf bytes.Buffer
			if err := tc.write(&buf, meta); err != nil {
				t.Fatal(err)
			}
			enc := buf.Bytes()
			if bytes.HasPrefix(enc, []byte("PK")) || !bytes.HasPrefix(enc, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
				t.Fatalf("password workbook is not an encrypted (compound file) package: % x", enc[:8])
			}
			if bytes.Contains(enc, []byte(want)) {
				t.Errorf("encrypted workbook holds %q in clear", want)
			}
			f, err := excelize.OpenReader(bytes.NewReader(enc), excelize.Options{Password: pw})
			if err != nil {
				t.Fatalf("open with the password: %v", err)
			}
			defer f.Close()
			if got := runCell(t, f, tc.tab, tc.cell); got != want {
				t.Errorf("%s!%s = %q with the password, want %q", tc.tab, tc.cell, got, want)
			}
			for _, opts := range [][]excelize.Options{nil, {{Password: "wrong"}}} {
				if g, err := excelize.OpenReader(bytes.NewReader(enc), opts...); err == nil {
					_ = g.Close()
					t.Errorf("opened the password workbook with options %+v", opts)
				}
			}
		})
	}
}

// TestPasswordDPNReports: DPNReports encrypts every workbook it writes, mode
// 0600, through the same all-or-nothing path.
func TestPasswordDPNReports(t *testing.T) {
	dir := t.TempDir()
	meta := runMeta()
	meta.Password = "s3cret"
	paths, err := DPNReports(dir, nationalResult(), meta, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 6 {
		t.Fatalf("wrote %d workbooks, want 5 VPDs and the national one: %v", len(paths), paths)
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", p, st.Mode().Perm())
		}
		if _, err := excelize.OpenFile(p); err == nil {
			t.Errorf("%s opens without the password", filepath.Base(p))
		}
		f, err := excelize.OpenFile(p, excelize.Options{Password: "s3cret"})
		if err != nil {
			t.Fatalf("%s: open with the password: %v", filepath.Base(p), err)
		}
		if got := runCell(t, f, TabSummary, "A1"); got == "" {
			t.Errorf("%s: Summary!A1 is empty", filepath.Base(p))
		}
		_ = f.Close()
	}
}

// TestRedactConsistent: the same trainee gets the same mask everywhere.
func TestRedactConsistent(t *testing.T) {
	n := notices999()
	n.Withdrawn[0].ApplicantName = "Jones,Ann"
	f := openRunWorkbook(t, func(b *bytes.Buffer) error { return NotificationsWorkbook(b, n, redactMeta()) })
	wantRow(t, f, TabWithdrawn, 9, "J.", "A.")
	wantRow(t, f, TabApplicantNotification, 12, "296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", "J.,A.")
	var a exchange.APPFile = appFile()
	var buf bytes.Buffer
	if err := APPFileCSVMeta(&buf, a, redactMeta()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ",J.,A.,") {
		t.Errorf("APP file masks Jones, Ann differently:\n%s", buf.String())
	}
}
