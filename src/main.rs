//! The `qinglian` command line: parse arguments, call one library function, map the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use qinglian::cmd::{self, Outcome, build::BuildArgs, check::CheckArgs, new::NewArgs};
use qinglian::export::bank::{Encoding, Format};
use qinglian::messages::{self, Lang};
use qinglian::pipeline::SiteArgs;
use qinglian::types::Audience;

/// jemalloc, not glibc's allocator: a build frees and allocates millions of small blocks
/// from two threads, and glibc grows each thread's heap a page at a time (one `mprotect`
/// each, 11,000 at 10,000 pages). The benchmark's build takes a tenth less time with it,
/// and a lower peak.
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read when it starts: one arena (the two threads seldom meet in it,
/// and one arena keeps the peak lowest), freed pages handed back after 200 ms and not kept
/// in a second, "muzzy" stage.
#[cfg(unix)]
#[unsafe(export_name = "_rjem_malloc_conf")]
static ALLOCATOR_CONF: &u8 = &b"narenas:1,dirty_decay_ms:200,muzzy_decay_ms:0\0"[0];

#[derive(Parser)]
#[command(
    name = "qinglian",
    version,
    about = "Build a hospital integrity (清廉) website from Markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages: zh-CN or en (default: the site's language, else the locale).
    #[arg(long, global = true, value_name = "zh-CN|en")]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build {
        #[command(flatten)]
        site: SiteOpts,
        /// Output folder.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check all content and report every mistake; writes nothing.
    Check {
        #[command(flatten)]
        site: SiteOpts,
        /// Report format.
        #[arg(long, value_enum, default_value = "human")]
        format: FormatOpt,
    },
    /// Create a new site with example content in DIR.
    Init {
        dir: PathBuf,
        /// Start the hospital's own site: site.yaml to fill in, the Nine Principles, and one
        /// draft of each other kind (nothing fictional is published).
        #[arg(long, conflicts_with = "units")]
        blank: bool,
        /// Start a health commission's tree: the commission's site and two example units
        /// under units/.
        #[arg(long)]
        units: bool,
    },
    /// List the units of a commission's tree (name, title, base_url, folder).
    Units {
        /// The commission's site folder (it holds content/ and units/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: human or json (for scripts and CI).
        #[arg(long, value_enum, default_value = "human")]
        format: FormatOpt,
    },
    /// Create a new content file of KIND (principle, policy, case, channel, disclosure, module,
    /// quiz, page, news, risk, reminder, pledge, exemplar), or `new unit NAME` in a
    /// commission's tree.
    New {
        kind: String,
        title: String,
        /// File name without .md (default: from the title).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Today's date, YYYY-MM-DD.
        #[arg(long)]
        now: Option<String>,
    },
    /// Preview the site while you edit: build it in memory, serve it on this computer, and
    /// rebuild and reload the page on every save.
    Serve {
        #[command(flatten)]
        site: SiteOpts,
        /// Port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; 127.0.0.1 lets only this computer in.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Question banks.
    Quiz {
        #[command(subcommand)]
        command: QuizCommand,
    },
    /// Packages for the hospital's other systems.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// SCORM 1.2 packages of the study modules for the hospital's learning platform (LMS), one
    /// zip per module.
    Scorm {
        /// The site folder (it holds content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this module: its id (modules/01-nine-principles) or its file name.
        #[arg(long)]
        module: Option<String>,
        /// The folder for the zip files (default: scorm/ in the site folder).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Today's date, YYYY-MM-DD (default: today in the site's time zone).
        #[arg(long)]
        now: Option<String>,
        /// Where links to pages left out of a package point (default: base_url in site.yaml).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Articles for the hospital's WeChat official account: cases, news, principles or
    /// policies, each an HTML page to open, copy and paste into the account's editor.
    Wechat {
        /// The items: ids (cases/2024/x), files (content/cases/2024/x.md) or file names.
        #[arg(required = true)]
        items: Vec<String>,
        /// The site folder (it holds content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The folder for the articles (default: wechat/ in the site folder).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Today's date, YYYY-MM-DD (default: today in the site's time zone).
        #[arg(long)]
        now: Option<String>,
    },
}

#[derive(Subcommand)]
enum QuizCommand {
    /// Convert a spreadsheet (.xlsx, or .csv in UTF-8 or GBK) into a question bank.
    Import {
        file: PathBuf,
        /// Write the bank here; `-` prints it. Default: content/quizzes/<file name>.md in
        /// the site.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The bank's title (default: the file name).
        #[arg(long)]
        title: Option<String>,
        /// Replace the bank if it exists (to import a corrected spreadsheet again).
        #[arg(long)]
        force: bool,
        /// The site folder, for the default output.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Export a question bank for an exam system: xlsx or csv (the layout import reads),
    /// Moodle GIFT, Moodle XML, or Aiken (single choice only).
    Export {
        /// The bank's Markdown file, or its id in the site (quizzes/nine-principles).
        bank: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormatOpt,
        /// Write here (default: the bank's name with the format's extension, in the current
        /// folder); `-` writes a text format to standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// csv only: utf-8 (with BOM, for Excel) or gbk (for old Chinese Excel).
        #[arg(long, value_enum, default_value = "utf-8")]
        encoding: EncodingOpt,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
        /// The site folder, for a bank given by id.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormatOpt {
    Xlsx,
    Csv,
    Gift,
    Aiken,
    MoodleXml,
}

#[derive(Clone, Copy, ValueEnum)]
enum EncodingOpt {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(alias = "gb18030")]
    Gbk,
}

#[derive(clap::Args)]
struct SiteOpts {
    /// The site folder (it holds content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include drafts and scheduled items.
    #[arg(long)]
    drafts: bool,
    /// Today's date, YYYY-MM-DD (default: today in the site's time zone).
    #[arg(long)]
    now: Option<String>,
    /// Who the build is for: public leaves staff-only items out.
    #[arg(long, value_enum, default_value = "public")]
    audience: AudienceOpt,
    /// Override base_url from site.yaml.
    #[arg(long)]
    base_url: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Write every link relative to its page, so the site opens from a folder or USB stick
    /// without a web server (also `relative: true` in site.yaml).
    #[arg(long)]
    relative: bool,
    /// In a commission's tree: only this unit (its folder name under units/), with the
    /// commission's shared items.
    #[arg(long, value_name = "NAME")]
    unit: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum AudienceOpt {
    Public,
    Staff,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatOpt {
    Human,
    Json,
}

impl SiteOpts {
    fn into_args(self, lang: Lang) -> SiteArgs {
        SiteArgs {
            root: self.root,
            drafts: self.drafts,
            now: self.now,
            audience: match self.audience {
                AudienceOpt::Public => Audience::Public,
                AudienceOpt::Staff => Audience::Staff,
            },
            base_url: self.base_url,
            relative: self.relative,
            strict: self.strict,
            lang,
            unit: self.unit,
            units: Default::default(),
        }
    }
}

/// `quiz import` and `quiz export`.
fn quiz(command: QuizCommand, lang: Lang) -> qinglian::Result<Outcome> {
    match command {
        QuizCommand::Import {
            file,
            output,
            title,
            force,
            root,
        } => cmd::quiz::run(&cmd::quiz::ImportArgs {
            input: file,
            output,
            title,
            force,
            root,
            lang,
        }),
        QuizCommand::Export {
            bank,
            format,
            output,
            encoding,
            force,
            root,
        } => cmd::quiz_export::run(&cmd::quiz_export::ExportArgs {
            bank,
            root,
            format: export_format(format),
            output,
            encoding: match encoding {
                EncodingOpt::Utf8 => Encoding::Utf8,
                EncodingOpt::Gbk => Encoding::Gbk,
            },
            force,
            lang,
        }),
    }
}

fn export_format(format: ExportFormatOpt) -> Format {
    match format {
        ExportFormatOpt::Xlsx => Format::Xlsx,
        ExportFormatOpt::Csv => Format::Csv,
        ExportFormatOpt::Gift => Format::Gift,
        ExportFormatOpt::Aiken => Format::Aiken,
        ExportFormatOpt::MoodleXml => Format::MoodleXml,
    }
}

/// The language before the arguments are parsed (for `--help`): `--lang`, else the site's
/// language (from `--root` or the current folder), else the locale.
fn early_lang() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix(&format!("{name}="))
                .map(str::to_owned)
                .or_else(|| (a == name).then(|| args.get(i + 1).cloned()).flatten())
        })
    };
    let root = value("--root").map_or_else(|| PathBuf::from("."), PathBuf::from);
    let root = std::path::absolute(&root).unwrap_or(root);
    messages::choose(value("--lang").as_deref(), &root)
}

fn main() -> ExitCode {
    let lang = early_lang();
    let parsed = messages::cli::localize(Cli::command(), lang)
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return command_line_mistake(&e, lang),
    };
    match run(cli.command, lang) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::ContentErrors) => ExitCode::from(1),
        Err(e) => {
            eprintln!("{}", e.render(lang));
            ExitCode::from(2)
        }
    }
}

