-- Outgoing message rates shared by every worker (several `mpp-bot run` on one PostgreSQL): the
-- next free sending moment per service (seconds since the epoch), so N workers together keep
-- Telegram's ~30 messages/s instead of N times it.
create table if not exists rate_limits (key text primary key, next_at real not null);
