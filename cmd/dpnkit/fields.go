package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"dpnkit/internal/iostreams"
	"dpnkit/internal/load"
	"dpnkit/internal/termtable"
)

// fieldKind is one kind of tabular input and its fields.
type fieldKind struct {
	title  string
	fields []load.Field
	vpd    bool // vpd is one of them, optional with --vpd
}

var (
	positionKind  = fieldKind{"Positions (ESR position exports: check, report; --positions of reconcile and run)", load.Fields, true}
	placementKind = fieldKind{"Placements (TIS placement exports: --placements of reconcile and run)", load.PlacementFields, false}
	peopleKind    = fieldKind{"People (ESR people exports: --people of run)", load.PeopleFields, true}
)

const fieldsHelp = `Columns are found by their header, never by their place: any of a field's
headers selects it, ignoring case, spaces, '_', '-', '/', '.' and a byte order
mark. --map FIELD=HEADER names the header of a field when the file calls it
something else, and --map FILE:FIELD=HEADER does so for one file only (FILE is
the file's name, or its path as given), e.g.

  dpnkit check positions_504.csv positions_505.csv --map 'positions_505.csv:dpn=Post Ref'

The header is the first row, within the first 30, that names every required
field; --header-row N (or FILE=N) says where it is. Rows above it (a report
title, a run date) and rows below the data that are not records ("Total rows:
2", "Report run by: ...") are skipped and counted.`

func newFieldsCmd(s *iostreams.Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "fields",
		Short: "List the fields of position, placement and people exports, and the headers each is found by",
		Long:  "fields lists every field --map accepts and the headers that select it.\n\n" + fieldsHelp,
		Example: `  dpnkit fields
  dpnkit check export.csv --map dpn="Post Ref" --map 'export.csv:managing_deanery_body=Owner'`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			for i, k := range []fieldKind{positionKind, placementKind, peopleKind} {
				if i > 0 {
					fmt.Fprintln(s.Out)
				}
				fmt.Fprintln(s.Out, k.title)
				t := termtable.New(s.Out, listLayout(s), "FIELD", "REQUIRED", "HEADERS").Fit(s.Width).Shrink(2)
				for _, f := range k.fields {
					req := "no"
					if f.Required {
						req = "yes"
						if f.Name == "vpd" && k.vpd {
							req = "yes, or --vpd"
						}
					}
					if err := t.Append(f.Name, req, strings.Join(f.Aliases, ", ")); err != nil {
						return err
					}
				}
				if err := t.Render(); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// checkMap refuses --map entries naming a field that none of kinds has,
// or a file that is not one of files.
func checkMap(m map[string]string, files []string, kinds ...fieldKind) error {
	for k := range m {
		file, field := load.SplitMapKey(k)
		if file != "" && !anyFile(file, files) {
			return usagef("--map %s: %q is not one of the input files", k, file)
		}
		if !isField(field, kinds...) {
			return usagef("--map %s: unknown field %q; 'dpnkit fields' lists the fields", k, field)
		}
	}
	return nil
}

// isField reports whether name is a field of one of kinds, exactly as
// 'dpnkit fields' lists it.
func isField(name string, kinds ...fieldKind) bool {
	for _, kind := range kinds {
		for _, f := range kind.fields {
			if f.Name == name {
				return true
			}
		}
	}
	return false
}

func anyFile(file string, files []string) bool {
	for _, f := range files {
		if load.MapFileMatches(file, f) {
			return true
		}
	}
	return false
}

// parseHeaderRows reads repeated --header-row N or FILE=N flags; files are
// the command's input files.
func parseHeaderRows(vals, files []string) (map[string]int, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	m := make(map[string]int, len(vals))
	for _, v := range vals {
		file, n := "", v
		if i := strings.LastIndexByte(v, '='); i >= 0 {
			file, n = strings.TrimSpace(v[:i]), v[i+1:]
			if file == "" || !anyFile(file, files) {
				return nil, usagef("--header-row %q: %q is not one of the input files", v, file)
			}
		}
		row, err := strconv.Atoi(strings.TrimSpace(n))
		if err != nil || row < 1 {
			return nil, usagef("--header-row %q: want the header's row number (1 or more), or FILE=N", v)
		}
		if _, dup := m[file]; dup {
			return nil, usagef("--header-row given twice for %q", v)
		}
		m[file] = row
	}
	return m, nil
}
