-- Most contacts have no scheduled, enqueue, connected or disconnect time
-- when they are written first. Indexing only rows that have the time spares
-- every new contact four index insertions; range queries on a column imply
-- it is not NULL, so they still use these indexes.
DROP INDEX contacts_scheduled;
DROP INDEX contacts_enqueue;
DROP INDEX contacts_connected;
DROP INDEX contacts_disconnect;
CREATE INDEX contacts_scheduled ON contacts (instance_id, scheduled_time) WHERE scheduled_time IS NOT NULL;
CREATE INDEX contacts_enqueue ON contacts (instance_id, enqueue_time) WHERE enqueue_time IS NOT NULL;
CREATE INDEX contacts_connected ON contacts (instance_id, connected_to_agent_time) WHERE connected_to_agent_time IS NOT NULL;
CREATE INDEX contacts_disconnect ON contacts (instance_id, disconnect_time) WHERE disconnect_time IS NOT NULL;
