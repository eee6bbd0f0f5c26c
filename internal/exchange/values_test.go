package exchange

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultValues(t *testing.T) {
	v := DefaultValues()
	for _, item := range CodedItems {
		if len(v.Lists[item]) == 0 {
			t.Errorf("built-in list %s is empty", item)
		}
	}
	tests := []struct {
		item, value string
		ok          bool
	}{
		{"DISABILITY", "NO", false}, // the seed's warning
		{"DISABILITY", "No", false},
		{"DISABILITY", "N", true},
		{"DISABILITY", "", true}, // nothing to ignore
		{"TITLE", " dr ", true},
		{"TITLE", "Doctor", false},
		{"GENDER", "Female", true},
		{"NATIONALITY", "British", true},
		{"ETHNIC_ORIGIN", "A White - British", true},
		{"RELIGION", "I do not wish to disclose my religion/belief", true},
		{"SEXUAL_ORIENTATION", "Heterosexual or Straight", true},
		{"MARITAL_STATUS", "Civil Partnership", true},
		{"COUNTRY_OF_BIRTH", "United Kingdom", true},
		{"COUNTRY_OF_BIRTH", "# comment", false},
		{"UNKNOWN_ITEM", "anything", true},
	}
	for _, tt := range tests {
		if got := v.Accepts(tt.item, tt.value); got != tt.ok {
			t.Errorf("Accepts(%s, %q) = %v, want %v", tt.item, tt.value, got, tt.ok)
		}
	}
	v.Lists["DISABILITY"]["no"] = true
	if DefaultValues().Accepts("DISABILITY", "No") {
		t.Error("changing one copy changed the built-in lists")
	}
}

func TestReadValues(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		checks  map[string]bool // "ITEM=value" -> accepted
		wantErr string
	}{
		{"replace one list, keep the others", "\ufeff# my trust\n\n[Disability]\nYes\nNo\n\n", map[string]bool{
			"DISABILITY=no": true, "DISABILITY=N": false, "TITLE=Dr": true}, ""},
		{"sections merge; spaces in a name", "[sexual orientation]\nStraight\n[SEXUAL_ORIENTATION]\nGay\n", map[string]bool{
			"SEXUAL_ORIENTATION=straight": true, "SEXUAL_ORIENTATION=gay": true, "SEXUAL_ORIENTATION=Bisexual": false}, ""},
		{"an empty section accepts nothing", "[TITLE]\n", map[string]bool{"TITLE=Dr": false, "TITLE=": true}, ""},
		{"value before a section", "Yes\n[DISABILITY]\n", nil, "values line 1: value"},
		{"unknown section", "[SHOE_SIZE]\n9\n", nil, "values line 1: unknown section [SHOE_SIZE]"},
		{"unclosed header", "[TITLE\nDr\n", nil, "values line 1: section header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ReadValues(strings.NewReader(tt.file))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want prefix %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, want := range tt.checks {
				item, val, _ := strings.Cut(k, "=")
				if got := v.Accepts(item, val); got != want {
					t.Errorf("Accepts(%s, %q) = %v, want %v", item, val, got, want)
				}
			}
		})
	}
}

func TestFileNames(t *testing.T) {
	d := time.Date(2021, 5, 6, 0, 0, 0, 0, time.UTC)
	tests := []struct{ got, want string }{
		{APPName("KSS", d, 2689), "DE_KSS_APP_20210506_00002689"},
		{APPName("kss", d, 1), "DE_KSS_APP_20210506_00000001"},
		{APCName("LDN", d, 12345678), "DE_LDN_APC_20210506_12345678"},
		// A deanery read from the data is made safe (filename.Part; the
		// hashes are FNV-1a of the upper-cased value).
		{APPName("a:b", d, 1), "DE_A_B_4c851f00_APP_20210506_00000001"},
		{APPName("A/B", d, 1), "DE_A_B_7e560f81_APP_20210506_00000001"},
		{APPName("con", d, 1), "DE_CON_3367e86b_APP_20210506_00000001"},
		{APPName("écosse", d, 1), "DE__COSSE_1a5e0bac_APP_20210506_00000001"},
		{APPName("", d, 1), "DE_UNKNOWN_APP_20210506_00000001"},
		{SequenceKey("kss", "app"), "KSS_APP"},
		{esrDate(time.Date(2026, 8, 5, 0, 0, 0, 0, time.UTC)), "05-AUG-2026"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
