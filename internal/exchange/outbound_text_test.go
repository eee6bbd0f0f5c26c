package exchange

import (
	"strings"
	"testing"

	"dpnkit/internal/model"
)

// containsLower and positionTitle avoid allocating; they must answer as
// the plain formulas they replace do.
func TestContainsLowerAsToLower(t *testing.T) {
	for _, s := range []string{"", "Host", "HOST EMPLOYER", "Lead Employer", "lead", "hos", "ghost", "H o s t",
		"Ĥost", "hoſt", "ſhost", "\u212Aost", "Höst", "Lead/Host", "Trust (LEAD)", "le ad", "LEA"} {
		for _, sub := range []string{"host", "lead"} {
			if got, want := containsLower(s, sub), strings.Contains(strings.ToLower(s), sub); got != want {
				t.Errorf("containsLower(%q, %q) = %v, want %v", s, sub, got, want)
			}
		}
	}
}

func TestPositionTitleParts(t *testing.T) {
	split := func(p *model.Position) string { // the formula it replaces
		parts := strings.Split(p.Name, "|")
		if len(parts) >= 2 {
			if s := model.TrimWhite(parts[1]); s != "" {
				return s
			}
		}
		return model.TrimWhite(p.JobRole)
	}
	for _, name := range []string{"", "84682|S.H.O. - ENT|023|Otolaryn", "a|b", "a|", "|b|", "a| |c", "no pipe", "||", " x | y "} {
		p := &model.Position{Name: name, JobRole: " Registrar "}
		if got, want := positionTitle(p), split(p); got != want {
			t.Errorf("positionTitle(%q) = %q, want %q", name, got, want)
		}
	}
	if got := positionTitle(&model.Position{Name: "84682|S.H.O. - ENT|023|Otolaryn"}); got != "S.H.O. - ENT" {
		t.Errorf("seed name: %q, want S.H.O. - ENT", got)
	}
}
