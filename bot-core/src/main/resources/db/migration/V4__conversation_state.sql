-- Conversations in progress (bot-core ConversationCodec JSON), so that a restarted instance continues
-- where each user was. The same script runs on H2 2.x and PostgreSQL. conv_key is the conversation's
-- key (platform, workspace, user, thread joined by tabs); state never holds a secret; expires_at is
-- the last turn plus the idle time, after which the row is ignored and swept.

CREATE TABLE conversation_state (
    conv_key   VARCHAR(1000)            NOT NULL,
    state      TEXT                     NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT conversation_state_pk PRIMARY KEY (conv_key)
);
CREATE INDEX conversation_state_expiry_ix ON conversation_state (expires_at);
