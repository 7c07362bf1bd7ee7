package archive

import (
	"context"
	"time"
)

// ModelAdoption records that an office adopted a content model for its
// archive: every crawl and reclassification of the archive decides with it
// unless told otherwise (vigia classifier adopt). Adoptions are kept, never
// overwritten: the latest stands, the others are its history.
type ModelAdoption struct {
	Version     string // the model's, as decisions name it ("model:VERSION")
	ModelSHA256 string // of the model file
	// Model is the model file itself, so that every machine using the
	// archive decides with the same bytes. Adoptions lists leave it empty.
	Model []byte
	// Evaluation is what was measured before adopting it (JSON, as vigia
	// classifier eval --format json prints it), empty when nothing was.
	Evaluation string
	AdoptedBy  string // "person:NAME"
	AdoptedAt  time.Time
	Reason     string
}

// ModelAdopter is an engine that keeps the content models adopted for the
// archive.
type ModelAdopter interface {
	// AdoptModel records an adoption, model bytes included.
	AdoptModel(ctx context.Context, a *ModelAdoption) error
	// ModelAdoptions returns every adoption, oldest first, with the model
	// files when withModels is set (a copy of the archive needs them, a
	// list does not).
	ModelAdoptions(ctx context.Context, withModels bool) ([]ModelAdoption, error)
	// AdoptedModel returns the adoption that stands, the latest, with its
	// model file; nil when no model was ever adopted.
	AdoptedModel(ctx context.Context) (*ModelAdoption, error)
}
