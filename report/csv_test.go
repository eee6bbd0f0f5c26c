package report

import (
	"bytes"
	"testing"

	"dpnkit/checks"
)

func TestCSV(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  *checks.Result
		want string
	}{
		{"empty", &checks.Result{}, "rule,severity,vpd,file,row,column,position_number,value,message\n"},
		{"quoting", &checks.Result{VPDs: []checks.VPDResult{{Findings: []checks.Finding{
			{Rule: "dpn.parts", Severity: checks.Error, VPD: "504", File: "in.csv", Row: 7, Column: "DPN",
				PositionNumber: "1", Value: "a,b\nc", Message: `say "hi"`},
			{Rule: "dpn.inactive", Severity: checks.Info, VPD: "504", File: "in.csv", Row: 8, Value: "=1+1", Message: "ok"},
		}}}},
			"rule,severity,vpd,file,row,column,position_number,value,message\n" +
				"dpn.parts,error,504,in.csv,7,DPN,1,\"a,b\nc\",\"say \"\"hi\"\"\"\n" +
				"dpn.inactive,info,504,in.csv,8,,,'=1+1,ok\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := CSV(&buf, tc.res); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tc.want {
				t.Errorf("CSV =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}
