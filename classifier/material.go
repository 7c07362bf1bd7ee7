package classifier

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
)

// material is the training material the shipped model is made from:
// every folder of labelled posts under testdata (go generate ./classifier
// trains on them), embedded so that an office can train a model of its own
// on the same material plus its people's decisions, without the source tree.
//
//go:embed testdata
var material embed.FS

// ShippedMaterial reads the labelled posts the shipped model is trained on:
// each folder of testdata holding .tsv or .csv files, in name order, read
// as ReadLabels reads a folder (the same examples, sources and authors).
// Files at the top of testdata are not material.
func ShippedMaterial() (*LabelSet, error) {
	tmp, err := os.MkdirTemp("", "vigia-material-")
	if err != nil {
		return nil, fmt.Errorf("read the shipped training material: %w", err)
	}
	defer os.RemoveAll(tmp)
	dirs := map[string]bool{}
	err = fs.WalkDir(material, "testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		dir := path.Dir(p)
		if ext := path.Ext(p); dir == "testdata" || (ext != ".tsv" && ext != ".csv") {
			return nil
		}
		data, err := material.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
			return err
		}
		dirs[filepath.Dir(out)] = true
		return os.WriteFile(out, data, 0o600)
	})
	if err != nil {
		return nil, fmt.Errorf("read the shipped training material: %w", err)
	}
	set := &LabelSet{}
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		s, err := ReadLabels(dir)
		if err != nil {
			return nil, fmt.Errorf("read the shipped training material: %w", err)
		}
		set.Examples = append(set.Examples, s.Examples...)
		set.Skipped += s.Skipped
	}
	if len(set.Examples) == 0 {
		return nil, fmt.Errorf("read the shipped training material: no labelled posts embedded")
	}
	return set, nil
}
