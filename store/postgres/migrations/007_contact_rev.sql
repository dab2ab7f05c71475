-- rev counts the writes of a contact row (the store increments it on every
-- PutContact), so that a reader holding a decoded copy of the contact can
-- tell with one small column whether the document changed since, instead of
-- reading and comparing the document itself. Chat's SendMessage does this
-- on every message (chat/session.go).
ALTER TABLE contacts ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
