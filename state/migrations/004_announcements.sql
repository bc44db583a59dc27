-- Staff announcements (pengumuman): for the whole MPP (agency null) or one agency, until a time.
-- Times are UTC ISO strings, so they compare correctly as text.
create table if not exists announcements (
    id integer primary key, text text not null, agency text, created_at text not null,
    until text not null, ended_at text, created_by text);
create index if not exists announcements_until on announcements (until);
