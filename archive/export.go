package archive

// Rows is what an engine's query result offers: *sql.Rows and the
// ClickHouse driver's rows both do.
type Rows interface {
	Next() bool
	Err() error
}

// Gather reads rows with scan, which adds each row's record to a batch, and
// hands fn the batches, each of at most size records: the loop of every
// engine's Export.
func Gather[R Rows](rows R, size int, scan func(R, *Batch) error, fn func(*Batch) error) error {
	b := &Batch{}
	for rows.Next() {
		if err := scan(rows, b); err != nil {
			return err
		}
		if b.Len() >= size {
			if err := fn(b); err != nil {
				return err
			}
			b = &Batch{}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if b.Len() > 0 {
		return fn(b)
	}
	return nil
}
