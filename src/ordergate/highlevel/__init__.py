"""The HighLevel (LeadConnector) dialect: `/payments/orders...` on the wire, the canonical model inside."""
