-- The mail outbox: a row is written in the transaction of the step that decided the mail (so a
-- rolled-back step leaves no mail) and sent after commit by OutboxSender, which claims it first
-- (one node per row) and keeps its Message-ID across retries (receivers dedupe on it).
CREATE TABLE lf_outbox (
    id              VARCHAR(36)    NOT NULL PRIMARY KEY,
    kind            VARCHAR(32)    NOT NULL,
    lead_id         VARCHAR(36),
    to_address      VARCHAR(254)   NOT NULL,
    subject         VARCHAR(998)   NOT NULL,
    body_text       MEDIUMTEXT     NOT NULL,
    body_html       MEDIUMTEXT,
    -- JSON object of extra headers (List-Unsubscribe, Reply-To, ...), values already MIME-encoded.
    headers         JSON,
    message_id      VARCHAR(200)   COLLATE utf8mb4_bin NOT NULL,
    -- Mails that must exist once at most (the daily digest of a rep): a unique business key.
    dedupe_key      VARCHAR(200)   COLLATE utf8mb4_bin,
    state           VARCHAR(16)    NOT NULL,
    attempts        INT            DEFAULT 0 NOT NULL,
    next_attempt_at DATETIME       NOT NULL,
    claimed_by      VARCHAR(128),
    claimed_until   DATETIME,
    last_error      VARCHAR(2000),
    created_at      DATETIME       NOT NULL,
    sent_at         DATETIME,
    CONSTRAINT uk_lf_outbox_message_id UNIQUE (message_id),
    CONSTRAINT uk_lf_outbox_dedupe_key UNIQUE (dedupe_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE INDEX ix_lf_outbox_due ON lf_outbox (state, next_attempt_at);
CREATE INDEX ix_lf_outbox_claim ON lf_outbox (state, claimed_until);
CREATE INDEX ix_lf_outbox_lead ON lf_outbox (lead_id, created_at);

INSERT INTO lf_scheduler_lock (name, locked_until) VALUES ('mail-digest', '2000-01-01 00:00:00');
