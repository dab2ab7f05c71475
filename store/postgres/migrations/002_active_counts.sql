-- Active contacts per instance and channel, kept exact by a trigger in the
-- same transaction (see the SQLite migration of the same number for why).
CREATE TABLE active_contacts (
    instance_id TEXT COLLATE "C" NOT NULL,
    channel     TEXT COLLATE "C" NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (instance_id, channel)
);

INSERT INTO active_contacts (instance_id, channel, n)
    SELECT instance_id, channel, COUNT(*) FROM contacts WHERE active GROUP BY instance_id, channel;

CREATE FUNCTION contacts_active_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.active THEN
        UPDATE active_contacts SET n = n - 1 WHERE instance_id = OLD.instance_id AND channel = OLD.channel;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.active THEN
        INSERT INTO active_contacts (instance_id, channel, n) VALUES (NEW.instance_id, NEW.channel, 1)
            ON CONFLICT (instance_id, channel) DO UPDATE SET n = active_contacts.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER contacts_active_insert AFTER INSERT ON contacts
    FOR EACH ROW WHEN (NEW.active) EXECUTE FUNCTION contacts_active_count();
CREATE TRIGGER contacts_active_delete AFTER DELETE ON contacts
    FOR EACH ROW WHEN (OLD.active) EXECUTE FUNCTION contacts_active_count();
CREATE TRIGGER contacts_active_update AFTER UPDATE OF active, channel, instance_id ON contacts
    FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.channel IS DISTINCT FROM NEW.channel
                       OR OLD.instance_id IS DISTINCT FROM NEW.instance_id)
    EXECUTE FUNCTION contacts_active_count();
