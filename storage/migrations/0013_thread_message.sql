-- "Talk to my grid worker": the two-way thread between a household and its building's grid
-- workers. One row a message, in order; `direction` says who wrote it ('in': a member of the
-- household to the grid worker, 'out': a grid worker or staff to the household). A voice note
-- or a photo is the channel's own file reference. `read_at`: when the other side opened it.
-- `ticket_id`: the ticket the message was turned into ("📝 转成工单"), if it was.

CREATE TABLE thread_message (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES household (id),
    author_id    INTEGER NOT NULL REFERENCES user (id),
    direction    TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    text         TEXT NOT NULL DEFAULT '',
    voice_ref    TEXT,
    photo_ref    TEXT,
    at           TEXT NOT NULL,
    read_at      TEXT,
    ticket_id    INTEGER REFERENCES ticket (id)
) STRICT;

CREATE INDEX thread_message_household ON thread_message (household_id, id);
