-- Wakes the outbox relay of every replica when a transaction that wrote to the outbox commits
-- (NOTIFY is delivered at commit, once per transaction): the replica holding the relay's lock then
-- sends a change committed on another replica at once, not at its next poll. OutboxWakeup LISTENs.
CREATE FUNCTION outbox_wakeup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('orders_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_wakeup AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_wakeup();
