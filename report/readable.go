package report

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"dpnkit/checks"
	"dpnkit/internal/exchange"
	"dpnkit/internal/model"
)

// What a workbook shows an Excel user: messages with the characters they
// cannot see named in words, position numbers as numbers, rules by their
// titles. The exact value always stays in a cell of its own (the Value
// column, the DPN column).

// invisibleNames names the characters a reader cannot see, or cannot tell
// from a plain space, in a cell.
var invisibleNames = map[rune]string{
	'\t': "tab", '\n': "line feed", '\r': "carriage return", '\v': "vertical tab", '\f': "form feed",
	'\u00a0': "non-breaking space", '\u00ad': "soft hyphen", '\u2007': "figure space", '\u2009': "thin space",
	'\u200a': "hair space", '\u200b': "zero-width space", '\u200c': "zero-width non-joiner",
	'\u200d': "zero-width joiner", '\u200e': "left-to-right mark", '\u200f': "right-to-left mark",
	'\u2028': "line separator", '\u2029': "paragraph separator", '\u202f': "narrow non-breaking space",
	'\u2060': "word joiner", '\u3000': "ideographic space", '\ufeff': "byte order mark",
	'\u202a': "left-to-right embedding", '\u202b': "right-to-left embedding", '\u202c': "pop directional formatting",
	'\u202d': "left-to-right override", '\u202e': "right-to-left override",
}

// readableText is s with every character a reader cannot see in a cell
// named in brackets: "EOE[non-breaking space]/..." ; other control or
// format characters as "[U+0007]", a byte that is not UTF-8 as
// "[byte 0xFF]". Letters of any script, smart quotes and ordinary spaces
// are kept as they are.
func readableText(s string) string {
	if model.ReadableASCII(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch name, named := invisibleNames[r]; {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "[byte 0x%02X]", s[i])
		case named:
			b.WriteString("[" + name + "]")
		case r == ' ' || unicode.IsPrint(r):
			b.WriteString(s[i : i+size])
		default:
			fmt.Fprintf(&b, "[U+%04X]", r)
		}
		i += size
	}
	return b.String()
}

// readableValue is readableText(s), in double quotes when s starts or ends
// with a space (which a cell would hide).
func readableValue(s string) string {
	if s != "" && (s[0] == ' ' || s[len(s)-1] == ' ') {
		return `"` + readableText(s) + `"`
	}
	return readableText(s)
}

// readableMessage is a finding's message for a cell: a value the message
// quotes as Go does (`"EOE\u00a0/..."`, `"a\tb"`) is shown with its
// invisible characters named instead (`"EOE[non-breaking space]/..."`),
// and so is any invisible character outside the quotes.
func readableMessage(msg string) string {
	if strings.IndexByte(msg, '\\') < 0 && model.ReadableASCII(msg) {
		return msg // the usual case: nothing to do
	}
	var b strings.Builder
	for i := 0; i < len(msg); {
		if msg[i] == '"' {
			if q, err := strconv.QuotedPrefix(msg[i:]); err == nil {
				if v, err := strconv.Unquote(q); err == nil {
					b.WriteString(`"` + readableText(v) + `"`)
					i += len(q)
					continue
				}
			}
		}
		j := i + 1
		for j < len(msg) && msg[j] != '"' {
			j++
		}
		b.WriteString(readableText(msg[i:j]))
		i = j
	}
	return b.String()
}

// message is a text cell of readableMessage(s).
func message(s string) excelize.Cell { return text(readableMessage(s)) }

// maxExactDigits is the most digits a position number stored as a number
// may have: Excel's General format shows up to 11 digits as they are, and
// a longer number in scientific notation.
const maxExactDigits = 11

// numberCell is a position number (or another number that is an
// identifier) as a number when it is digits only, without a leading zero,
// of at most maxExactDigits: then it matches a numeric ESR export in a
// lookup, and Excel shows no "number stored as text" warning. Anything
// else (a leading zero, spaces, letters, more digits) stays text, exactly
// as read.
func numberCell(s string) excelize.Cell {
	if !isNumberText(s) {
		return text(s)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return text(s)
	}
	return excelize.Cell{Value: n}
}

// isNumberText reports whether s is a number numberCell stores as one.
func isNumberText(s string) bool {
	if len(s) == 0 || len(s) > maxExactDigits || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ruleTitles are the rules' short titles, for text read by people (the
// run summary's exclusion reasons); the catalogue's descriptions say more.
var ruleTitles = map[string]string{
	checks.RuleDPNParts:           "DPN has fewer than 4 parts",
	checks.RuleDPNPrefix:          "DPN prefix is not 3 characters",
	checks.RuleDPNChars:           "DPN has characters that are not readable ASCII",
	checks.RuleDPNEmptyPart:       "DPN has an empty part",
	checks.RuleNameParts:          "position name does not have 4 parts",
	checks.RuleNameNumber:         "position name does not start with a number",
	checks.RuleNameChars:          "position name has characters that are not readable ASCII",
	checks.RuleDPNDuplicate:       "DPN on more than one active position",
	checks.RuleDPNWhitespace:      "DPN has leading or trailing spaces",
	checks.RuleDPNLowercase:       "DPN has lower-case letters",
	checks.RuleDPNBodyMissing:     "no Managing Deanery Body",
	checks.RuleBodyWithoutDPN:     "Managing Deanery Body without a DPN",
	checks.RuleDPNBodyMismatch:    "DPN prefix differs from the Managing Deanery Body",
	checks.RuleDPNCrossVPD:        "DPN active in more than one VPD",
	checks.RuleNameNumberMismatch: "position name's number is not the position number",
	checks.RuleDPNNonMedical:      "DPN on a position that is not Medical and Dental",
	checks.RuleDPNInactive:        "DPN on an end-dated position",
	checks.RuleInputDate:          "a date cannot be read",
	checks.RuleInputRepaired:      "record split by a line feed, re-joined",
}

// ruleTitle is rule id's title with the id after it, "DPN prefix is not 3
// characters (dpn.prefix)", or the id alone when it has no title.
func ruleTitle(id string) string {
	if t, ok := ruleTitles[id]; ok {
		return t + " (" + id + ")"
	}
	return id
}

// readableReason is an exclusion reason for a person: "DPN breaks
// dpn.prefix, dpn.chars" becomes "DPN prefix is not 3 characters
// (dpn.prefix); DPN has characters that are not readable ASCII
// (dpn.chars)"; any other reason is readableMessage(reason).
func readableReason(reason string) string {
	ids, ok := strings.CutPrefix(reason, exchange.ExcludedForRules)
	if !ok {
		return readableMessage(reason)
	}
	parts := strings.Split(ids, ", ")
	for i, id := range parts {
		parts[i] = ruleTitle(id)
	}
	return strings.Join(parts, "; ")
}
