package reconcile

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"dpnkit/internal/model"
)

// Suggestion kinds, in words, best first (Suggestion.Kind).
const (
	SuggestSpacing       = "same post with different spacing or case"
	SuggestEndDated      = "end-dated position still carries it"
	SuggestOForZero      = "letter O typed for zero"
	SuggestZeroForO      = "zero typed for letter O"
	SuggestOZeroMixed    = "letter O and zero mixed up"
	SuggestMissingSuffix = "missing suffix part"
	SuggestExtraSuffix   = "extra suffix part"
	SuggestSwapped       = "two characters swapped"
	SuggestMistyped      = "one character mistyped"
	SuggestMissingChar   = "one character missing"
	SuggestExtraChar     = "one character extra"
)

// MaxSuggestions is how many suggestions Suggest returns at most.
const MaxSuggestions = 3

// Ranks of the suggestion kinds: lower is better.
const (
	rankSpacing = iota + 1
	rankEndDated
	rankOZero
	rankSuffix
	rankSwapped
	rankEdit
)

// SuggestIndex finds the ESR DPNs an NPN that matches no active position
// most likely meant ("did you mean"). It is built once from every active
// and inactive position carrying a DPN and is then read-only: Suggest is
// safe for concurrent use.
//
// Candidates are blocked, never compared pairwise: the index maps
//   - the squashed DPN (upper case, every white space removed, also inside),
//   - the squashed DPN with the letter O mapped to zero (only DPNs with an
//     O: for the others that is the squashed DPN itself),
//   - the squashed DPN without a final single-letter part ("/M", "/A", "/S"),
//   - the first two parts (deanery prefix and trust/site code), and
//   - the parts from the third on
//
// to the positions. An NPN one edit away from a DPN (a swapped, mistyped,
// missing or extra character) differs from it in the first two parts or in
// the rest, never both, so it shares the other block with it; only the
// positions of those two blocks are compared character by character. An
// edit that adds, removes or moves a "/" changes both keys and is not found.
type SuggestIndex struct {
	entries      []suggestEntry
	bySquash     multiIndex
	byOZero      multiIndex
	bySuffixless multiIndex
	byHead       multiIndex
	byTail       multiIndex
}

// multiIndex maps a key to the entries carrying it, as a chain through
// next: no slice per key, four bytes per entry and a map slot per key.
type multiIndex struct {
	first map[string]int32
	next  []int32 // by entry: the next entry with the same key, -1 at the end
}

func newMultiIndex(n int) multiIndex {
	return multiIndex{first: make(map[string]int32, n)}
}

// add puts entry i (the newest entry of the index) under key.
func (m *multiIndex) add(key string, i int32) {
	for int32(len(m.next)) <= i {
		m.next = append(m.next, -1)
	}
	if head, ok := m.first[key]; ok {
		m.next[i] = head
	}
	m.first[key] = i
}

// each calls f for every entry under key.
func (m *multiIndex) each(key string, f func(i int32)) {
	i, ok := m.first[key]
	if !ok {
		return
	}
	for ; i >= 0; i = m.next[i] {
		f(i)
	}
}

type suggestEntry struct {
	p        *model.Position
	normal   string // model.NormalDPN
	squash   string // upper case, no white space at all
	endDated bool
}

// NewSuggestIndex indexes the DPNs of active (current) and inactive
// (end-dated, eliminated or deleted) positions. Positions without a DPN are
// ignored. The index refers to the positions: do not change them while it
// is in use.
func NewSuggestIndex(active, inactive []model.Position) *SuggestIndex {
	ix := newSuggestIndex(len(active) + len(inactive))
	for i := range active {
		ix.add(&active[i], false)
	}
	for i := range inactive {
		ix.add(&inactive[i], true)
	}
	return ix
}

func newSuggestIndex(n int) *SuggestIndex {
	return &SuggestIndex{
		entries:      make([]suggestEntry, 0, n),
		bySquash:     newMultiIndex(n),
		byOZero:      newMultiIndex(n / 8), // only DPNs with a letter O
		bySuffixless: newMultiIndex(0),
		byHead:       newMultiIndex(0),
		byTail:       newMultiIndex(n),
	}
}

