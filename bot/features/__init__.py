"""What a person does with buttons outside a guided conversation (a ballot, a list, a card):
each module takes a feature's presses and answers with screens."""
