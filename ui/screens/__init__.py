"""The ordering flow's screens, one module and one KV file (ui/kv/) each."""
