-- Whether a chat is in English: "cost?" after "I lost my ID card" is answered in English too.
alter table conversation_context add column english integer not null default 0;
