-- A contact that starts a chain is its own initial contact, and that is
-- almost every contact: each was an entry in this index, one more B-tree
-- insert on the single writer for every new contact (about a tenth of
-- StartTaskContact's writer time, measured). Only contacts that joined
-- another's chain are indexed now. The chain query (store/sqlstore,
-- contactWhere) finds those through this index, saying
-- initial_contact_id <> id so that the planner knows the partial index
-- applies, and the initial contact itself by its primary key.
DROP INDEX contacts_initial;
CREATE INDEX contacts_initial ON contacts (instance_id, initial_contact_id) WHERE initial_contact_id <> id;
