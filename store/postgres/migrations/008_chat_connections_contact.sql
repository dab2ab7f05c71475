-- A chat that goes on in a new contact (a disconnect flow after the agent
-- left) takes its customer's connection tokens along: they are found by
-- contact. The new index also serves the per-instance deletes the old one
-- was for, so it replaces it.
CREATE INDEX chat_connections_contact ON chat_connections (instance_id, contact_id);
DROP INDEX chat_connections_instance;
