-- The community tree, users and their households, and the conversation sessions.
-- Times are ISO-8601 UTC text; areas are integer hundredths of a square metre (exact).

CREATE TABLE community (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    timezone   TEXT NOT NULL DEFAULT 'Asia/Shanghai'
) STRICT;

CREATE TABLE compound (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES community (id),
    name         TEXT NOT NULL,
    UNIQUE (community_id, name)
) STRICT;

CREATE TABLE building (
    id          INTEGER PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES compound (id),
    name        TEXT NOT NULL,
    UNIQUE (compound_id, name)
) STRICT;

CREATE TABLE unit (
    id          INTEGER PRIMARY KEY,
    building_id INTEGER NOT NULL REFERENCES building (id),
    name        TEXT NOT NULL,
    UNIQUE (building_id, name)
) STRICT;

CREATE TABLE household (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES unit (id),
    room        TEXT NOT NULL,
    floor       INTEGER,
    area_centi  INTEGER NOT NULL DEFAULT 0 CHECK (area_centi >= 0),  -- hundredths of a m²
    owner_name  TEXT NOT NULL DEFAULT '',
    owner_key   TEXT NOT NULL DEFAULT '',
    phone       TEXT,
    lives_alone INTEGER NOT NULL DEFAULT 0 CHECK (lives_alone IN (0, 1)),
    elderly     INTEGER NOT NULL DEFAULT 0 CHECK (elderly IN (0, 1)),
    disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (unit_id, room)
) STRICT;

CREATE TABLE user (
    id             INTEGER PRIMARY KEY,
    channel        TEXT NOT NULL,
    external_id    TEXT NOT NULL,
    first_name     TEXT NOT NULL DEFAULT '',
    language       TEXT CHECK (language IN ('zh-CN', 'en')),
    role           TEXT NOT NULL DEFAULT 'resident'
                   CHECK (role IN ('resident', 'building_lead', 'grid_worker', 'staff')),
    phone          TEXT,
    unreachable_at TEXT,
    created_at     TEXT NOT NULL,
    UNIQUE (channel, external_id)
) STRICT;

CREATE TABLE membership (
    user_id      INTEGER NOT NULL REFERENCES user (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'left')),
    is_current   INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
    created_at   TEXT NOT NULL,
    decided_by   INTEGER REFERENCES user (id),
    decided_at   TEXT,
    PRIMARY KEY (user_id, household_id)
) STRICT;
CREATE INDEX membership_by_household ON membership (household_id, status);

-- Conversation states and drafts of the channel adapters (PTB persistence), as JSON.
CREATE TABLE conversation_state (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,   -- JSON array, e.g. [12345, 12345]
    state TEXT NOT NULL,   -- JSON value
    PRIMARY KEY (name, key)
) STRICT;

CREATE TABLE session_data (
    scope    TEXT NOT NULL CHECK (scope IN ('user', 'chat')),
    owner_id INTEGER NOT NULL,
    data     TEXT NOT NULL,  -- JSON object
    PRIMARY KEY (scope, owner_id)
) STRICT;
