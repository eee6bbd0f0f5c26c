// Command duckdb is make bench's DuckDB comparison: the count a user who
// writes dpnkit's duplicate and format checks as SQL would run on the
// national positions file. It is a module of its own, so that dpnkit never
// depends on DuckDB; the bench builds it, and says so and goes on when it
// cannot be built.
//
//	duckdb -as-of 2026-11-25 positions_national.csv
//
// It prints one line of counts: positions, active, active with a DPN (the
// positions dpnkit keeps), duplicate DPN groups and the positions in them,
// DPNs failing the format rules (fewer than 4 parts, a prefix that is not
// 3 characters, an empty part) and position names failing theirs (not 4
// parts, a first part that is not a number).
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"

	_ "github.com/duckdb/duckdb-go/v2"
)

// query reads every column as text (read_csv all_varchar: no type
// sniffing), once (the MATERIALIZED table of the columns it needs: each
// count below would read the file again otherwise), keeps what dpnkit
// keeps (active on the as-of date, carrying a DPN) and counts as dpnkit's
// rules do, with regular expressions.
const query = `
WITH p AS MATERIALIZED (
	SELECT "VPD" AS vpd, "Deanery Post Number" AS dpn, "Position Name" AS name,
	       upper(trim(coalesce("Hiring Status", ''))) NOT IN ('ELIMINATED', 'DELETED')
	       AND (trim(coalesce("Effective To Date", '')) = ''
	            OR try_strptime(trim("Effective To Date"), '%d/%m/%Y') >= CAST(? AS DATE)) AS active
	FROM read_csv(?, all_varchar = true, header = true)
), k AS (
	SELECT vpd, upper(trim(dpn)) AS n, trim(dpn, ' ') AS d, name FROM p
	WHERE active AND trim(coalesce(dpn, '')) <> ''
), dup AS (
	SELECT count(*) AS c FROM k GROUP BY vpd, n HAVING count(*) > 1
)
SELECT
	(SELECT count(*) FROM p),
	(SELECT count(*) FILTER (active) FROM p),
	(SELECT count(*) FROM k),
	(SELECT count(*) FROM dup),
	(SELECT coalesce(sum(c), 0) FROM dup),
	(SELECT count(*) FROM k WHERE NOT regexp_full_match(d, '[^/]{3}(/[^/]*){3,}') OR regexp_matches(d, '(^|/) *(/|$)')),
	(SELECT count(*) FROM k WHERE NOT regexp_full_match(coalesce(name, ''), '[0-9]+(\|[^|]*){3}\|?'))
`

func main() {
	asOf := flag.String("as-of", "2026-11-25", "as-of date (YYYY-MM-DD)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: duckdb [-as-of YYYY-MM-DD] positions.csv")
		os.Exit(2)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		fmt.Fprintln(os.Stderr, "duckdb:", err)
		os.Exit(1)
	}
	defer db.Close()
	var c [7]int64
	err = db.QueryRow(query, *asOf, flag.Arg(0)).Scan(&c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6])
	if err != nil {
		fmt.Fprintln(os.Stderr, "duckdb:", err)
		os.Exit(1)
	}
	fmt.Printf("positions %d, active %d, active with a DPN %d, duplicate groups %d (%d positions), DPN format %d, name format %d\n",
		c[0], c[1], c[2], c[3], c[4], c[5], c[6])
}
