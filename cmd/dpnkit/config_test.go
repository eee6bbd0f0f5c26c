package main

import (
	"maps"
	"strings"
	"testing"

	"dpnkit/internal/config"
)

func TestConfigMap(t *testing.T) {
	cfg, err := config.Parse("dpnkit.toml", []byte(`[columns."*"]
dpn = "Post Ref"
position_number = "Pos No"

[columns."pos_5*.csv"]
dpn = "Training Ref"
managing_deanery_body = "Owner"
`))
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"in/pos_504.csv", "in/pos_505.csv", "in/other.csv"}
	// A flag for position_number (every file) and for 505's body wins.
	flags := map[string]string{"position_number": "Number", "pos_505.csv:managing_deanery_body": "Body"}
	got, err := configMap(cfg, flags, files)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"position_number":                      "Number",
		"pos_505.csv:managing_deanery_body":    "Body",
		"dpn":                                  "Post Ref",
		"in/pos_504.csv:dpn":                   "Training Ref",
		"in/pos_505.csv:dpn":                   "Training Ref",
		"in/pos_504.csv:managing_deanery_body": "Owner",
	}
	if !maps.Equal(got, want) {
		t.Errorf("configMap:\n got  %v\n want %v", got, want)
	}
	if len(flags) != 2 {
		t.Errorf("the flags' map was changed: %v", flags)
	}
}

func TestConfigMapErrors(t *testing.T) {
	for name, c := range map[string]struct{ toml, want string }{
		// Patterns are taken in sorted order: "*504.csv", then "pos_*" (line 2).
		"conflict": {"[columns.\"pos_*\"]\ndpn = \"A\"\n[columns.\"*504.csv\"]\ndpn = \"B\"\n",
			`configuration dpnkit.toml line 2: columns "*504.csv" and "pos_*" both map field dpn of in/pos_504.csv, to different headers`},
		"unknown field": {"[columns.\"*\"]\ndpn = \"A\"\npost_ref = \"B\"\n",
			`configuration dpnkit.toml line 3: columns "*": unknown field "post_ref"; 'dpnkit fields' lists the fields`},
	} {
		cfg, err := config.Parse("dpnkit.toml", []byte(c.toml))
		if err != nil {
			t.Fatal(err)
		}
		_, err = configMap(cfg, nil, []string{"in/pos_504.csv"})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}
