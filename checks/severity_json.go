package checks

import (
	"encoding/json"
	"fmt"
)

// UnmarshalJSON reads a severity written by MarshalJSON ("error",
// "warning" or "info"), so a JSON report can be read back into Findings.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return fmt.Errorf("severity: %w", err)
	}
	v, err := ParseSeverity(name)
	if err != nil {
		return err
	}
	*s = v
	return nil
}
