-- A reservation answers what it sold: each line's product as it was when its stock was taken (sku,
-- name, price, currency), read under the same row locks. order-service prices the order from this
-- answer, so placing an order needs no lookup of its products before the reservation. The values
-- are kept with the line, so a retry of the placement answers the same prices even if a product
-- changed since. Lines reserved before this migration have none and answer the product's current
-- values.
ALTER TABLE stock_reservation_line
    ADD COLUMN sku              VARCHAR(64),
    ADD COLUMN name             VARCHAR(200),
    ADD COLUMN unit_price_cents BIGINT,
    ADD COLUMN currency         CHAR(3);

-- As in V4, with two more refusals that leave the placement RELEASED and hold nothing: UNKNOWN
-- (short_product names a product that does not exist) and MIXED (the products are priced in more
-- than one currency, which no order may be). RESERVED and HELD answer the lines in the order given,
-- as arrays of one element per line.
DROP FUNCTION reserve_stock(UUID, BIGINT, BIGINT[], INT[]);

CREATE FUNCTION reserve_stock(p_placement UUID, p_order BIGINT, p_ids BIGINT[], p_quantities INT[])
RETURNS TABLE (outcome TEXT, short_product BIGINT, short_stock INTEGER, owed_ids BIGINT[],
               owed_products BIGINT[], line_ids BIGINT[], line_skus TEXT[], line_names TEXT[],
               line_prices BIGINT[], line_currencies TEXT[], line_quantities INT[])
LANGUAGE plpgsql SET search_path FROM CURRENT SET lock_timeout = '2s' AS $$
DECLARE
    previous TEXT;
    lacking BIGINT;
    left_over INTEGER;
    pass INTEGER;
    refused BOOLEAN;
    refusal TEXT;
BEGIN
    INSERT INTO stock_reservation (placement, order_id, state)
    VALUES (p_placement, p_order, 'HELD')
    ON CONFLICT (placement) DO NOTHING;
    IF NOT FOUND THEN
        SELECT r.state INTO previous FROM stock_reservation r WHERE r.placement = p_placement;
        IF previous = 'HELD' THEN
            RETURN QUERY
            SELECT 'HELD'::TEXT, NULL::BIGINT, NULL::INTEGER, NULL::BIGINT[], NULL::BIGINT[],
                   array_agg(l.product_id ORDER BY w.n),
                   array_agg(COALESCE(l.sku, p.sku)::TEXT ORDER BY w.n),
                   array_agg(COALESCE(l.name, p.name)::TEXT ORDER BY w.n),
                   array_agg(COALESCE(l.unit_price_cents, p.price_cents) ORDER BY w.n),
                   array_agg(COALESCE(l.currency, p.currency)::TEXT ORDER BY w.n),
                   array_agg(l.quantity ORDER BY w.n)
            FROM unnest(p_ids) WITH ORDINALITY AS w (id, n)
            JOIN stock_reservation_line l ON l.placement = p_placement AND l.product_id = w.id
            LEFT JOIN product p ON p.id = l.product_id;
        ELSE
            RETURN QUERY
            SELECT previous, NULL::BIGINT, NULL::INTEGER, NULL::BIGINT[], NULL::BIGINT[],
                   NULL::BIGINT[], NULL::TEXT[], NULL::TEXT[], NULL::BIGINT[], NULL::TEXT[], NULL::INT[];
        END IF;
        RETURN;
    END IF;

    -- First without locks: once a product is sold out, the refusals of a rush of orders for it do
    -- not queue on its row lock behind each other. Then again under the locks, which decides.
    FOR pass IN 1..2 LOOP
        IF pass = 2 THEN
            PERFORM 1 FROM product p WHERE p.id = ANY (p_ids) ORDER BY p.id FOR UPDATE;
        END IF;
        -- An unknown product is named before one that lacks stock.
        SELECT w.id, COALESCE(p.stock, -1) INTO lacking, left_over
        FROM unnest(p_ids, p_quantities) AS w (id, quantity)
        LEFT JOIN product p ON p.id = w.id
        WHERE p.id IS NULL OR p.stock < w.quantity
        ORDER BY p.id IS NOT NULL, w.id
        LIMIT 1;
        refused := FOUND;
        IF refused THEN
            refusal := CASE WHEN left_over = -1 THEN 'UNKNOWN' ELSE 'SHORT' END;
        ELSIF (SELECT count(DISTINCT p.currency) FROM product p WHERE p.id = ANY (p_ids)) > 1 THEN
            refused := TRUE;
            refusal := 'MIXED';
        END IF;
        EXIT WHEN refused;
    END LOOP;
    -- (Not FOUND here: a FOR loop sets FOUND itself.)
    IF refused THEN
        -- Nothing held, and nothing ever will be for this placement: order-service gives the order
        -- up on a refusal, so an earlier attempt of it still on its way must not take stock later.
        UPDATE stock_reservation r SET state = 'RELEASED', released_at = clock_timestamp()
        WHERE r.placement = p_placement;
        RETURN QUERY
        SELECT refusal, lacking, left_over, NULL::BIGINT[], NULL::BIGINT[],
               NULL::BIGINT[], NULL::TEXT[], NULL::TEXT[], NULL::BIGINT[], NULL::TEXT[], NULL::INT[];
        RETURN;
    END IF;

    UPDATE product p
    SET stock = p.stock - w.quantity, version = p.version + 1, updated_at = now()
    FROM unnest(p_ids, p_quantities) AS w (id, quantity)
    WHERE p.id = w.id;
    INSERT INTO stock_reservation_line
        (placement, product_id, quantity, sku, name, unit_price_cents, currency)
    SELECT p_placement, w.id, w.quantity, p.sku, p.name, p.price_cents, p.currency
    FROM unnest(p_ids, p_quantities) AS w (id, quantity)
    JOIN product p ON p.id = w.id;
    RETURN QUERY
    WITH made AS (
        INSERT INTO cache_invalidation (product_id, created_at)
        SELECT w.id, clock_timestamp() FROM unnest(p_ids) AS w (id)
        RETURNING cache_invalidation.id, cache_invalidation.product_id),
    owed AS (SELECT array_agg(o.id) AS ids, array_agg(o.product_id) AS products FROM made o),
    sold AS (
        SELECT array_agg(p.id ORDER BY w.n) AS ids,
               array_agg(p.sku::TEXT ORDER BY w.n) AS skus,
               array_agg(p.name::TEXT ORDER BY w.n) AS names,
               array_agg(p.price_cents ORDER BY w.n) AS prices,
               array_agg(p.currency::TEXT ORDER BY w.n) AS currencies,
               array_agg(w.quantity ORDER BY w.n) AS quantities
        FROM unnest(p_ids, p_quantities) WITH ORDINALITY AS w (id, quantity, n)
        JOIN product p ON p.id = w.id)
    SELECT 'RESERVED'::TEXT, NULL::BIGINT, NULL::INTEGER, owed.ids, owed.products,
           sold.ids, sold.skus, sold.names, sold.prices, sold.currencies, sold.quantities
    FROM owed, sold;
END
$$;
