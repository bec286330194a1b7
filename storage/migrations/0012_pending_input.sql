-- What a person sent outside any flow (words, a voice note, photos), kept until they choose
-- what it is for (a report, say): one row a person, the input as JSON. Choosing deletes it.

CREATE TABLE pending_input (
    user_id INTEGER PRIMARY KEY REFERENCES user (id),
    kept    TEXT NOT NULL,  -- JSON of bot.domain.free_input.KeptInput
    kept_at TEXT NOT NULL
) STRICT;
