-- Grids of buildings with their grid workers, building leads, QR invitations, and the
-- registration request that a grid worker decides.

CREATE TABLE grid (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;

-- A building belongs to at most one grid.
CREATE TABLE grid_building (
    grid_id     INTEGER NOT NULL REFERENCES grid (id) ON DELETE CASCADE,
    building_id INTEGER NOT NULL UNIQUE REFERENCES building (id),
    PRIMARY KEY (grid_id, building_id)
) STRICT;

-- Grid workers and building leads are declared by channel identity, possibly before they
-- ever talk to the bot; their role follows from these rows.
CREATE TABLE grid_worker (
    grid_id     INTEGER NOT NULL REFERENCES grid (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    external_id TEXT NOT NULL,
    PRIMARY KEY (grid_id, channel, external_id)
) STRICT;
CREATE INDEX grid_worker_by_identity ON grid_worker (channel, external_id);

CREATE TABLE building_lead (
    building_id INTEGER NOT NULL REFERENCES building (id),
    channel     TEXT NOT NULL,
    external_id TEXT NOT NULL,
    PRIMARY KEY (building_id, channel, external_id)
) STRICT;
CREATE INDEX building_lead_by_identity ON building_lead (channel, external_id);

-- The opaque payload of a building's QR code (t.me/<bot>?start=<payload>).
CREATE TABLE invitation (
    payload     TEXT PRIMARY KEY CHECK (length(payload) BETWEEN 1 AND 64),
    building_id INTEGER NOT NULL REFERENCES building (id),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;
CREATE INDEX invitation_by_building ON invitation (building_id);

-- How a membership was approved or asked for.
ALTER TABLE membership ADD COLUMN via TEXT NOT NULL DEFAULT 'request'
    CHECK (via IN ('request', 'phone', 'import'));
