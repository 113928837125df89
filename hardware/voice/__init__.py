"""Voice input: microphone, VAD, offline recognizers, grammar from the menu, dialogue."""
