//! heard's integration tests, in one binary: each module boots the whole app
//! on port 0 against a fresh database (an SQLite file, or a PostgreSQL
//! database cloned from a migrated template) and speaks HTTP to it. One binary
//! links the app once instead of once per file.

#[macro_use]
mod common;
mod seeding;
mod smtp;

mod access;
mod accounts;
mod answering;
mod building;
mod cli;
mod delivery;
mod double_taps;
mod feed;
mod floods;
mod hardening;
mod insights;
mod live;
mod organisations;
mod results;
mod retention;
mod safeguarding;
mod safeguarding_mail;
mod services;
mod staff_list;
mod standards;
mod suggestions;
mod tallies;
mod team;
