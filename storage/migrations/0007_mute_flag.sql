-- A mute row now says whether the category is muted, so that switching it is one atomic
-- statement (INSERT … ON CONFLICT DO UPDATE SET muted = 1 - muted RETURNING muted) instead of
-- a transaction that reads and then inserts or deletes. Existing rows were mutes.

ALTER TABLE mute ADD COLUMN muted INTEGER NOT NULL DEFAULT 1 CHECK (muted IN (0, 1));
CREATE INDEX mute_by_category ON mute (category, user_id) WHERE muted = 1;
