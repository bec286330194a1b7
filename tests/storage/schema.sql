-- The schema after migrating a blank database to version 13, written by
-- tests/storage/test_migrations.py (SHANGLIANG_UPDATE_SCHEMA=1 rewrites it).

CREATE TABLE broadcast (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES user (id),
    body TEXT NOT NULL,
    attachment_kind TEXT CHECK (attachment_kind IN ('photo', 'document')),
    attachment_ref TEXT,
    scope TEXT NOT NULL, -- JSON of bot.domain.scope.Scope
    urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    report INTEGER NOT NULL DEFAULT 1 CHECK (report IN (0, 1)),
    send_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'sending', 'done', 'cancelled')),
    notice_id INTEGER REFERENCES notice (id),
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    progress_at TEXT -- when the author's progress was last pushed
) STRICT;

CREATE TABLE broadcast_target (
    broadcast_id INTEGER NOT NULL REFERENCES broadcast (id),
    household_id INTEGER REFERENCES household (id),
    user_id INTEGER REFERENCES user (id)
) STRICT;

CREATE INDEX broadcast_target_by_broadcast ON broadcast_target (broadcast_id, household_id);

CREATE TABLE building (
    id INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compound (id),
    name TEXT NOT NULL,
    UNIQUE (compound_id, name)
) STRICT;

CREATE TABLE building_lead (
    building_id INTEGER NOT NULL REFERENCES building (id),
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    PRIMARY KEY (building_id, channel, external_id)
) STRICT;

CREATE INDEX building_lead_by_identity ON building_lead (channel, external_id);

CREATE TABLE community (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai'
) STRICT;

CREATE TABLE compound (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES community (id),
    name TEXT NOT NULL,
    UNIQUE (community_id, name)
) STRICT;

CREATE TABLE dialog_session (
    user_id INTEGER PRIMARY KEY REFERENCES user (id),
    flow TEXT NOT NULL,
    step TEXT NOT NULL,
    draft TEXT NOT NULL, -- JSON of the flow's draft model
    state TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE grid (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE grid_building (
    grid_id INTEGER NOT NULL REFERENCES grid (id) ON DELETE CASCADE,
    building_id INTEGER NOT NULL UNIQUE REFERENCES building (id),
    PRIMARY KEY (grid_id, building_id)
) STRICT;

CREATE TABLE grid_worker (
    grid_id INTEGER NOT NULL REFERENCES grid (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    PRIMARY KEY (grid_id, channel, external_id)
) STRICT;

CREATE INDEX grid_worker_by_identity ON grid_worker (channel, external_id);

CREATE TABLE household (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    room TEXT NOT NULL,
    floor INTEGER,
    area_centi INTEGER NOT NULL DEFAULT 0 CHECK (area_centi >= 0), -- hundredths of a m²
    owner_name TEXT NOT NULL DEFAULT '',
    owner_key TEXT NOT NULL DEFAULT '',
    phone TEXT,
    lives_alone INTEGER NOT NULL DEFAULT 0 CHECK (lives_alone IN (0, 1)),
    elderly INTEGER NOT NULL DEFAULT 0 CHECK (elderly IN (0, 1)),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_id, room)
) STRICT;

CREATE TABLE invitation (
    payload TEXT PRIMARY KEY CHECK (length(payload) BETWEEN 1 AND 64),
    building_id INTEGER NOT NULL REFERENCES building (id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;

CREATE INDEX invitation_by_building ON invitation (building_id);

CREATE TABLE job (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    due_at TEXT NOT NULL,
    expires_at TEXT,
    status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'fired', 'dropped', 'cancelled')),
    fired_at TEXT
) STRICT;

CREATE INDEX job_by_ref ON job (kind, ref_id);

CREATE INDEX job_pending ON job (status, due_at);

CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('consultation', 'hearing', 'coordination')),
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL,
    agenda TEXT NOT NULL DEFAULT '',
    scope TEXT, -- JSON of domain.scope.Scope, or NULL
    roles TEXT NOT NULL DEFAULT '[]',
    rsvp_by TEXT NOT NULL,
    organiser_id INTEGER NOT NULL REFERENCES user (id),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    minutes TEXT NOT NULL DEFAULT '',
    minutes_doc TEXT,
    decisions TEXT NOT NULL DEFAULT '',
    minutes_at TEXT,
    created_at TEXT NOT NULL, sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    CHECK (rsvp_by <= starts_at)
) STRICT;

