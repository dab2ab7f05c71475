-- Chat (package chat): participants, connection tokens, transcript items and
-- attachments of chat contacts (see the SQLite migration of the same number).

CREATE TABLE chat_participants (
    instance_id    TEXT COLLATE "C" NOT NULL,
    contact_id     TEXT COLLATE "C" NOT NULL,
    participant_id TEXT COLLATE "C" NOT NULL,
    token_hash     TEXT COLLATE "C" NOT NULL,
    data           BYTEA NOT NULL,
    PRIMARY KEY (instance_id, contact_id, participant_id)
);

CREATE UNIQUE INDEX chat_participants_token ON chat_participants (token_hash);

CREATE TABLE chat_connections (
    token_hash     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    instance_id    TEXT COLLATE "C" NOT NULL,
    contact_id     TEXT COLLATE "C" NOT NULL,
    participant_id TEXT COLLATE "C" NOT NULL,
    expires_at     BIGINT
);

CREATE INDEX chat_connections_expiry ON chat_connections (expires_at);
CREATE INDEX chat_connections_instance ON chat_connections (instance_id);

CREATE TABLE chat_items (
    instance_id TEXT COLLATE "C" NOT NULL,
    contact_id  TEXT COLLATE "C" NOT NULL,
    seq         BIGINT NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    at          BIGINT,
    data        BYTEA NOT NULL,
    PRIMARY KEY (instance_id, contact_id, seq)
);

CREATE UNIQUE INDEX chat_items_id ON chat_items (instance_id, contact_id, id);
CREATE INDEX chat_items_at ON chat_items (instance_id, contact_id, at);

CREATE TABLE chat_attachments (
    instance_id TEXT COLLATE "C" NOT NULL,
    contact_id  TEXT COLLATE "C" NOT NULL,
    id          TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT,
    data        BYTEA NOT NULL,
    content     BYTEA NOT NULL,
    PRIMARY KEY (instance_id, contact_id, id)
);
