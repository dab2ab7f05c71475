-- Most contacts have no PreviousContactId (''), and every one of them was
-- an entry in this index, all under the same key: one more B-tree insert
-- on the single writer for every new contact, for nothing. Only contacts
-- that have one are indexed now; the query that uses it (linked tasks per
-- PreviousContactId) says previous_contact_id <> '' so that the planner
-- knows the partial index applies.
DROP INDEX contacts_previous;
CREATE INDEX contacts_previous ON contacts (instance_id, previous_contact_id) WHERE previous_contact_id <> '';
