// Package config reads dpnkit.toml, the settings a trust keeps between
// runs: column mappings per file-name pattern, further local office names,
// trust names per VPD, the fail-on level, rules switched off or given
// another severity, and accepted exceptions. It parses and validates; the
// commands merge it with their flags (a flag wins) and package checks
// applies the rule settings and acceptances to a result (checks.Policy).
//
// Every error names the file and, where it can be told, the line.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"dpnkit/checks"
	"dpnkit/internal/model"
	"dpnkit/reconcile"
)

// FileName is the configuration file looked for in the working folder.
const FileName = "dpnkit.toml"

// File is a parsed, validated dpnkit.toml.
type File struct {
	Path string // as given, for messages
	// FailOn is "error", "warning", "info", "none" or "" (not set).
	FailOn string
	// Columns maps a file-name pattern (path.Match syntax, matched against
	// the file's base name and its path as given; "*" is every file) to
	// field -> header.
	Columns map[string]map[string]string
	// LocalOffices are further local office names, CODE -> names.
	LocalOffices map[string][]string
	// Trusts names the trust of each VPD code.
	Trusts map[string]string
	// Policy holds the rules switched off, the severities changed and the
	// accepted exceptions.
	Policy checks.Policy

	data []byte // the file's contents, for Errorf
}

// Errorf is an error about the setting at key (a path of TOML keys, e.g.
// "columns", "*.csv", "dpn"), naming the file and the setting's line.
func (f *File) Errorf(key []string, format string, args ...any) error {
	return newLocator(f.Path, f.data).errorf(key, format, args...)
}

// raw is the TOML document as decoded, before validation.
type raw struct {
	FailOn       string                       `toml:"fail-on"`
	Columns      map[string]map[string]string `toml:"columns"`
	LocalOffices map[string]names             `toml:"local-offices"`
	Trusts       map[string]string            `toml:"trusts"`
	Rules        map[string]string            `toml:"rules"`
	Accept       []rawAccept                  `toml:"accept"`
}

type rawAccept struct {
	Rule      string  `toml:"rule"`
	VPD       string  `toml:"vpd"`
	Position  string  `toml:"position"`
	Placement string  `toml:"placement"`
	Value     *string `toml:"value"`
	Reason    string  `toml:"reason"`
	Who       string  `toml:"who"`
	Until     date    `toml:"until"`
}

// names is one name or a list of them.
type names []string

func (n *names) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*n = names{v}
		return nil
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return errors.New("want a name or a list of names")
			}
			*n = append(*n, s)
		}
		return nil
	}
	return errors.New("want a name or a list of names")
}

// date is a TOML local date (2027-03-31) or a string in that form.
type date struct{ t time.Time }

func (d *date) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case time.Time:
		d.t = time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
		return nil
	case string:
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("until %q: want a date such as 2027-03-31", v)
		}
		d.t = t
		return nil
	}
	return errors.New("until: want a date such as 2027-03-31")
}

// Find returns the path of dpnkit.toml in dir, or "" when there is none.
func Find(dir string) (string, error) {
	p := filepath.Join(dir, FileName)
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", nil
		}
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return p, nil
}

// Load reads and validates the configuration file at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("configuration %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse validates data, the contents of the configuration file at path.
func Parse(path string, data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var r raw
	md, err := toml.Decode(string(data), &r)
	if err != nil {
		return nil, decodeError(path, err)
	}
	loc := newLocator(path, data)
	if un := md.Undecoded(); len(un) > 0 {
		k := []string(un[0])
		return nil, loc.errorf(k, "unknown setting %q; see 'dpnkit init' for an example file", un[0].String())
	}
	f := &File{Path: path, Columns: r.Columns, Trusts: r.Trusts, data: data}
	steps := []func(*raw, *File, locator) error{checkFailOn, checkColumns, checkOffices, checkTrusts, checkRules, checkAccepts}
	for _, step := range steps {
		if err := step(&r, f, loc); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// decodeError is a TOML syntax or type error as "FILE line N: message".
func decodeError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("configuration %s line %d: %s", path, pe.Position.Line, pe.Message)
	}
	return fmt.Errorf("configuration %s: %w", path, err)
}

func checkFailOn(r *raw, f *File, loc locator) error {
	switch r.FailOn {
	case "", "none", "error", "warning", "info":
		f.FailOn = r.FailOn
		return nil
	}
	return loc.errorf([]string{"fail-on"}, "fail-on %q: want error, warning, info or none", r.FailOn)
}

func checkColumns(r *raw, _ *File, loc locator) error {
	for _, pat := range sortedKeys(r.Columns) {
		if _, err := filepath.Match(pat, ""); err != nil || strings.TrimSpace(pat) == "" {
			return loc.errorf([]string{"columns", pat}, "columns %q: not a file-name pattern (use * and ?, e.g. \"positions_*.csv\")", pat)
		}
		for _, field := range sortedKeys(r.Columns[pat]) {
			if strings.TrimSpace(r.Columns[pat][field]) == "" {
				return loc.errorf([]string{"columns", pat, field}, "columns %q: field %s has no header", pat, field)
			}
		}
	}
	return nil
}

