package load

import (
	"context"
	"regexp"
	"runtime"
	"time"

	"dpnkit/internal/model"
)

// Placement field indexes into PlacementFields; the order is the inputs.md
// §2 table's.
const (
	pPlacementID = iota
	pNPN
	pSurname
	pForenames
	pGMC
	pDateFrom
	pDateTo
	pPlacementType
	pLifecycle
	pWTE
	pGrade
	pSpecialty
	pSite
	pEmployingBody
	pTrainingBody
	pManagingDeanery
	pEmail
	pDOB
	pGender
	pTitle
	pNINumber
	pNationality
	pDisability
	pEthnicOrigin
	pMaritalStatus
	pReligion
	pSexualOrientation
	pAddress1
	pTown
	pCounty
	pPostcode
	pPostCreated
	numPlacementFields
)

// PlacementFields lists the TIS placement fields (inputs.md §2) with their
// header aliases, for --map validation and help text. The aliases include
// the column names of HEE's "Placement ESR Check Data View" (and its
// misspelt "PlacementTidID") and of TIS's own exports ("Owner" and "Local
// Office" are the placement's managing local office). A required field's column must exist; its
// cells may be blank (the reconciliation reports them).
var PlacementFields = []Field{
	{"placement_id", true, []string{"Placement TIS ID", "PlacementTisID", "Placement ID", "TIS Placement ID", "PlacementTidID", "TIS Placement Id", "Placement Ref"}},
	{"npn", true, []string{"National Post Number", "NationalPostNumber", "NPN", "DPN", "Post Number", "Deanery Post Number", "Training Post Number", "TPN"}},
	{"surname", true, []string{"Surname", "Last Name", "Legal Surname", "Trainee Surname", "Family Name"}},
	{"forenames", true, []string{"Forenames", "First Name", "Legal Forenames", "Forename", "Trainee Forenames", "Given Name"}},
	{"gmc", false, []string{"GMC Number", "GMC", "Reference Number", "ReferenceNumber", "GMC No"}},
	{"date_from", true, []string{"Start Date", "Date From", "Placement Start Date", "StartDate", "From Date"}},
	{"date_to", true, []string{"End Date", "Date To", "Placement End Date", "EndDate", "To Date"}},
	{"placement_type", false, []string{"Placement Type"}},
	{"lifecycle", false, []string{"Lifecycle State", "Lifecycle"}},
	{"wte", false, []string{"WTE", "Whole Time Equivalent", "Placement WTE"}},
	{"grade", false, []string{"Grade", "Grade Abbreviation", "GradeAbbreviation", "Placement Grade"}},
	{"specialty", false, []string{"Specialty", "Post Specialty", "PostSpecialty"}},
	{"site", false, []string{"Site", "Site Code", "Site Known As", "Site Name"}},
	{"employing_body", false, []string{"Employing Body", "EmployingBodyKnownAs"}},
	{"training_body", false, []string{"Training Body", "TrainingBodyKnownAs"}},
	{"managing_deanery", false, []string{"Managing Deanery", "ManagingDeanery", "Local Office", "Owner", "Deanery", "Managing Local Office", "Owning Local Office"}},
	{"email", false, []string{"Email", "Email Address"}},
	{"dob", false, []string{"Date of Birth", "DOB", "Birth Date"}},
	{"gender", false, []string{"Gender"}},
	{"title", false, []string{"Title"}},
	{"ni_number", false, []string{"NI Number", "NINO", "National Insurance Number"}},
	{"nationality", false, []string{"Nationality"}},
	{"disability", false, []string{"Disability"}},
	{"ethnic_origin", false, []string{"Ethnic Origin", "Ethnicity"}},
	{"marital_status", false, []string{"Marital Status"}},
	{"religion", false, []string{"Religion", "Religious Belief"}},
	{"sexual_orientation", false, []string{"Sexual Orientation"}},
	{"address1", false, []string{"Address 1", "Address Line 1", "Address1"}},
	{"town", false, []string{"Town", "Town/City"}},
	{"county", false, []string{"County"}},
	{"postcode", false, []string{"Postcode", "Post Code"}},
	{"post_created", false, []string{"Post Created", "Post Created Date", "PostCreatedDate", "Post Created On", "Post Date Created"}},
}

// WithheldValue stands in for a personal value that load does not repeat:
// the DateIssue of an unreadable date of birth carries it instead of the
// value (the finding names the file, row and column).
const WithheldValue = "(not shown: personal data)"

var placementFields = newFieldSet(PlacementFields, "placement", -1, true, []int{pPlacementID, pNPN, pSurname, pForenames, pGMC})

var placementTabular = &tabular[model.Placement]{
	fields: placementFields,
	newBuilder: func(path string, _ model.Format, lay *layout, _ Options) rowBuilder[model.Placement] {
		return newPlacementBuilder(path, lay)
	},
	dates: []int{pDateFrom, pDateTo, pDOB, pPostCreated},
	// loadGO nil: a GO .DAT file is ESR position data, refused with a *Error.
}

