package load

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"dpnkit/internal/model"
)

// TestInputChecksum: every shape reports the SHA-256 of the whole file's
// bytes, computed as it was read (the run history stores it).
func TestInputChecksum(t *testing.T) {
	for _, name := range []string{"positions.DAT", "positions_bom_crlf.csv", "positions_1252.tsv", "positions_excel_dates.xlsx"} {
		path := filepath.Join("..", "..", "fixtures", "samples", name)
		ins, err := Positions(context.Background(), []string{path}, Options{Checksum: true}, func([]model.Position) {})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ins[0].SHA256, fileSum(t, path); got != want {
			t.Errorf("%s: checksum %s, want %s", name, got, want)
		}
		plain, err := Positions(context.Background(), []string{path}, Options{}, func([]model.Position) {})
		if err != nil {
			t.Fatal(err)
		}
		if plain[0].SHA256 != "" {
			t.Errorf("%s: checksum made without Options.Checksum", name)
		}
	}
}

// fileSum is the hex SHA-256 of a file's bytes, worked out independently
// of the loader.
func fileSum(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}
