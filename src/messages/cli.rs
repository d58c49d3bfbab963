//! The command line's own help in the user's language: clap takes its texts from our doc
//! comments (English); for Chinese each command's and argument's help comes from the
//! catalogue (`cli.<command>` and `cli.<command>.<argument>`), and the headings too.

use clap::Command;

use super::{Lang, Msg};

/// `cmd` with its help texts from the catalogue of `lang`.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    let cmd = cmd.disable_help_subcommand(true);
    walk(cmd, "cli", lang)
}

/// Translates `cmd` (whose catalogue key is `key`) and its subcommands.
fn walk(cmd: Command, key: &str, lang: Lang) -> Command {
    let text = |k: &str| Msg::lookup(lang, k);
    let heading = text("cli.heading").unwrap_or_default();
    let positional = text("cli.arguments").unwrap_or_default();
    let mut cmd = own_flags(cmd, key == "cli", &heading, lang)
        .help_template(text("cli.template").unwrap_or_default())
        .subcommand_help_heading(text("cli.commands").unwrap_or_default());
    if let Some(about) = text(key) {
        cmd = cmd.about(about);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help" && id != "version")
        .collect();
    for id in ids {
        let help = text(&format!("{key}.{id}")).or_else(|| text(&format!("cli.{id}")));
        let quiet = lang != Lang::En;
        cmd = cmd.mut_arg(id.as_str(), |a| {
            let takes_value = a.get_action().takes_values();
            let a = a
                .hide_default_value(quiet && takes_value)
                .hide_possible_values(quiet && takes_value);
            let a = if a.is_positional() {
                a.help_heading(positional.clone())
            } else {
                a.help_heading(heading.clone())
            };
            match help {
                Some(help) => a.help(help),
                None => a,
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subs {
        let sub_key = format!("{key}.{name}");
        cmd = cmd.mut_subcommand(name.as_str(), |s| walk(s, &sub_key, lang));
    }
    cmd
}

/// `-h` (and on the top command `-V`) with their help in `lang`, under `heading`.
fn own_flags(cmd: Command, top: bool, heading: &str, lang: Lang) -> Command {
    let text = |k: &str| Msg::lookup(lang, k).unwrap_or_default();
    let flag = |id: &'static str, short: char, action, help: &str| {
        clap::Arg::new(id)
            .short(short)
            .long(id)
            .action(action)
            .help_heading(heading.to_owned())
            .help(text(help))
    };
    let cmd = cmd
        .disable_help_flag(true)
        .arg(flag("help", 'h', clap::ArgAction::Help, "cli.help"));
    if top {
        cmd.disable_version_flag(true).arg(flag(
            "version",
            'V',
            clap::ArgAction::Version,
            "cli.version",
        ))
    } else {
        cmd
    }
}

/// A command-line mistake (an unknown command or option, a missing or bad value) in `lang`,
/// with what clap found; help and version requests print as they are.
pub fn mistake(e: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind, ErrorKind};
    let what = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidSubcommand => crate::msg!("cli.error.command"),
        ErrorKind::UnknownArgument => crate::msg!("cli.error.option"),
        ErrorKind::MissingRequiredArgument | ErrorKind::MissingSubcommand => {
            crate::msg!("cli.error.missing")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => crate::msg!("cli.error.value"),
        _ => crate::msg!("cli.error.other"),
    };
    let found = [ContextKind::InvalidSubcommand, ContextKind::InvalidArg]
        .iter()
        .find_map(|k| e.get(*k))
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut text = crate::msg!("cli.error", found = found)
        .sub("what", what)
        .render(lang);
    for k in [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg] {
        if let Some(s) = e.get(k) {
            let tip = crate::msg!("cli.error.tip", suggestion = s.to_string());
            text.push('\n');
            text.push_str(&tip.render(lang));
        }
    }
    text.push('\n');
    text.push_str(&crate::msg!("cli.error.help").render(lang));
    Some(text)
}
