"""How a person and the bot talk, whatever the channel: what they send (inputs), what the
buttons ask for (payloads) and what the bot shows (screens). No channel is named here."""
