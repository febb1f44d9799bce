"""Configuration from the environment, checked once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ordergate.store.url import DatabaseUrl, parse_database_url

DEFAULT_DATABASE_URL = "sqlite:///ordergate.db"


@dataclass(frozen=True)
class Settings:
    database: DatabaseUrl
    admin_token: str | None
    token_cache_seconds: float
    log_level: str
    access_log: bool

    @classmethod
    def from_env(cls) -> Settings:
        admin = os.environ.get("ORDERGATE_ADMIN_TOKEN") or None
        if admin is not None and len(admin) < 16:
            raise ValueError("ORDERGATE_ADMIN_TOKEN must be at least 16 characters")
        return cls(
            database=parse_database_url(os.environ.get("ORDERGATE_DATABASE_URL", DEFAULT_DATABASE_URL)),
            admin_token=admin,
            token_cache_seconds=float(os.environ.get("ORDERGATE_TOKEN_CACHE_SECONDS", "5")),
            log_level=os.environ.get("ORDERGATE_LOG_LEVEL", "info").upper(),
            access_log=os.environ.get("ORDERGATE_ACCESS_LOG", "1") not in ("0", "false", "no"),
        )
