-- A meeting's revision for its calendar file (the iCalendar SEQUENCE): raised by every change
-- of time, place or status, so that a phone's calendar replaces its copy with the newer file
-- (RFC 5546). Meetings stored before count from 0 like new ones.

ALTER TABLE meeting ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0);