CREATE TABLE meeting_contact (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting (id),
    name TEXT NOT NULL,
    party TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    attended INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1))
) STRICT;

CREATE TABLE meeting_invitee (
    meeting_id INTEGER NOT NULL REFERENCES meeting (id),
    user_id INTEGER NOT NULL REFERENCES user (id),
    rsvp TEXT CHECK (rsvp IS NULL OR rsvp IN ('attend', 'cannot', 'maybe')),
    rsvp_at TEXT,
    attended INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    PRIMARY KEY (meeting_id, user_id)
) STRICT;

CREATE INDEX meeting_invitee_by_user ON meeting_invitee (user_id);

CREATE TABLE meeting_question (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting (id),
    user_id INTEGER NOT NULL REFERENCES user (id),
    text TEXT NOT NULL DEFAULT '',
    voice TEXT,
    at TEXT NOT NULL
) STRICT;

CREATE INDEX meeting_question_by_meeting ON meeting_question (meeting_id);

CREATE TABLE membership (
    user_id INTEGER NOT NULL REFERENCES user (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'left')),
    is_current INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
    created_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES user (id),
    decided_at TEXT, via TEXT NOT NULL DEFAULT 'request'
    CHECK (via IN ('request', 'phone', 'import')),
    PRIMARY KEY (user_id, household_id)
) STRICT;

CREATE INDEX membership_by_household ON membership (household_id, status);

CREATE TABLE menu (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    scope TEXT NOT NULL, -- JSON of domain.scope.Scope
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    max_picks INTEGER NOT NULL CHECK (max_picks >= 1),
    budget INTEGER CHECK (budget IS NULL OR budget > 0), -- yuan
    rule TEXT NOT NULL CHECK (rule IN ('greedy', 'mes')),
    live INTEGER NOT NULL CHECK (live IN (0, 1)),
    author_id INTEGER NOT NULL REFERENCES user (id),
    created_at TEXT NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    result TEXT, -- JSON of domain.votes.MenuResult, once closed
    CHECK (closes_at > opens_at)
) STRICT;

CREATE TRIGGER menu_result_frozen BEFORE UPDATE ON menu
    WHEN OLD.result IS NOT NULL
    BEGIN
    SELECT RAISE(ABORT, 'a closed menu never changes');
    END;

CREATE TABLE menu_ballot (
    menu_id INTEGER NOT NULL REFERENCES menu (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    user_id INTEGER NOT NULL REFERENCES user (id), -- who cast it last
    picks TEXT NOT NULL, -- JSON array of item ids
    at TEXT NOT NULL,
    PRIMARY KEY (menu_id, household_id)
) STRICT;

CREATE TRIGGER menu_ballot_frozen_insert BEFORE INSERT ON menu_ballot
    WHEN (SELECT result FROM menu WHERE id = NEW.menu_id) IS NOT NULL
    BEGIN
    SELECT RAISE(ABORT, 'a closed menu never changes');
    END;

CREATE TRIGGER menu_ballot_frozen_update BEFORE UPDATE ON menu_ballot
    WHEN (SELECT result FROM menu WHERE id = OLD.menu_id) IS NOT NULL
    BEGIN
    SELECT RAISE(ABORT, 'a closed menu never changes');
    END;

CREATE TABLE menu_ballot_event (
    id INTEGER PRIMARY KEY,
    menu_id INTEGER NOT NULL REFERENCES menu (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    user_id INTEGER NOT NULL REFERENCES user (id),
    picks TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;

CREATE INDEX menu_ballot_event_by_menu ON menu_ballot_event (menu_id, household_id);

CREATE TRIGGER menu_ballot_event_append_only_delete BEFORE DELETE ON menu_ballot_event
    BEGIN
    SELECT RAISE(ABORT, 'ballot history is append-only');
    END;

CREATE TRIGGER menu_ballot_event_append_only_update BEFORE UPDATE ON menu_ballot_event
    BEGIN
    SELECT RAISE(ABORT, 'ballot history is append-only');
    END;

CREATE TABLE menu_ballot_pick (
    menu_id INTEGER NOT NULL,
    household_id INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES menu_item (id),
    PRIMARY KEY (menu_id, household_id, item_id),
    FOREIGN KEY (menu_id, household_id) REFERENCES menu_ballot (menu_id, household_id)
) STRICT;

CREATE TABLE menu_item (
    id INTEGER PRIMARY KEY,
    menu_id INTEGER NOT NULL REFERENCES menu (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cost INTEGER NOT NULL CHECK (cost > 0), -- yuan
    photo TEXT, -- channel file reference
    UNIQUE (menu_id, position)
) STRICT;

CREATE TABLE migration (
    number INTEGER PRIMARY KEY CHECK (number >= 1),
    name TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64)
) STRICT;

CREATE TABLE mute (
    user_id INTEGER NOT NULL REFERENCES user (id),
    category TEXT NOT NULL, muted INTEGER NOT NULL DEFAULT 1 CHECK (muted IN (0, 1)),
    PRIMARY KEY (user_id, category)
) STRICT;

CREATE INDEX mute_by_category ON mute (category, user_id) WHERE muted = 1;

CREATE TABLE notice (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES user (id),
    kind TEXT NOT NULL CHECK (kind IN ('water', 'power', 'gas', 'works')),
    details TEXT NOT NULL DEFAULT '',
    arrangements TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    scope TEXT NOT NULL, -- JSON: the buildings and units affected
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (ends_at > starts_at)
) STRICT;

CREATE INDEX notice_by_time ON notice (status, ends_at);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user (id),
    message TEXT NOT NULL, -- JSON of bot.domain.messages.Outgoing
    category TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    priority INTEGER NOT NULL DEFAULT 1 CHECK (priority IN (0, 1, 2)),
    broadcast_id INTEGER REFERENCES broadcast (id),
    slot TEXT, -- a later row of the same slot edits this one
    status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unreachable',
    'muted')),
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    external_ref TEXT, -- the channel's id of the sent message
    created_at TEXT NOT NULL,
    sent_at TEXT
) STRICT;

