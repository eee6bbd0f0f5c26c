package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dpnkit/checks"
)

// uncommented is Example with every example setting switched on: the
// lines "#setting" (not "# prose") lose their "#".
func uncommented() string {
	var b strings.Builder
	for _, ln := range strings.Split(Example, "\n") {
		if strings.HasPrefix(ln, "#") && !strings.HasPrefix(ln, "# ") && ln != "#" {
			ln = ln[1:]
		}
		b.WriteString(ln + "\n")
	}
	return b.String()
}

func TestExampleAsWrittenChangesNothing(t *testing.T) {
	f, err := Parse("dpnkit.toml", []byte(Example))
	if err != nil {
		t.Fatal(err)
	}
	if f.FailOn != "error" || len(f.Columns)+len(f.LocalOffices)+len(f.Trusts) != 0 || !f.Policy.Empty() {
		t.Errorf("the example as written sets more than fail-on = error: %+v", f)
	}
}

func TestExampleUncommented(t *testing.T) {
	f, err := Parse("dpnkit.toml", []byte(uncommented()))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Columns["positions_505*.csv"]["managing_deanery_body"]; got != "Owner" {
		t.Errorf("columns: managing_deanery_body = %q, want Owner", got)
	}
	if got := f.Columns["*"]["dpn"]; got != "Post Ref" {
		t.Errorf("columns: dpn = %q, want Post Ref", got)
	}
	if got := f.LocalOffices["KSS"]; len(got) != 2 || got[1] != "Kent Surrey Sussex LO" {
		t.Errorf("local offices KSS = %q", got)
	}
	if f.Trusts["504"] != "Example Teaching Hospitals NHS Foundation Trust" {
		t.Errorf("trusts = %v", f.Trusts)
	}
	if !f.Policy.Off["dpn.non-medical"] || f.Policy.Severities["dpn.lowercase"] != checks.Error {
		t.Errorf("rules: off %v, severities %v", f.Policy.Off, f.Policy.Severities)
	}
	if len(f.Policy.Accepted) != 1 {
		t.Fatalf("accepted %+v, want one", f.Policy.Accepted)
	}
	a := f.Policy.Accepted[0]
	// The [[accept]] header is on the example's 41st line.
	want := checks.Acceptance{Rule: "dpn.non-medical", VPD: "504", Position: "10508064", Value: "KSS/RJZ01/030/STR/001",
		HasValue: true, Reason: "Clinical fellow post funded by the deanery; agreed with the local office",
		Who: "A. Person, Medical Staffing", Until: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), Source: "dpnkit.toml line 41"}
	if a != want {
		t.Errorf("accept:\n got  %+v\n want %+v", a, want)
	}
}

// A bad configuration gives one message naming the file and the line.
func TestParseErrors(t *testing.T) {
	cases := []struct{ name, toml, want string }{
		{"syntax", "fail-on = \"error\"\nx = = 1\n", "configuration c.toml line 2: "},
		{"fail-on", "\n\nfail-on = \"sometimes\"\n", `configuration c.toml line 3: fail-on "sometimes": want error, warning, info or none`},
		{"unknown rule", "[rules]\n\"dpn.prefix\" = \"off\"\n\"dpn.nosuch\" = \"off\"\n", `configuration c.toml line 3: rules: unknown rule "dpn.nosuch"`},
		{"bad severity", "[rules]\n\"dpn.prefix\" = \"fatal\"\n", `configuration c.toml line 2: rules dpn.prefix = "fatal": want off, error, warning or info`},
		{"unknown setting", "fail-on = \"error\"\nfailon = \"x\"\n", `configuration c.toml line 2: unknown setting "failon"`},
		{"unknown accept key", "[[accept]]\nrule = \"dpn.prefix\"\nreasons = \"x\"\n", `configuration c.toml line 3: unknown setting "accept.reasons"`},
		{"accept no reason", acceptOK + "\n[[accept]]\nrule = \"dpn.prefix\"\nposition = \"1\"\nwho = \"A\"\nuntil = 2027-01-01\n",
			"configuration c.toml line 8: accept (entry 2): reason is missing"},
		{"accept no position", "[[accept]]\nrule = \"dpn.prefix\"\nreason = \"r\"\nwho = \"A\"\nuntil = 2027-01-01\n",
			"configuration c.toml line 1: accept (entry 1): position is missing"},
		{"accept bad until", "[[accept]]\nrule = \"dpn.prefix\"\nposition = \"1\"\nreason = \"r\"\nwho = \"A\"\nuntil = \"31/03/2027\"\n",
			`configuration c.toml line 6: `},
		{"accept placement of a position rule", "[[accept]]\nrule = \"dpn.prefix\"\nplacement = \"1716002\"\n", "configuration c.toml line 3: accept (entry 1): rule dpn.prefix is about positions: name the position, not a placement"},
		{"accept position of a placement rule", "[[accept]]\nrule = \"placement.no-position\"\nposition = \"100\"\n", "configuration c.toml line 2: accept (entry 1): rule placement.no-position is about placements: name the TIS placement id"},
		{"accept position and placement", "[[accept]]\nrule = \"placement.no-position\"\nposition = \"100\"\nplacement = \"1716002\"\n", "configuration c.toml line 4: accept (entry 1): name a position or a placement, not both"},
		{"accept position.no-placement by placement", "[[accept]]\nrule = \"position.no-placement\"\nplacement = \"100\"\n", `configuration c.toml line 3: accept (entry 1): rule position.no-placement is about positions: name the position, not a placement`},
		{"columns pattern", "[columns.\"[x\"]\ndpn = \"Ref\"\n", `configuration c.toml line 1: columns "[x": not a file-name pattern`},
		{"trust empty", "[trusts]\n\"504\" = \"\"\n", `configuration c.toml line 2: trusts: want "VPD" = "Trust name"`},
		{"office code", "[local-offices]\nKSS = \"Kent\"\nKENT = \"Kent LO\"\n", `configuration c.toml line 3: local-offices "KENT": a code is three letters or digits`},
		{"office empty", "[local-offices]\nKSS = []\n", "configuration c.toml line 2: local-offices KSS: no name given"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(c.toml))
			if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line starting %q", err, c.want)
			}
		})
	}
}

const acceptOK = "[[accept]]\nrule = \"dpn.prefix\"\nposition = \"1\"\nreason = \"r\"\nwho = \"A\"\nuntil = 2027-01-01\n"

func TestUntilAsString(t *testing.T) {
	f, err := Parse("c.toml", []byte(strings.Replace(acceptOK, "2027-01-01", `"2027-01-01"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Policy.Accepted[0]; !got.Until.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) || got.HasValue {
		t.Errorf("accept %+v: want until 2027-01-01, any value", got)
	}
}

func TestWriteExampleNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := WriteExample(path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("written file: %v, %v; want mode 0600", info, err)
	}
	if err := os.WriteFile(path, []byte("fail-on = \"none\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = WriteExample(path)
	if err == nil || !strings.Contains(err.Error(), "already exists: not replaced") {
		t.Errorf("second init: %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "fail-on = \"none\"\n" {
		t.Errorf("the existing file changed: %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want only %s (no temporary file left)", len(entries), FileName)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if p, err := Find(dir); p != "" || err != nil {
		t.Errorf("Find in an empty folder = %q, %v", p, err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if p, err := Find(dir); p != filepath.Join(dir, FileName) || err != nil {
		t.Errorf("Find = %q, %v", p, err)
	}
}
