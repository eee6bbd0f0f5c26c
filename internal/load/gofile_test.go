package load

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

const (
	goHDR = "HDR~GO_504_EXP_GOF_20121113_00000001.DAT~20121113 101010~504~20121112 101010~20121113 101010~1.0"
	// The POA of inputs.md §1a.
	goPOA1 = "POA~654321~20080401~~3560241~3560241|Consultant|021|General Surgery|~1~4311100~Medical and Dental~Consultant~021~YM72~YM72|1~Not Applicable~387169~Active~NONE~Yes~No~KSS/RJZ01/030/STR/001~KSS~WOC~20091109 154418~Consultants"
	goPOA2 = "POA~654322~20080401~20200131~3560242~3560242|FY1|021|Surgery|~1~4311100~Medical and Dental~FY1~021~YM72~YM72|1~Not Applicable~387169~Eliminated~NONE~Yes~No~KSS/RJZ01/030/FY1/002~KSS~WOC~20091109 154418~Doctors"
)

// pra is a person record of 44 fields.
var goPRA = "PRA" + strings.Repeat("~x", 43)

func goFile(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func TestGOFile(t *testing.T) {
	good := goFile(goHDR, goPOA1, "LCA~1~Site", goPRA, "POD~654000", "XXA~1~2", goPOA2, "TRL~8")
	got, in, err := loadAll(t, Options{}, writeTemp(t, "GO_504_EXP_GOF_20121113_00000001.DAT", good))
	if err != nil {
		t.Fatal(err)
	}
	want := []brief{
		{2, "504", "3560241", "3560241|Consultant|021|General Surgery|", "KSS/RJZ01/030/STR/001"},
		{7, "504", "3560242", "3560242|FY1|021|Surgery|", "KSS/RJZ01/030/FY1/002"},
	}
	if !reflect.DeepEqual(briefs(got), want) {
		t.Fatalf("got %+v\nwant %+v", briefs(got), want)
	}
	p := got[0]
	if p.ID != "654321" || p.StaffGroup != "Medical and Dental" || p.JobRole != "Consultant" || p.OccupationCode != "021" ||
		p.Organisation != "387169" || p.HiringStatus != "Active" || p.ManagingBody != "KSS" || p.WorkplaceOrg != "WOC" ||
		p.Format != model.FormatGO || p.Repaired ||
		!p.EffectiveFrom.Equal(time.Date(2008, 4, 1, 0, 0, 0, 0, time.UTC)) || !p.EffectiveTo.IsZero() {
		t.Errorf("first POA %+v", p)
	}
	wantExtra := []string{"1", "4311100", "YM72", "YM72|1", "Not Applicable", "NONE", "Yes", "No", "20091109 154418", "Consultants"}
	if !reflect.DeepEqual(p.Extra, wantExtra) {
		t.Errorf("extra %q, want %q", p.Extra, wantExtra)
	}
	if !got[1].EffectiveTo.Equal(time.Date(2020, 1, 31, 0, 0, 0, 0, time.UTC)) || got[1].HiringStatus != "Eliminated" {
		t.Errorf("second POA %+v", got[1])
	}
	wantIn := model.Input{
		Path: in[0].Path, Format: model.FormatGO, Encoding: "utf-8", Rows: 2, Skipped: 1,
		Notes: []string{"1 position deletes (POD) not loaded", "2 non-position records (LCA, PRA)", "1 records of unknown types skipped: XXA"},
		ExtraColumns: []string{"BudgetedFTE", "SubjectiveCode", "Payscale", "GradeStep", "ISARegulatedPost", "PositionType",
			"OHProcessingEligible", "EPPFlag", "ESRLastUpdateDate", "SubjectiveCodeDescription"},
	}
	if !reflect.DeepEqual(in[0], wantIn) {
		t.Errorf("input\n%+v\nwant\n%+v", in[0], wantIn)
	}
}

func TestGORepair(t *testing.T) {
	// The DPN of the POA is split by a line feed: 20 fields on line 2, 5 on
	// line 3, 20+5-1 = 24 joined. The trailer counts it once: 3 records.
	split := strings.Replace(goPOA1, "KSS/RJZ01/030/STR/001", "KSS/RJZ01/030\n/STR/001", 1)
	data := goFile(goHDR, split, goPOA2, "TRL~4")
	got, in, err := loadAll(t, Options{}, writeTemp(t, "x.txt", data)) // found by its HDR, not its name
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].DPN != "KSS/RJZ01/030\n/STR/001" || !got[0].Repaired || got[0].Row != 2 ||
		got[0].WorkplaceOrg != "WOC" || got[1].Row != 4 || got[1].Repaired {
		t.Errorf("got %+v", briefs(got))
	}
	if in[0].Repaired != 1 || in[0].Format != model.FormatGO {
		t.Errorf("input %+v", in[0])
	}
	// A name split twice: three lines joined.
	split2 := strings.Replace(goPOA1, "|Consultant|021|", "|Consul\ntant|0\n21|", 1)
	got, in, err = loadAll(t, Options{}, writeTemp(t, "y.DAT", goFile(goHDR, split2, "TRL~3")))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "3560241|Consul\ntant|0\n21|General Surgery|" || in[0].Repaired != 1 {
		t.Errorf("got %+v, input %+v", briefs(got), in[0])
	}
}

