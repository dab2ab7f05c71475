-- The concurrency quotas ask, on every new contact, how many contacts of a
-- channel are active in the instance. Counting index entries costs time in
-- proportion to the active contacts, on the single writer; these counts are
-- kept exact by triggers in the same transaction instead, so the question
-- costs one primary-key lookup.
CREATE TABLE active_contacts (
    instance_id TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (instance_id, channel)
) STRICT;

INSERT INTO active_contacts (instance_id, channel, n)
    SELECT instance_id, channel, COUNT(*) FROM contacts WHERE active = 1 GROUP BY instance_id, channel;

CREATE TRIGGER contacts_active_insert AFTER INSERT ON contacts WHEN NEW.active = 1
BEGIN
    INSERT INTO active_contacts (instance_id, channel, n) VALUES (NEW.instance_id, NEW.channel, 1)
        ON CONFLICT (instance_id, channel) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER contacts_active_delete AFTER DELETE ON contacts WHEN OLD.active = 1
BEGIN
    UPDATE active_contacts SET n = n - 1 WHERE instance_id = OLD.instance_id AND channel = OLD.channel;
END;

CREATE TRIGGER contacts_active_update AFTER UPDATE OF active, channel, instance_id ON contacts
    WHEN OLD.active <> NEW.active OR OLD.channel <> NEW.channel OR OLD.instance_id <> NEW.instance_id
BEGIN
    UPDATE active_contacts SET n = n - 1
        WHERE OLD.active = 1 AND instance_id = OLD.instance_id AND channel = OLD.channel;
    INSERT INTO active_contacts (instance_id, channel, n)
        SELECT NEW.instance_id, NEW.channel, 1 WHERE NEW.active = 1
        ON CONFLICT (instance_id, channel) DO UPDATE SET n = n + 1;
END;
