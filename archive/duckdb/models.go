package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/vigia-mx/vigia/archive"
)

var _ archive.ModelAdopter = (*Store)(nil)

// AdoptModel records an adoption in model_adoptions.
func (s *Store) AdoptModel(ctx context.Context, a *archive.ModelAdoption) (err error) {
	if s.readOnly {
		return fmt.Errorf("adopt model in archive %q: opened read-only", s.path)
	}
	s.appending.Lock()
	defer s.appending.Unlock()
	s.prepareLog()
	defer func() {
		if terr := s.tightenLog(); err == nil {
			err = terr
		}
	}()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO model_adoptions VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.Version, a.ModelSHA256, a.Model, a.Evaluation, a.AdoptedBy, a.AdoptedAt.UTC(), a.Reason); err != nil {
		return fmt.Errorf("adopt model in archive %q: %w", s.path, err)
	}
	return nil
}

// ModelAdoptions returns every adoption, oldest first, with the model files
// when withModels is set.
func (s *Store) ModelAdoptions(ctx context.Context, withModels bool) ([]archive.ModelAdoption, error) {
	model := "''::BLOB"
	if withModels {
		model = "model"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT version, model_sha256, `+model+`, evaluation, adopted_by, adopted_at, reason
		FROM model_adoptions ORDER BY adopted_at, version`)
	if err != nil {
		return nil, fmt.Errorf("read model adoptions of %q: %w", s.path, err)
	}
	defer rows.Close()
	var out []archive.ModelAdoption
	for rows.Next() {
		var a archive.ModelAdoption
		if err := rows.Scan(&a.Version, &a.ModelSHA256, &a.Model, &a.Evaluation, &a.AdoptedBy, &a.AdoptedAt, &a.Reason); err != nil {
			return nil, fmt.Errorf("read model adoptions of %q: %w", s.path, err)
		}
		a.AdoptedAt = a.AdoptedAt.UTC()
		if len(a.Model) == 0 {
			a.Model = nil
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read model adoptions of %q: %w", s.path, err)
	}
	return out, nil
}

// AdoptedModel returns the latest adoption with its model file, nil when
// there is none.
func (s *Store) AdoptedModel(ctx context.Context) (*archive.ModelAdoption, error) {
	var a archive.ModelAdoption
	err := s.db.QueryRowContext(ctx, `SELECT version, model_sha256, model, evaluation, adopted_by, adopted_at, reason
		FROM model_adoptions ORDER BY adopted_at DESC, version DESC LIMIT 1`).
		Scan(&a.Version, &a.ModelSHA256, &a.Model, &a.Evaluation, &a.AdoptedBy, &a.AdoptedAt, &a.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the adopted model of %q: %w", s.path, err)
	}
	a.AdoptedAt = a.AdoptedAt.UTC()
	return &a, nil
}
