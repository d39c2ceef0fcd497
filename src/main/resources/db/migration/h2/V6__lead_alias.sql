-- externalIds of submissions that were deduplicated onto an existing lead: a retry of the same
-- submission finds its lead again instead of recording the engagement twice.
CREATE TABLE lf_lead_alias (
    external_id VARCHAR(100) NOT NULL PRIMARY KEY,
    lead_id     VARCHAR(36)  NOT NULL,
    created_at  TIMESTAMP    NOT NULL
);
CREATE INDEX ix_lf_lead_alias_lead ON lf_lead_alias (lead_id);
