package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"dpnkit/checks"
	"dpnkit/reconcile"
)

// smallReconcile is reconcileResult cut down for the JSON golden: P1001 (no
// position, two suggestions) and P1004 (matched, no end date), one
// employing body list left empty, deaneries out of order.
func smallReconcile() *reconcile.Result {
	res := reconcileResult()
	res.Placements = []reconcile.PlacementResult{res.Placements[0], res.Placements[3]}
	res.Placements[1].Placement.DateTo = time.Time{}
	res.ByEmployingBody = nil
	res.ByVPD = res.ByVPD[:1]
	res.Findings = res.Findings[:2]
	return res
}

// Written by hand from the brief's document shape and the JSON tags of
// reconcile.Stats, ReconcileRows, PositionRef, Suggestion, Finding
// and model.Input.
const smallReconcileJSON = `{
  "tool": "dpnkit",
  "version": "1.2.3",
  "as_of": "2026-11-25",
  "inputs": {
    "positions": [
      {
        "path": "esr/positions.csv",
        "format": "csv",
        "encoding": "utf-8",
        "rows": 40,
        "repaired": 0
      }
    ],
    "placements": [
      {
        "path": "tis/placements.csv",
        "format": "csv",
        "encoding": "windows-1252",
        "rows": 5,
        "repaired": 0
      }
    ]
  },
  "rows": {
    "positions": {
      "read": 40,
      "active_with_dpn": 31,
      "active_without_dpn": 5,
      "inactive": 4,
      "skipped": 0
    },
    "placements": {
      "read": 5,
      "in_scope": 4,
      "vacancies": 1,
      "ended": 0,
      "unreadable": 0,
      "skipped": 0
    }
  },
  "totals": {
    "placements": 5,
    "vacancies": 1,
    "matched": 2,
    "no_position": 1,
    "end_dated": 1,
    "many_positions": 1,
    "exported": 1,
    "not_yet_due": 1,
    "blocked": 3,
    "exceptions": 3,
    "unplaced_positions": 1,
    "by_rule": {
      "placement.many-positions": 1,
      "placement.no-position": 2,
      "placement.vacancy": 1,
      "position.no-placement": 1
    }
  },
  "by_managing_deanery": [
    {
      "group": "HEE East of England",
      "placements": 4,
      "vacancies": 0,
      "matched": 1,
      "no_position": 1,
      "end_dated": 1,
      "many_positions": 1,
      "exported": 1,
      "not_yet_due": 0,
      "blocked": 3,
      "exceptions": 3,
      "unplaced_positions": 0
    },
    {
      "group": "HEE London",
      "placements": 1,
      "vacancies": 1,
      "matched": 1,
      "no_position": 0,
      "end_dated": 0,
      "many_positions": 0,
      "exported": 0,
      "not_yet_due": 1,
      "blocked": 0,
      "exceptions": 0,
      "unplaced_positions": 0
    }
  ],
  "by_employing_body": [],
  "by_vpd": [
    {
      "group": "504",
      "placements": 3,
      "vacancies": 0,
      "matched": 1,
      "no_position": 0,
      "end_dated": 1,
      "many_positions": 1,
      "exported": 1,
      "not_yet_due": 0,
      "blocked": 2,
      "exceptions": 2,
      "unplaced_positions": 1
    }
  ],
  "placements": [
    {
      "placement_id": "P1001",
      "npn": "EOE/RGT0O/021/FY1/010",
      "managing_deanery": "HEE East of England",
      "employing_body": "Cambridge University Hospitals NHS FT",
      "start_date": "2026-12-02",
      "end_date": "2027-08-01",
      "position_match": "No ESR Position - Check DPN in ESR Position",
      "applicant_export": "BLOCKED: no ESR position",
      "positions": [],
      "suggestions": [
        {
          "dpn": "EOE/RGT00/021/FY1/010",
          "position_number": "10002345",
          "vpd": "504",
          "kind": "letter O typed for zero"
        },
        {
          "dpn": "EOE/RGT0O/021/FY1/010 ",
          "position_number": "10009999",
          "vpd": "505",
          "kind": "same post with different spacing or case",
          "end_dated": true
        }
      ],
      "issue": "no active ESR position carries this NPN"
    },
    {
      "placement_id": "P1004",
      "npn": "EOE/RGT00/040/FY2/001",
      "managing_deanery": "HEE East of England",
      "employing_body": "West Suffolk NHS FT",
      "start_date": "2026-12-02",
      "end_date": "",
      "position_match": "Yes",
      "applicant_export": "EXPORTED",
      "positions": [
        {
          "vpd": "504",
          "position_number": "10000030",
          "dpn": "EOE/RGT00/040/FY2/001"
        }
      ],
      "suggestions": [],
      "issue": ""
    }
  ],
  "unplaced_positions": [
    {
      "vpd": "504",
      "position_number": "10000040",
      "dpn": "EOE/RGT00/050/FY1/002"
    }
  ],
  "findings": [
    {
      "rule": "position.no-placement",
      "severity": "info",
      "vpd": "504",
      "file": "esr/positions.csv",
      "row": 41,
      "column": "Deanery Post Number",
      "position_number": "10000040",
      "value": "EOE/RGT00/050/FY1/002",
      "message": "no current or future placement, last one ended 01/08/2026"
    },
    {
      "rule": "placement.no-position",
      "severity": "error",
      "vpd": "",
      "file": "tis/placements.csv",
      "row": 2,
      "column": "National Post Number",
      "placement_id": "P1001",
      "value": "EOE/RGT0O/021/FY1/010",
      "message": "no active ESR position carries it, did you mean EOE/RGT00/021/FY1/010"
    }
  ]
}
`

func TestReconcileJSONGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := ReconcileJSON(&buf, smallReconcile(), testMeta()); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != smallReconcileJSON {
		t.Errorf("JSON differs from the hand-written document:\n%s", got)
	}
}

func TestReconcileJSONNoPersonalData(t *testing.T) {
	var buf bytes.Buffer
	if err := ReconcileJSON(&buf, reconcileResult(), testMeta()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// The evil surname is JSON-escaped differently, so look for its core too.
	for _, personal := range []string{"HYPERLINK", surnameP2, forenamesP1, forenamesP2, gmcP1, gmcP2,
		"SurnameP1003", "ForenamesP1004", "71004", "1995-03-04", "surname", "forenames", "gmc", "dob"} {
		if strings.Contains(out, personal) {
			t.Errorf("JSON contains personal data %q", personal)
		}
	}
	// Still valid JSON with every placement, by id.
	var doc struct {
		Placements []map[string]any `json:"placements"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Placements) != 5 || doc.Placements[4]["placement_id"] != "P1005" {
		t.Errorf("placements = %v, want five ending with P1005", doc.Placements)
	}
}

func TestReconcileJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := ReconcileJSON(&buf, &reconcile.Result{}, testMeta()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "null") {
		t.Errorf("empty result has null in JSON:\n%s", out)
	}
	for _, key := range []string{`"positions": []`, `"placements": []`, `"by_managing_deanery": []`,
		`"by_employing_body": []`, `"by_vpd": []`, `"unplaced_positions": []`, `"findings": []`} {
		if !strings.Contains(out, key) {
			t.Errorf("JSON lacks %s:\n%s", key, out)
		}
	}
	if err := ReconcileJSON(&buf, nil, testMeta()); err == nil {
		t.Error("ReconcileJSON(nil) succeeded, want an error")
	}
}

func TestReconcileJSONDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	for _, buf := range []*bytes.Buffer{&a, &b} {
		if err := ReconcileJSON(buf, reconcileResult(), testMeta()); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two JSON writes of the same result differ")
	}
}

func TestReconcileCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := ReconcileCSV(&buf, reconcileResult()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	want := [][]string{
		{"rule", "severity", "vpd", "file", "row", "column", "position_number", "value", "message", "placement_id"},
		{"position.no-placement", "info", "504", "esr/positions.csv", "41", "Deanery Post Number", "10000040",
			"EOE/RGT00/050/FY1/002", "no current or future placement, last one ended 01/08/2026", ""},
		{"placement.no-position", "error", "", "tis/placements.csv", "2", "National Post Number", "",
			"EOE/RGT0O/021/FY1/010", "no active ESR position carries it, did you mean EOE/RGT00/021/FY1/010", "P1001"},
	}
	if len(recs) != 6 {
		t.Errorf("%d records, want header + 5", len(recs))
	}
	for i := range want {
		if i < len(recs) && !slices.Equal(recs[i], want[i]) {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}
	if last := recs[len(recs)-1]; last[8] != "RECRUIT - VACANCY, comma" || last[9] != "P1005" {
		t.Errorf("last record = %q, want the vacancy message with its comma intact", last)
	}
	if err := ReconcileCSV(&buf, nil); err == nil {
		t.Error("ReconcileCSV(nil) succeeded, want an error")
	}
}

func TestReconcileTable(t *testing.T) {
	withCheck := reconcileResult()
	withCheck.PositionCheck = singleResult()
	clean := &reconcile.Result{Totals: reconcile.Stats{Placements: 1, Matched: 1, Exported: 1},
		ByManagingDeanery: []reconcile.Stats{{Group: "", Placements: 1, Matched: 1, Exported: 1}}}
	for _, tc := range []struct {
		name    string
		res     *reconcile.Result
		top     int
		want    []string
		notWant []string
	}{
		{"top 1", reconcileResult(), 1,
			[]string{"25/11/2026", "dpnkit 1.2.3", deaneryEast, deaneryLondon, "Total",
				"3 of 5 placements are exceptions; 1 vacancies; 1 active DPN positions have no placement.",
				"P1001", "letter O typed for zero", "Showing 1 of 3 exceptions"},
			[]string{"P1002", "HYPERLINK", forenamesP1, gmcP1, surnameP2, "DPN check of the positions"}},
		{"all", withCheck, -1,
			[]string{"P1001", "P1002", "P1003", "Multiple ESR Positions", "ESR Position End-Dated",
				"DPN check of the positions: NOT READY for go-live"},
			[]string{"P1004", "P1005", "Showing", "HYPERLINK", forenamesP2}},
		{"none shown", reconcileResult(), 0, []string{"Showing 0 of 3 exceptions"}, []string{"P1001"}},
		{"clean", clean, 10, []string{"No exceptions.", "(none)"}, []string{"Showing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := reconcileTerm(&buf, tc.res, testMeta(), tc.top); err != nil {
				t.Fatal(err)
			}
			assertOutput(t, buf.String(), tc.want, tc.notWant)
		})
	}
}

// jsonPlacement is one placement of the JSON document, as
// appendPlacementJSON writes it.
type jsonPlacement struct {
	PlacementID     string                  `json:"placement_id"`
	NPN             string                  `json:"npn"`
	ManagingDeanery string                  `json:"managing_deanery"`
	EmployingBody   string                  `json:"employing_body"`
	StartDate       string                  `json:"start_date"`
	EndDate         string                  `json:"end_date"`
	PositionMatch   string                  `json:"position_match"`
	ApplicantExport string                  `json:"applicant_export"`
	Positions       []reconcile.PositionRef `json:"positions"`
	PositionCount   int                     `json:"position_count,omitempty"`
	Suggestions     []reconcile.Suggestion  `json:"suggestions"`
	Issue           string                  `json:"issue"`
}

type jsonUnplacedPosition struct {
	VPD            string `json:"vpd"`
	PositionNumber string `json:"position_number"`
	DPN            string `json:"dpn"`
}

// wholeDoc is the reconciliation document as one struct, for checking that
// the streamed document is what json.Encoder writes for the whole.
type wholeDoc struct {
	Tool              string                 `json:"tool"`
	Version           string                 `json:"version"`
	AsOf              string                 `json:"as_of"`
	Inputs            reconcileInputs        `json:"inputs"`
	Rows              reconcile.Rows         `json:"rows"`
	Totals            reconcile.Stats        `json:"totals"`
	ByManagingDeanery []reconcile.Stats      `json:"by_managing_deanery"`
	ByEmployingBody   []reconcile.Stats      `json:"by_employing_body"`
	ByVPD             []reconcile.Stats      `json:"by_vpd"`
	Placements        []jsonPlacement        `json:"placements"`
	Unplaced          []jsonUnplacedPosition `json:"unplaced_positions"`
	Findings          []checks.Finding       `json:"findings"`
}

func TestReconcileJSONStreamMatchesEncoder(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  *reconcile.Result
	}{
		{"fixture", reconcileResult()},
		{"synthetic", syntheticReconcile(300)},
		{"synthetic, several blocks", syntheticReconcile(5*jsonBlock + 7)},
		{"empty", &reconcile.Result{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := ReconcileJSON(&got, tc.res, testMeta()); err != nil {
				t.Fatal(err)
			}
			var back wholeDoc
			if err := json.Unmarshal(got.Bytes(), &back); err != nil {
				t.Fatalf("streamed JSON does not parse: %v", err)
			}
			if len(back.Placements) != len(tc.res.Placements) || len(back.Findings) != len(tc.res.Findings) ||
				len(back.Unplaced) != len(tc.res.Unplaced) {
				t.Fatalf("read back %d placements, %d findings, %d unplaced; want %d, %d, %d",
					len(back.Placements), len(back.Findings), len(back.Unplaced),
					len(tc.res.Placements), len(tc.res.Findings), len(tc.res.Unplaced))
			}
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(back); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("streamed JSON differs from the encoder's:\n%s\nwant:\n%s", got.String(), want.String())
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestReconcileWriteErrors(t *testing.T) {
	for name, write := range map[string]func() error{
		"json":     func() error { return ReconcileJSON(failWriter{}, reconcileResult(), testMeta()) },
		"csv":      func() error { return ReconcileCSV(failWriter{}, reconcileResult()) },
		"table":    func() error { return reconcileTerm(failWriter{}, reconcileResult(), testMeta(), 5) },
		"workbook": func() error { return ExceptionWorkbook(failWriter{}, reconcileResult(), testMeta()) },
	} {
		if err := write(); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error = %v, want the writer's error wrapped", name, err)
		}
	}
}

func TestAppendJSONStringMatchesEncoder(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \\ backslash`, "tab\tnew\nline\rcr\bbs\fff",
		"\x00\x01\x1f\x7f", "<html> & 'x'", "caf\u00e9 \u2028 \u2029 \U0001F600", "bad \xff\xfe utf-8 \xe2\x82",
		"=HYPERLINK(\"x\")", "EOE/RGT00/021/FY1/010 "} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := string(appendJSONString(nil, s)) + "\n"; got != want.String() {
			t.Errorf("%q: got %s, want %s", s, got, want.String())
		}
	}
}

func TestAppendJSONDate(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, `""`},
		{time.Date(2026, 8, 5, 0, 0, 0, 0, time.UTC), `"2026-08-05"`},
		{time.Date(999, 12, 31, 23, 59, 0, 0, time.UTC), `"0999-12-31"`},
		{time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC), `"10000-01-02"`},
	} {
		if got := string(appendJSONDate(nil, c.t)); got != c.want {
			t.Errorf("%v: got %s, want %s", c.t, got, c.want)
		}
	}
}

func TestReconcileJSONLongWriteError(t *testing.T) {
	// A write error in the first block stops the array and is returned.
	err := ReconcileJSON(failWriter{}, syntheticReconcile(7*jsonBlock), testMeta())
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error = %v, want the writer's error wrapped", err)
	}
}
