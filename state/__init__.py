"""Durable state of the running assistant (reminders, and later context, announcements, usage),
kept apart from the catalogue: plain SQL with numbered migrations."""
