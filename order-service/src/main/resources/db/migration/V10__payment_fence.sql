-- A payer's move to PAID names its charge (paid_by). A payer that cannot tell whether its move was
-- made voids the charge (voided_payments) instead of reading the order: under the order's row lock,
-- the order keeps the charge it is PAID by, and a voided charge's move, however late, is refused.
ALTER TABLE customer_order
  ADD COLUMN paid_by VARCHAR(200),
  ADD COLUMN voided_payments VARCHAR(200)[];
