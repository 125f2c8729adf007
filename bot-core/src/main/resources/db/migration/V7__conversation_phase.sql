-- The phase of a kept conversation (bot-core Phase, e.g. CHOOSE_ENTRY), beside its state: the terminal chat asks
-- at start whether there is something to continue without reading the whole state back (reading it is most of a
-- cold start's time there). Rows saved before this column read as NULL: unknown, and the state is read instead.
-- The same script runs on H2 2.x and PostgreSQL.

ALTER TABLE conversation_state ADD COLUMN phase VARCHAR(40);
