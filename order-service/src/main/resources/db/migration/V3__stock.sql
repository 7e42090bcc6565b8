-- Stock (README "Stock"). An order is first written RESERVING (seen by nobody, no outbox rows), its
-- lines are then reserved at catalog-service under the order's placement, and one statement marks
-- it RESERVED and writes its outbox rows. An order the request never finished (a crash, a lost
-- answer) is given up by StockReconciler: deleted, with a release_stock job that makes the catalog
-- release or refuse the placement. Cancelling a RESERVED order makes it RELEASED, with the same job.
-- Orders placed before this migration reserved nothing: NONE.
ALTER TABLE customer_order ADD COLUMN placement UUID;
ALTER TABLE customer_order ADD COLUMN stock_state VARCHAR(10) NOT NULL DEFAULT 'NONE'
    CHECK (stock_state IN ('NONE', 'RESERVING', 'RESERVED', 'RELEASED'));

CREATE INDEX customer_order_reserving ON customer_order (created_at) WHERE stock_state = 'RESERVING';
-- Unpaid orders by age, for the cancel_unpaid_orders job and the overdue gauge.
CREATE INDEX customer_order_pending ON customer_order (created_at) WHERE status = 'PENDING';
