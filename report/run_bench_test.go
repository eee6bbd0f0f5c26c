package report

import (
	"fmt"
	"io"
	"testing"

	"dpnkit/internal/exchange"
)

// syntheticMEDROT is a grid of n posts in one VPD, each with a current
// and a next holder who also appears as a current holder elsewhere.
func syntheticMEDROT(n int) []exchange.MedrotRow {
	rows := make([]exchange.MedrotRow, n)
	for i := range rows {
		rows[i] = exchange.MedrotRow{VPD: "999", PositionNumber: fmt.Sprintf("2%07d", i), TPN: fmt.Sprintf("KSS/RXX/%03d/F1/%03d", i/1000, i%1000),
			PlaceOfWork: "General Hospital",
			Current: &exchange.Holder{PlacementID: fmt.Sprintf("C%d", i), LastName: "Current", FirstName: "Holder",
				GMC: fmt.Sprintf("7%06d", i), ProjectedEnd: rday(2026, 12, 1), Site: "General Hospital"},
			Next: &exchange.Holder{PlacementID: fmt.Sprintf("N%d", i), LastName: "Next", FirstName: "Holder",
				GMC: fmt.Sprintf("7%06d", (i+1)%n), Email: "next.holder@nhs.uk", WTE: "1.0", ProjectedStart: rday(2026, 12, 2),
				Site: "General Hospital", Grade: "ST3"}}
	}
	return rows
}

// BenchmarkMEDROTWorkbook writes the grid of a large trust (3,000 posts).
func BenchmarkMEDROTWorkbook(b *testing.B) {
	rows := syntheticMEDROT(3000)
	b.ReportAllocs()
	for b.Loop() {
		if err := MEDROTWorkbook(io.Discard, "999", rows, runMeta()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunSummaryWorkbook writes the summary of a national run (900
// VPDs, 13 deaneries, 2,000 excluded positions).
func BenchmarkRunSummaryWorkbook(b *testing.B) {
	r := runResult()
	for i := range 900 {
		r.ByVPD = append(r.ByVPD, exchange.Counts{Group: fmt.Sprintf("%03d", i), PositionsTransferred: i,
			NotificationsByType: map[int]int{1: i}})
		r.Notifications = append(r.Notifications, exchange.Notification{Type: 1, VPD: fmt.Sprintf("%03d", i)})
	}
	for i := range 2000 {
		r.Excluded = append(r.Excluded, exchange.Exclusion{VPD: fmt.Sprintf("%03d", i%900), PositionNumber: fmt.Sprint(i),
			DPN: "KSS/RXX/001/F1/001", Reason: "DPN breaks dpn.chars"})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := RunSummaryWorkbook(io.Discard, r, runMeta()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNotificationsWorkbook writes one VPD's notices: 500 failed and
// 2,000 successful APC messages.
func BenchmarkNotificationsWorkbook(b *testing.B) {
	n := notices999()
	for i := range 500 {
		n.Failed = append(n.Failed, exchange.APC{ESRVacancyID: i, VacancyRefNumber: "V1", PositionNumber: "10508064",
			DeaneryNumber: seedDPN, ApplicantName: "Last,First", MessageType: "ERROR", MessageText: lastNameMissing})
	}
	for i := range 2000 {
		n.Successful = append(n.Successful, exchange.APC{ESRVacancyID: i, VacancyRefNumber: "V1", PositionNumber: "10508064",
			DeaneryNumber: seedDPN, ApplicantName: "Last,First", ApplicantNumber: fmt.Sprint(4769160 + i), MessageType: "INFO",
			MessageText: newApplicant})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := NotificationsWorkbook(io.Discard, n, runMeta()); err != nil {
			b.Fatal(err)
		}
	}
}
