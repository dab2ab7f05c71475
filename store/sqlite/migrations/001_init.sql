-- Times are INTEGER Unix microseconds, NULL for "no time" (see sqlstore).
-- STRICT makes SQLite refuse a value of the wrong type instead of storing it.

CREATE TABLE records (
    kind        TEXT    NOT NULL,
    instance_id TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    data        BLOB    NOT NULL,
    created_at  INTEGER,
    updated_at  INTEGER,
    PRIMARY KEY (kind, instance_id, id)
) STRICT;

-- Names are unique per kind and instance, but many records may have none.
CREATE UNIQUE INDEX records_name ON records (kind, instance_id, name) WHERE name <> '';
-- DeleteInstance removes by instance across kinds.
CREATE INDEX records_instance ON records (instance_id);

CREATE TABLE contacts (
    instance_id             TEXT    NOT NULL,
    id                      TEXT    NOT NULL,
    initial_contact_id      TEXT    NOT NULL,
    previous_contact_id     TEXT    NOT NULL,
    related_contact_id      TEXT    NOT NULL,
    channel                 TEXT    NOT NULL,
    initiation_method       TEXT    NOT NULL,
    queue_id                TEXT    NOT NULL,
    agent_id                TEXT    NOT NULL,
    active                  INTEGER NOT NULL CHECK (active IN (0, 1)),
    initiation_time         INTEGER,
    scheduled_time          INTEGER,
    enqueue_time            INTEGER,
    connected_to_agent_time INTEGER,
    disconnect_time         INTEGER,
    expiry_time             INTEGER,
    data                    BLOB    NOT NULL,
    PRIMARY KEY (instance_id, id)
) STRICT;

CREATE INDEX contacts_initiation ON contacts (instance_id, initiation_time);
CREATE INDEX contacts_scheduled ON contacts (instance_id, scheduled_time);
CREATE INDEX contacts_enqueue ON contacts (instance_id, enqueue_time);
CREATE INDEX contacts_connected ON contacts (instance_id, connected_to_agent_time);
CREATE INDEX contacts_disconnect ON contacts (instance_id, disconnect_time);
CREATE INDEX contacts_expiry ON contacts (instance_id, expiry_time);
CREATE INDEX contacts_previous ON contacts (instance_id, previous_contact_id);
CREATE INDEX contacts_initial ON contacts (instance_id, initial_contact_id);
-- The concurrency quotas count active contacts per channel.
CREATE INDEX contacts_active ON contacts (instance_id, channel, active);

CREATE TABLE idempotency (
    instance_id  TEXT NOT NULL,
    operation    TEXT NOT NULL,
    token        TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    result_id    TEXT NOT NULL,
    created_at   INTEGER,
    PRIMARY KEY (instance_id, operation, token)
) STRICT;

-- Expiry deletes by age.
CREATE INDEX idempotency_created ON idempotency (created_at);
