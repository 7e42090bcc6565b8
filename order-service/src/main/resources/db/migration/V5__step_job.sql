-- A timeline step may say what became of one of the order's jobs instead of a status change (its
-- status is then the order's, unchanged): the JobFate as JSON, e.g. a payment attempt that failed
-- and runs again, or a payment given up.
ALTER TABLE order_status_change ADD COLUMN job TEXT;
