-- KPI counters per team-zone day, rep and route: written in the transaction of the step they count.
CREATE TABLE lf_kpi_day (
    event_day      DATE        NOT NULL,
    rep            VARCHAR(64) NOT NULL,
    route          VARCHAR(16) NOT NULL,
    calls          INT         DEFAULT 0 NOT NULL,
    contacts       INT         DEFAULT 0 NOT NULL,
    meetings       INT         DEFAULT 0 NOT NULL,
    hearing_items  INT         DEFAULT 0 NOT NULL,
    emails         INT         DEFAULT 0 NOT NULL,
    handoffs       INT         DEFAULT 0 NOT NULL,
    meetings_held  INT         DEFAULT 0 NOT NULL,
    opportunities  INT         DEFAULT 0 NOT NULL,
    CONSTRAINT pk_lf_kpi_day PRIMARY KEY (event_day, rep, route)
);
CREATE INDEX ix_lf_kpi_day_rep ON lf_kpi_day (rep, event_day);

-- Targets per quarter ('2026-Q4'), for the team (rep = '*') or one rep.
CREATE TABLE lf_kpi_target (
    quarter              VARCHAR(7)    NOT NULL,
    rep                  VARCHAR(64)   NOT NULL,
    calls_per_day        INT           NOT NULL,
    contact_rate         DECIMAL(5, 4) NOT NULL,
    meeting_rate_min     DECIMAL(5, 4) NOT NULL,
    meeting_rate_max     DECIMAL(5, 4) NOT NULL,
    hearing_min          DECIMAL(6, 2) NOT NULL,
    hearing_max          DECIMAL(6, 2) NOT NULL,
    touch_interval_days  INT           NOT NULL,
    opportunity_rate_min DECIMAL(5, 4) NOT NULL,
    opportunity_rate_max DECIMAL(5, 4) NOT NULL,
    updated_by           VARCHAR(64),
    updated_at           TIMESTAMP     NOT NULL,
    CONSTRAINT pk_lf_kpi_target PRIMARY KEY (quarter, rep)
);

-- Managers' review notes and recovery plans per period and rep (rep NULL = the team).
CREATE TABLE lf_kpi_review (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    period_from   DATE          NOT NULL,
    period_to     DATE          NOT NULL,
    rep           VARCHAR(64),
    note          VARCHAR(4000) NOT NULL,
    recovery_plan VARCHAR(4000),
    created_by    VARCHAR(64)   NOT NULL,
    created_at    TIMESTAMP     NOT NULL
);
CREATE INDEX ix_lf_kpi_review_period ON lf_kpi_review (period_to, period_from);
