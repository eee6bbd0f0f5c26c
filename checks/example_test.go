package checks_test

import (
	"fmt"
	"time"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

func ExampleDescribeBadChars() {
	for _, s := range checks.DescribeBadChars("KSS/RJZ01/030\tSTR\u00a0/001") {
		fmt.Println(s)
	}
	// Output:
	// tab (U+0009) at character 14
	// non-breaking space (U+00A0) at character 18
}

func ExampleRunner() {
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	ps := []model.Position{
		{VPD: "504", Number: "10000016", Name: "10000016|Specialty Registrar|M1A|Cardiology", DPN: "KSS/RJZ01/030",
			ManagingBody: "KSS", File: "positions.csv", Row: 17, Format: model.FormatCSV},
		{VPD: "504", Number: "10000017", Name: "10000017|Specialty Registrar|M1A|Cardiology", DPN: "KSS/RJZ01/030/STR/001",
			ManagingBody: "KSS", File: "positions.csv", Row: 18, Format: model.FormatCSV},
	}
	r := checks.NewRunner(checks.Options{AsOf: asOf})
	r.Add(ps)
	res := r.Finish(nil)
	fmt.Println("ready:", res.Totals.Ready, "DPN issues:", res.Totals.DPNIssues)
	for _, f := range res.Findings() {
		fmt.Printf("%s row %d %s: %s\n", f.File, f.Row, f.Rule, f.Message)
	}
	// Output:
	// ready: false DPN issues: 1
	// positions.csv row 17 dpn.parts: DPN has 3 parts; it needs at least 4 separated by / (e.g. KSS/RJZ01/030/STR/001). Correct the Deanery Post Number on position 10000016.
}
