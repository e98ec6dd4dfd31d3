//! The window may call exactly the app's own commands, the ones of the
//! command table (src/commands/table.rs): the capability build.rs writes from
//! the table grants each one's `allow-` permission and nothing else, and
//! Tauri's generated ACL manifest maps each of those permissions to its one
//! command.

use std::collections::BTreeSet;

use rembug_desktop::ipc::COMMANDS;

fn permission_of(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

fn json_file(relative: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_capability_grants_exactly_the_commands_of_the_table() {
    let capability = json_file("capabilities/default.json");
    let granted: BTreeSet<&str> = capability["permissions"]
        .as_array()
        .expect("a list of permissions")
        .iter()
        .map(|permission| permission.as_str().expect("permissions are plain identifiers, without scopes"))
        .collect();
    let table: BTreeSet<String> = COMMANDS.iter().map(|command| permission_of(command)).collect();

    assert!(COMMANDS.len() > 60, "the table expanded to {} commands", COMMANDS.len());
    assert_eq!(granted, table.iter().map(String::as_str).collect(), "run `cargo build -p rembug-desktop` and commit");
    // A core or plugin permission is named `<plugin>:<permission>`.
    assert!(granted.iter().all(|permission| !permission.contains(':')), "{granted:?}");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert!(capability.get("remote").is_none(), "no remote URL may use the capability");
}

#[test]
fn each_permission_tauri_generated_allows_its_one_command() {
    // Written by tauri-build from the app manifest that build.rs fills from
    // the table; the build of this test ran it.
    let manifests = json_file("gen/schemas/acl-manifests.json");
    let app = &manifests["__app-acl__"];
    let permissions = app["permissions"].as_object().expect("the app's permissions");
    assert_eq!(
        permissions.keys().cloned().collect::<BTreeSet<_>>(),
        COMMANDS
            .iter()
            .flat_map(|command| [permission_of(command), permission_of(command).replacen("allow-", "deny-", 1)])
            .collect(),
    );
    for command in COMMANDS {
        let allowed = &permissions[&permission_of(command)]["commands"]["allow"];
        assert_eq!(allowed, &serde_json::json!([command]), "{command}");
    }
    // The dialog plugin is used from Rust only; no capability names it.
    let capability = json_file("capabilities/default.json");
    assert!(!capability.to_string().contains("dialog"), "the window may not open dialogs itself");
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
