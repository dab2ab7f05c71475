-- Historical metrics (package metrics); see the SQLite migration of the
-- same number.

CREATE TABLE metric_cells (
    instance_id TEXT COLLATE "C" NOT NULL,
    bucket      BIGINT NOT NULL,
    key         TEXT COLLATE "C" NOT NULL,
    data        BYTEA NOT NULL,
    PRIMARY KEY (instance_id, bucket, key)
);

CREATE INDEX metric_cells_bucket ON metric_cells (bucket);
