package model

import (
	"strings"
	"testing"
)

func TestLocalOfficesCode(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"KSS", "KSS"},
		{" kss ", "KSS"},
		{"Health Education England Kent, Surrey and Sussex", "KSS"},
		{"Kent, Surrey and Sussex", "KSS"},
		{"NHS England Workforce, Training and Education Kent, Surrey and Sussex", "KSS"},
		{"NHSE WT&E working across Kent, Surrey and Sussex", "KSS"},
		{"NHS England (WT&E) North West", "NWN"},
		{"NHS England – Workforce, Training and Education – East of England", "EOE"},
		{"NHS England Workforce, Training and Education Directorate East Midlands", "EMD"},
		{"HEE Thames Valley", "OXF"},
		{"North Central and East London", "LDN"},
		{"NHS England South London", "LDN"},
		{"HEKSS", "KSS"},
		{"Yorkshire and Humber", "YHD"},
		{"South West (Peninsula)", "PEN"},
		{"NHS England Workforce, Training and Education South West (Severn)", "SEV"},
		{"Wales", "WAL"},
		{"HEIW", "WAL"},
	} {
		got, ok := (*LocalOffices)(nil).Code(c.in)
		if !ok || got != c.want {
			t.Errorf("Code(%q) = %q, %v; want %s", c.in, got, ok, c.want)
		}
	}
	for _, in := range []string{"", "South West", "NHS England", "HEE", "Severn Deanery", "London Deanery (old)",
		"Deanery of Atlantis", "Local Office TBC", "NHS England Workforce, Training and Education"} {
		if got, ok := DeaneryCode(in); ok {
			t.Errorf("DeaneryCode(%q) = %q, want unknown", in, got)
		}
	}
}

func TestReadLocalOffices(t *testing.T) {
	l, err := ReadLocalOffices(strings.NewReader("# extra names\n\nKSS\tKSS Local Office\nswn = South West North\n"))
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"KSS Local Office": "KSS", "NHSE WT&E South West North": "SWN",
		"swn": "SWN", "East Midlands": "EMD"} {
		if got, ok := l.Code(in); !ok || got != want {
			t.Errorf("Code(%q) = %q, %v; want %s", in, got, ok, want)
		}
	}
	if !l.Known("swn") || (*LocalOffices)(nil).Known("SWN") {
		t.Error("SWN should be known to the user's table only")
	}
	if _, ok := DeaneryCode("KSS Local Office"); ok {
		t.Error("a user's name leaked into the built-in table")
	}
	for in, want := range map[string]string{
		"KSS Kent":                              "line 1: expected CODE<TAB>Name",
		"# c\nKS=Kent":                          `line 2: code "KS" is not three letters`,
		"KSS=East Midlands":                     `line 1: name "East Midlands" already means EMD`,
		"KSS=":                                  "line 1: no name for code KSS",
		"EMD=Kent Hospital\nKSS=kent  HOSPITAL": `line 2: name "kent  HOSPITAL" already means EMD`,
	} {
		if _, err := ReadLocalOffices(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadLocalOffices(%q) error = %v, want %q", in, err, want)
		}
	}
}
