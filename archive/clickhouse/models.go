package clickhouse

import (
	"context"
	"errors"
	"fmt"

	"github.com/vigia-mx/vigia/archive"
)

var _ archive.ModelAdopter = (*Store)(nil)

// modelAdoptionsColumns are model_adoptions' columns: the model file is a
// String (bytes), times are microseconds as in the other tables.
const modelAdoptionsColumns = "version String, model_sha256 String, model String, evaluation String, adopted_by String, adopted_at Int64, reason String"

// modelAdoptionsDDL creates model_adoptions: a MergeTree on one server; on a
// cluster a ReplicatedMergeTree on every replica and a Distributed table
// over them, as the other tables (DDL). Its rows are few: sharding is
// random, every read reads all shards.
func modelAdoptionsDDL(db, cluster string) []string {
	if cluster == "" {
		return []string{fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.model_adoptions (%s) ENGINE = MergeTree() ORDER BY adopted_at", db, modelAdoptionsColumns)}
	}
	on := " ON CLUSTER " + cluster
	return []string{
		fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.model_adoptions_local%s (%s) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/%s/model_adoptions_local', '{replica}') ORDER BY adopted_at",
			db, on, modelAdoptionsColumns, db),
		fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.model_adoptions%s AS %s.model_adoptions_local ENGINE = Distributed(%s, %s, model_adoptions_local, rand())",
			db, on, db, cluster, db),
	}
}

// createModelAdoptions creates model_adoptions where it is missing.
func (s *Store) createModelAdoptions(ctx context.Context) error {
	for _, stmt := range modelAdoptionsDDL(s.db, s.cluster) {
		if err := s.conn.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("create model_adoptions: %w", err)
		}
	}
	return nil
}

// AdoptModel records an adoption in model_adoptions.
func (s *Store) AdoptModel(ctx context.Context, a *archive.ModelAdoption) error {
	b, err := s.conn.PrepareBatch(s.writing(ctx), "INSERT INTO "+s.db+".model_adoptions (version, model_sha256, model, evaluation, adopted_by, adopted_at, reason)")
	if err != nil {
		return fmt.Errorf("adopt model in archive %q: %w", s.name, err)
	}
	if err := b.Append(a.Version, a.ModelSHA256, string(a.Model), a.Evaluation, a.AdoptedBy, us(a.AdoptedAt), a.Reason); err != nil {
		return fmt.Errorf("adopt model in archive %q: %w", s.name, errors.Join(err, b.Abort()))
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("adopt model in archive %q: %w", s.name, err)
	}
	return nil
}

// ModelAdoptions returns every adoption, oldest first, with the model files
// when withModels is set.
func (s *Store) ModelAdoptions(ctx context.Context, withModels bool) ([]archive.ModelAdoption, error) {
	model := "''"
	if withModels {
		model = "model"
	}
	rows, err := s.conn.Query(ctx, "SELECT version, model_sha256, "+model+", evaluation, adopted_by, adopted_at, reason FROM "+s.db+".model_adoptions ORDER BY adopted_at, version")
	if err != nil {
		return nil, fmt.Errorf("read model adoptions of %q: %w", s.name, err)
	}
	defer rows.Close()
	var out []archive.ModelAdoption
	for rows.Next() {
		var a archive.ModelAdoption
		var model string
		var at int64
		if err := rows.Scan(&a.Version, &a.ModelSHA256, &model, &a.Evaluation, &a.AdoptedBy, &at, &a.Reason); err != nil {
			return nil, fmt.Errorf("read model adoptions of %q: %w", s.name, err)
		}
		a.AdoptedAt = fromUS(at)
		if model != "" {
			a.Model = []byte(model)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read model adoptions of %q: %w", s.name, err)
	}
	return out, nil
}

// AdoptedModel returns the latest adoption with its model file, nil when
// there is none.
func (s *Store) AdoptedModel(ctx context.Context) (*archive.ModelAdoption, error) {
	rows, err := s.conn.Query(ctx, "SELECT version, model_sha256, model, evaluation, adopted_by, adopted_at, reason FROM "+s.db+
		".model_adoptions ORDER BY adopted_at DESC, version DESC LIMIT 1")
	if err != nil {
		return nil, fmt.Errorf("read the adopted model of %q: %w", s.name, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read the adopted model of %q: %w", s.name, err)
		}
		return nil, nil
	}
	var a archive.ModelAdoption
	var model string
	var at int64
	if err := rows.Scan(&a.Version, &a.ModelSHA256, &model, &a.Evaluation, &a.AdoptedBy, &at, &a.Reason); err != nil {
		return nil, fmt.Errorf("read the adopted model of %q: %w", s.name, err)
	}
	a.Model, a.AdoptedAt = []byte(model), fromUS(at)
	return &a, nil
}
