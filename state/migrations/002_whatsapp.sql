-- WhatsApp delivers webhooks at least once: each message id is claimed here before it is
-- answered, so a re-sent, re-played or racing delivery finds its id taken and stays silent.
create table if not exists seen_messages (
    channel text not null, message_id text not null, seen_at text not null,
    primary key (channel, message_id));
create index if not exists seen_messages_age on seen_messages (seen_at);
-- Reminders are retried with backoff for a while instead of a few quick tries: the moment of
-- the first failed try (seconds since the epoch, real time) decides when to give up.
alter table outbox add column first_failed_at real;
