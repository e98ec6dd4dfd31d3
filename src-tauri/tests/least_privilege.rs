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
        .map(|entry| entry.trim().rsplit("::").next().unwrap_or_default().to_owned())
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
    // The only http: sources are the app's own URI schemes as Windows names
    // them: IPC, and the attachments shown by their hash (src/attachments.rs).
    let local_schemes = [("connect-src", "http://ipc.localhost"), ("img-src", "http://rembug-attachment.localhost")];
    for (directive, sources) in csp {
        let sources = sources.as_str().unwrap();
        for source in sources.split_whitespace() {
            let local = local_schemes.contains(&(directive.as_str(), source));
            assert!(!source.contains("http:") || local, "{directive}: {source}");
        }
        assert!(!sources.contains("https:") && !sources.contains("unsafe-"), "{directive}: {sources}");
        assert!(!sources.contains('*'), "{directive}: {sources}");
    }
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["connect-src"], "ipc: http://ipc.localhost");
    assert_eq!(csp["img-src"], "'self' data: rembug-attachment: http://rembug-attachment.localhost");
}
