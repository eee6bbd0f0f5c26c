package load

import (
	"strings"

	"dpnkit/internal/model"
)

// columns builds Input.Columns from "Header=field" (a used column) or
// "Header" (an unused one), in file order.
func columns(specs ...string) []model.Column {
	out := make([]model.Column, len(specs))
	for i, s := range specs {
		h, f, _ := strings.Cut(s, "=")
		mapped := strings.HasSuffix(f, "!")
		out[i] = model.Column{Column: colLetter(i), Header: h, Field: strings.TrimSuffix(f, "!"), Mapped: mapped}
	}
	return out
}
