"""Payments: Stripe Connect split payments (separate charges and transfers) or the local ledger."""
