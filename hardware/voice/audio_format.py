"""The one audio format voice input works in: 16 kHz mono int16, in 30 ms frames, which is
what webrtcvad and both recognizers take. A module of its own so that reading the kiosk
file (``voice_config``) does not import numpy and the audio code with it."""

SAMPLE_RATE = 16000
FRAME_MS = 30
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000
FRAME_BYTES = FRAME_SAMPLES * 2
