package checks

import (
	"encoding/json"
	"testing"
)

func TestSeverityJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Severity
		wantErr bool
	}{
		{`"error"`, Error, false},
		{`"warning"`, Warning, false},
		{`"info"`, Info, false},
		{`"fatal"`, 0, true},
		{`3`, 0, true},
	}
	for _, tt := range tests {
		var s Severity
		err := json.Unmarshal([]byte(tt.in), &s)
		if (err != nil) != tt.wantErr || s != tt.want {
			t.Errorf("unmarshal %s = %v, %v; want %v, error %v", tt.in, s, err, tt.want, tt.wantErr)
		}
	}
	// A finding survives a round trip.
	f := Finding{Rule: RuleDPNChars, Severity: Error, VPD: "504", File: "p.csv", Row: 17,
		Column: ColumnDPN, PositionNumber: "10000016", Value: "KSS/RJZ01/030\tSTR/001", Message: "m"}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back Finding
	if err := json.Unmarshal(b, &back); err != nil || back != f {
		t.Errorf("round trip = %+v, %v; want %+v", back, err, f)
	}
}