func checkOffices(r *raw, f *File, loc locator) error {
	for _, code := range sortedKeys(r.LocalOffices) {
		if !model.IsOfficeCode(code) {
			return loc.errorf([]string{"local-offices", code}, "local-offices %q: a code is three letters or digits (the DPN prefix, e.g. KSS)", code)
		}
		for _, n := range r.LocalOffices[code] {
			if strings.TrimSpace(n) == "" {
				return loc.errorf([]string{"local-offices", code}, "local-offices %s: an empty name", code)
			}
		}
		if len(r.LocalOffices[code]) == 0 {
			return loc.errorf([]string{"local-offices", code}, "local-offices %s: no name given", code)
		}
	}
	if len(r.LocalOffices) > 0 {
		f.LocalOffices = make(map[string][]string, len(r.LocalOffices))
		for code, ns := range r.LocalOffices {
			f.LocalOffices[code] = ns
		}
	}
	return nil
}

func checkTrusts(r *raw, _ *File, loc locator) error {
	for _, vpd := range sortedKeys(r.Trusts) {
		if strings.TrimSpace(vpd) == "" || strings.TrimSpace(r.Trusts[vpd]) == "" {
			return loc.errorf([]string{"trusts", vpd}, "trusts: want \"VPD\" = \"Trust name\", e.g. \"504\" = \"Example NHS Foundation Trust\"")
		}
	}
	return nil
}

func checkRules(r *raw, f *File, loc locator) error {
	for _, id := range sortedKeys(r.Rules) {
		if !knownRule(id) {
			return loc.errorf([]string{"rules", id}, "rules: unknown rule %q; 'dpnkit rules' lists them", id)
		}
		v := strings.ToLower(strings.TrimSpace(r.Rules[id]))
		if v == "off" {
			if f.Policy.Off == nil {
				f.Policy.Off = make(map[string]bool)
			}
			f.Policy.Off[id] = true
			continue
		}
		sev, err := checks.ParseSeverity(v)
		if err != nil {
			return loc.errorf([]string{"rules", id}, "rules %s = %q: want off, error, warning or info", id, r.Rules[id])
		}
		if f.Policy.Severities == nil {
			f.Policy.Severities = make(map[string]checks.Severity)
		}
		f.Policy.Severities[id] = sev
	}
	return nil
}

// knownRule reports whether id is a rule of the DPN check or of the
// reconciliation.
func knownRule(id string) bool {
	return inCatalogue(checks.Catalogue, id) || inCatalogue(reconcile.Catalogue, id)
}

// placementRule reports whether id is a reconciliation rule about a
// placement (placement.*), whose findings name a TIS placement.
func placementRule(id string) bool {
	return strings.HasPrefix(id, "placement.") && inCatalogue(reconcile.Catalogue, id)
}

func inCatalogue(rules []checks.Rule, id string) bool {
	return slices.ContainsFunc(rules, func(r checks.Rule) bool { return r.ID == id })
}

// checkAccepts validates each [[accept]] entry: a known rule, a position
// (the DPN check's rules and position.no-placement) or a placement (a TIS
// placement id, for the reconciliation's placement.* rules), a reason, who
// accepted it and until when.
func checkAccepts(r *raw, f *File, loc locator) error {
	for i, a := range r.Accept {
		at := func(key string) []string { return []string{"accept", fmt.Sprintf("#%d", i), key} }
		missing := func(key string) error {
			return loc.errorf(at(""), "accept (entry %d): %s is missing; every accepted exception needs rule, position, reason, who and until", i+1, key)
		}
		switch {
		case strings.TrimSpace(a.Rule) == "":
			return missing("rule")
		case !knownRule(a.Rule):
			return loc.errorf(at("rule"), "accept (entry %d): unknown rule %q; 'dpnkit rules' lists them", i+1, a.Rule)
		case strings.TrimSpace(a.Placement) != "" && strings.TrimSpace(a.Position) != "":
			return loc.errorf(at("placement"), "accept (entry %d): name a position or a placement, not both", i+1)
		case strings.TrimSpace(a.Placement) != "" && !placementRule(a.Rule):
			return loc.errorf(at("placement"), "accept (entry %d): rule %s is about positions: name the position, not a placement", i+1, a.Rule)
		case strings.TrimSpace(a.Placement) == "" && placementRule(a.Rule):
			return loc.errorf(at("rule"), "accept (entry %d): rule %s is about placements: name the TIS placement id (placement = \"...\")", i+1, a.Rule)
		case strings.TrimSpace(a.Position) == "" && strings.TrimSpace(a.Placement) == "":
			return missing("position")
		case strings.TrimSpace(a.Reason) == "":
			return missing("reason")
		case strings.TrimSpace(a.Who) == "":
			return missing("who")
		case a.Until.t.IsZero():
			return missing("until")
		}
		acc := checks.Acceptance{Rule: a.Rule, VPD: strings.TrimSpace(a.VPD), Position: strings.TrimSpace(a.Position),
			Placement: strings.TrimSpace(a.Placement), Reason: strings.TrimSpace(a.Reason), Who: strings.TrimSpace(a.Who),
			Until: a.Until.t, Source: fmt.Sprintf("%s line %d", f.Path, loc.line(at("")))}
		if a.Value != nil {
			acc.Value, acc.HasValue = *a.Value, true
		}
		f.Policy.Accepted = append(f.Policy.Accepted, acc)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
