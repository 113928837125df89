"""The merchant's screens (entered by the hidden HELP sequence and a PIN)."""
