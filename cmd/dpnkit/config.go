package main

import (
	"path/filepath"
	"sort"

	"dpnkit/internal/config"
	"dpnkit/internal/load"
	"dpnkit/internal/pipeline"
)

// configHelp describes --config for the commands that read it.
const configHelp = "settings file (default dpnkit.toml in the working folder, when there is one; 'dpnkit init' writes an example)"

// loadConfig reads --config FILE, or dpnkit.toml in the working folder
// when there is one; nil when neither. A missing --config file and a bad
// configuration are errors that stop the job (exit 3, like any bad input).
func loadConfig(path string) (*config.File, error) {
	if path == "" {
		found, err := config.Find(".")
		if err != nil || found == "" {
			return nil, err
		}
		path = config.FileName
	}
	return config.Load(path)
}

// applyConfig puts the configuration under the flags into o: a flag the
// user gave wins over the file. files are the command's input files (the
// column mappings' patterns are matched against them).
func (f *checkFlags) applyConfig(o *pipeline.CheckOptions, files []string) error {
	cfg, err := loadConfig(f.config)
	if err != nil || cfg == nil {
		return err
	}
	if o.Map, err = configMap(cfg, o.Map, files); err != nil {
		return err
	}
	if cfg.FailOn != "" && !f.cmd.Flags().Changed("fail-on") {
		f.failOn = cfg.FailOn
	}
	o.LocalOfficeNames = cfg.LocalOffices // a --local-offices file wins (CheckOptions)
	o.Config, o.TrustNames, o.Policy = cfg.Path, cfg.Trusts, &cfg.Policy
	return nil
}

// configMap adds the configuration's column mappings to the --map entries
// flags: a pattern "*" gives field=Header, any other FILE:field=Header for
// each input file whose name (or path as given) it matches. A field the
// flags map, for every file or for that file, keeps the flag's header.
func configMap(cfg *config.File, flags map[string]string, files []string) (map[string]string, error) {
	if len(cfg.Columns) == 0 {
		return flags, nil
	}
	out := make(map[string]string, len(flags))
	for k, v := range flags {
		out[k] = v
	}
	from := map[string]string{} // key -> pattern that set it
	patterns := make([]string, 0, len(cfg.Columns))
	for p := range cfg.Columns {
		patterns = append(patterns, p)
	}
	sort.Strings(patterns)
	for _, pat := range patterns {
		for field, header := range cfg.Columns[pat] {
			if !isField(field, positionKind, placementKind, peopleKind) {
				return nil, cfg.Errorf([]string{"columns", pat, field}, "columns %q: unknown field %q; 'dpnkit fields' lists the fields", pat, field)
			}
			for _, key := range configKeys(pat, field, files) {
				if flagMaps(flags, key) {
					continue
				}
				if prev, ok := from[key]; ok && out[key] != header {
					return nil, cfg.Errorf([]string{"columns", pat, field}, "columns %q and %q both map field %s of %s, to different headers",
						prev, pat, field, keyFile(key))
				}
				out[key], from[key] = header, pat
			}
		}
	}
	return out, nil
}

// configKeys are the --map keys of a configuration mapping.
func configKeys(pat, field string, files []string) []string {
	if pat == "*" {
		return []string{field}
	}
	var keys []string
	for _, path := range files {
		base, _ := filepath.Match(pat, filepath.Base(path))
		whole, _ := filepath.Match(pat, path)
		if base || whole {
			keys = append(keys, path+":"+field)
		}
	}
	return keys
}

// flagMaps reports whether a --map flag sets the field of key, for every
// file or for key's file.
func flagMaps(flags map[string]string, key string) bool {
	file, field := load.SplitMapKey(key)
	for k := range flags {
		ff, fd := load.SplitMapKey(k)
		if fd == field && (ff == "" || file != "" && load.MapFileMatches(ff, file)) {
			return true
		}
	}
	return false
}

func keyFile(key string) string {
	if file, _ := load.SplitMapKey(key); file != "" {
		return file
	}
	return "every file"
}
