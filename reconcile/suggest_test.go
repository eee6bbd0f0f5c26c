package reconcile

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dpnkit/internal/model"
)

// ended is an end date before the as-of date of every test.
var ended = time.Date(2026, 7, 31, 0, 0, 0, 0, time.UTC)

// endDated returns pos(...) end-dated before the as-of date.
func endDated(number, dpn string) model.Position {
	p := pos(number, number+"|F1|001|", dpn)
	p.EffectiveTo = ended
	return p
}

// suggestionText shows a suggestion compactly: "DPN|position|kind", with
// "|end-dated" when EndDated.
func suggestionText(s Suggestion) string {
	t := s.DPN + "|" + s.PositionNumber + "|" + s.Kind
	if s.EndDated {
		t += "|end-dated"
	}
	return t
}

func TestSuggestKinds(t *testing.T) {
	const (
		eoe  = "EOE/RGT00/021/FY1/010"
		kss  = "KSS/RPO01/030/STR/001"
		nwn  = "NWN/RBT01/030/STR/001"
		ldn  = "LDN/RJ122/004/ST3/002"
		mer  = "MER/RBN01/100/F1/007"
		sfxM = "NWN/RBT01/030/STR/002/M"
	)
	active := []model.Position{
		pos("1", "", eoe), pos("2", "", kss), pos("3", "", nwn), pos("4", "", ldn), pos("5", "", mer), pos("6", "", sfxM),
	}
	inactive := []model.Position{endDated("9", "WES/RDZ01/001/CT1/004")}
	ix := NewSuggestIndex(active, inactive)
	for _, c := range []struct {
		name, npn string
		want      []string
	}{
		{"space inside", "EOE/RGT00/021/ FY1/010", []string{eoe + "|1|" + SuggestSpacing}},
		{"lower case and space inside", "eoe/rgt00/021/fy1 /010", []string{eoe + "|1|" + SuggestSpacing}},
		{"end-dated only", "WES/RDZ01/001/CT1/004", []string{"WES/RDZ01/001/CT1/004|9|" + SuggestEndDated + "|end-dated"}},
		{"end-dated, trailing space in TIS", "WES/RDZ01/001/CT1/004 ", []string{"WES/RDZ01/001/CT1/004|9|" + SuggestEndDated + "|end-dated"}},
		{"letter O for zero", "EOE/RGT00/021/FY1/O10", []string{eoe + "|1|" + SuggestOForZero}},
		// also one character away: reported once, as the better kind
		{"zero for letter O", "KSS/RP001/030/STR/001", []string{kss + "|2|" + SuggestZeroForO}},
		{"O for zero plus a character extra", "EOE/RGTO0/021/FY1/0O10", nil},
		{"O and zero both ways", "KSS/RP0O1/030/STR/001", []string{kss + "|2|" + SuggestOZeroMixed}},
		// the DPNs of these have no letter O at all
		{"letters O for zeros, DPN without O", "LDN/RJ122/OO4/ST3/002", []string{ldn + "|4|" + SuggestOForZero}},
		{"letter O for zero, DPN without O, also one character away", "MER/RBN01/1O0/F1/007", []string{mer + "|5|" + SuggestOForZero}},
		// also one character away from position 3: the suffix ranks first
		{"missing suffix", "NWN/RBT01/030/STR/002", []string{sfxM + "|6|" + SuggestMissingSuffix, nwn + "|3|" + SuggestMistyped}},
		{"extra suffix", "NWN/RBT01/030/STR/001/S", []string{nwn + "|3|" + SuggestExtraSuffix}},
		{"extra suffix, lower case", "nwn/rbt01/030/str/001/a", []string{nwn + "|3|" + SuggestExtraSuffix}},
		{"swapped at the end", "LDN/RJ122/004/ST3/020", []string{ldn + "|4|" + SuggestSwapped}},
		{"swapped in the trust code", "LDN/JR122/004/ST3/002", []string{ldn + "|4|" + SuggestSwapped}},
		{"mistyped in the sequence", "MER/RBN01/100/F1/008", []string{mer + "|5|" + SuggestMistyped}},
		{"mistyped in the prefix", "MEP/RBN01/100/F1/007", []string{mer + "|5|" + SuggestMistyped}},
		{"one character missing", "MER/RBN01/100/F1/07", []string{mer + "|5|" + SuggestMissingChar}},
		{"one character extra", "MER/RBN01/100/F1/0077", []string{mer + "|5|" + SuggestExtraChar}},
		{"character missing in the site", "MER/RBN1/100/F1/007", []string{mer + "|5|" + SuggestMissingChar}},
		{"two characters mistyped", "MER/RBN01/100/F1/088", nil},
		{"swap across a slash is not found", "MER/RBN0/1100/F1/007", nil},
		{"nothing near", "SCO/XYZ99/999/ZZ9/999", nil},
		{"active match is not a suggestion", eoe, nil},
		{"active match with trailing space", eoe + " ", nil},
		{"empty", "  ", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, s := range ix.Suggest(c.npn) {
				got = append(got, suggestionText(s))
			}
			if !equalStrings(got, c.want) {
				t.Errorf("Suggest(%q) =\n  %q\nwant\n  %q", c.npn, got, c.want)
			}
		})
	}
}

