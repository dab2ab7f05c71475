-- Delivery outbox (package delivery): messages waiting to leave the server
-- (chat streaming notifications, SMS, email), written in the transaction of
-- the change that causes them and deleted once a sink accepted them. seq
-- orders delivery within a stream; AUTOINCREMENT keeps a deleted row's seq
-- from being reused, so a later row never sorts before an earlier one.

CREATE TABLE delivery_outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    stream       TEXT    NOT NULL,
    target       TEXT    NOT NULL,
    instance_id  TEXT    NOT NULL,
    attempts     INTEGER NOT NULL,
    next_attempt INTEGER,
    created_at   INTEGER,
    data         BLOB    NOT NULL
) STRICT;
