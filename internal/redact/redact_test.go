package redact

import (
	"testing"
	"time"

	"dpnkit/internal/model"
)

var (
	mask = Policy{Mask: true}
	keep = Policy{}
)

func TestName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"John", "J."},
		{"john", "J."},
		{"Mary Kate", "M. K."},
		{"Mary-Jane O'Brien", "M.-J. O."},
		{"d'Arcy", "D."},
		{"  de   la\tCruz  ", "D. L. C."},
		{"Haukin-van der Cingel", "H.-V. D. C."},
		{"Jean\u2013Luc", "J.-L."}, // en dash
		{"Anne-", "A."},
		{"-Anne", "A."},
		{"(Jim)", "J."},
		{"Łukasz", "Ł."},
		{"élodie", "É."},
		{"e\u0301lodie", "E."},     // decomposed accent
		{"Ó Súilleabháin", "* S."}, // "Ó" is a word of one letter
		{"李小龍", "李."},
		{"Smith,John", "S.,J."},
		{"Smith, John Paul", "S.,J. P."},
		{",Sam", ",S."},
		{"Jones,", "J.,"},
		{"Jo\u00a0Ann", "J. A."},                  // non-breaking space separates
		{`=HYPERLINK("http://evil","x")`, "H.,*"}, // the comma separates names; "x" is one letter
		{"", ""},
		{"   ", "   "},
		{"*****", Masked},
		{"123", Masked},
		{"RECRUIT - VACANCY", "RECRUIT - VACANCY"},
		{" recruit - vacancy ", " recruit - vacancy "},
	} {
		if got := mask.Name(tc.in); got != tc.want {
			t.Errorf("Name(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A word of one letter would be its own initial, the whole name: it
// becomes "*" (李 was "李.").
func TestNameOneLetter(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"李", "*"},
		{"李 伟", "* *"},
		{"李,伟", "*,*"},
		{"Smith, J", "S.,*"},
		{"J.", "*"},
		{"Mary-J", "M.-*"},
		{"E\u0301", "*"}, // one letter and its combining accent
		{"Jo", "J."},     // two letters: the initial is not the name
		{"李伟", "李."},
	} {
		if got := mask.Name(tc.in); got != tc.want {
			t.Errorf("Name(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSecretAndGMC(t *testing.T) {
	for _, tc := range []struct{ in, secret, gmc string }{
		{"", "", ""},
		{"  ", "  ", "  "},
		{"7021070", Masked, Masked},
		{"QQ123456C", Masked, Masked},
		{"ann.jones@nhs.uk", Masked, Masked},
		{model.VacancyGMC, Masked, model.VacancyGMC},
		{" " + model.VacancyGMC + " ", Masked, " " + model.VacancyGMC + " "},
	} {
		if got := mask.Secret(tc.in); got != tc.secret {
			t.Errorf("Secret(%q) = %q, want %q", tc.in, got, tc.secret)
		}
		if got := mask.GMC(tc.in); got != tc.gmc {
			t.Errorf("GMC(%q) = %q, want %q", tc.in, got, tc.gmc)
		}
	}
}

// The zero Policy writes every value as it is.
func TestKeep(t *testing.T) {
	for _, s := range []string{"Smith", "李", "7021070", " x ", "", "Value for DISABILITY does not exist in ESR. The value NO will be ignored."} {
		for name, f := range map[string]func(string) string{"Name": keep.Name, "GMC": keep.GMC, "Secret": keep.Secret,
			"APCMessage": keep.APCMessage} {
			if got := f(s); got != s {
				t.Errorf("%s(%q) without Mask = %q", name, s, got)
			}
		}
	}
	a := &model.Applicant{LastName: "Jones", GMC: "7585938"}
	if keep.Applicant(a) != a {
		t.Error("Applicant without Mask is not the record itself")
	}
}

func TestDOB(t *testing.T) {
	dob := time.Date(1995, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		p    Policy
		t    time.Time
		want string
	}{
		{keep, dob, "1995-03-04"},
		{mask, dob, Masked},
		{keep, time.Time{}, ""},
		{mask, time.Time{}, ""},
	} {
		if got := tc.p.DOB(tc.t, time.DateOnly); got != tc.want {
			t.Errorf("%+v.DOB(%v) = %q, want %q", tc.p, tc.t, got, tc.want)
		}
	}
}

func TestApplicant(t *testing.T) {
	a := model.Applicant{LastName: "Jones", FirstName: "Ann", MiddleNames: "Mary Kate", Title: "Dr", Gender: "F",
		GMC: "7585938", Email: "ann.jones@nhs.uk", UKNINO: "QQ123456C", Address1: "1 High St", Town: "Leeds",
		County: "West Yorkshire", Postcode: "LS1 1AA", EthnicOrigin: "A", SexualOrientation: "Heterosexual",
		Religion: "None", Nationality: "British", Disability: "NO", MaritalStatus: "Single", CountryOfBirth: "England",
		PositionID: "1001", PositionNumber: "10508064", PlacementID: "P2"}
	orig := a
	got := mask.Applicant(&a)
	if a != orig {
		t.Error("Applicant changed the record it was given")
	}
	want := orig
	want.LastName, want.FirstName, want.MiddleNames = "J.", "A.", "M. K."
	for _, f := range []*string{&want.GMC, &want.Email, &want.UKNINO, &want.Address1, &want.Town, &want.County,
		&want.Postcode, &want.EthnicOrigin, &want.SexualOrientation, &want.Religion, &want.Nationality,
		&want.Disability, &want.MaritalStatus, &want.CountryOfBirth} {
		*f = Masked
	}
	if *got != want {
		t.Errorf("masked applicant:\n%+v\nwant:\n%+v", *got, want)
	}
}

func TestAPCMessage(t *testing.T) {
	const (
		disabilityNo    = "Value for DISABILITY does not exist in ESR. The value NO will be ignored."
		lastNameMissing = "Mandatory item LAST_NAME not supplied. Application rejected."
		newApplicant    = "Application is from a NEW Applicant"
	)
	for _, tc := range []struct{ in, want string }{
		{disabilityNo, "Value for DISABILITY does not exist in ESR. The value *** will be ignored."},
		{"Value for RELIGION does not exist in ESR. The value JEDI will be ignored.",
			"Value for RELIGION does not exist in ESR. The value *** will be ignored."},
		{"Value for SEXUAL_ORIENTATION does not exist in ESR. The value X will be ig", // cut short
			"Value for SEXUAL_ORIENTATION does not exist in ESR. The value *** will be ignored."},
		{"Value for TITLE does not exist in ESR. The value DOCTOR will be ignored.",
			"Value for TITLE does not exist in ESR. The value DOCTOR will be ignored."},
		{"Value for GENDER does not exist in ESR. The value Q will be ignored.",
			"Value for GENDER does not exist in ESR. The value Q will be ignored."},
		{lastNameMissing, lastNameMissing},
		{newApplicant, newApplicant},
		{"Value for", "Value for"},
	} {
		if got := mask.APCMessage(tc.in); got != tc.want {
			t.Errorf("APCMessage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
