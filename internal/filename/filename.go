// Package filename is the one place where a value read from the data (a
// VPD, a managing deanery, anything a user's export holds) becomes part of
// a file name. Part makes any string safe in a file name on Windows and
// Linux alike and keeps different values apart, so that no report, run or
// interface file is named straight from the data.
package filename

import (
	"hash/fnv"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxPart is the longest value Part keeps as it is; a longer one is cut to
// this length (and marked with its hash). With the prefixes and dates the
// toolkit adds, a name stays far below the 255 bytes every file system
// allows.
const MaxPart = 64

// Unknown is what Part gives for an empty value.
const Unknown = "UNKNOWN"

// hashLen is the number of hex digits of the hash Part appends.
const hashLen = 8

// Part returns raw made safe as part of a file name, and unique:
//
//   - raw is kept as it is when it is 1 to MaxPart characters of A–Z, 0–9
//     and '-', and not a device name Windows reserves (CON, PRN, AUX, NUL,
//     COM0–COM9, LPT0–LPT9, in any case), nor Unknown;
//   - "" becomes Unknown;
//   - anything else has every character other than A–Z, a–z, 0–9 and '-'
//     replaced by '_' (one '_' a character, whatever its size in bytes), is
//     cut to MaxPart characters, and gets '_' and the 8 hex digits of the
//     FNV-1a hash of raw appended: "a/b" becomes "a_b_a1b2c3d4".
//
// So a kept value has no '_' and no lower-case letter, and a changed one
// ends in '_' and its hash: two different values never give the same part,
// nor parts that differ only in case (Windows and macOS do not tell those
// apart), unless two changed values share the same first MaxPart
// characters once cleaned and a 32-bit hash. The result holds no path
// separator, control character, space, dot or character Windows reserves.
func Part(raw string) string {
	if raw == "" {
		return Unknown
	}
	if keep(raw) {
		return raw
	}
	var b strings.Builder
	b.Grow(min(len(raw), MaxPart) + 1 + hashLen)
	n := 0
	for _, r := range raw {
		if n == MaxPart {
			break
		}
		if isASCIIAlnum(r) || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
		n++
	}
	h := fnv.New32a()
	h.Write([]byte(raw))
	hex := strconv.FormatUint(uint64(h.Sum32()), 16)
	b.WriteByte('_')
	b.WriteString(strings.Repeat("0", hashLen-len(hex)))
	b.WriteString(hex)
	return b.String()
}

// Changed reports whether Part(raw) is not raw itself (an empty raw does
// not count: it has nothing to show).
func Changed(raw string) bool { return raw != "" && !keep(raw) }

// keep reports whether raw may be used as it is.
func keep(raw string) bool {
	if len(raw) > MaxPart || raw == Unknown || reserved(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func isASCIIAlnum(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
}

// reserved reports whether s is a device name Windows reserves: such a
// name refers to the device whatever the folder or extension.
func reserved(s string) bool {
	switch strings.ToUpper(s) {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(s) == 4 && s[3] >= '0' && s[3] <= '9' {
		switch strings.ToUpper(s[:3]) {
		case "COM", "LPT":
			return true
		}
	}
	return false
}

// Quote shows a value for a message about its file name: quoted, and cut
// to its first 40 characters with its length when longer, so that a value
// of a megabyte makes a message of a line.
func Quote(raw string) string {
	const most = 40
	if utf8.RuneCountInString(raw) <= most {
		return strconv.Quote(raw)
	}
	i, n := 0, 0
	for i = range raw {
		if n == most {
			break
		}
		n++
	}
	return strconv.Quote(raw[:i]) + "… (" + strconv.Itoa(utf8.RuneCountInString(raw)) + " characters)"
}