// Placements reads TIS placement exports (inputs.md §2: .csv, .tsv, .txt,
// .xlsx, with every encoding, delimiter, quoting and date form Positions
// accepts) and calls sink with batches of placements. As for Positions,
// sink may be called concurrently; a batch and its strings are only valid
// during the call (keep a placement with Placement.Clone). It returns one
// model.Input per file (Rows = placements read). Malformed input returns a
// *Error, whose text never quotes a cell value (placements hold personal
// data); an unreadable date is not an error but a DateIssue (the date is left
// zero; for the date of birth the value is WithheldValue). A GO .DAT file is
// refused. Options.VPD does not apply to placements and is ignored.
func Placements(ctx context.Context, files []string, opts Options, sink func(batch []model.Placement)) ([]model.Input, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	opts.VPD = ""
	return loadFiles(ctx, files, opts, placementTabular, sink)
}

// placementBuilder turns records into placements; one per worker.
type placementBuilder struct {
	path    string
	lay     *layout
	hdr     [3]string // headers of date_from, date_to, dob
	cache   [3]dateCache
	extras  []string
	hasDOB  bool
	hasLife bool
	hasMade bool // a post_created column
}

var placementDates = [3]int{pDateFrom, pDateTo, pDOB}

func newPlacementBuilder(path string, lay *layout) *placementBuilder {
	b := &placementBuilder{path: path, lay: lay, hasDOB: lay.col[pDOB] >= 0, hasLife: lay.col[pLifecycle] >= 0,
		hasMade: lay.col[pPostCreated] >= 0}
	for i, fi := range placementDates {
		if c := lay.col[fi]; c >= 0 {
			b.hdr[i] = lay.headers[c]
		}
	}
	return b
}

// reset starts a new batch (see builder.reset).
func (b *placementBuilder) reset() { b.extras, b.cache = b.extras[:0], [3]dateCache{} }

func (b *placementBuilder) rebase(batch []model.Placement, by int) {
	for i := range batch {
		batch[i].Row += by
	}
}

func (b *placementBuilder) build(p *model.Placement, rec []string, row int) (outcome, *Error) {
	if blankRecord(rec) {
		return empty, nil
	}
	lay := b.lay
	rec = append(rec, "") // absent fields read from here
	x := lay.idx
	*p = model.Placement{
		ID:                 rec[x[pPlacementID]],
		NPN:                rec[x[pNPN]],
		Surname:            rec[x[pSurname]],
		Forenames:          rec[x[pForenames]],
		GMC:                rec[x[pGMC]],
		PlacementType:      rec[x[pPlacementType]],
		Lifecycle:          rec[x[pLifecycle]],
		WTE:                rec[x[pWTE]],
		Grade:              rec[x[pGrade]],
		Specialty:          rec[x[pSpecialty]],
		Site:               rec[x[pSite]],
		EmployingBody:      rec[x[pEmployingBody]],
		TrainingBody:       rec[x[pTrainingBody]],
		ManagingDeanery:    rec[x[pManagingDeanery]],
		Email:              rec[x[pEmail]],
		Title:              rec[x[pTitle]],
		Gender:             rec[x[pGender]],
		NINumber:           rec[x[pNINumber]],
		Nationality:        rec[x[pNationality]],
		Disability:         rec[x[pDisability]],
		EthnicOrigin:       rec[x[pEthnicOrigin]],
		MaritalStatus:      rec[x[pMaritalStatus]],
		Religion:           rec[x[pReligion]],
		SexualOrientation:  rec[x[pSexualOrientation]],
		Address1:           rec[x[pAddress1]],
		Town:               rec[x[pTown]],
		County:             rec[x[pCounty]],
		Postcode:           rec[x[pPostcode]],
		HasDOBColumn:       b.hasDOB,
		HasLifecycleColumn: b.hasLife,
		File:               b.path,
		Row:                row,
	}
	p.DateFrom = b.date(p, 0, rec[x[pDateFrom]])
	p.DateTo = b.date(p, 1, rec[x[pDateTo]])
	if b.hasDOB {
		p.DOB = b.date(p, 2, rec[x[pDOB]])
	}
	if b.hasMade {
		// An unreadable post-created date is left zero, not reported: it
		// only tells the interface run which posts are new.
		p.HasPostCreatedColumn = true
		p.PostCreated, _ = ParseDate(rec[x[pPostCreated]])
	}
	if n := len(lay.extra); n > 0 {
		start := len(b.extras)
		for _, c := range lay.extra {
			b.extras = append(b.extras, rec[c])
		}
		p.Extra = b.extras[start : start+n : start+n]
	}
	return built, nil
}

// date parses v (cached: dates repeat), recording an unreadable one; the
// date of birth (i == 2) is recorded without its value.
func (b *placementBuilder) date(p *model.Placement, i int, v string) time.Time {
	c := &b.cache[i]
	if v != c.s || v == "" {
		t, ok := ParseDateCell(v)
		*c = dateCache{s: v, t: t, ok: ok}
	}
	if !c.ok {
		if i == 2 {
			v = WithheldValue
		}
		p.DateIssues = append(p.DateIssues, model.DateIssue{Column: b.hdr[i], Value: v})
		return time.Time{}
	}
	return c.t
}

// quotedCellValue matches the cell values the xlsx reader quotes in its
// errors about malformed cells.
var quotedCellValue = regexp.MustCompile(`(invalid (?:number|boolean|ISO 8601 date)|shared string index) "(?:[^"\\]|\\.)*"`)

// redactCellValues removes the cell values an xlsx reader error quotes.
func redactCellValues(msg string) string {
	return quotedCellValue.ReplaceAllString(msg, "$1 (value not shown)")
}
