"""The camera: hand tracking in a worker process, gestures and hover-and-hold as intents."""
