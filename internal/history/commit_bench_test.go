package history

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"dpnkit/internal/exchange"
)

// benchState is a national first run's state: about 70,000 transferred
// positions, 23,000 applicants sent and 73,000 notifications.
func benchState() exchange.State {
	st := exchange.State{Positions: map[string]*exchange.POR{}, Sent: map[string]exchange.SentApplicant{},
		Sequences: map[string]int{"KSS_APP": 1}, Notified: map[string]bool{}, NextApplicantNumber: 23001}
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 70000; i++ {
		id := fmt.Sprintf("%08d", 10000000+i)
		st.Positions[id] = &exchange.POR{PositionID: id, PositionNumber: id, PositionTitle: "84682|S.H.O. - ENT|023|Otolaryn",
			DeaneryNumber: fmt.Sprintf("KSS/RJZ01/%03d/F1/%03d", i%1000, i%7), ManagingOffice: "KSS", ODSCode: "RJZ",
			EmployingOrgVPDCode: fmt.Sprintf("%03d", i%200), ESROrganisation: "Medicine", ESRLocation: "Site"}
	}
	for i := 0; i < 23000; i++ {
		id := fmt.Sprint(1700000 + i)
		st.Sent[id] = exchange.SentApplicant{PlacementID: id, NPN: "KSS/RJZ01/001/F1/001", PositionID: "10000001",
			VPD: "504", Deanery: "KSS", Start: day, End: day.AddDate(0, 4, 0), ApplicantNumber: fmt.Sprint(i),
			Status: "SUCCESS", File: "DE_KSS_APP_20261125_00000001", LastName: "Smith", FirstName: "Jo"}
	}
	for i := 0; i < 73000; i++ {
		st.Notified[fmt.Sprintf("1|%03d|KSS/RJZ01/%03d/F1/001|%d|%d@20260801-20270801||||||", i%200, i%1000, 1600000+i, 1500000+i)] = true
	}
	return st
}

// BenchmarkCommitFirstRun measures the history's share of a national
// first run: one transaction writing the whole state.
func BenchmarkCommitFirstRun(b *testing.B) {
	next := benchState()
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		s, err := Open(ctx, filepath.Join(b.TempDir(), "h.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.State(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := commitRun(ctx, s, Run{AsOf: time.Now()}, next); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
