-- Leadflow's own tables (Camunda creates and migrates its own ACT_* tables).
CREATE TABLE lf_lead (
    id             VARCHAR(36)   NOT NULL PRIMARY KEY,
    external_id    VARCHAR(100)  NOT NULL,
    route          VARCHAR(16)   NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    company        VARCHAR(200)  NOT NULL,
    contact_name   VARCHAR(100),
    email          VARCHAR(254),
    email_norm     VARCHAR(254),
    active_email   VARCHAR(254),
    phone          VARCHAR(40),
    time_zone      VARCHAR(64)   NOT NULL,
    source         VARCHAR(50),
    owner          VARCHAR(64),
    do_not_contact BOOLEAN       DEFAULT FALSE NOT NULL,
    loss_reason    VARCHAR(16),
    note           VARCHAR(2000),
    hearing_items  INT           DEFAULT 0 NOT NULL,
    created_at     TIMESTAMP     NOT NULL,
    updated_at     TIMESTAMP     NOT NULL,
    last_touch_at  TIMESTAMP,
    CONSTRAINT uk_lf_lead_external_id UNIQUE (external_id),
    CONSTRAINT uk_lf_lead_active_email UNIQUE (active_email)
);
CREATE INDEX ix_lf_lead_owner_status ON lf_lead (owner, status);
CREATE INDEX ix_lf_lead_route_status ON lf_lead (route, status);
CREATE INDEX ix_lf_lead_status_touch ON lf_lead (status, last_touch_at);
CREATE INDEX ix_lf_lead_email_norm ON lf_lead (email_norm);
CREATE INDEX ix_lf_lead_created ON lf_lead (created_at);

CREATE TABLE lf_lead_event (
    id            VARCHAR(36)    NOT NULL PRIMARY KEY,
    lead_id       VARCHAR(36)    NOT NULL,
    occurred_at   TIMESTAMP      NOT NULL,
    event_day     DATE           NOT NULL,
    type          VARCHAR(32)    NOT NULL,
    action_type   VARCHAR(16),
    outcome       VARCHAR(32),
    by_user       VARCHAR(64),
    credited_to   VARCHAR(64),
    route         VARCHAR(16),
    hearing_count INT            DEFAULT 0 NOT NULL,
    hearing       VARCHAR(16000),
    note          VARCHAR(2000)
);
CREATE INDEX ix_lf_event_lead ON lf_lead_event (lead_id, id);
CREATE INDEX ix_lf_event_type_day ON lf_lead_event (type, event_day);
CREATE INDEX ix_lf_event_credited_day ON lf_lead_event (credited_to, event_day);

CREATE TABLE lf_next_action (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    lead_id             VARCHAR(36)   NOT NULL,
    open_lead_id        VARCHAR(36),
    type                VARCHAR(16)   NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    due_at              TIMESTAMP     NOT NULL,
    assignee            VARCHAR(64),
    candidate_group     VARCHAR(64),
    content             VARCHAR(64),
    note                VARCHAR(2000),
    is_generated        BOOLEAN       DEFAULT TRUE NOT NULL,
    process_instance_id VARCHAR(64),
    task_id             VARCHAR(64),
    created_at          TIMESTAMP     NOT NULL,
    completed_at        TIMESTAMP,
    completed_by        VARCHAR(64),
    outcome             VARCHAR(32),
    CONSTRAINT uk_lf_action_open_lead UNIQUE (open_lead_id)
);
CREATE INDEX ix_lf_action_assignee ON lf_next_action (assignee, status, due_at);
CREATE INDEX ix_lf_action_group ON lf_next_action (candidate_group, status, due_at);
CREATE INDEX ix_lf_action_status_due ON lf_next_action (status, due_at);
CREATE INDEX ix_lf_action_lead ON lf_next_action (lead_id, created_at);
CREATE INDEX ix_lf_action_task ON lf_next_action (task_id);

CREATE TABLE lf_rep (
    user_id          VARCHAR(64) NOT NULL PRIMARY KEY,
    active           BOOLEAN     DEFAULT TRUE NOT NULL,
    daily_capacity   INT,
    last_assigned_at TIMESTAMP
);
