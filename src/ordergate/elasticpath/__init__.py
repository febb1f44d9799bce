"""The Elastic Path Commerce Cloud dialect: `/oauth/access_token` and `/v2/orders...` on the wire."""
