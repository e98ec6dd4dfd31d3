//! The window may call exactly the app's own commands: the list in build.rs
//! (which generates the permissions), the handlers registered in lib.rs and
//! the capability file must agree, and the capability grants nothing else.

use std::collections::BTreeSet;

fn quoted_names(text: &str) -> BTreeSet<String> {
    text.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not found")) + start.len();
    let to = from + text[from..].find(end).unwrap_or_else(|| panic!("{end:?} not found"));
    &text[from..to]
}

#[test]
fn the_capability_grants_exactly_the_registered_commands() {
    let build = include_str!("../build.rs");
    let lib = include_str!("../src/lib.rs");
    let capability: serde_json::Value = serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();

    let declared = quoted_names(between(build, "const COMMANDS: &[&str] = &[", "];"));
    let registered: BTreeSet<String> = between(lib, "generate_handler![", "]")
        .split(',')
        .map(|entry| entry.trim().trim_start_matches("commands::").to_owned())
        .filter(|name| !name.is_empty())
        .collect();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|permission| {
            let permission = permission.as_str().expect("permissions are plain identifiers");
            assert!(!permission.contains('*') && !permission.contains(':'), "{permission} is not one of our commands");
            permission.strip_prefix("allow-").expect("only allow- permissions").replace('-', "_")
        })
        .collect();

    assert!(!declared.is_empty());
    assert_eq!(declared, registered, "build.rs and generate_handler! differ");
    assert_eq!(declared, granted, "build.rs and capabilities/default.json differ");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
}

#[test]
fn the_window_loads_no_remote_content() {
    let config: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    assert_eq!(config["app"]["withGlobalTauri"], false);
    let csp = config["app"]["security"]["csp"].as_object().expect("a CSP is set");
    for (directive, sources) in csp {
        let sources = sources.as_str().unwrap();
        assert!(!sources.contains("http:") || sources == "ipc: http://ipc.localhost", "{directive}: {sources}");
        assert!(!sources.contains("https:") && !sources.contains("unsafe-"), "{directive}: {sources}");
    }
    assert_eq!(csp["script-src"], "'self'");
}
