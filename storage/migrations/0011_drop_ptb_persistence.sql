-- Every conversation runs on the core's dialog engine (dialog_session, migration 0010): the
-- python-telegram-bot persistence tables of the old ConversationHandlers have no reader left.
-- A conversation open in the old handlers at the upgrade is simply started again.

DROP TABLE conversation_state;
DROP TABLE session_data;
