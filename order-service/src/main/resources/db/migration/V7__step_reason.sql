-- Why a step happened where the operator did not decide it: 'unpaid' (the unpaid-order job
-- cancelled it) or 'shopper' (its owner cancelled it); null otherwise. Its event says the same.
ALTER TABLE order_status_change ADD COLUMN reason VARCHAR(16);
