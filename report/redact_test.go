package report

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/exchange"
	"dpnkit/internal/interchange"
	"dpnkit/internal/model"
	"dpnkit/internal/redact"
)

func redactMeta() Meta {
	m := runMeta()
	m.Redact = true
	return m
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
		"P1001": {"H.,*", "Y. Z.", redact.Masked}, // the formula's "x" is a one-letter word
		"P1002": {"H.-V. D. C.", "G.", redact.Masked},
		"P1003": {"S.", "F.", redact.Masked},
		"P1005": {model.VacancySurname, redact.Masked, model.VacancyGMC},
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
	wantTextCell(t, f, TabPlacementCheck, "L2", redact.Masked)
}

func TestNotificationsRedacted(t *testing.T) {
	f := openRunWorkbook(t, func(b *bytes.Buffer) error { return NotificationsWorkbook(b, notices999(), redactMeta()) })
	const tab = TabApplicantNotification
	wantRow(t, f, tab, 8, "296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", ",S.", "ERROR", lastNameMissing)
	wantRow(t, f, tab, 12, "296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", "J.,A.", "4769163", "WARNING",
		"Value for DISABILITY does not exist in ESR. The value *** will be ignored.")
	wantRow(t, f, tab, 14, "296-Vac1", "10508064", "WAL/1D9PL/527/TYU/987", "H.,*,E.", "4769164", "INFO", newApplicant)
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
	wantRow(t, f, tab, 4, "20000001", "KSS/RXX/001/F1/001", "General Hospital", "Y.", "D.", redact.Masked, "1 December 2026",
		"NOT KNOWN", "C.", "J.", redact.Masked, "District Hospital", redact.Masked, "0.5", "2 December 2026", "ST4")
	wantRow(t, f, tab, 6, "20000002", "KSS/RXX/001/F1/002", "District Hospital", redact.Masked, "E.", redact.Masked)
	noneOf(t, "redacted MEDROT", workbookText(t, f), "Ysa", "Dak", "7544158", "Chik", "Jakob", "7585938",
		"jakob.chik@nhs.uk", "Hahara", "Wkralaar", "roa.w@nhs.uk", "7000001", "=1+2", "Evil")
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
		{"run table", func(w io.Writer, m Meta) error { return runTerm(w, runResult(), m) }},
		{"reconcile json", func(w io.Writer, m Meta) error { return ReconcileJSON(w, reconcileResult(), m) }},
		{"reconcile table", func(w io.Writer, m Meta) error { return reconcileTerm(w, reconcileResult(), m, -1) }},
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
	a := exchange.APPFile{Name: "DE_KSS_APP_20261125_00000007", Records: []model.Applicant{applicant()}}
	var buf bytes.Buffer
	if err := interchange.WriteAPP(&buf, a, interchange.CSV, redact.Policy{Mask: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ",J.,A.,") {
		t.Errorf("APP file masks Jones, Ann differently:\n%s", buf.String())
	}
}
