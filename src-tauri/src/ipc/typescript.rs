//! `ui/src/lib/commands.ts`, expanded from the command table: for each
//! command, the arguments the window sends (camelCase, as Tauri reads them)
//! and its answer, named by the ts-rs types of `ui/src/lib/bindings.ts`; and
//! the declarations of the types that cross IPC from outside rembug-core.
//! `tests/typescript_commands.rs` fails when the committed file is stale.

use std::collections::BTreeSet;

use heck::ToLowerCamelCase;
use ts_rs::{Config, Dependency, TS, TypeVisitor};

use super::*;

enum Parameters {
    /// Each argument's key and TypeScript type.
    Json(Vec<String>),
    /// The headers that carry the ids beside the bytes.
    Raw(&'static [&'static str]),
}

struct Command {
    name: &'static str,
    parameters: Parameters,
    answer: String,
}

/// Names types in TypeScript and remembers the declared ones it named, to
/// import them.
struct Namer {
    cfg: Config,
    named: BTreeSet<String>,
    /// Whether an argument is a `Channel`, whose type the file imports.
    channel: bool,
}

impl TypeVisitor for Namer {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if let Some(dependency) = Dependency::from_ty::<T>(&self.cfg) {
            self.named.insert(dependency.ts_name);
        }
        T::visit_generics(self);
    }
}

impl Namer {
    fn name<T: TS + 'static + ?Sized>(&mut self) -> String {
        self.visit::<T>();
        T::name(&self.cfg)
    }

    /// `key: Type`; an `Option` may be left out, as Tauri reads a missing key
    /// as `None`.
    fn argument<T: TS + 'static>(&mut self, name: &str) -> String {
        let optional = if T::IS_OPTION { "?" } else { "" };
        format!("{}{optional}: {}", name.to_lower_camel_case(), self.name::<T>())
    }

    /// A `tauri::ipc::Channel` argument: the window passes a `Channel` of
    /// `@tauri-apps/api/core`.
    fn channel<M: TS + 'static>(&mut self, name: &str) -> String {
        self.channel = true;
        format!("{}: Channel<{}>", name.to_lower_camel_case(), self.name::<M>())
    }
}

macro_rules! ts_arguments {
    ($namer:ident $arguments:ident) => {};
    ($namer:ident $arguments:ident $name:ident : Channel<$message:ty> $(, $($rest:tt)*)?) => {
        $arguments.push($namer.channel::<$message>(stringify!($name)));
        ts_arguments!($namer $arguments $($($rest)*)?);
    };
    ($namer:ident $arguments:ident $name:ident : $type:ty $(, $($rest:tt)*)?) => {
        $arguments.push($namer.argument::<$type>(stringify!($name)));
        ts_arguments!($namer $arguments $($($rest)*)?);
    };
}

macro_rules! ts_parameters {
    ($namer:ident (raw $($header:literal),+)) => {
        Parameters::Raw(&[$($header),+])
    };
    ($namer:ident ($($arguments:tt)*)) => {{
        // A command without arguments pushes none.
        #[allow(unused_mut)]
        let mut arguments = Vec::new();
        ts_arguments!($namer arguments $($arguments)*);
        Parameters::Json(arguments)
    }};
}

macro_rules! ts_commands {
    ($($module:ident { $($name:ident ($($inject:ident),* ; $($parameters:tt)*) -> $answer:ty;)* })*) => {
        fn table(namer: &mut Namer) -> Vec<Command> {
            vec![$($(Command {
                name: stringify!($name),
                parameters: ts_parameters!(namer ($($parameters)*)),
                answer: namer.name::<$answer>(),
            }),*),*]
        }
    };
}

with_commands!(ts_commands);

/// The whole generated file.
pub fn commands() -> String {
    let mut namer = Namer { cfg: Config::new(), named: BTreeSet::new(), channel: false };
    let commands = table(&mut namer);
    // Declared here: it comes from the documents crate, which rembug-core's
    // bindings cannot see.
    let declarations = [DocumentKind::decl(&namer.cfg)];
    let declared_here = [DocumentKind::ident(&namer.cfg)];
    let from_bindings: Vec<&str> =
        namer.named.iter().map(String::as_str).filter(|name| !declared_here.iter().any(|here| here == name)).collect();

    let mut out = String::from(
        "// Generated from the command table (src-tauri/src/commands/table.rs) by `make bindings`. Do not edit.\n\n",
    );
    if namer.channel {
        out.push_str("import type { Channel } from '@tauri-apps/api/core';\n");
    }
    out.push_str(&format!("import type {{ {} }} from './bindings';\n", from_bindings.join(", ")));
    for declaration in declarations {
        out.push_str(&format!("\nexport {declaration}\n"));
    }
    out.push_str(
        "\n/** The commands whose arguments travel as JSON: their arguments, under the names the shell reads, and their answer. */\nexport type Commands = {\n",
    );
    for command in &commands {
        if let Parameters::Json(arguments) = &command.parameters {
            let arguments = if arguments.is_empty() {
                "Record<string, never>".to_owned()
            } else {
                format!("{{ {} }}", arguments.join("; "))
            };
            out.push_str(&format!("  {}: {{ args: {arguments}; answer: {} }};\n", command.name, command.answer));
        }
    }
    out.push_str(
        "};\n\n/** The commands whose body is raw bytes (a photo, a signature): the headers that carry their ids, and their answer. */\nexport type RawCommands = {\n",
    );
    for command in &commands {
        if let Parameters::Raw(headers) = &command.parameters {
            let headers: Vec<String> = headers.iter().map(|header| format!("'{header}': string")).collect();
            out.push_str(&format!(
                "  {}: {{ headers: {{ {} }}; answer: {} }};\n",
                command.name,
                headers.join("; "),
                command.answer
            ));
        }
    }
    out.push_str("};\n");
    out
}
