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
    /// Load demo data into an empty database.
    Demo,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
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

async fn run(command: Command, config: Config) -> Result<(), String> {
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
        Command::Demo => heard::demo::load(&state.db).await,
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
        Command::Serve => {
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
