-- Support requests (bot-core io.smtpassistant.core.support). The same script runs on H2 2.x and
-- PostgreSQL. Scalar fields are columns; the settings, the check snapshot and the tree path are JSON
-- text written by SupportJson; status changes are rows of their own.

CREATE TABLE support_request (
    id                 VARCHAR(8)   NOT NULL,
    seq                BIGINT       GENERATED ALWAYS AS IDENTITY,
    status             VARCHAR(16)  NOT NULL,
    assignee           VARCHAR(200),
    requester_platform VARCHAR(40)  NOT NULL,
    requester_user_id  VARCHAR(200) NOT NULL,
    requester_name     VARCHAR(200) NOT NULL,
    summary            VARCHAR(200) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    settings_json      TEXT         NOT NULL,
    check_json         TEXT,
    tree_path_json     TEXT         NOT NULL,
    note               TEXT         NOT NULL,
    CONSTRAINT support_request_pk PRIMARY KEY (id),
    CONSTRAINT support_request_status_ck CHECK (status IN ('open', 'claimed', 'resolved'))
);

-- newest first: ORDER BY created_at DESC, seq DESC, optionally filtered by status or requester
CREATE INDEX support_request_created_ix ON support_request (created_at, seq);
CREATE INDEX support_request_status_ix ON support_request (status, created_at, seq);
CREATE INDEX support_request_requester_ix ON support_request (requester_platform, requester_user_id, created_at, seq);

CREATE TABLE support_request_history (
    request_id  VARCHAR(8)   NOT NULL,
    seq_no      INT          NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    from_status VARCHAR(16)  NOT NULL,
    to_status   VARCHAR(16)  NOT NULL,
    note        TEXT         NOT NULL,
    CONSTRAINT support_request_history_pk PRIMARY KEY (request_id, seq_no),
    CONSTRAINT support_request_history_fk FOREIGN KEY (request_id) REFERENCES support_request (id)
);
