-- The catalog: one row per product. Prices are integer cents; never floating point money.
CREATE TABLE product (
    id          BIGSERIAL    PRIMARY KEY,
    sku         VARCHAR(64)  NOT NULL UNIQUE,
    name        VARCHAR(200) NOT NULL,
    description VARCHAR(4000) NOT NULL DEFAULT '',
    price_cents BIGINT       NOT NULL CHECK (price_cents >= 0),
    currency    CHAR(3)      NOT NULL,
    category    VARCHAR(64)  NOT NULL,
    stock       INTEGER      NOT NULL CHECK (stock >= 0),
    version     BIGINT       NOT NULL DEFAULT 0,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Paging by category in a stable order (id).
CREATE INDEX product_category_id ON product (category, id);
