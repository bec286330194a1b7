-- Meetings: the invitees fixed when the meeting is created (with their answers and
-- attendance), named contacts of the other parties, and the questions sent in advance.

CREATE TABLE meeting (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('consultation', 'hearing', 'coordination')),
    title         TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    place         TEXT NOT NULL,
    agenda        TEXT NOT NULL DEFAULT '',
    scope         TEXT,                 -- JSON of domain.scope.Scope, or NULL
    roles         TEXT NOT NULL DEFAULT '[]',
    rsvp_by       TEXT NOT NULL,
    organiser_id  INTEGER NOT NULL REFERENCES user (id),
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    minutes       TEXT NOT NULL DEFAULT '',
    minutes_doc   TEXT,
    decisions     TEXT NOT NULL DEFAULT '',
    minutes_at    TEXT,
    created_at    TEXT NOT NULL,
    CHECK (rsvp_by <= starts_at)
) STRICT;

CREATE TABLE meeting_invitee (
    meeting_id  INTEGER NOT NULL REFERENCES meeting (id),
    user_id     INTEGER NOT NULL REFERENCES user (id),
    rsvp        TEXT CHECK (rsvp IS NULL OR rsvp IN ('attend', 'cannot', 'maybe')),
    rsvp_at     TEXT,
    attended    INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    PRIMARY KEY (meeting_id, user_id)
) STRICT;
CREATE INDEX meeting_invitee_by_user ON meeting_invitee (user_id);

CREATE TABLE meeting_contact (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meeting (id),
    name        TEXT NOT NULL,
    party       TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    attended    INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1))
) STRICT;

CREATE TABLE meeting_question (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meeting (id),
    user_id     INTEGER NOT NULL REFERENCES user (id),
    text        TEXT NOT NULL DEFAULT '',
    voice       TEXT,
    at          TEXT NOT NULL
) STRICT;
CREATE INDEX meeting_question_by_meeting ON meeting_question (meeting_id);
