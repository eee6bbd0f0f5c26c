package exchange

import (
	"fmt"
	"strings"
	"time"

	"dpnkit/internal/filename"
)

// FileName names an interface file as the real interface does, without the
// .DAT extension: DE_<DEANERY>_<TYPE>_<YYYYMMDD>_<8-digit seq>, e.g.
// DE_KSS_APP_20210506_00002689. The deanery and type are upper-cased, then
// made safe in a file name (filename.Part: a deanery "A:B" gives
// DE_A_B_<hash>_APP_...).
func FileName(deanery, typ string, asOf time.Time, seq int) string {
	return fmt.Sprintf("DE_%s_%s_%s_%08d", filename.Part(strings.ToUpper(deanery)), filename.Part(strings.ToUpper(typ)),
		asOf.Format("20060102"), seq)
}

// APPName names the applicant file of a managing deanery.
func APPName(deanery string, asOf time.Time, seq int) string {
	return FileName(deanery, "APP", asOf, seq)
}

// APCName names ESR's confirmation file for the APP file of the same
// deanery, date and sequence.
func APCName(deanery string, asOf time.Time, seq int) string {
	return FileName(deanery, "APC", asOf, seq)
}

// SequenceKey is the State.Sequences key of a deanery's files of one type,
// e.g. "KSS_APP".
func SequenceKey(deanery, typ string) string {
	return strings.ToUpper(deanery) + "_" + strings.ToUpper(typ)
}
