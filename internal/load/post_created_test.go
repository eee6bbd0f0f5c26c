package load

import (
	"testing"
	"time"
)

// A post-created column is read as a date; an unreadable one is left
// empty and reported nowhere (it only tells the interface run which posts
// are new). Without the column no placement says it has one.
func TestPlacementPostCreated(t *testing.T) {
	path := writeTemp(t, "placements.csv", "Placement TIS ID,National Post Number,Surname,Forenames,Start Date,End Date,Post Created Date\n"+
		"1,KSS/A/1/B/1,Smith,Anna,2026-12-01,2027-08-01,25/11/2026 14:03\n"+
		"2,KSS/A/1/B/2,Jones,Ben,2026-12-01,2027-08-01,not a date\n"+
		"3,KSS/A/1/B/3,Khan,Aisha,2026-12-01,2027-08-01,\n")
	ps, _, err := loadPlacements(t, Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), {}, {}}
	for i, p := range ps {
		if !p.HasPostCreatedColumn || !p.PostCreated.Equal(want[i]) || len(p.DateIssues) != 0 {
			t.Errorf("row %d: column %v, post created %v, date issues %v; want %v and none", i+2, p.HasPostCreatedColumn,
				p.PostCreated, p.DateIssues, want[i])
		}
	}
	without := writeTemp(t, "placements.csv", "Placement TIS ID,National Post Number,Surname,Forenames,Start Date,End Date\n"+
		"1,KSS/A/1/B/1,Smith,Anna,2026-12-01,2027-08-01\n")
	ps, _, err = loadPlacements(t, Options{}, without)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].HasPostCreatedColumn {
		t.Errorf("without the column: %+v", ps)
	}
}
