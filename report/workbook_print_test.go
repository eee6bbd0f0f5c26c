package report

import (
	"testing"

	"github.com/xuri/excelize/v2"
)

// wantNumberCell fails unless sheet!cell is a number cell (no type, or
// type n) whose value is want.
func wantNumberCell(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil || got != want {
		t.Errorf("%s!%s = %q (%v), want %q", sheet, cell, got, err, want)
	}
	typ, err := f.GetCellType(sheet, cell)
	if err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
		t.Errorf("%s!%s type = %v (%v), want a number cell", sheet, cell, typ, err)
	}
}
