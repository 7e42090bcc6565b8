-- An order is priced by its reservation (README "Stock"): it is written RESERVING with no lines and
-- no money yet, catalog-service's reservation answers each product as sold, and the confirming
-- statement writes the lines, the total and the currency. Only a RESERVING order, which nobody
-- sees, may lack them.
ALTER TABLE customer_order
    ALTER COLUMN total_cents DROP NOT NULL,
    ALTER COLUMN currency DROP NOT NULL,
    ADD CONSTRAINT customer_order_priced
        CHECK (stock_state = 'RESERVING' OR (total_cents IS NOT NULL AND currency IS NOT NULL));