func (ix *SuggestIndex) add(p *model.Position, endDated bool) {
	if !p.HasDPN() {
		return
	}
	sq := squash(p.DPN)
	if sq == "" {
		return
	}
	i := int32(len(ix.entries))
	ix.entries = append(ix.entries, suggestEntry{p: p, normal: model.NormalDPN(p.DPN), squash: sq, endDated: endDated})
	ix.bySquash.add(sq, i)
	if strings.IndexByte(sq, 'O') >= 0 { // else its O-as-zero key is sq: found through bySquash
		ix.byOZero.add(oToZero(sq), i)
	}
	if base, ok := stripSuffix(sq); ok {
		ix.bySuffixless.add(base, i)
	}
	head, tail := blockKeys(sq)
	ix.byHead.add(head, i)
	if tail != "" {
		ix.byTail.add(tail, i)
	}
}

// candidate is one position found for an NPN, with the best kind so far.
type candidate struct {
	idx  int32
	rank int
	kind string
}

// Suggest returns at most three ESR DPNs the NPN most likely meant, best
// first. Kinds rank in this order:
//  1. same post with different spacing or case (equal once every white
//     space is removed and letters upper-cased);
//  2. an end-dated (or eliminated) position still carries it (same DPN
//     after trimming and upper-casing; Suggestion.EndDated is set);
//  3. letter O typed for zero, or zero for O (equal once O is read as 0);
//  4. missing or extra suffix part: the NPN with a final "/X" (one letter)
//     added or removed;
//  5. two adjacent characters swapped;
//  6. one character mistyped, missing or extra.
//
// Within a kind, active positions come before inactive ones, then by VPD,
// position number, DPN, file and row. A position is suggested once, for
// its best kind; an active position whose DPN is the NPN (a match) is
// never suggested. Kinds 3-6 compare the squashed forms, so a difference
// in spacing or case may come with them. An empty NPN has no suggestions.
func (ix *SuggestIndex) Suggest(npn string) []Suggestion {
	sq := squash(npn)
	if sq == "" || ix == nil {
		return nil
	}
	norm := model.NormalDPN(npn)
	var cands []candidate
	ix.bySquash.each(sq, func(i int32) {
		e := &ix.entries[i]
		switch {
		case e.normal != norm:
			cands = append(cands, candidate{i, rankSpacing, SuggestSpacing})
		case e.endDated:
			cands = append(cands, candidate{i, rankEndDated, SuggestEndDated})
		}
	})
	oz := oToZero(sq)
	oZero := func(i int32) {
		if e := &ix.entries[i]; e.squash != sq {
			cands = append(cands, candidate{i, rankOZero, oZeroKind(sq, e.squash)})
		}
	}
	ix.byOZero.each(oz, oZero)
	ix.bySquash.each(oz, func(i int32) { // the DPNs without a letter O
		if strings.IndexByte(ix.entries[i].squash, 'O') < 0 {
			oZero(i)
		}
	})
	ix.bySuffixless.each(sq, func(i int32) {
		cands = append(cands, candidate{i, rankSuffix, SuggestMissingSuffix})
	})
	if base, ok := stripSuffix(sq); ok {
		ix.bySquash.each(base, func(i int32) {
			cands = append(cands, candidate{i, rankSuffix, SuggestExtraSuffix})
		})
	}
	head, tail := blockKeys(sq)
	edit := func(i int32) {
		e := &ix.entries[i]
		if d := len(e.squash) - len(sq); d < -1 || d > 1 {
			return
		}
		if kind, rank := editKind(sq, e.squash); rank != 0 {
			cands = append(cands, candidate{i, rank, kind})
		}
	}
	ix.byHead.each(head, edit)
	if tail != "" {
		ix.byTail.each(tail, edit)
	}
	if len(cands) == 0 {
		return nil
	}
	sort.Slice(cands, func(a, b int) bool {
		ca, cb := &cands[a], &cands[b]
		if ca.rank != cb.rank {
			return ca.rank < cb.rank
		}
		return ix.entryLess(ca.idx, cb.idx)
	})
	out := make([]Suggestion, 0, MaxSuggestions)
	seen := make([]int32, 0, MaxSuggestions)
next:
	for _, c := range cands {
		for _, s := range seen {
			if s == c.idx {
				continue next
			}
		}
		seen = append(seen, c.idx)
		e := &ix.entries[c.idx]
		out = append(out, Suggestion{DPN: e.p.DPN, PositionNumber: e.p.Number, VPD: e.p.VPD, Kind: c.kind, EndDated: e.endDated})
		if len(out) == MaxSuggestions {
			break
		}
	}
	return out
}

