// Package redact is dpnkit's one policy for personal data in outputs: what
// --redact masks and how. A Policy with Mask set turns names into
// initials and GMC and NI numbers, dates of birth, e-mail, address and the
// sensitive coded items into Masked; without Mask every value passes as it
// is. The workbooks and notices (report) and the interface files
// (interchange) all mask through it, so a trainee gets the same mask in
// every file of a run.
//
// Masking is a pure function of the value: a reader can follow a trainee
// through a run's files by initials, placement id and applicant number. No
// hash or other function of a personal value is ever written (a 7-digit
// GMC number's hash is reversed by trying them all). A blank value stays
// blank, so a reader still sees what is missing. Title and gender, TIS's
// vacancy placeholder (surname RECRUIT - VACANCY, GMC 9999978) and the
// ids, numbers, sites and dates that locate a record are kept.
package redact

import (
	"strings"
	"time"
	"unicode"

	"dpnkit/internal/model"
)

// Masked is what a masked value other than a name becomes.
const Masked = "***"

// maskedLetter is what a one-letter word (or part of a hyphenated one)
// becomes: its initial would be the whole of it ("李" would be "李.").
const maskedLetter = "*"

// Policy says whether personal values are masked. The zero Policy keeps
// every value as it is.
type Policy struct {
	Mask bool
}

// Name is a person's name (surname, forenames, middle names, or the
// "LastName,FirstName" of an applicant), masked to initials: each word
// becomes its first letter upper-cased and a full stop, the parts of a
// hyphenated word each ("Mary-Jane O'Brien" is "M.-J. O."), commas kept
// ("Smith, John" is "S.,J."), a word with no letter left out, a word of
// one letter "*"; a name with no letter at all becomes Masked, a blank
// name and TIS's vacancy placeholder (model.VacancySurname) stay as they
// are.
func (p Policy) Name(s string) string {
	if !p.Mask {
		return s
	}
	return initials(s)
}

// GMC is a GMC number, Masked (a blank one kept), except TIS's vacancy
// placeholder (model.VacancyGMC), which names no one and is kept.
func (p Policy) GMC(s string) string {
	if !p.Mask || model.TrimWhite(s) == model.VacancyGMC {
		return s
	}
	return value(s)
}

// Secret is any other personal value (NI number, e-mail, address line,
// sensitive coded item), Masked; a blank one is kept.
func (p Policy) Secret(s string) string {
	if !p.Mask {
		return s
	}
	return value(s)
}

// DOB is a date of birth as text in layout, "" when unknown, Masked when
// masking (never a date a spreadsheet would show).
func (p Policy) DOB(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	if p.Mask {
		return Masked
	}
	return t.Format(layout)
}

// value masks a value: Masked, or s when it is blank (empty or white
// space only).
func value(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	return Masked
}

// initials is Name's mask of s.
func initials(s string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return s
	}
	if strings.EqualFold(model.TrimWhite(t), model.VacancySurname) {
		return s
	}
	var b strings.Builder
	letters := false
	for i, part := range strings.Split(t, ",") {
		if i > 0 {
			b.WriteByte(',')
		}
		first := true
		for _, w := range strings.Fields(part) {
			ini := wordInitials(w)
			if ini == "" {
				continue
			}
			if !first {
				b.WriteByte(' ')
			}
			b.WriteString(ini)
			first, letters = false, true
		}
	}
	if !letters {
		return Masked
	}
	return b.String()
}

// wordInitials is the initials of one word: "M." for "Mary", "M.-J." for
// "Mary-Jane", "*" for a word of one letter, "" when it has no letter.
func wordInitials(w string) string {
	var b strings.Builder
	for seg := range strings.FieldsFuncSeq(w, isHyphen) {
		first, n := firstLetter(seg)
		if n == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		if n == 1 {
			b.WriteString(maskedLetter)
			continue
		}
		b.WriteRune(unicode.ToUpper(first))
		b.WriteByte('.')
	}
	return b.String()
}

// firstLetter is the first letter of seg and how many letters it has,
// counting up to two.
func firstLetter(seg string) (first rune, n int) {
	for _, r := range seg {
		if !unicode.IsLetter(r) {
			continue
		}
		if n == 0 {
			first = r
		}
		if n++; n == 2 {
			break
		}
	}
	return first, n
}

// isHyphen reports the hyphens and dashes that join the parts of a
// double-barrelled name.
func isHyphen(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\uFE63', '\uFF0D':
		return true
	}
	return false
}