func TestGOErrors(t *testing.T) {
	short := strings.TrimSuffix(goPOA1, "~Consultants") // 23 fields
	tests := []struct {
		name, data string
		want       string // %s is the path
	}{
		{"wrong trailer count", goFile(goHDR, goPOA1, "TRL~5"),
			"%s:3: trailer says 5 records, file has 3: truncated or corrupted"},
		{"missing trailer", goFile(goHDR, goPOA1, goPOA2),
			"%s:3: expected a TRL trailer record as the last line, found none: the file is truncated"},
		{"unrepairable short record", goFile(goHDR, short, goPOA2, "TRL~4"),
			"%s:2: POA record: expected 24 fields, found 23 (46 with the next line joined): cannot repair"},
		{"short record at the end of the file", goFile(goHDR, short),
			"%s:2: POA record: expected 24 fields, found 23, and the file ends before the record is complete"},
		{"too many fields", goFile(goHDR, goPOA1+"~extra", "TRL~3"),
			"%s:2: POA record: expected 24 fields, found 25"},
		{"no header", goFile(goPOA1, "TRL~2"),
			"%s:1: expected a HDR record on the first line of a GO file, found a POA record"},
		{"header with too many fields", goFile(goHDR+"~x", goPOA1, "TRL~3"),
			"%s:1: HDR record: expected 7 fields, found 8"},
		{"trailer not a number", goFile(goHDR, "TRL~three"),
			"%s:2: expected a record count in the TRL trailer, found \"three\""},
		{"lines after the trailer", goFile(goHDR, "TRL~2", goPOA1),
			"%s:3: expected the TRL trailer to be the last record, found more lines after it (line 2)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "GO.DAT", tc.data)
			_, _, err := loadAll(t, Options{}, path)
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if want := fmt.Sprintf(tc.want, path); err.Error() != want {
				t.Errorf("err =\n%s\nwant\n%s", err, want)
			}
		})
	}
}

func TestGOOptions(t *testing.T) {
	data := goFile(goHDR, goPOA1, goPOA2, "TRL~4")
	got, in, err := loadAll(t, Options{VPD: "999"}, writeTemp(t, "GO.DAT", data))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 || in[0].Rows != 0 || in[0].Skipped != 2 ||
		!reflect.DeepEqual(in[0].Notes, []string{"2 positions of VPD 504 skipped (--vpd 999)"}) {
		t.Errorf("got %d positions, input %+v", len(got), in[0])
	}
	// CRLF line ends and a Windows-1252 DPN.
	crlf := strings.ReplaceAll(goFile(goHDR, strings.Replace(goPOA1, "STR/001", "STR\xa0001", 1), "TRL~3"), "\n", "\r\n")
	got, in, err = loadAll(t, Options{VPD: "504"}, writeTemp(t, "GO.DAT", crlf))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].DPN != "KSS/RJZ01/030/STR\u00a0001" || got[0].Extra[9] != "Consultants" ||
		in[0].Encoding != "windows-1252" {
		t.Errorf("got %+v, input %+v", briefs(got), in[0])
	}
}