/// Prints help or a command-line mistake (the latter on standard error, exit code 2).
fn command_line_mistake(e: &clap::Error, lang: Lang) -> ExitCode {
    use std::io::IsTerminal;
    let to_stderr = e.use_stderr();
    let terminal = match to_stderr {
        true => std::io::stderr().is_terminal(),
        false => std::io::stdout().is_terminal(),
    };
    if let Some(text) = messages::cli::help(e, lang, terminal) {
        match to_stderr {
            true => eprint!("{text}"),
            false => print!("{text}"),
        }
        return ExitCode::from(e.exit_code() as u8);
    }
    let args: Vec<String> = std::env::args().collect();
    let command = messages::cli::command_path(&Cli::command(), &args);
    eprintln!("{}", messages::cli::mistake(e, lang, &command));
    ExitCode::from(2)
}

/// Calls the library function of an `export` command.
fn export(command: ExportCommand, lang: Lang) -> qinglian::Result<Outcome> {
    match command {
        ExportCommand::Scorm {
            root,
            module,
            output,
            now,
            base_url,
        } => cmd::export::run(&cmd::export::ScormArgs {
            root,
            module,
            output,
            now,
            base_url,
            lang,
        }),
        ExportCommand::Wechat {
            items,
            root,
            output,
            now,
        } => cmd::wechat::run(&cmd::wechat::WechatArgs {
            root,
            items,
            output,
            now,
            lang,
        }),
    }
}

