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

/// What clap prints for `--help` and `--version`, with the Chinese headings' colons made
/// full-width like the rest of the text; `None` for a mistake.
pub fn help(e: &clap::Error, lang: Lang, ansi: bool) -> Option<String> {
    use clap::error::ErrorKind;
    let shown = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !shown {
        return None;
    }
    let rendered = e.render();
    let mut text = match ansi {
        true => rendered.ansi().to_string(),
        false => rendered.to_string(),
    };
    if lang == Lang::Zh {
        for key in ["cli.heading", "cli.arguments", "cli.commands"] {
            let heading = Msg::lookup(lang, key).unwrap_or_default();
            text = text.replace(&format!("{heading}:"), &format!("{heading}："));
        }
    }
    Some(text)
}

/// The command a command line names (`qinglian quiz export`), for pointing at its `--help`.
pub fn command_path(cmd: &Command, args: &[String]) -> String {
    let mut path = vec![cmd.get_name().to_owned()];
    let mut current = cmd;
    for arg in args.iter().skip(1).filter(|a| !a.starts_with('-')) {
        match current.find_subcommand(arg) {
            Some(sub) => {
                path.push(sub.get_name().to_owned());
                current = sub;
            }
            None => break,
        }
    }
    path.join(" ")
}

/// A command-line mistake (an unknown command or option, a missing or bad value) in `lang`:
/// what is wrong, the allowed values where there is a list, and the command's `--help`.
pub fn mistake(e: &clap::Error, lang: Lang, command: &str) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let found = [ContextKind::InvalidSubcommand, ContextKind::InvalidArg]
        .iter()
        .find_map(|k| e.get(*k))
        .map(ToString::to_string)
        .unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => crate::msg!("cli.error.command", found = found),
        ErrorKind::UnknownArgument => crate::msg!("cli.error.option", found = found),
        ErrorKind::MissingRequiredArgument | ErrorKind::MissingSubcommand => {
            let missing = match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(names)) => names.iter().map(|n| value_name(n)).collect(),
                _ => vec![Msg::from(found)],
            };
            crate::msg!("cli.error.missing").list("what", missing)
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => bad_value(e, &found),
        _ => crate::msg!("cli.error.other"),
    };
    let mut text = crate::msg!("cli.error").sub("what", what).render(lang);
    for k in [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg] {
        if let Some(s) = e.get(k) {
            let tip = crate::msg!("cli.error.tip", suggestion = s.to_string());
            text.push('\n');
            text.push_str(&tip.render(lang));
        }
    }
    text.push('\n');
    text.push_str(&crate::msg!("cli.error.help", command = command).render(lang));
    text
}

/// A value an option cannot take: the value given, and what the option takes.
fn bad_value(e: &clap::Error, found: &str) -> Msg {
    use clap::error::{ContextKind, ContextValue};
    let option = found.split_whitespace().next().unwrap_or(found);
    let value = e
        .get(ContextKind::InvalidValue)
        .map(ToString::to_string)
        .unwrap_or_default();
    let choices = match e.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(list)) => list.clone(),
        _ => Vec::new(),
    };
    if !choices.is_empty() {
        let choices = choices
            .into_iter()
            .map(|c| Msg::from(format!("`{c}`")))
            .collect();
        return crate::msg!("cli.error.choice", option = option, value = value).joined(
            "choices",
            choices,
            "cli.error.or",
        );
    }
    match option {
        "--port" => crate::msg!("cli.error.port", value = value),
        _ => crate::msg!("cli.error.value", option = option, value = value),
    }
}

/// A missing argument (`<KIND>`) in words.
fn value_name(name: &str) -> Msg {
    match name.trim_matches(['<', '>', '.']) {
        "KIND" => crate::msg!("cli.value.kind"),
        "TITLE" => crate::msg!("cli.value.title"),
        "FILE" => crate::msg!("cli.value.file"),
        "BANK" => crate::msg!("cli.value.bank"),
        "DIR" => crate::msg!("cli.value.dir"),
        "COMMAND" => crate::msg!("cli.value.command"),
        other => Msg::from(format!("<{other}>")),
    }
}
