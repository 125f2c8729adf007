-- Whether a stored conversation waits for an effect (a live check, an MX lookup, the opening of a
-- request). An instance stopped before the result came back leaves such rows; the restarted instance
-- finds them here and offers each user the work again, without waiting for them to write.
-- The same script runs on H2 2.x and PostgreSQL.

ALTER TABLE conversation_state ADD COLUMN waiting_effect BOOLEAN DEFAULT FALSE NOT NULL;
