-- Delivery outbox (package delivery); see the SQLite migration of the same
-- number.

CREATE TABLE delivery_outbox (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream       TEXT COLLATE "C" NOT NULL,
    target       TEXT COLLATE "C" NOT NULL,
    instance_id  TEXT COLLATE "C" NOT NULL,
    attempts     INTEGER NOT NULL,
    next_attempt BIGINT,
    created_at   BIGINT,
    data         BYTEA NOT NULL
);
