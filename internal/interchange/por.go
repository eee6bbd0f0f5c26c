package interchange

import (
	"fmt"
	"io"

	"dpnkit/internal/exchange"
)

// WritePOR writes POR records as a POR file: CSV with exchange.POR's
// layout, in the order given. It holds no personal data.
func WritePOR(w io.Writer, recs []exchange.POR) error {
	if err := writeAll(w, recs); err != nil {
		return fmt.Errorf("write por file: %w", err)
	}
	return nil
}