// entryLess orders candidates of one kind: active first, then VPD, number,
// DPN, file and row.
func (ix *SuggestIndex) entryLess(a, b int32) bool {
	ea, eb := &ix.entries[a], &ix.entries[b]
	if ea.endDated != eb.endDated {
		return !ea.endDated
	}
	pa, pb := ea.p, eb.p
	switch {
	case pa.VPD != pb.VPD:
		return pa.VPD < pb.VPD
	case pa.Number != pb.Number:
		return pa.Number < pb.Number
	case pa.DPN != pb.DPN:
		return pa.DPN < pb.DPN
	case pa.File != pb.File:
		return pa.File < pb.File
	}
	return pa.Row < pb.Row
}

// editKind says how npn differs from dpn (both squashed) by one edit: rank
// 0 when it does not.
func editKind(npn, dpn string) (string, int) {
	switch len(npn) - len(dpn) {
	case 0:
		first, second, n := -1, -1, 0
		for i := 0; i < len(npn); i++ {
			if npn[i] != dpn[i] {
				n++
				if n > 2 {
					return "", 0
				}
				if first < 0 {
					first = i
				} else {
					second = i
				}
			}
		}
		switch {
		case n == 1:
			return SuggestMistyped, rankEdit
		case n == 2 && second == first+1 && npn[first] == dpn[second] && npn[second] == dpn[first]:
			return SuggestSwapped, rankSwapped
		}
	case -1:
		if oneDeletion(dpn, npn) {
			return SuggestMissingChar, rankEdit
		}
	case 1:
		if oneDeletion(npn, dpn) {
			return SuggestExtraChar, rankEdit
		}
	}
	return "", 0
}

// oneDeletion reports whether deleting one byte of long gives short
// (len(long) == len(short)+1).
func oneDeletion(long, short string) bool {
	i := 0
	for i < len(short) && long[i] == short[i] {
		i++
	}
	return long[i+1:] == short[i:]
}

// oZeroKind says which way the letter O and zero were confused between the
// NPN and the DPN (squashed, equal once O is read as 0).
func oZeroKind(npn, dpn string) string {
	oForZero, zeroForO := false, false
	for i := 0; i < len(npn) && i < len(dpn); i++ {
		switch {
		case npn[i] == 'O' && dpn[i] == '0':
			oForZero = true
		case npn[i] == '0' && dpn[i] == 'O':
			zeroForO = true
		}
	}
	switch {
	case oForZero && zeroForO:
		return SuggestOZeroMixed
	case zeroForO:
		return SuggestZeroForO
	}
	return SuggestOForZero
}

// squash upper-cases s and removes every white space character, also
// inside: "eoe/rgt00 /021" becomes "EOE/RGT00/021".
func squash(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c <= ' ' || ('a' <= c && c <= 'z') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// oToZero reads every letter O as zero.
func oToZero(s string) string { return strings.ReplaceAll(s, "O", "0") }

// stripSuffix removes a final part of one letter ("/M", "/A", "/S"):
// "EOE/RGT00/021/FY1/010/M" gives "EOE/RGT00/021/FY1/010".
func stripSuffix(s string) (string, bool) {
	n := len(s)
	if n < 3 || s[n-2] != '/' {
		return "", false
	}
	if c := s[n-1]; c < 'A' || c > 'Z' {
		return "", false
	}
	return s[:n-2], true
}

// blockKeys splits a squashed DPN into its first two parts (deanery prefix
// and trust/site code) and the rest: "EOE/RGT00/021/FY1/010" gives
// "EOE/RGT00" and "021/FY1/010". A DPN of one or two parts has no tail.
func blockKeys(s string) (head, tail string) {
	first := strings.IndexByte(s, '/')
	if first < 0 {
		return s, ""
	}
	second := strings.IndexByte(s[first+1:], '/')
	if second < 0 {
		return s, ""
	}
	cut := first + 1 + second
	return s[:cut], s[cut+1:]
}
