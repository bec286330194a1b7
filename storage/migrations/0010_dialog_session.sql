-- Where each person is in a guided conversation of the core's dialog engine (bot/dialogs):
-- the flow, its current step, the draft as JSON and the step's own state (a page, ticks).
-- One row a person: opening a flow replaces the row; finishing or cancelling deletes it.

CREATE TABLE dialog_session (
    user_id    INTEGER PRIMARY KEY REFERENCES user (id),
    flow       TEXT NOT NULL,
    step       TEXT NOT NULL,
    draft      TEXT NOT NULL,  -- JSON of the flow's draft model
    state      TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
) STRICT;
