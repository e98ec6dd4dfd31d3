//! The desktop shell: opens the window, owns the data folder, and exposes the
//! core through commands. Each command parses its input, calls the core and
//! maps errors to an `ErrorReply`; no logic lives here.

mod attachments;
mod commands;
mod dialogs;
mod state;

use tauri::Manager;

pub fn run() {
    tauri::Builder::default()
        // Used from Rust only (src/dialogs.rs): the window is granted none of
        // its commands.
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let state = state::AppState::open(app.handle());
            app.manage(state);
            Ok(())
        })
        .register_asynchronous_uri_scheme_protocol(attachments::SCHEME, attachments::serve)
        .invoke_handler(tauri::generate_handler![
            commands::startup_error,
            commands::quit_app,
            commands::settings::get_settings,
            commands::settings::set_language,
            commands::list_kelurahan,
            commands::list_meetings,
            commands::get_meeting,
            commands::create_meeting,
            commands::update_meeting,
            commands::meeting_changes,
            commands::lock_blockers,
            commands::lock_meeting,
            commands::revise_meeting,
            commands::ranking::ranking,
            commands::ranking::ensure_default_criteria,
            commands::ranking::set_criteria,
            commands::ranking::set_score,
            commands::ranking::set_ranking_method,
            commands::ranking::set_hands,
            commands::ranking::set_manual_order,
            commands::ranking::clear_manual_order,
            commands::search::search,
            commands::settings::save_recording_settings,
            commands::settings::save_kop_settings,
            commands::attendance::suggest_people,
            commands::attendance::list_attendees,
            commands::attendance::check_in,
            commands::attendance::check_in_new,
            commands::attendance::remove_attendee,
            commands::attendance::set_attendee_role,
            commands::attendance::set_signature,
            commands::attendance::add_attendance_sheet_photo,
            commands::attendance::attendance_sheet_photos,
            commands::attendance::attendance_counts,
            commands::attendance::delegates,
            commands::attendance::set_delegates,
            commands::agenda::list_agenda,
            commands::agenda::add_agenda_item,
            commands::agenda::save_agenda_item,
            commands::agenda::move_agenda_item,
            commands::agenda::delete_agenda_item,
            commands::usulan::list_usulan,
            commands::usulan::usulan_form,
            commands::usulan::add_usulan,
            commands::usulan::update_usulan,
            commands::usulan::delete_usulan,
            commands::usulan::format_biaya,
            commands::usulan::add_usulan_photo,
            commands::usulan::remove_usulan_photo,
            commands::usulan::carry_forward_candidates,
            commands::usulan::carry_forward,
            commands::usulan::carried_origins,
            commands::bundles::device_summary,
            commands::bundles::choose_office_key,
            commands::bundles::export_bundle,
            commands::bundles::import_bundle,
            commands::bundles::imported_meetings,
            commands::bundles::imported_meeting,
            commands::consolidation::set_rw_count,
            commands::consolidation::consolidation,
            commands::consolidation::start_kelurahan_meeting,
            commands::consolidation::similar_usulan,
            commands::documents::preview_document,
            commands::documents::save_document,
            commands::documents::open_document,
            commands::documents::save_meeting_xlsx,
        ])
        .run(tauri::generate_context!())
        .expect("the Rembug window could not start");
}
