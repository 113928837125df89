"""The staff web app and the customers' ready board, served from the shop's machine."""
