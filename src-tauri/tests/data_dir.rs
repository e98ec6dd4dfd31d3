//! The CLI finds the desktop app's data because both name the folder after
//! the app's identifier in tauri.conf.json.

#[test]
fn the_core_names_the_data_folder_after_the_app_identifier() {
    if std::env::var_os("REMBUG_DATA_DIR").is_some() {
        return; // an explicit folder overrides the default; nothing to compare
    }
    let config: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    let identifier = config["identifier"].as_str().unwrap();
    let folder = rembug_core::data_dir::default_data_dir().expect("this OS has an app-data folder");
    assert_eq!(folder.file_name().unwrap(), identifier);
}
