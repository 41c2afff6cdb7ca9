"""Coordination: availability, working hours, planning, quoting, acceptance, offers, the booking lifecycle."""
