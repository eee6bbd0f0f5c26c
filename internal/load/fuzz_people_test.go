package load

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"

	"dpnkit/internal/model"
)

const fzPeopleHdr = "VPD,Person ID,Employee Number,Person Type,Last Name,First Name,Date of Birth,NI Number,GMC Number,Position Number,Assignment Status"

// fzPeopleSeeds are people exports of each shape: tables (quoting, other
// delimiters, unreadable dates) and GO files of PRA and ASA records.
var fzPeopleSeeds = []string{
	fzPeopleHdr + "\n504,101,11111111,Employee,Smith,Jane,1990-03-02,QQ123456A,7021070,3560241,Active Assignment\n" +
		"504,102,,Applicant,\"O'Neil, Jr\",\"Ann\nMarie\",31/02/1995,,,,\n",
	strings.ReplaceAll(fzPeopleHdr, ",", ";") + "\r\n504;1;E1;EMP;Khan;Aisha;02-MAR-1990; qq 12 34 56 c ;7455687;1;ACTIVE_ASSIGN\r\n",
	strings.ReplaceAll(fzPeopleHdr, ",", "\t") + "\n\t1\tE1\tEx-Employee\tA\tB\tnot a date\t\t\t\t\n",
	fzPeopleHdr + "\n504,1,\"open,E,Employee,S,F,,,,,\n",
	"Last Name,First Name\nSmith,Jane\n",
	goFileSeed(
		praRec(map[int]string{2: "101", 3: "20200101", 5: "11111111", 7: "Smith", 8: "Jane", 14: "19900302", 15: "QQ123456A", 34: "EMP"}),
		asaRec(map[int]string{2: "101", 4: "20200101", 8: "11111111", 9: "ACTIVE_ASSIGN", 22: "Y", 30: "3560241|FY1|021|Surgery|"}),
		praRec(map[int]string{2: "104", 3: "20000101", 7: "Gr\neen", 8: "Gail", 14: "notadate", 34: "EMP_APL"}),
		asaRec(map[int]string{2: "999", 4: "20000101", 8: "9", 9: "ACTIVE_ASSIGN", 22: "Y", 30: "5|x|y|z|"}),
	),
}

func goFileSeed(records ...string) string {
	lines := append([]string{goHDR}, records...)
	n := len(lines) + 1
	for _, r := range records {
		n -= strings.Count(r, "\n") // a split record counts once
	}
	return strings.Join(append(lines, "TRL~"+strconv.Itoa(n)), "\n") + "\n"
}

func prsRow(p model.Person) int            { return p.Row }
func prsClone(p model.Person) model.Person { return p.Clone() }

// personStrings are a person's text fields, each of which the loader trims.
func personStrings(p *model.Person) []string {
	return []string{p.VPD, p.PersonID, p.EmployeeNumber, p.PersonType, p.LastName, p.FirstName,
		p.NINumber, p.GMC, p.PositionNumber, p.AssignmentStatus}
}

// FuzzPeople loads any bytes as an ESR people export: a *load.Error of one
// line or people whose rows are in the file, with trimmed values, the same
// with tiny blocks parsed in parallel.
func FuzzPeople(f *testing.F) {
	for _, s := range fzPeopleSeeds {
		f.Add([]byte(s))
	}
	path := fzFile(f, "people.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fzWrite(t, path, data)
		one := fzLoad(t, path, 1<<20, 1, prsClone, People)
		sorted := fzCheck(t, fzMaxRow(data), one, true, prsRow)
		many := fzLoad(t, path, 64, 2, prsClone, People)
		manySorted := fzCheck(t, fzMaxRow(data), many, false, prsRow)
		fzSame(t, "64-byte blocks, 2 workers", one, many, sorted, manySorted)
		// Options.KeepPerson drops exactly the people it refuses, before they
		// are built, and changes nothing else: not the rows counted, the
		// notes or an error.
		keptRun := fzLoad(t, path, 64, 2, prsClone, peopleKeeping)
		var kept []model.Person // Rows counts the refused too: not fzCheck's rule
		for _, b := range keptRun.batches {
			kept = append(kept, b...)
		}
		sort.Slice(kept, func(i, j int) bool { return kept[i].Row < kept[j].Row })
		var want []model.Person
		for _, p := range sorted {
			if fzKeep(p.GMC, p.NINumber) {
				want = append(want, p)
			}
		}
		fzSame(t, "KeepPerson", fzRun[model.Person]{in: one.in, err: one.err}, fzRun[model.Person]{in: keptRun.in, err: keptRun.err}, want, kept)
		for i := range sorted {
			p := &sorted[i]
			for _, s := range personStrings(p) {
				if model.TrimWhite(s) != s {
					t.Errorf("row %d: value %q not trimmed", p.Row, s)
				}
			}
			if p.VPD == "" {
				t.Errorf("row %d: blank VPD loaded", p.Row)
			}
		}
	})
}

// fzKeep keeps a person whose trimmed GMC number has an odd length or whose
// NI number holds a 7: arbitrary, but a test of the raw cells that the
// built person's trimmed values answer the same way.
func fzKeep(gmc, ni string) bool {
	return len(model.TrimWhite(gmc))%2 == 1 || strings.Contains(ni, "7")
}

func peopleKeeping(ctx context.Context, files []string, opts Options, sink func([]model.Person)) ([]model.Input, error) {
	opts.KeepPerson = fzKeep
	return People(ctx, files, opts, sink)
}
