"""The admin HTTP API: the management surface, guarded by `ORDERGATE_ADMIN_TOKEN`."""
