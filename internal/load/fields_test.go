package load

import (
	"errors"
	"strings"
	"testing"
)

func TestResolveHeadersAliases(t *testing.T) {
	tests := []struct {
		name  string
		hdr   []string
		want  map[int]int // field -> column
		extra []string
	}{
		{
			name: "canonical names",
			hdr:  []string{"VPD", "Position Number", "Position Name", "Deanery Post Number"},
			want: map[int]int{fVPD: 0, fPositionNumber: 1, fPositionName: 2, fDPN: 3},
		},
		{
			name: "case, spaces, underscores, dashes, dots, slashes, BOM",
			hdr:  []string{"\ufeffvpd_code", "POSITION-NO.", " position name ", "t.p.n", "Host/Lead Employer Status", "date_from", "END DATE"},
			want: map[int]int{fVPD: 0, fPositionNumber: 1, fPositionName: 2, fDPN: 3, fHostLead: 4, fEffectiveFrom: 5, fEffectiveTo: 6},
		},
		{
			name:  "short aliases and unknown columns kept in order",
			hdr:   []string{"Trust ID", "Comments", "Position", "Name", "NPN", "MDB", "ODS Code", "Place of Work", "", "Organization"},
			want:  map[int]int{fVPD: 0, fPositionNumber: 2, fPositionName: 3, fDPN: 4, fManagingBody: 5, fWorkplaceOrg: 6, fLocation: 7, fOrganisation: 9},
			extra: []string{"Comments", "(column I)"},
		},
		{
			name: "every other alias",
			hdr: []string{"Employing Org VPD Code", "ESRPositionId", "ESR Position", "Name", "TPN Number",
				"Effective Start Date", "Effective End Date", "Position Status", "Staff Group", "Job Role", "Occ Code",
				"Managing LETB", "Head/Lead Status", "ESR Organisation"},
			want: map[int]int{fVPD: 0, fPositionID: 1, fPositionNumber: 2, fPositionName: 3, fDPN: 4, fEffectiveFrom: 5,
				fEffectiveTo: 6, fHiringStatus: 7, fStaffGroup: 8, fJobRole: 9, fOccupationCode: 10, fManagingBody: 11,
				fHostLead: 12, fOrganisation: 13},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lay, err := resolveHeaders("f.csv", 1, tc.hdr, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for fi := range numFields {
				want, ok := tc.want[fi]
				if !ok {
					want = -1
				}
				if lay.col[fi] != want {
					t.Errorf("%s: column %d, want %d", Fields[fi].Name, lay.col[fi], want)
				}
			}
			if strings.Join(lay.extraHdr, "|") != strings.Join(tc.extra, "|") {
				t.Errorf("extra columns %q, want %q", lay.extraHdr, tc.extra)
			}
		})
	}
}

func TestResolveHeadersErrors(t *testing.T) {
	hdr := []string{"VPD", "Position", "Position Number", "Name", "DPN"}
	tests := []struct {
		name string
		hdr  []string
		opts Options
		want string // the whole error text
		col  map[int]int
	}{
		{
			name: "two headers, one field",
			hdr:  hdr,
			want: `f.csv:1: columns B ("Position") and C ("Position Number") are both position_number; use --map position_number=HEADER to choose one`,
		},
		{
			name: "--map settles it; the other alias column becomes extra",
			hdr:  hdr,
			opts: Options{Map: map[string]string{"position_number": "position number"}},
			col:  map[int]int{fPositionNumber: 2, fPositionName: 3},
		},
		{
			name: "--map takes a header another field would alias",
			hdr:  []string{"VPD", "Position", "Post Title", "DPN"},
			opts: Options{Map: map[string]string{"position_name": "Position", "position_number": "POST_TITLE"}},
			col:  map[int]int{fPositionNumber: 2, fPositionName: 1},
		},
		{
			name: "--map unknown field",
			hdr:  hdr,
			opts: Options{Map: map[string]string{"post": "Position"}},
			want: `f.csv: --map post: unknown field "post"; valid fields: vpd, position_id, position_number, position_name, effective_from, effective_to, hiring_status, staff_group, job_role, occupation_code, dpn, managing_deanery_body, host_lead_status, workplace_org_code, organisation, location`,
		},
		{
			name: "--map header not present",
			hdr:  []string{"VPD", "Name", "DPN"},
			opts: Options{Map: map[string]string{"position_number": "Post No"}},
			want: `f.csv:1: --map position_number=Post No: no such header (no header like it); headers found: "VPD", "Name", "DPN"`,
		},
		{
			name: "missing required field with a near miss",
			hdr:  []string{"VPD", "Postion Number", "Name", "DPN"},
			want: `f.csv:1: no column for required field position_number (headers like "Position Number", "Position No", "ESR Position", "Position", "ESR Position Number", "Position Num"; closest header "Postion Number"); headers found: "VPD", "Postion Number", "Name", "DPN"; use --map FIELD=HEADER if a column has another name ('dpnkit fields' lists the fields and their headers)`,
		},
		{
			name: "missing VPD, nothing close",
			hdr:  []string{"Position Number", "Name", "DPN"},
			want: `f.csv:1: no column for required field vpd (headers like "VPD", "VPD Code", "Employing Org VPD Code", "Trust ID", "Org VPD", "Org VPD Code", "Organisation VPD", "Employing VPD"; no header like it); headers found: "Position Number", "Name", "DPN"; or give the VPD with --vpd; use --map FIELD=HEADER if a column has another name ('dpnkit fields' lists the fields and their headers)`,
		},
		{
			name: "missing VPD is fine with --vpd",
			hdr:  []string{"Position Number", "Name", "DPN"},
			opts: Options{VPD: "504"},
			col:  map[int]int{fVPD: -1, fPositionNumber: 0, fDPN: 2},
		},
		{
			name: "DPN column required",
			hdr:  []string{"VPD", "Position Number", "Name"},
			want: `f.csv:1: no column for required field dpn (headers like "Deanery Post Number", "DPN", "Training Post Number", "TPN", "TPN Number", "National Post Number", "NPN", "Deanery Post No", "DPN Number"; no header like it); headers found: "VPD", "Position Number", "Name"; use --map FIELD=HEADER if a column has another name ('dpnkit fields' lists the fields and their headers)`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lay, err := resolveHeaders("f.csv", 1, tc.hdr, tc.opts)
			if tc.want != "" {
				var le *Error
				if !errors.As(err, &le) {
					t.Fatalf("err = %v, want *Error %q", err, tc.want)
				}
				if err.Error() != tc.want {
					t.Fatalf("err =\n%s\nwant\n%s", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for fi, c := range tc.col {
				if lay.col[fi] != c {
					t.Errorf("%s: column %d, want %d", Fields[fi].Name, lay.col[fi], c)
				}
			}
		})
	}
}

func TestColLetter(t *testing.T) {
	cols := []struct {
		i    int
		want string
	}{{0, "A"}, {25, "Z"}, {26, "AA"}, {27, "AB"}, {701, "ZZ"}, {702, "AAA"}}
	for _, tc := range cols {
		if got := colLetter(tc.i); got != tc.want {
			t.Errorf("colLetter(%d) = %q, want %q", tc.i, got, tc.want)
		}
	}
}
