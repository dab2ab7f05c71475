-- Chat (package chat): participants, connection tokens, transcript items and
-- attachments of chat contacts. Documents (data) are the chat package's JSON.

CREATE TABLE chat_participants (
    instance_id    TEXT NOT NULL,
    contact_id     TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    token_hash     TEXT NOT NULL,
    data           BLOB NOT NULL,
    PRIMARY KEY (instance_id, contact_id, participant_id)
) STRICT;

-- Every participant API call starts from a token.
CREATE UNIQUE INDEX chat_participants_token ON chat_participants (token_hash);

CREATE TABLE chat_connections (
    token_hash     TEXT NOT NULL PRIMARY KEY,
    instance_id    TEXT NOT NULL,
    contact_id     TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    expires_at     INTEGER
) STRICT;

CREATE INDEX chat_connections_expiry ON chat_connections (expires_at);
CREATE INDEX chat_connections_instance ON chat_connections (instance_id);

CREATE TABLE chat_items (
    instance_id TEXT    NOT NULL,
    contact_id  TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    id          TEXT    NOT NULL,
    at          INTEGER,
    data        BLOB    NOT NULL,
    PRIMARY KEY (instance_id, contact_id, seq)
) STRICT;

CREATE UNIQUE INDEX chat_items_id ON chat_items (instance_id, contact_id, id);
-- GetTranscript's StartPosition.AbsoluteTime finds the first item at a time.
CREATE INDEX chat_items_at ON chat_items (instance_id, contact_id, at);

CREATE TABLE chat_attachments (
    instance_id TEXT NOT NULL,
    contact_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    created_at  INTEGER,
    data        BLOB NOT NULL,
    content     BLOB NOT NULL,
    PRIMARY KEY (instance_id, contact_id, id)
) STRICT;