CREATE INDEX outbox_by_broadcast ON outbox (broadcast_id, status);

CREATE INDEX outbox_by_slot ON outbox (user_id, slot) WHERE slot IS NOT NULL;

CREATE INDEX outbox_due ON outbox (status, due_at, priority, id);

CREATE TABLE pending_input (
    user_id INTEGER PRIMARY KEY REFERENCES user (id),
    kept TEXT NOT NULL, -- JSON of bot.domain.free_input.KeptInput
    kept_at TEXT NOT NULL
) STRICT;

CREATE TABLE proposal (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    scope TEXT NOT NULL, -- JSON of domain.scope.Scope
    rule TEXT NOT NULL, -- JSON of domain.consent.Rule
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    attachments TEXT NOT NULL DEFAULT '[]',
    total_cost_fen INTEGER CHECK (total_cost_fen IS NULL OR total_cost_fen >= 0),
    coefficients TEXT NOT NULL DEFAULT '{}', -- JSON {floor: "coefficient"}
    author_id INTEGER NOT NULL REFERENCES user (id),
    created_at TEXT NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    result TEXT, -- JSON of domain.consent.Result, once closed
    CHECK (closes_at > opens_at)
) STRICT;

CREATE TRIGGER proposal_result_frozen BEFORE UPDATE ON proposal
    WHEN OLD.result IS NOT NULL
    BEGIN
    SELECT RAISE(ABORT, 'a closed proposal never changes');
    END;

CREATE TABLE proposal_answer (
    proposal_id INTEGER NOT NULL REFERENCES proposal (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    answer TEXT NOT NULL CHECK (answer IN ('agree', 'disagree', 'abstain')),
    user_id INTEGER REFERENCES user (id), -- who answered in the chat
    recorded_by INTEGER REFERENCES user (id), -- who entered a paper answer
    at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, household_id)
) STRICT;

CREATE TRIGGER proposal_answer_frozen_insert BEFORE INSERT ON proposal_answer
    WHEN (SELECT result FROM proposal WHERE id = NEW.proposal_id) IS NOT NULL
    BEGIN
    SELECT RAISE(ABORT, 'a closed proposal never changes');
    END;

CREATE TRIGGER proposal_answer_frozen_update BEFORE UPDATE ON proposal_answer
    WHEN (SELECT result FROM proposal WHERE id = OLD.proposal_id) IS NOT NULL
    BEGIN
    SELECT RAISE(ABORT, 'a closed proposal never changes');
    END;

