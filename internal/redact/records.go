package redact

import (
	"strings"

	"dpnkit/internal/model"
)

// Masking of whole records and of the one APC message that quotes a
// personal value.

// Applicant is a with every personal field masked (names to initials, GMC
// number as GMC, the rest to Masked; the date of birth is left for the
// writer to mask, see DOB), as a copy; a itself when not masking.
func (p Policy) Applicant(a *model.Applicant) *model.Applicant {
	if !p.Mask {
		return a
	}
	c := *a
	for _, f := range []*string{&c.LastName, &c.FirstName, &c.MiddleNames} {
		*f = p.Name(*f)
	}
	c.GMC = p.GMC(c.GMC)
	for _, f := range []*string{&c.Email, &c.UKNINO, &c.Address1, &c.Town, &c.County, &c.Postcode,
		&c.EthnicOrigin, &c.SexualOrientation, &c.Religion, &c.Nationality, &c.Disability,
		&c.MaritalStatus, &c.CountryOfBirth} {
		*f = p.Secret(*f)
	}
	return &c
}

// maskedItems are the coded APP items whose value is masked (title and
// gender are kept).
var maskedItems = map[string]bool{
	"MARITAL_STATUS": true, "NATIONALITY": true, "ETHNIC_ORIGIN": true, "DISABILITY": true,
	"RELIGION": true, "SEXUAL_ORIENTATION": true, "COUNTRY_OF_BIRTH": true,
}

// apcValueLead, apcValueMiddle and apcValueSuffix frame the coded value an
// APC warning quotes: "Value for DISABILITY does not exist in ESR. The
// value NO will be ignored." (the exchange's wording, internal/exchange
// load.go).
const (
	apcValueLead   = "Value for "
	apcValueMiddle = " does not exist in ESR. The value "
	apcValueSuffix = " will be ignored."
)

// APCMessage is an APC message text with the coded value a warning quotes
// masked, when masking and the item is one of the sensitive ones
// (disability, ethnic origin, religion, sexual orientation, nationality,
// country of birth, marital status). Other messages name no person and
// are kept.
func (p Policy) APCMessage(msg string) string {
	if !p.Mask || !strings.HasPrefix(msg, apcValueLead) {
		return msg
	}
	item, _, ok := strings.Cut(msg[len(apcValueLead):], apcValueMiddle)
	if !ok || !maskedItems[item] {
		return msg
	}
	return apcValueLead + item + apcValueMiddle + Masked + apcValueSuffix
}
