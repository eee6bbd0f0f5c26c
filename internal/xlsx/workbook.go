package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

type rel struct{ id, typ, target string }

type sheetRef struct{ name, rid string }

// part finds a zip entry by part name. OPC part names are case-insensitive;
// a leading "/" and Windows separators from sloppy writers are tolerated.
func (r *Reader) part(name string) *zip.File {
	return r.parts[partKey(name)]
}

func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// resolve turns a relationship target into a part name: absolute targets
// ("/xl/worksheets/sheet1.xml") are taken from the package root, relative
// ones ("worksheets/sheet1.xml") from the source part's folder.
func resolve(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Join(dir, target), "/")
}

// each streams one part and calls fn for every start element until fn
// returns stop or the part ends. A missing part is not an error.
func (r *Reader) each(name string, fn func(s *stream, se xml.StartElement) (stop bool, err error)) (found bool, err error) {
	f := r.part(name)
	if f == nil {
		return false, nil
	}
	s, err := openStream(f, r.path+": "+printable(name), r.budget, r.maxToken)
	if err != nil {
		return true, err
	}
	defer s.rc.Close()
	for {
		tok, err := s.next()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if stop, err := fn(s, se); stop || err != nil {
				return true, err
			}
		}
	}
}

// readRels reads the relationships of a part: for "xl/workbook.xml" that is
// "xl/_rels/workbook.xml.rels". Targets are resolved to part names.
func (r *Reader) readRels(source string) ([]rel, error) {
	dir, base := path.Split(source)
	var rels []rel
	_, err := r.each(path.Join(dir, "_rels", base+".rels"), func(_ *stream, se xml.StartElement) (bool, error) {
		if se.Name.Local == "Relationship" && attr(se, "TargetMode") != "External" {
			rels = append(rels, rel{id: attr(se, "Id"), typ: attr(se, "Type"), target: resolve(dir, attr(se, "Target"))})
		}
		return false, nil
	})
	return rels, err
}

func relOfType(rels []rel, suffix, fallback string) string {
	for _, rl := range rels {
		if strings.HasSuffix(rl.typ, suffix) {
			return rl.target
		}
	}
	return fallback
}

// readWorkbook reads the sheet list in workbook order and the date1904 flag.
func (r *Reader) readWorkbook(name string) ([]sheetRef, error) {
	var sheets []sheetRef
	found, err := r.each(name, func(_ *stream, se xml.StartElement) (bool, error) {
		switch se.Name.Local {
		case "workbookPr":
			v := attr(se, "date1904")
			r.date1904 = v == "1" || strings.EqualFold(v, "true")
		case "sheet":
			sheets = append(sheets, sheetRef{name: attr(se, "name"), rid: attr(se, "id")})
		}
		return false, nil
	})
	if err == nil && !found {
		return nil, fmt.Errorf("%s: not an .xlsx workbook (no %s)", r.path, name)
	}
	return sheets, err
}

// readStyles works out which cell formats (cellXfs, by index) show dates.
func (r *Reader) readStyles(name string) error {
	custom := map[int]bool{} // numFmtId -> date format
	var ids []int            // numFmtId of each cellXfs entry
	inXfs := false
	_, err := r.each(name, func(s *stream, se xml.StartElement) (bool, error) {
		switch se.Name.Local {
		case "numFmt":
			if id, err := strconv.Atoi(attr(se, "numFmtId")); err == nil {
				custom[id] = isDateFormat(attr(se, "formatCode"))
			}
		case "cellXfs":
			inXfs = true
		case "xf":
			if inXfs {
				id, _ := strconv.Atoi(attr(se, "numFmtId")) // absent or bad: 0, General
				ids = append(ids, id)
				return false, s.skip()
			}
		default:
			if inXfs { // cellXfs holds only xf: anything else means it ended
				return true, nil
			}
		}
		return false, nil
	})
	r.dateXF = make([]bool, len(ids))
	for i, id := range ids {
		date, ok := custom[id]
		if !ok {
			date = builtinDate(id)
		}
		r.dateXF[i] = date
	}
	return err
}

// readSharedStrings loads the shared string table. Its decompressed bytes
// count against MaxUncompressed like every other part.
func (r *Reader) readSharedStrings(name string) error {
	_, err := r.each(name, func(s *stream, se xml.StartElement) (bool, error) {
		switch se.Name.Local {
		case "sst":
			n, _ := strconv.Atoi(attr(se, "uniqueCount"))
			r.sst = make([]string, 0, min(max(n, 0), 1<<16)) // a hint only, never trusted
		case "si":
			v, err := s.rich(r.rawCap)
			if err == nil {
				v = unescape(v)
			}
			if err == errTooLong || err == nil && len(v) > r.lim.MaxCellBytes {
				return true, fmt.Errorf("%s: string %d is longer than the MaxCellBytes limit of %d bytes", s.where, len(r.sst), r.lim.MaxCellBytes)
			}
			if err != nil {
				return true, err
			}
			r.sst = append(r.sst, v)
		}
		return false, nil
	})
	return err
}