func TestSuggestRankingAndCap(t *testing.T) {
	const npn = "KSS/RJZ01/030/STR/001"
	all := map[string]model.Position{
		"spacing":  pos("60", "", "KSS/RJZ01/030/STR/ 001"),
		"enddated": endDated("10", npn),
		"ozero":    pos("50", "", "KSS/RJZ01/O30/STR/001"),
		"suffix":   pos("40", "", npn+"/M"),
		"swapped":  pos("30", "", "KSS/RJZ01/030/STR/010"),
		// of two mistyped candidates, the active one comes first although
		// its number sorts after the end-dated one's
		"mistypedInactive": endDated("11", "KSS/RJZ01/030/STR/003"),
		"mistyped":         pos("20", "", "KSS/RJZ01/030/STR/002"),
	}
	split := func(keys ...string) (act, in []model.Position) {
		for _, k := range keys {
			p := all[k]
			if p.EffectiveTo.IsZero() {
				act = append(act, p)
			} else {
				in = append(in, p)
			}
		}
		return act, in
	}
	for _, c := range []struct {
		name string
		keys []string
		want []string
	}{
		{"best three of six kinds", []string{"mistyped", "swapped", "suffix", "ozero", "enddated", "spacing"}, []string{
			"KSS/RJZ01/030/STR/ 001|60|" + SuggestSpacing,
			npn + "|10|" + SuggestEndDated + "|end-dated",
			"KSS/RJZ01/O30/STR/001|50|" + SuggestZeroForO,
		}},
		{"the weaker three", []string{"mistyped", "swapped", "suffix"}, []string{
			npn + "/M|40|" + SuggestMissingSuffix,
			"KSS/RJZ01/030/STR/010|30|" + SuggestSwapped,
			"KSS/RJZ01/030/STR/002|20|" + SuggestMistyped,
		}},
		{"active before end-dated within a kind", []string{"mistypedInactive", "mistyped"}, []string{
			"KSS/RJZ01/030/STR/002|20|" + SuggestMistyped,
			"KSS/RJZ01/030/STR/003|11|" + SuggestMistyped + "|end-dated",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			act, in := split(c.keys...)
			var got []string
			for _, s := range NewSuggestIndex(act, in).Suggest(npn) {
				got = append(got, suggestionText(s))
			}
			if !equalStrings(got, c.want) {
				t.Errorf("got\n  %q\nwant\n  %q", got, c.want)
			}
		})
	}
}

func TestSuggestSameKindOrderedByVPDAndNumber(t *testing.T) {
	a := pos("300", "", "MER/RBN01/100/F1/008")
	b := pos("200", "", "MER/RBN01/100/F1/009")
	c := pos("100", "", "MER/RBN01/100/F1/006")
	c.VPD = "505"
	d := pos("400", "", "MER/RBN01/100/F1/005")
	got := NewSuggestIndex([]model.Position{a, b, c, d}, nil).Suggest("MER/RBN01/100/F1/007")
	var numbers []string
	for _, s := range got {
		numbers = append(numbers, s.VPD+"/"+s.PositionNumber)
	}
	// VPD 504 first (200, 300, 400), cap three; 505's position 100 is cut
	if want := []string{"504/200", "504/300", "504/400"}; !equalStrings(numbers, want) {
		t.Errorf("got %q, want %q", numbers, want)
	}
}

func TestEditKind(t *testing.T) {
	for _, c := range []struct {
		npn, dpn, want string
	}{
		{"ABCD", "ABDC", SuggestSwapped},
		{"BACD", "ABCD", SuggestSwapped},
		{"ABCD", "ABCE", SuggestMistyped},
		{"XBCD", "ABCD", SuggestMistyped},
		{"ABD", "ABCD", SuggestMissingChar},
		{"BCD", "ABCD", SuggestMissingChar},
		{"ABCDE", "ABCD", SuggestExtraChar},
		{"ABCD", "ABCD", ""},
		{"ABCD", "BADC", ""},
		{"ACBD", "ABDC", ""},
		{"AB", "ABCD", ""},
	} {
		if got, _ := editKind(c.npn, c.dpn); got != c.want {
			t.Errorf("editKind(%q, %q) = %q, want %q", c.npn, c.dpn, got, c.want)
		}
	}
}

func TestSquashAndKeys(t *testing.T) {
	for _, c := range []struct{ in, squash, head, tail string }{
		{"EOE/RGT00/021/FY1/010", "EOE/RGT00/021/FY1/010", "EOE/RGT00", "021/FY1/010"},
		{" eoe/rgt00 /021/fy1\t/010\n", "EOE/RGT00/021/FY1/010", "EOE/RGT00", "021/FY1/010"},
		{"kss/a\u00a0b", "KSS/AB", "KSS/AB", ""},
		{"ABC", "ABC", "ABC", ""},
	} {
		sq := squash(c.in)
		head, tail := blockKeys(sq)
		if sq != c.squash || head != c.head || tail != c.tail {
			t.Errorf("%q: squash %q head %q tail %q, want %q %q %q", c.in, sq, head, tail, c.squash, c.head, c.tail)
		}
	}
	for _, c := range []struct {
		in, base string
		ok       bool
	}{{"A/B/C/D/M", "A/B/C/D", true}, {"A/B/C/D/MM", "", false}, {"A/B/C/D/1", "", false}, {"/M", "", false}} {
		if base, ok := stripSuffix(c.in); base != c.base || ok != c.ok {
			t.Errorf("stripSuffix(%q) = %q %v, want %q %v", c.in, base, ok, c.base, c.ok)
		}
	}
}

// BenchmarkSuggest measures one near-miss lookup against 80,000 DPNs.
func BenchmarkSuggest(b *testing.B) {
	ps := nationalPositions(80000)
	ix := NewSuggestIndex(ps, nil)
	npns := make([]string, 1000)
	for i := range npns {
		d := ps[(i*79)%len(ps)].DPN
		npns[i] = strings.Replace(d, "/0", "/O", 1) + fmt.Sprint(i%2)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Suggest(npns[i%len(npns)])
	}
}
