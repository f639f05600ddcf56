//! `heard`: serve (the default), migrate, load demo data, add staff.

use clap::{Parser, Subcommand};
use heard::config::Config;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "heard",
    about = "Young people in England, heard by the services that shape their lives."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (the default).
    Serve,
    /// Create or update the database schema, then stop.
    Migrate,
    /// Load demo data into an empty database (or, with --remove, end the demo accounts).
    Demo {
        /// Stop the demo accounts signing in (their published passwords are replaced).
        #[arg(long)]
        remove: bool,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The national feed: this instance's key, and sending its document to the hub.
    Feed {
        #[command(subcommand)]
        command: FeedCommand,
    },
}

#[derive(Subcommand)]
enum FeedCommand {
    /// Make a new Ed25519 key file (readable by its owner only) and print its public key.
    Keygen {
        /// Where to write it; never over an existing file.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Print the public key of HEARD_FEED_KEY, for the hub's administrator.
    PublicKey,
    /// Send this instance's signed document to the hub (HEARD_HUB_URL) now.
    Push,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a member of staff. Prints a one-time password, or reads one from stdin when piped.
    Add {
        #[arg(long)]
        email: String,
        /// admin, org_admin, youth_worker, safeguarding_lead or commissioner
        #[arg(long)]
        role: String,
        /// The organisation's name (created if new). Needed for organisation roles.
        #[arg(long)]
        org: Option<String>,
        /// An area code a commissioner oversees (repeatable).
        #[arg(long = "area")]
        areas: Vec<String>,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("heard: configuration problem: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("heard: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("heard: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Demo accounts have passwords printed in the README: anyone could sign in
/// with them. heard serves them only to this machine: on a loopback address,
/// with no sign of a proxy in front (a public address, https, forwarded
/// addresses), since a proxy on the same machine would pass loopback on.
async fn refuse_published_passwords(db: &app::db::Db, config: &Config) -> Result<(), String> {
    let authority = config
        .public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("");
    let public_host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    let this_machine_only = config.addr.ip().is_loopback()
        && matches!(public_host, "127.0.0.1" | "localhost" | "::1")
        && !config.https
        && !config.trust_forwarded_for;
    if this_machine_only {
        return Ok(());
    }
    let found = heard::demo::accounts_with_demo_passwords(db).await?;
    if found.is_empty() {
        return Ok(());
    }
    Err(format!(
        "refusing to serve on {} ({}): the demo accounts {} still have their published passwords, \
         so anyone could sign in with them. Run `heard demo --remove` to stop them signing in, \
         or serve on 127.0.0.1 with no public address or https to try heard on this machine only.",
        config.addr,
        config.public_url,
        found.join(", ")
    ))
}

async fn run(command: Command, config: Config) -> Result<(), String> {
    // Keys are made and read without a database.
    match &command {
        Command::Feed {
            command: FeedCommand::Keygen { out },
        } => {
            let key = app::feed::signing::FeedKey::generate();
            key.write_new(out)?;
            println!("{}", key.public());
            eprintln!(
                "heard: wrote {}; set HEARD_FEED_KEY to it and give the hub the public key above.",
                out.display()
            );
            return Ok(());
        }
        Command::Feed {
            command: FeedCommand::PublicKey,
        } => {
            let me = config
                .feed
                .as_ref()
                .ok_or("HEARD_FEED_KEY is not set: make a key with `heard feed keygen`.")?;
            println!("{}", me.key.public());
            return Ok(());
        }
        _ => {}
    }
    let state = heard::prepare(
        &config.database_url,
        &config.site_root,
        config.addr,
        config.settings(),
    )
    .await?;
    match command {
        Command::Migrate => {
            println!("heard: the database is up to date.");
            Ok(())
        }
        Command::Demo { remove: false } => heard::demo::load(&state.db).await,
        Command::Demo { remove: true } => heard::demo::remove(&state.db).await,
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    org,
                    areas,
                },
        } => {
            let password = if std::io::stdin().is_terminal() {
                None
            } else {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| format!("could not read the password: {e}"))?;
                Some(s.trim_end_matches(['\n', '\r']).to_string()).filter(|p| !p.is_empty())
            };
            heard::demo::add_user(&state.db, &email, &role, org.as_deref(), &areas, password).await
        }
        Command::Feed {
            command: FeedCommand::Push,
        } => heard::push_feed(&state).await,
        Command::Feed { .. } => Ok(()),
        Command::Serve => {
            refuse_published_passwords(&state.db, &config).await?;
            let listener = tokio::net::TcpListener::bind(config.addr)
                .await
                .map_err(|e| format!("could not listen on {}: {e}", config.addr))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            println!("heard is ready at http://{addr}/ (staff sign in at http://{addr}/sign-in)");
            heard::serve(listener, state)
                .await
                .map_err(|e| format!("the server stopped: {e}"))
        }
    }
}
