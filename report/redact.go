package report

import (
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"dpnkit/internal/model"
)

// Masked is what a redacted value other than a name becomes.
const Masked = "***"

// kind is the kind of a personal value, which decides its mask.
type kind int

const (
	kindName   kind = iota // initials
	kindGMC                // Masked; the vacancy placeholder's 9999978 kept
	kindSecret             // Masked: NI number, e-mail, address, special category, date of birth as text
)

// personal is the one place a personal value enters an output, workbook
// or text: s itself, or its mask when meta.Redact.
func personal(k kind, s string, meta Meta) string {
	if !meta.Redact {
		return s
	}
	switch k {
	case kindName:
		return RedactName(s)
	case kindGMC:
		return RedactGMC(s)
	}
	return RedactValue(s)
}

// dobText is a date of birth as text in layout ("" when unknown), Masked
// when meta.Redact.
func dobText(t time.Time, layout string, meta Meta) string {
	if t.IsZero() {
		return ""
	}
	if meta.Redact {
		return Masked
	}
	return t.Format(layout)
}

// dobCell is a date of birth as a workbook cell: a date cell, or the text
// Masked (never a serial number) when meta.Redact; empty when unknown.
func dobCell(t time.Time, meta Meta) excelize.Cell {
	if t.IsZero() {
		return excelize.Cell{}
	}
	if meta.Redact {
		return text(Masked)
	}
	return excelize.Cell{Value: t}
}

// RedactValue masks an identifier or sensitive value: Masked, or s when
// it is blank (empty or white space only).
func RedactValue(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	return Masked
}

// RedactGMC masks a GMC number as RedactValue does, except TIS's vacancy
// placeholder (model.VacancyGMC), which is kept.
func RedactGMC(s string) string {
	if model.TrimWhite(s) == model.VacancyGMC {
		return s
	}
	return RedactValue(s)
}

// RedactName masks a name to its initials: each word (split at white
// space) becomes its first letter upper-cased and a full stop, the parts
// of a hyphenated word each ("Mary-Jane" is "M.-J."), words joined by one
// space; an apostrophe or other mark inside a word is dropped with the rest
// of it ("O'Brien" is "O.", "d'Arcy" is "D."), and a word with no letter is
// left out. Commas separate names and are kept ("Smith, John" is "S.,J.").
// A blank name stays blank, a name with no letter at all becomes Masked,
// and TIS's vacancy placeholder (model.VacancySurname) is kept as it is.
func RedactName(s string) string {
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
// "Mary-Jane", "" when it has no letter.
func wordInitials(w string) string {
	var b strings.Builder
	for seg := range strings.FieldsFuncSeq(w, isHyphen) {
		for _, r := range seg {
			if unicode.IsLetter(r) {
				if b.Len() > 0 {
					b.WriteByte('-')
				}
				b.WriteRune(unicode.ToUpper(r))
				b.WriteByte('.')
				break
			}
		}
	}
	return b.String()
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

// maskedItems are the coded APP items whose value is masked (title and
// gender are kept).
var maskedItems = map[string]bool{
	"MARITAL_STATUS": true, "NATIONALITY": true, "ETHNIC_ORIGIN": true, "DISABILITY": true,
	"RELIGION": true, "SEXUAL_ORIENTATION": true, "COUNTRY_OF_BIRTH": true,
}

// apcValuePrefix and apcValueSuffix frame the coded value an APC warning
// quotes: "Value for DISABILITY does not exist in ESR. The value NO will be
// ignored." (exchange's wording).
const (
	apcValueLead   = "Value for "
	apcValueMiddle = " does not exist in ESR. The value "
	apcValueSuffix = " will be ignored."
)

// apcMessage is an APC message text, with the coded value of a masked item
// replaced by Masked when meta.Redact. Other messages name no person and
// are kept.
func apcMessage(msg string, meta Meta) string {
	if !meta.Redact || !strings.HasPrefix(msg, apcValueLead) {
		return msg
	}
	item, _, ok := strings.Cut(msg[len(apcValueLead):], apcValueMiddle)
	if !ok || !maskedItems[item] {
		return msg
	}
	return apcValueLead + item + apcValueMiddle + Masked + apcValueSuffix
}

// redactApplicant is a copy of a with every personal field masked (names
// to initials, the rest to Masked; the date of birth is written by the
// caller, see dobText). Unchanged when meta.Redact is false.
func redactApplicant(a *model.Applicant, meta Meta) *model.Applicant {
	if !meta.Redact {
		return a
	}
	c := *a
	for _, f := range []*string{&c.LastName, &c.FirstName, &c.MiddleNames} {
		*f = personal(kindName, *f, meta)
	}
	c.GMC = personal(kindGMC, c.GMC, meta)
	for _, f := range []*string{&c.Email, &c.UKNINO, &c.Address1, &c.Town, &c.County, &c.Postcode,
		&c.EthnicOrigin, &c.SexualOrientation, &c.Religion, &c.Nationality, &c.Disability,
		&c.MaritalStatus, &c.CountryOfBirth} {
		*f = personal(kindSecret, *f, meta)
	}
	return &c
}
