package load

// resolveLayout reads hdr, on row row of file, as the header of fs the way
// a load does (headerSearch, the row given as --header-row): the layout,
// or the load's error for that header.
func resolveLayout(fs *fieldSet, file string, row int, hdr []string, opts Options) (*layout, error) {
	opts.HeaderRow = map[string]int{"": row}
	h, err := newHeaderSearch(fs, file, opts)
	if err != nil {
		return nil, err
	}
	lay, err := h.offer(row, hdr)
	if err != nil || lay != nil {
		return lay, err
	}
	return nil, h.fail(row)
}

// resolveHeaders is resolveLayout for the position fields.
func resolveHeaders(file string, row int, hdr []string, opts Options) (*layout, error) {
	return resolveLayout(positionFields, file, row, hdr, opts)
}
