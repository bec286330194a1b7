-- Votes: renovation menus with one ballot per household, and proposals (resolutions) with
-- one answer per household and an append-only audit log. A closed vote's result is frozen.

CREATE TABLE menu (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    scope      TEXT NOT NULL,               -- JSON of domain.scope.Scope
    opens_at   TEXT NOT NULL,
    closes_at  TEXT NOT NULL,
    max_picks  INTEGER NOT NULL CHECK (max_picks >= 1),
    budget     INTEGER CHECK (budget IS NULL OR budget > 0),   -- yuan
    rule       TEXT NOT NULL CHECK (rule IN ('greedy', 'mes')),
    live       INTEGER NOT NULL CHECK (live IN (0, 1)),
    author_id  INTEGER NOT NULL REFERENCES user (id),
    created_at TEXT NOT NULL,
    cancelled  INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    result     TEXT,                        -- JSON of domain.votes.MenuResult, once closed
    CHECK (closes_at > opens_at)
) STRICT;

CREATE TABLE menu_item (
    id          INTEGER PRIMARY KEY,
    menu_id     INTEGER NOT NULL REFERENCES menu (id),
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cost        INTEGER NOT NULL CHECK (cost > 0),               -- yuan
    photo       TEXT,                                            -- channel file reference
    UNIQUE (menu_id, position)
) STRICT;

-- One ballot per household; the last change counts.
CREATE TABLE menu_ballot (
    menu_id      INTEGER NOT NULL REFERENCES menu (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    user_id      INTEGER NOT NULL REFERENCES user (id),          -- who cast it last
    picks        TEXT NOT NULL,                                  -- JSON array of item ids
    at           TEXT NOT NULL,
    PRIMARY KEY (menu_id, household_id)
) STRICT;

CREATE TABLE menu_ballot_pick (
    menu_id      INTEGER NOT NULL,
    household_id INTEGER NOT NULL,
    item_id      INTEGER NOT NULL REFERENCES menu_item (id),
    PRIMARY KEY (menu_id, household_id, item_id),
    FOREIGN KEY (menu_id, household_id) REFERENCES menu_ballot (menu_id, household_id)
) STRICT;

-- Every cast or change of a ballot, never rewritten.
CREATE TABLE menu_ballot_event (
    id           INTEGER PRIMARY KEY,
    menu_id      INTEGER NOT NULL REFERENCES menu (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    user_id      INTEGER NOT NULL REFERENCES user (id),
    picks        TEXT NOT NULL,
    at           TEXT NOT NULL
) STRICT;
CREATE INDEX menu_ballot_event_by_menu ON menu_ballot_event (menu_id, household_id);

CREATE TABLE proposal (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    scope          TEXT NOT NULL,           -- JSON of domain.scope.Scope
    rule           TEXT NOT NULL,           -- JSON of domain.consent.Rule
    opens_at       TEXT NOT NULL,
    closes_at      TEXT NOT NULL,
    attachments    TEXT NOT NULL DEFAULT '[]',
    total_cost_fen INTEGER CHECK (total_cost_fen IS NULL OR total_cost_fen >= 0),
    coefficients   TEXT NOT NULL DEFAULT '{}',  -- JSON {floor: "coefficient"}
    author_id      INTEGER NOT NULL REFERENCES user (id),
    created_at     TEXT NOT NULL,
    cancelled      INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    result         TEXT,                    -- JSON of domain.consent.Result, once closed
    CHECK (closes_at > opens_at)
) STRICT;

-- The current answer of each household.
CREATE TABLE proposal_answer (
    proposal_id  INTEGER NOT NULL REFERENCES proposal (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    answer       TEXT NOT NULL CHECK (answer IN ('agree', 'disagree', 'abstain')),
    user_id      INTEGER REFERENCES user (id),      -- who answered in the chat
    recorded_by  INTEGER REFERENCES user (id),      -- who entered a paper answer
    at           TEXT NOT NULL,
    PRIMARY KEY (proposal_id, household_id)
) STRICT;

-- The audit log: every answer and every change, never rewritten.
CREATE TABLE proposal_event (
    id           INTEGER PRIMARY KEY,
    proposal_id  INTEGER NOT NULL REFERENCES proposal (id),
    household_id INTEGER NOT NULL REFERENCES household (id),
    answer       TEXT NOT NULL CHECK (answer IN ('agree', 'disagree', 'abstain')),
    previous     TEXT CHECK (previous IS NULL OR previous IN ('agree', 'disagree', 'abstain')),
    user_id      INTEGER REFERENCES user (id),
    recorded_by  INTEGER REFERENCES user (id),
    at           TEXT NOT NULL
) STRICT;
CREATE INDEX proposal_event_by_proposal ON proposal_event (proposal_id, household_id);

CREATE TRIGGER menu_ballot_event_append_only_update BEFORE UPDATE ON menu_ballot_event
BEGIN
    SELECT RAISE(ABORT, 'ballot history is append-only');
END;
CREATE TRIGGER menu_ballot_event_append_only_delete BEFORE DELETE ON menu_ballot_event
BEGIN
    SELECT RAISE(ABORT, 'ballot history is append-only');
END;
CREATE TRIGGER proposal_event_append_only_update BEFORE UPDATE ON proposal_event
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER proposal_event_append_only_delete BEFORE DELETE ON proposal_event
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- A closed result never changes.
CREATE TRIGGER menu_result_frozen BEFORE UPDATE ON menu
WHEN OLD.result IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed menu never changes');
END;
CREATE TRIGGER proposal_result_frozen BEFORE UPDATE ON proposal
WHEN OLD.result IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed proposal never changes');
END;
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
