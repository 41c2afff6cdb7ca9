"""Settings, read once from the environment (tests set the environment before importing)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-secret-change-me-in-production-0123456789"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "")
    return value if value else default


def _bool(name: str, default: bool) -> bool:
    return _env(name, str(default)).lower() in {"1", "true", "yes", "on"}


ENVIRONMENT = _env("ENVIRONMENT", "development")  # development | production | test
DEBUG = ENVIRONMENT != "production"
DATABASE_URL = _env("DATABASE_URL", f"sqlite://{ROOT / 'data' / 'nzero.sqlite3'}")
BROADCAST_URL = _env("BROADCAST_URL", "memory://")
STRIPE_SECRET_KEY = _env("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = _env("STRIPE_WEBHOOK_SECRET", "")
STRIPE_PUBLISHABLE_KEY = _env("STRIPE_PUBLISHABLE_KEY", "")  # given to the dashboard to confirm cards (Stripe.js)
STRIPE_API_BASE = _env("STRIPE_API_BASE", "")  # only for tests against a loopback double
SECRET_KEY = _env("SECRET_KEY", DEV_SECRET)
TOKEN_TTL_SECONDS = int(_env("TOKEN_TTL_SECONDS", str(12 * 3600)))
HOST = _env("HOST", "127.0.0.1")
PORT = int(_env("PORT", "8000"))
CORS_ORIGINS = [o for o in _env("CORS_ORIGINS", "http://localhost:5173,http://127.0.0.1:5173").split(",") if o]
QUOTE_TTL_DAYS = int(_env("QUOTE_TTL_DAYS", "7"))
JOB_OFFER_TTL_MINUTES = int(_env("JOB_OFFER_TTL_MINUTES", "240"))
JOB_OFFER_SWEEP_SECONDS = float(_env("JOB_OFFER_SWEEP_SECONDS", "30"))
# Prefixes channel names at the broker, so deployments or test runs sharing one Redis stay apart.
BROADCAST_NAMESPACE = _env("BROADCAST_NAMESPACE", "")
GRAPHIQL = DEBUG and _bool("GRAPHIQL", True)  # never in production
MAX_PAGE_SIZE = 100
# Allocations between young garbage collections (CPython's default is 700); 0 keeps the defaults. See app/gc_tuning.py.
GC_GEN0_THRESHOLD = int(_env("GC_GEN0_THRESHOLD", "50000"))

if SECRET_KEY == DEV_SECRET:
    if ENVIRONMENT == "production":
        raise RuntimeError("SECRET_KEY must be set in production")
    logging.getLogger("nzero").warning("SECRET_KEY is the development default; set SECRET_KEY in production")
