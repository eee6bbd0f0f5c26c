package interchange

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"dpnkit/internal/exchange"
	"dpnkit/internal/redact"
)

// TestHostileValuesKeptExactly: the POR and APC files ESR and TIS read keep
// every value exactly, a leading =, +, -, @, tab or CR included (only the
// findings CSV people open in a spreadsheet is neutralised: report.SafeCSVValue).
func TestHostileValuesKeptExactly(t *testing.T) {
	for _, in := range []string{"=HYPERLINK(\"http://x\",\"y\")", "@SUM(1)", "+1+1", "-5", "\tTAB", "\rCR"} {
		var por, apc bytes.Buffer
		if err := WritePOR(&por, []exchange.POR{{PositionID: "1", PositionTitle: in, DeaneryNumber: in}}); err != nil {
			t.Fatal(err)
		}
		if err := WriteAPC(&apc, exchange.APCFile{Records: []exchange.APC{{ESRVacancyID: 1, DeaneryNumber: in}}}, redact.Policy{}); err != nil {
			t.Fatal(err)
		}
		for name, buf := range map[string]*bytes.Buffer{"POR": &por, "APC": &apc} {
			recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
			if err != nil || len(recs) != 2 {
				t.Fatalf("%s %q: %d records (%v)", name, in, len(recs), err)
			}
			found := false
			for _, v := range recs[1] {
				found = found || v == in
				if v == "'"+in {
					t.Errorf("%s file neutralised %q", name, in)
				}
			}
			if !found {
				t.Errorf("%s file lost %q: %q", name, in, recs[1])
			}
		}
	}
}
