-- Historical metrics (package metrics): one row per 5-minute bucket and
-- combination of dimensions. key encodes the dimensions and data the
-- counters; both are the metrics package's, opaque to the store.

CREATE TABLE metric_cells (
    instance_id TEXT    NOT NULL,
    bucket      INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (instance_id, bucket, key)
) STRICT;

-- Loading at start and retention both range over buckets of every instance.
CREATE INDEX metric_cells_bucket ON metric_cells (bucket);
