-- Where support requests are talked about on chat platforms (bot-core SupportLinkStore), so that a
-- restarted bot still relays between a request's support thread and its requester's conversation.
-- The same script runs on H2 2.x and PostgreSQL. thread_ref and requester_ref are opaque text the
-- chat adapter owns (ids and URLs only, never a token); thread_key is the adapter's name for the
-- support thread, unique per platform, for the way back from a message in that thread.

CREATE TABLE support_link (
    request_id    VARCHAR(8)   NOT NULL,
    platform      VARCHAR(40)  NOT NULL,
    thread_key    VARCHAR(400),
    thread_ref    TEXT,
    requester_ref TEXT,
    CONSTRAINT support_link_pk PRIMARY KEY (request_id, platform),
    CONSTRAINT support_link_request_fk FOREIGN KEY (request_id) REFERENCES support_request (id),
    CONSTRAINT support_link_thread_uq UNIQUE (platform, thread_key)
);
