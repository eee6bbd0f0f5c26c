package checks

import (
	"time"

	"dpnkit/internal/model"
)

// NewSubject is newSubject, for the external tests.
func NewSubject(p *model.Position, asOf time.Time) Subject { return newSubject(p, asOf) }
