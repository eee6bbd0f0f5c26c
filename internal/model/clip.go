package model

// Clip cuts s to at most n runes (n >= 1): a longer s keeps its first
// n-1 and ends with an ellipsis. It reads at most n+1 runes of s.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	count, cut := 0, 0
	for j := range s {
		if count == n-1 {
			cut = j
		}
		if count == n {
			return s[:cut] + "…"
		}
		count++
	}
	return s
}
