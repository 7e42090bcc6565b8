-- Each timeline step names the order_updates event it caused (its event_id), so a client that holds
-- the order from the REST API recognises that event when the live stream delivers it. Steps written
-- before this column existed have none.
ALTER TABLE order_status_change ADD COLUMN event_id UUID;
