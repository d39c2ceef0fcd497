-- Bulk CSV imports: the upload is stored first (all-or-nothing), then worked row by row.
CREATE TABLE lf_import (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    status        VARCHAR(16)   NOT NULL,
    submitted_by  VARCHAR(64)   NOT NULL,
    created_at    TIMESTAMP     NOT NULL,
    finished_at   TIMESTAMP,
    total         INT           DEFAULT 0 NOT NULL,
    processed     INT           DEFAULT 0 NOT NULL,
    created       INT           DEFAULT 0 NOT NULL,
    deduplicated  INT           DEFAULT 0 NOT NULL,
    failed        INT           DEFAULT 0 NOT NULL,
    claimed_by    VARCHAR(128),
    heartbeat_at  TIMESTAMP
);
CREATE INDEX ix_lf_import_status ON lf_import (status, created_at);

CREATE TABLE lf_import_row (
    import_id      VARCHAR(36)   NOT NULL,
    row_no         INT           NOT NULL,
    raw_fields     CLOB          NOT NULL,
    state          VARCHAR(16)   NOT NULL,
    outcome        VARCHAR(16),
    lead_id        VARCHAR(36),
    error_field    VARCHAR(64),
    error_message  VARCHAR(1000),
    PRIMARY KEY (import_id, row_no)
);
CREATE INDEX ix_lf_import_row_state ON lf_import_row (import_id, state, row_no);
