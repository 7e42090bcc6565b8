-- Stock held for orders. order-service names each placement of an order with a UUID and reserves
-- its lines under it; cancelling the order releases it. A placement is HELD (its stock is taken
-- from product.stock) or RELEASED (given back, or refused before it was ever held: a tombstone, so a
-- reservation that arrives after its release can no longer take stock). A delivered order's
-- placement simply stays HELD.
CREATE TABLE stock_reservation (
    placement   UUID        PRIMARY KEY,
    order_id    BIGINT,
    state       VARCHAR(8)  NOT NULL CHECK (state IN ('HELD', 'RELEASED')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    released_at TIMESTAMPTZ
);

CREATE TABLE stock_reservation_line (
    placement  UUID    NOT NULL REFERENCES stock_reservation (placement) ON DELETE CASCADE,
    product_id BIGINT  NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (placement, product_id)
);

-- Tombstones and releases are purged after a retention (StockReservations); an index for that.
CREATE INDEX stock_reservation_released ON stock_reservation (released_at) WHERE state = 'RELEASED';

-- Reserves every line of a placement or none, in one statement (one transaction). Answers one row:
--   RESERVED (and the cache invalidations it owes, one per product), HELD (this placement was
--   reserved before: a retry), RELEASED (released before it was reserved: refused for good), or
--   SHORT with the first product that lacks stock and what is left of it (-1: no such product),
--   which also leaves the placement RELEASED.
-- Products are locked in id order, so two placements of the same products never deadlock; a
-- retry of a placement still in flight waits on its primary key and then sees its outcome. A lock
-- held longer than lock_timeout fails the call (55P03, answered 503) instead of queueing every
-- attempt a client has given up on behind it.
CREATE FUNCTION reserve_stock(p_placement UUID, p_order BIGINT, p_ids BIGINT[], p_quantities INT[])
RETURNS TABLE (outcome TEXT, short_product BIGINT, short_stock INTEGER, owed_ids BIGINT[], owed_products BIGINT[])
LANGUAGE plpgsql SET search_path FROM CURRENT SET lock_timeout = '2s' AS $$
DECLARE
    previous TEXT;
    short_line RECORD;
    pass INTEGER;
    refused BOOLEAN;
BEGIN
    INSERT INTO stock_reservation (placement, order_id, state)
    VALUES (p_placement, p_order, 'HELD')
    ON CONFLICT (placement) DO NOTHING;
    IF NOT FOUND THEN
        SELECT r.state INTO previous FROM stock_reservation r WHERE r.placement = p_placement;
        RETURN QUERY SELECT previous, NULL::BIGINT, NULL::INTEGER, NULL::BIGINT[], NULL::BIGINT[];
        RETURN;
    END IF;

    -- First without locks: once a product is sold out, the refusals of a rush of orders for it do
    -- not queue on its row lock behind each other. Then again under the locks, which decides.
    FOR pass IN 1..2 LOOP
        IF pass = 2 THEN
            PERFORM 1 FROM product p WHERE p.id = ANY (p_ids) ORDER BY p.id FOR UPDATE;
        END IF;
        SELECT w.id, COALESCE(p.stock, -1) AS stock INTO short_line
        FROM unnest(p_ids, p_quantities) AS w (id, quantity)
        LEFT JOIN product p ON p.id = w.id
        WHERE p.id IS NULL OR p.stock < w.quantity
        ORDER BY w.id
        LIMIT 1;
        refused := FOUND;
        EXIT WHEN refused;
    END LOOP;
    -- (Not FOUND here: a FOR loop sets FOUND itself.)
    IF refused THEN
        -- Nothing held, and nothing ever will be for this placement: order-service gives the order
        -- up on a refusal, so an earlier attempt of it still on its way must not take stock later.
        UPDATE stock_reservation r SET state = 'RELEASED', released_at = clock_timestamp()
        WHERE r.placement = p_placement;
        RETURN QUERY SELECT 'SHORT'::TEXT, short_line.id, short_line.stock, NULL::BIGINT[], NULL::BIGINT[];
        RETURN;
    END IF;

    UPDATE product p
    SET stock = p.stock - w.quantity, version = p.version + 1, updated_at = now()
    FROM unnest(p_ids, p_quantities) AS w (id, quantity)
    WHERE p.id = w.id;
    INSERT INTO stock_reservation_line (placement, product_id, quantity)
    SELECT p_placement, w.id, w.quantity FROM unnest(p_ids, p_quantities) AS w (id, quantity);
    RETURN QUERY
    WITH made AS (
        INSERT INTO cache_invalidation (product_id, created_at)
        SELECT w.id, clock_timestamp() FROM unnest(p_ids) AS w (id)
        RETURNING cache_invalidation.id, cache_invalidation.product_id)
    SELECT 'RESERVED'::TEXT, NULL::BIGINT, NULL::INTEGER, array_agg(o.id), array_agg(o.product_id)
    FROM made o;
END
$$;

-- Gives a placement's stock back, once: RELEASED (given back now, with the cache invalidations it
-- owes), ALREADY (released before) or TOMBSTONE (never reserved: now it never will be).
CREATE FUNCTION release_stock(p_placement UUID)
RETURNS TABLE (outcome TEXT, owed_ids BIGINT[], owed_products BIGINT[])
LANGUAGE plpgsql SET search_path FROM CURRENT SET lock_timeout = '2s' AS $$
BEGIN
    INSERT INTO stock_reservation (placement, state, released_at)
    VALUES (p_placement, 'RELEASED', clock_timestamp())
    ON CONFLICT (placement) DO NOTHING;
    IF FOUND THEN
        RETURN QUERY SELECT 'TOMBSTONE'::TEXT, NULL::BIGINT[], NULL::BIGINT[];
        RETURN;
    END IF;
    UPDATE stock_reservation r SET state = 'RELEASED', released_at = clock_timestamp()
    WHERE r.placement = p_placement AND r.state = 'HELD';
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'ALREADY'::TEXT, NULL::BIGINT[], NULL::BIGINT[];
        RETURN;
    END IF;

    PERFORM 1 FROM product p
    WHERE p.id IN (SELECT l.product_id FROM stock_reservation_line l WHERE l.placement = p_placement)
    ORDER BY p.id FOR UPDATE;
    UPDATE product p
    SET stock = p.stock + l.quantity, version = p.version + 1, updated_at = now()
    FROM stock_reservation_line l
    WHERE l.placement = p_placement AND p.id = l.product_id;
    RETURN QUERY
    WITH made AS (
        INSERT INTO cache_invalidation (product_id, created_at)
        SELECT l.product_id, clock_timestamp() FROM stock_reservation_line l WHERE l.placement = p_placement
        RETURNING cache_invalidation.id, cache_invalidation.product_id)
    SELECT 'RELEASED'::TEXT, array_agg(o.id), array_agg(o.product_id) FROM made o;
END
$$;
