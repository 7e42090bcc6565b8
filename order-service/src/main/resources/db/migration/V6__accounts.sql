-- Accounts: a shopper who signed up. The user id is what orders and sessions carry (a guest's is
-- "u_…", an account's "a_…"); the email is kept as typed but unique whatever its case; the
-- password only as a bcrypt hash (Modular Crypt Format, "$2a$10$…").
CREATE TABLE account (
    user_id       VARCHAR(64)  PRIMARY KEY,
    email         VARCHAR(254) NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX account_email ON account (lower(email));
