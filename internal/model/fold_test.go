package model

import (
	"strings"
	"testing"
)

// FoldKey gives equal keys exactly to the strings strings.EqualFold finds
// equal.
func TestFoldKey(t *testing.T) {
	words := []string{"smith", "SMITH", "Smith", "ſmith", "ſMITH", "kelvin", "\u212aelvin", "KELVIN", "straße", "STRASSE",
		"straSSe", "ǅ", "ǆ", "Ǆ", "σ", "ς", "Σ", "\xff", "\xfe", "\ufffd", "", "a\x00", "Ā", "ā", "royal hospital", "ROYAL HOSPITAL"}
	for _, a := range words {
		for _, b := range words {
			if got, want := FoldKey(a) == FoldKey(b), strings.EqualFold(a, b); got != want {
				t.Errorf("FoldKey(%q) == FoldKey(%q) is %v, EqualFold %v", a, b, got, want)
			}
		}
	}
}
