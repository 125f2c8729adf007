-- The support workflow's outbox (bot-core SupportOutbox): every change to a request writes its
-- event here in the same transaction; a delivery row per event and registered channel tracks what
-- the relay delivered, with leases so that one process delivers an (event, channel) at a time.
-- Also: who asked, as support needs it (e-mail, workspace or tenant). Same script for H2 2.x and
-- PostgreSQL.

ALTER TABLE support_request ADD COLUMN requester_email VARCHAR(320) DEFAULT '' NOT NULL;
ALTER TABLE support_request ADD COLUMN requester_workspace VARCHAR(200) DEFAULT '' NOT NULL;

CREATE TABLE support_event (
    event_id       VARCHAR(36)  NOT NULL,
    request_id     VARCHAR(8)   NOT NULL,
    seq_no         BIGINT       NOT NULL,
    event_type     VARCHAR(32)  NOT NULL,
    actor_platform VARCHAR(40)  NOT NULL,
    actor_id       VARCHAR(200) NOT NULL,
    actor_name     VARCHAR(200) NOT NULL,
    body           TEXT         NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT support_event_pk PRIMARY KEY (event_id),
    CONSTRAINT support_event_seq_uq UNIQUE (request_id, seq_no),
    CONSTRAINT support_event_request_fk FOREIGN KEY (request_id) REFERENCES support_request (id)
);

CREATE TABLE support_channel (
    channel       VARCHAR(40) NOT NULL,
    registered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT support_channel_pk PRIMARY KEY (channel)
);

CREATE TABLE support_delivery (
    event_id        VARCHAR(36)  NOT NULL,
    channel         VARCHAR(40)  NOT NULL,
    request_id      VARCHAR(8)   NOT NULL,
    seq_no          BIGINT       NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    attempts        INT          NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner     VARCHAR(200),
    lease_token     VARCHAR(40),
    lease_until     TIMESTAMP WITH TIME ZONE,
    last_error      TEXT         NOT NULL,
    receipt         TEXT         NOT NULL,
    done_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT support_delivery_pk PRIMARY KEY (event_id, channel),
    CONSTRAINT support_delivery_event_fk FOREIGN KEY (event_id) REFERENCES support_event (event_id),
    CONSTRAINT support_delivery_channel_fk FOREIGN KEY (channel) REFERENCES support_channel (channel),
    CONSTRAINT support_delivery_state_ck CHECK (state IN ('pending', 'done', 'parked'))
);

CREATE INDEX support_delivery_due_ix ON support_delivery (channel, state, next_attempt_at);
CREATE INDEX support_delivery_order_ix ON support_delivery (channel, request_id, seq_no);
