-- Conversation context: what each chat was last answered or offered, so "biayanya berapa?" and
-- "2" mean something. Keys are salted hashes of the chat and user ids (never the raw ids, which
-- are phone numbers on WhatsApp); only catalogue refs and times are kept, never message text.
create table if not exists conversation_context (
    chat_key text primary key, day text not null, topic text,
    choices text not null default '', updated_at real not null);
create index if not exists conversation_context_updated on conversation_context (updated_at);
-- One random salt per local day: after the day's purge, yesterday's keys can no longer be linked
-- to anyone, not even by hashing every phone number.
create table if not exists context_salt (day text primary key, salt text not null);
