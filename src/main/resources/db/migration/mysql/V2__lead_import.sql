-- Bulk CSV imports: the upload is stored first (all-or-nothing), then worked row by row.
CREATE TABLE lf_import (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    status        VARCHAR(16)   NOT NULL,
    submitted_by  VARCHAR(64)   NOT NULL,
    created_at    DATETIME      NOT NULL,
    finished_at   DATETIME,
    total         INT           DEFAULT 0 NOT NULL,
    processed     INT           DEFAULT 0 NOT NULL,
    created       INT           DEFAULT 0 NOT NULL,
    deduplicated  INT           DEFAULT 0 NOT NULL,
    failed        INT           DEFAULT 0 NOT NULL,
    claimed_by    VARCHAR(128),
    heartbeat_at  DATETIME
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_lf_import_status ON lf_import (status, created_at);

-- raw_fields is MEDIUMTEXT: one row holds up to eleven values of up to 4,000 characters each.
CREATE TABLE lf_import_row (
    import_id      VARCHAR(36)   NOT NULL,
    row_no         INT           NOT NULL,
    raw_fields     MEDIUMTEXT    NOT NULL,
    state          VARCHAR(16)   NOT NULL,
    outcome        VARCHAR(16),
    lead_id        VARCHAR(36),
    error_field    VARCHAR(64),
    error_message  VARCHAR(1000),
    PRIMARY KEY (import_id, row_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_lf_import_row_state ON lf_import_row (import_id, state, row_no);
