-- Accounts: a shopper who signed up. The user id is what orders and sessions carry (a guest's is
-- "u_…", an account's "a_…"). The email is kept as typed; email_key is the form order-service
-- compares (NFKC, lower case, Java's rules), unique, so that two spellings of one address are one
-- account and one sign-in budget. The password only as a bcrypt hash ("$2a$10$…").
CREATE TABLE account (
    user_id       VARCHAR(64)  PRIMARY KEY,
    email         VARCHAR(254) NOT NULL,
    email_key     TEXT         NOT NULL UNIQUE,
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
