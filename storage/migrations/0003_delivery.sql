-- Delivery: the durable outbox, muted categories, scheduled jobs, broadcasts and
-- construction notices.

CREATE TABLE broadcast (
    id              INTEGER PRIMARY KEY,
    author_id       INTEGER NOT NULL REFERENCES user (id),
    body            TEXT NOT NULL,
    attachment_kind TEXT CHECK (attachment_kind IN ('photo', 'document')),
    attachment_ref  TEXT,
    scope           TEXT NOT NULL,             -- JSON of bot.domain.scope.Scope
    urgent          INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    report          INTEGER NOT NULL DEFAULT 1 CHECK (report IN (0, 1)),
    send_at         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'sending', 'done', 'cancelled')),
    notice_id       INTEGER REFERENCES notice (id),
    created_at      TEXT NOT NULL,
    started_at      TEXT,
    finished_at     TEXT,
    progress_at     TEXT                       -- when the author's progress was last pushed
) STRICT;

-- Who a broadcast was meant for, fixed when it starts: every household in scope, and each
-- of its registered members (user_id NULL: a household nobody registered).
CREATE TABLE broadcast_target (
    broadcast_id INTEGER NOT NULL REFERENCES broadcast (id),
    household_id INTEGER REFERENCES household (id),
    user_id      INTEGER REFERENCES user (id)
) STRICT;
CREATE INDEX broadcast_target_by_broadcast ON broadcast_target (broadcast_id, household_id);

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES user (id),
    message      TEXT NOT NULL,                -- JSON of bot.domain.messages.Outgoing
    category     TEXT NOT NULL,
    urgent       INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    priority     INTEGER NOT NULL DEFAULT 1 CHECK (priority IN (0, 1, 2)),
    broadcast_id INTEGER REFERENCES broadcast (id),
    slot         TEXT,                         -- a later row of the same slot edits this one
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unreachable',
                                   'muted')),
    due_at       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    external_ref TEXT,                         -- the channel's id of the sent message
    created_at   TEXT NOT NULL,
    sent_at      TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox (status, due_at, priority, id);
CREATE INDEX outbox_by_broadcast ON outbox (broadcast_id, status);
CREATE INDEX outbox_by_slot ON outbox (user_id, slot) WHERE slot IS NOT NULL;

CREATE TABLE mute (
    user_id  INTEGER NOT NULL REFERENCES user (id),
    category TEXT NOT NULL,
    PRIMARY KEY (user_id, category)
) STRICT;

-- Every reminder, deadline and timed broadcast; the in-memory scheduler is rebuilt from here.
CREATE TABLE job (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref_id     INTEGER NOT NULL,
    due_at     TEXT NOT NULL,
    expires_at TEXT,
    status     TEXT NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'fired', 'dropped', 'cancelled')),
    fired_at   TEXT
) STRICT;
CREATE INDEX job_pending ON job (status, due_at);
CREATE INDEX job_by_ref ON job (kind, ref_id);

CREATE TABLE notice (
    id           INTEGER PRIMARY KEY,
    author_id    INTEGER NOT NULL REFERENCES user (id),
    kind         TEXT NOT NULL CHECK (kind IN ('water', 'power', 'gas', 'works')),
    details      TEXT NOT NULL DEFAULT '',
    arrangements TEXT NOT NULL DEFAULT '',
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    scope        TEXT NOT NULL,                -- JSON: the buildings and units affected
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (ends_at > starts_at)
) STRICT;
CREATE INDEX notice_by_time ON notice (status, ends_at);
