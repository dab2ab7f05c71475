-- The idempotency table loses its key on (instance_id, operation, token).
-- That key ends in the client's random token, so its index put every new
-- entry on a leaf of its own, which the next WAL checkpoint then wrote at a
-- scattered place of the file: most of a checkpoint's cost on a slow disk.
-- The store now keeps the key in memory, rebuilt from this table at open
-- (store/sqlstore/tokens.go), and looks rows up by seq. seq is declared
-- INTEGER PRIMARY KEY so that it is the rowid and stays stable (a VACUUM
-- may renumber an undeclared rowid).
CREATE TABLE idempotency_by_seq (
    seq          INTEGER PRIMARY KEY,
    instance_id  TEXT NOT NULL,
    operation    TEXT NOT NULL,
    token        TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    result_id    TEXT NOT NULL,
    created_at   INTEGER
) STRICT;
INSERT INTO idempotency_by_seq (instance_id, operation, token, request_hash, result_id, created_at)
    SELECT instance_id, operation, token, request_hash, result_id, created_at FROM idempotency ORDER BY created_at;
DROP TABLE idempotency;
ALTER TABLE idempotency_by_seq RENAME TO idempotency;
-- Expiry deletes by age.
CREATE INDEX idempotency_created ON idempotency (created_at);
