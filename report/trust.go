package report

import (
	"strings"

	"dpnkit/checks"
	"dpnkit/internal/model"
)

// trustName is the name of the trust whose VPD is v, "" when unknown:
// meta.TrustNames[v.VPD] (the configuration's), else the organisation
// every position of the VPD that has one names, when they all name the
// same (an ESR organisation column of a trust-level export). A VPD whose
// positions name several organisations (departments, wards) has no name
// from them.
func trustName(meta Meta, v *checks.VPDResult) string {
	if n := strings.TrimSpace(meta.TrustNames[v.VPD]); n != "" {
		return n
	}
	return commonOrganisation(v.Positions)
}

// commonOrganisation is the one organisation positions name (trimmed),
// "" when none or more than one.
func commonOrganisation(positions []model.Position) string {
	org := ""
	for i := range positions {
		o := positions[i].Organisation
		if o == "" || o == org {
			continue
		}
		o = model.TrimWhite(o)
		switch {
		case o == "" || o == org:
		case org == "":
			org = o
		default:
			return ""
		}
	}
	return org
}

// vpdTitle is a VPD's code with its trust's name beside it, "504
// Northtown Hospitals NHS Trust", or the code alone.
func vpdTitle(vpd, trust string) string {
	if trust == "" {
		return vpd
	}
	return vpd + " " + trust
}
