"""The kiosk's screens, one module and one KV file beside it each: ``customer/`` for the
ordering flow, ``staff/`` for the merchant's pages; ``style.kv`` holds the shared rules."""