/// Calls the library function of `command`.
fn run(command: Command, lang: Lang) -> qinglian::Result<Outcome> {
    match command {
        Command::Build { site, out } => cmd::build::run(&BuildArgs {
            site: site.into_args(lang),
            out,
        }),
        Command::Check { site, format } => {
            let format = match format {
                FormatOpt::Human => cmd::check::Format::Human,
                FormatOpt::Json => cmd::check::Format::Json,
            };
            cmd::check::run(&CheckArgs {
                site: site.into_args(lang),
                format,
            })
        }
        Command::Init { dir, blank, units } => {
            cmd::init::run(&dir, blank, units, lang).map(|()| Outcome::Clean)
        }
        Command::Units { root, format } => {
            cmd::units::list(&root, matches!(format, FormatOpt::Json), lang)
        }
        Command::New {
            kind, title, root, ..
        } if matches!(kind.as_str(), "unit" | "单位") => {
            cmd::units::add(&root, &title, lang).map(|()| Outcome::Clean)
        }
        Command::New {
            kind,
            title,
            name,
            root,
            now,
        } => cmd::new::run(&NewArgs {
            root,
            kind,
            title,
            name,
            now,
            lang,
        })
        .map(|_| Outcome::Clean),
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => qinglian::cmd::serve::run(&qinglian::cmd::serve::ServeArgs {
            site: site.into_args(lang),
            port,
            bind,
            open,
        }),
        Command::Quiz { command } => quiz(command, lang),
        Command::Export { command } => export(command, lang),
    }
}