CREATE TABLE proposal_event (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposal (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    answer TEXT NOT NULL CHECK (answer IN ('agree', 'disagree', 'abstain')),
    previous TEXT CHECK (previous IS NULL OR previous IN ('agree', 'disagree', 'abstain')),
    user_id INTEGER REFERENCES user (id),
    recorded_by INTEGER REFERENCES user (id),
    at TEXT NOT NULL
) STRICT;

CREATE INDEX proposal_event_by_proposal ON proposal_event (proposal_id, household_id);

CREATE TRIGGER proposal_event_append_only_delete BEFORE DELETE ON proposal_event
    BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
    END;

CREATE TRIGGER proposal_event_append_only_update BEFORE UPDATE ON proposal_event
    BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
    END;

CREATE TABLE thread_message (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household (id),
    author_id INTEGER NOT NULL REFERENCES user (id),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    text TEXT NOT NULL DEFAULT '',
    voice_ref TEXT,
    photo_ref TEXT,
    at TEXT NOT NULL,
    read_at TEXT,
    ticket_id INTEGER REFERENCES ticket (id)
) STRICT;

CREATE INDEX thread_message_household ON thread_message (household_id, id);

CREATE TABLE ticket (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('water', 'roof', 'pipes', 'elevator',
    'roads', 'greenery', 'lighting', 'disturbance', 'hazard', 'dispute',
    'other')),
    urgency TEXT NOT NULL CHECK (urgency IN ('high', 'normal', 'low')),
    status TEXT NOT NULL DEFAULT 'submitted'
    CHECK (status IN ('submitted', 'accepted', 'in_progress', 'resolved',
    'closed', 'rejected', 'duplicate', 'reopened')),
    description TEXT NOT NULL DEFAULT '',
    reporter_id INTEGER NOT NULL REFERENCES user (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    building_id INTEGER NOT NULL REFERENCES building (id), -- the reporter's building
    compound_id INTEGER NOT NULL REFERENCES compound (id),
    place_kind TEXT NOT NULL CHECK (place_kind IN ('home', 'building', 'compound', 'other')),
    spot TEXT,
    place_note TEXT NOT NULL DEFAULT '',
    assignee_id INTEGER REFERENCES user (id),
    accept_by TEXT NOT NULL,
    resolve_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    accepted_at TEXT,
    resolved_at TEXT,
    closed_at TEXT,
    rating TEXT CHECK (rating IN ('very_satisfied', 'satisfied', 'fair', 'unsatisfied')),
    reason TEXT NOT NULL DEFAULT '', -- of a rejection or duplicate
    updated_at TEXT NOT NULL,
    UNIQUE (year, seq)
) STRICT;

CREATE INDEX ticket_by_created ON ticket (created_at);

CREATE INDEX ticket_by_household ON ticket (household_id);

CREATE INDEX ticket_by_status ON ticket (status, building_id);

CREATE TABLE ticket_event (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES ticket (id),
    kind TEXT NOT NULL CHECK (kind IN ('created', 'status', 'assign', 'question',
    'answer', 'join', 'rating', 'escalation')),
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES user (id),
    from_status TEXT,
    to_status TEXT,
    note TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX ticket_event_by_ticket ON ticket_event (ticket_id, id);

CREATE TRIGGER ticket_event_append_only_delete BEFORE DELETE ON ticket_event
    BEGIN
    SELECT RAISE(ABORT, 'ticket history is append-only');
    END;

CREATE TRIGGER ticket_event_append_only_update BEFORE UPDATE ON ticket_event
    BEGIN
    SELECT RAISE(ABORT, 'ticket history is append-only');
    END;

CREATE TABLE ticket_media (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES ticket (id),
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'voice')),
    ref TEXT NOT NULL, -- the channel's file reference
    event_id INTEGER REFERENCES ticket_event (id), -- an answer or a "+1" it came with
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX ticket_media_by_ticket ON ticket_media (ticket_id, id);

CREATE TABLE ticket_supporter (
    ticket_id INTEGER NOT NULL REFERENCES ticket (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    user_id INTEGER NOT NULL REFERENCES user (id),
    joined_at TEXT NOT NULL,
    PRIMARY KEY (ticket_id, household_id)
) STRICT;

CREATE INDEX ticket_supporter_by_household ON ticket_supporter (household_id);

CREATE TABLE unit (
    id INTEGER PRIMARY KEY,
    building_id INTEGER NOT NULL REFERENCES building (id),
    name TEXT NOT NULL,
    UNIQUE (building_id, name)
) STRICT;

CREATE TABLE user (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    language TEXT CHECK (language IN ('zh-CN', 'en')),
    role TEXT NOT NULL DEFAULT 'resident'
    CHECK (role IN ('resident', 'building_lead', 'grid_worker', 'staff')),
    phone TEXT,
    unreachable_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (channel, external_id)
) STRICT;
