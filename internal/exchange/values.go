package exchange

// Values are ESR's coded-value lists: a value an APP record carries that is
// not in its list loads with a WARNING and is ignored. The lists ship as
// embedded data files (values/*.txt) and can be replaced with --values FILE.
// The engine helper implements loading; this declaration is the contract.
type Values struct {
	// Lists maps an APP item name as ESR names it in messages (TITLE,
	// GENDER, MARITAL_STATUS, NATIONALITY, ETHNIC_ORIGIN, DISABILITY,
	// RELIGION, SEXUAL_ORIENTATION, COUNTRY_OF_BIRTH) to its accepted
	// values, compared case-insensitively after trimming.
	Lists map[string]map[string]bool
}
