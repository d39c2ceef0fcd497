-- Cluster-wide locks of scheduled Leadflow jobs: a node runs a job only while it holds the row.
CREATE TABLE lf_scheduler_lock (
    name         VARCHAR(64)  NOT NULL PRIMARY KEY,
    locked_until TIMESTAMP    NOT NULL,
    locked_by    VARCHAR(128)
);
INSERT INTO lf_scheduler_lock (name, locked_until) VALUES ('audit-consistency', TIMESTAMP '2000-01-01 00:00:00');
INSERT INTO lf_scheduler_lock (name, locked_until) VALUES ('audit-daily-alert', TIMESTAMP '2000-01-01 00:00:00');

-- Each run of the consistency check, and the drift it found between the projection and the engine.
CREATE TABLE lf_audit_run (
    id                   VARCHAR(36)  NOT NULL PRIMARY KEY,
    started_at           TIMESTAMP    NOT NULL,
    finished_at          TIMESTAMP    NOT NULL,
    active_leads         BIGINT       NOT NULL,
    without_next_action  BIGINT       NOT NULL,
    incidents            BIGINT       NOT NULL,
    run_by               VARCHAR(128)
);
CREATE INDEX ix_lf_audit_run_started ON lf_audit_run (started_at);

CREATE TABLE lf_audit_drift (
    run_id      VARCHAR(36)   NOT NULL,
    lead_id     VARCHAR(36)   NOT NULL,
    reason      VARCHAR(32)   NOT NULL,
    detail      VARCHAR(500),
    CONSTRAINT pk_lf_audit_drift PRIMARY KEY (run_id, lead_id)
);

-- The daily alert to managers (sent through the mail outbox once it exists; recorded here always).
CREATE TABLE lf_audit_alert (
    id                   VARCHAR(36)   NOT NULL PRIMARY KEY,
    alert_day            DATE          NOT NULL,
    created_at           TIMESTAMP     NOT NULL,
    summary              VARCHAR(4000) NOT NULL,
    CONSTRAINT uk_lf_audit_alert_day UNIQUE (alert_day)
);
