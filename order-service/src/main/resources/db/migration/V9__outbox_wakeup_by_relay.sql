-- The relay is no longer woken by a NOTIFY in every transaction that writes to the outbox: such a
-- transaction takes PostgreSQL's cluster-wide notify lock at commit and holds it through its WAL
-- flush, so those commits waited for each other. The replica that commits now wakes its own relay,
-- which NOTIFYs the others only when another replica's batch holds the lock (OutboxRelay). While
-- replicas of an older version still run, their own commits are sent at a relay's next poll.
DROP TRIGGER outbox_wakeup ON outbox;
DROP FUNCTION outbox_wakeup();
