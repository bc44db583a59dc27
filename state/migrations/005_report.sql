-- Usage records for the management report, and the SKM survey (PermenPANRB 14/2017).
-- No chat id, name or question text here, except the redacted text of unanswered questions.
create table if not exists questions (
    id integer primary key, day text not null, hour integer not null, channel text not null,
    status text not null, ref text);
create index if not exists questions_day on questions (day);
-- Questions answered "none" or "ambiguous", redacted; kept MPP_UNANSWERED_DAYS days.
create table if not exists unanswered (
    id integer primary key, day text not null, channel text not null, status text not null,
    text text not null);
create index if not exists unanswered_day on unanswered (day);
-- Reminders per day, counted before the nightly purge deletes the outbox.
create table if not exists reminder_days (
    day text primary key, made integer not null, sent integer not null, failed integer not null);
-- One row per completed survey: the agency and the nine scores (1-4), never who gave them.
create table if not exists skm_responses (
    id integer primary key, day text not null, agency text not null,
    u1 integer not null, u2 integer not null, u3 integer not null, u4 integer not null,
    u5 integer not null, u6 integer not null, u7 integer not null, u8 integer not null,
    u9 integer not null, comment text);
create index if not exists skm_responses_day on skm_responses (day);
-- A survey being filled in, keyed by a salted hash of the chat (and `ticket` one of chat and
-- ticket); deleted when it ends, or with the day.
create table if not exists skm_sessions (
    key text primary key, ticket text not null, day text not null, agency text not null,
    answers text not null);
-- Tickets already surveyed (same hashed key), so a ticket is surveyed once; purged daily.
create table if not exists skm_taken (key text primary key, day text not null);
create table if not exists report_secret (id integer primary key check (id = 1), salt text not null);
