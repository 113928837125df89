"""The sensor boards: the host end of the serial link (protocol in firmware/protocol.py)."""
