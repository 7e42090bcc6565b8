-- Orders belong to a session user; lines keep the name and price taken from the catalog when the
-- order was placed, so later catalog edits do not rewrite history.
CREATE TABLE customer_order (
    id          BIGSERIAL   PRIMARY KEY,
    user_id     VARCHAR(64) NOT NULL,
    status      VARCHAR(16) NOT NULL
                CHECK (status IN ('PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
    total_cents BIGINT      NOT NULL CHECK (total_cents >= 0),
    currency    CHAR(3)     NOT NULL,
    version     BIGINT      NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX customer_order_user ON customer_order (user_id, id DESC);

CREATE TABLE order_line (
    id               BIGSERIAL    PRIMARY KEY,
    order_id         BIGINT       NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    product_id       BIGINT       NOT NULL,
    sku              VARCHAR(64)  NOT NULL,
    name             VARCHAR(200) NOT NULL,
    unit_price_cents BIGINT       NOT NULL CHECK (unit_price_cents >= 0),
    quantity         INTEGER      NOT NULL CHECK (quantity > 0)
);

CREATE INDEX order_line_order ON order_line (order_id);

-- Every status an order has had, for its timeline.
CREATE TABLE order_status_change (
    id              BIGSERIAL   PRIMARY KEY,
    order_id        BIGINT      NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    status          VARCHAR(16) NOT NULL,
    previous_status VARCHAR(16),
    changed_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX order_status_change_order ON order_status_change (order_id, id);

-- Transactional outbox: events and jobs written with the change that causes them, published to
-- Redis by OutboxRelay in id order, then deleted.
CREATE TABLE outbox (
    id         BIGSERIAL   PRIMARY KEY,
    kind       VARCHAR(16) NOT NULL CHECK (kind IN ('ORDER_UPDATE', 'TASK')),
    payload    TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
