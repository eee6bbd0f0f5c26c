package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"dpnkit/internal/model"
)

// TestInputChecksum: every shape reports the CRC-32C of the whole file's
// bytes, computed as it was read (the run history stores it).
func TestInputChecksum(t *testing.T) {
	for _, name := range []string{"positions.DAT", "positions_bom_crlf.csv", "positions_1252.tsv", "positions_excel_dates.xlsx"} {
		path := filepath.Join("..", "..", "fixtures", "samples", name)
		ins, err := Positions(context.Background(), []string{path}, Options{Checksum: true}, func([]model.Position) {})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ins[0].Checksum, fileSum(t, path); got != want {
			t.Errorf("%s: checksum %s, want %s", name, got, want)
		}
		plain, err := Positions(context.Background(), []string{path}, Options{}, func([]model.Position) {})
		if err != nil {
			t.Fatal(err)
		}
		if plain[0].Checksum != "" {
			t.Errorf("%s: checksum made without Options.Checksum", name)
		}
	}
}

// TestCRC32CReference: the bit-by-bit reference gives the published check
// value of CRC-32C ("123456789" -> e3069283), so fileSum can be trusted.
func TestCRC32CReference(t *testing.T) {
	if got := crc32cBitwise([]byte("123456789")); got != 0xe3069283 {
		t.Fatalf("reference CRC-32C of 123456789 = %08x, want e3069283", got)
	}
	if got := crc32cBitwise(nil); got != 0 {
		t.Fatalf("reference CRC-32C of nothing = %08x, want 0", got)
	}
}

// fileSum is the checksum of a file's bytes as the loader should report it,
// worked out independently of it: bit by bit.
func fileSum(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("crc32c:%08x", crc32cBitwise(raw))
}

// crc32cBitwise is CRC-32C (Castagnoli: reflected polynomial 0x82F63B78,
// initial and final value all ones) one bit at a time.
func crc32cBitwise(b []byte) uint32 {
	crc := ^uint32(0)
	for _, c := range b {
		crc ^= uint32(c)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0x82F63B78
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}
