-- Reports (报事): tickets, their photos and voice notes, the households that joined one with
-- "+1", and the append-only history of every change.

CREATE TABLE ticket (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    category     TEXT NOT NULL CHECK (category IN ('water', 'roof', 'pipes', 'elevator',
                     'roads', 'greenery', 'lighting', 'disturbance', 'hazard', 'dispute',
                     'other')),
    urgency      TEXT NOT NULL CHECK (urgency IN ('high', 'normal', 'low')),
    status       TEXT NOT NULL DEFAULT 'submitted'
                 CHECK (status IN ('submitted', 'accepted', 'in_progress', 'resolved',
                                   'closed', 'rejected', 'duplicate', 'reopened')),
    description  TEXT NOT NULL DEFAULT '',
    reporter_id  INTEGER NOT NULL REFERENCES user (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    building_id  INTEGER NOT NULL REFERENCES building (id),   -- the reporter's building
    compound_id  INTEGER NOT NULL REFERENCES compound (id),
    place_kind   TEXT NOT NULL CHECK (place_kind IN ('home', 'building', 'compound', 'other')),
    spot         TEXT,
    place_note   TEXT NOT NULL DEFAULT '',
    assignee_id  INTEGER REFERENCES user (id),
    accept_by    TEXT NOT NULL,
    resolve_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    accepted_at  TEXT,
    resolved_at  TEXT,
    closed_at    TEXT,
    rating       TEXT CHECK (rating IN ('very_satisfied', 'satisfied', 'fair', 'unsatisfied')),
    reason       TEXT NOT NULL DEFAULT '',                      -- of a rejection or duplicate
    updated_at   TEXT NOT NULL,
    UNIQUE (year, seq)
) STRICT;
CREATE INDEX ticket_by_status ON ticket (status, building_id);
CREATE INDEX ticket_by_household ON ticket (household_id);
CREATE INDEX ticket_by_created ON ticket (created_at);

CREATE TABLE ticket_supporter (
    ticket_id    INTEGER NOT NULL REFERENCES ticket (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    user_id      INTEGER NOT NULL REFERENCES user (id),
    joined_at    TEXT NOT NULL,
    PRIMARY KEY (ticket_id, household_id)
) STRICT;
CREATE INDEX ticket_supporter_by_household ON ticket_supporter (household_id);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE ticket_event (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES ticket (id),
    kind        TEXT NOT NULL CHECK (kind IN ('created', 'status', 'assign', 'question',
                                              'answer', 'join', 'rating', 'escalation')),
    at          TEXT NOT NULL,
    actor_id    INTEGER REFERENCES user (id),
    from_status TEXT,
    to_status   TEXT,
    note        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX ticket_event_by_ticket ON ticket_event (ticket_id, id);

CREATE TRIGGER ticket_event_append_only_update BEFORE UPDATE ON ticket_event
BEGIN
    SELECT RAISE(ABORT, 'ticket history is append-only');
END;
CREATE TRIGGER ticket_event_append_only_delete BEFORE DELETE ON ticket_event
BEGIN
    SELECT RAISE(ABORT, 'ticket history is append-only');
END;

CREATE TABLE ticket_media (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES ticket (id),
    kind       TEXT NOT NULL CHECK (kind IN ('photo', 'voice')),
    ref        TEXT NOT NULL,                  -- the channel's file reference
    event_id   INTEGER REFERENCES ticket_event (id),  -- an answer or a "+1" it came with
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX ticket_media_by_ticket ON ticket_media (ticket_id, id);
