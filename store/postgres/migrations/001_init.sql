-- Times are BIGINT Unix microseconds, NULL for "no time" (see sqlstore).
-- Text keys use COLLATE "C" so that ORDER BY id and id > $n compare bytes,
-- exactly as SQLite does, whatever the database's default locale.

CREATE TABLE records (
    kind        TEXT COLLATE "C" NOT NULL,
    instance_id TEXT COLLATE "C" NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    data        BYTEA  NOT NULL,
    created_at  BIGINT,
    updated_at  BIGINT,
    PRIMARY KEY (kind, instance_id, id)
);

-- Names are unique per kind and instance, but many records may have none.
CREATE UNIQUE INDEX records_name ON records (kind, instance_id, name) WHERE name <> '';
-- DeleteInstance removes by instance across kinds.
CREATE INDEX records_instance ON records (instance_id);

CREATE TABLE contacts (
    instance_id             TEXT COLLATE "C" NOT NULL,
    id                      TEXT COLLATE "C" NOT NULL,
    initial_contact_id      TEXT COLLATE "C" NOT NULL,
    previous_contact_id     TEXT COLLATE "C" NOT NULL,
    related_contact_id      TEXT COLLATE "C" NOT NULL,
    channel                 TEXT COLLATE "C" NOT NULL,
    initiation_method       TEXT COLLATE "C" NOT NULL,
    queue_id                TEXT COLLATE "C" NOT NULL,
    agent_id                TEXT COLLATE "C" NOT NULL,
    active                  BOOLEAN NOT NULL,
    initiation_time         BIGINT,
    scheduled_time          BIGINT,
    enqueue_time            BIGINT,
    connected_to_agent_time BIGINT,
    disconnect_time         BIGINT,
    expiry_time             BIGINT,
    data                    BYTEA NOT NULL,
    PRIMARY KEY (instance_id, id)
);

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
    instance_id  TEXT COLLATE "C" NOT NULL,
    operation    TEXT COLLATE "C" NOT NULL,
    token        TEXT COLLATE "C" NOT NULL,
    request_hash TEXT NOT NULL,
    result_id    TEXT NOT NULL,
    created_at   BIGINT,
    PRIMARY KEY (instance_id, operation, token)
);

-- Expiry deletes by age.
CREATE INDEX idempotency_created ON idempotency (created_at);
