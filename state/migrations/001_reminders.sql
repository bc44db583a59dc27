-- Queue reminders: the state of each queue, subscriptions, and the outbox of reminders.
create table if not exists queue_state (
    day text not null, prefix text not null, number integer not null, counter text not null,
    called_at text not null, primary key (day, prefix));
create table if not exists subscriptions (
    id integer primary key, day text not null, chat text not null, prefix text not null,
    number integer not null, created_at text not null, active integer not null default 1,
    unique (day, chat, prefix, number));
create table if not exists outbox (
    id integer primary key, subscription integer not null references subscriptions(id),
    kind text not null, chat text not null, text text, created_at text not null,
    sent_at text, attempts integer not null default 0, failed text,
    unique (subscription, kind));
create index if not exists outbox_pending on outbox (sent_at) where sent_at is null;
