// Every IPC command of the app, declared once. Not a module: `build.rs` and
// `lib.rs` both `include!` this file, and everything that lists commands is
// expanded from it:
// - the app manifest's command list (build.rs), hence one `allow-<command>`
//   permission each, and `capabilities/default.json` granting exactly those;
// - the `#[tauri::command]` functions and `generate_handler!` (src/ipc.rs);
// - the TypeScript command map `ui/src/lib/commands.ts` (src/typescript.rs).
//
// One block per module of `src/commands/`, one line per command:
//
//     name(injected; argument: Type, ...) -> Answer;
//
// `injected` are what Tauri hands the function besides the window's
// arguments, in the function's order: `app` (the AppHandle) and `state` (the
// AppState). The arguments are what the window sends, under the same names in
// camelCase; `Answer` is the success value (failures are an `ErrorReply`).
// A command whose body is raw bytes (a photo, a signature) lists instead
// `raw` and the headers that carry its ids: the function receives each
// header's value in that order, then the bytes.
//
// The function `commands::<module>::<name>` must take exactly these, in this
// order, and answer `Reply<Answer>`, or the app does not compile.
macro_rules! with_commands {
    ($then:ident) => {
        $then! {
            app {
                startup_error(state;) -> Option<ErrorReply>;
                quit_app(app;) -> ();
                close_ready(app;) -> ();
                close_held(;) -> ();
                start_practice(app, state; title: String) -> ();
                stop_practice(app, state; title: String) -> ();
                projector_full_screen(app; full: bool) -> ();
            }
            settings {
                get_settings(state;) -> Settings;
                recording_settings_form(state;) -> RecordingSettingsForm;
                set_language(state; language: Language) -> Settings;
                save_recording_settings(state; form: RecordingSettingsForm) -> Settings;
                save_kop_settings(state; form: KopSettingsForm) -> Settings;
                set_kop_logo(state; raw "x-media-type") -> Settings;
                remove_kop_logo(state;) -> Settings;
                signatory_settings_form(state;) -> SignatorySettingsForm;
                save_signatory_settings(state; form: SignatorySettingsForm) -> Settings;
                opd_list(state;) -> Vec<Opd>;
                add_opd(state; name: String) -> Vec<Opd>;
                rename_opd(state; id: u32, name: String) -> Vec<Opd>;
                remove_opd(state; id: u32) -> Vec<Opd>;
            }
            meetings {
                list_kelurahan(state;) -> Vec<Kelurahan>;
                list_meetings(state; filter: Option<MeetingFilter>) -> MeetingList;
                get_meeting(state; id: String) -> MeetingView;
                new_meeting_form(; today: String) -> MeetingForm;
                meeting_form(state; id: String) -> MeetingForm;
                create_meeting(state; form: MeetingForm) -> Meeting;
                update_meeting(state; id: String, form: MeetingForm) -> Meeting;
                meeting_changes(state; id: String) -> Vec<MeetingChange>;
                lock_blockers(state; id: String) -> Vec<FieldError>;
                lock_meeting(state; id: String) -> MeetingView;
                revise_meeting(state; id: String, reason: String) -> MeetingView;
            }
            ranking {
                ranking(state; meeting_id: String) -> Ranking;
                ensure_default_criteria(state; meeting_id: String) -> Vec<Criterion>;
                set_criteria(state; meeting_id: String, criteria: Vec<CriterionForm>) -> Vec<Criterion>;
                set_score(state; usulan_id: String, criterion_id: String, score: Option<u8>) -> Ranking;
                set_ranking_method(state; meeting_id: String, method: RankingMethod) -> Ranking;
                set_hands(state; usulan_id: String, count: String) -> Ranking;
                set_manual_order(state; meeting_id: String, usulan_ids: Vec<String>, reason: String) -> Ranking;
                clear_manual_order(state; meeting_id: String) -> Ranking;
            }
            search {
                search(state; text: String, limit: u32) -> Vec<SearchHit>;
            }
            attendance {
                suggest_people(state; meeting_id: String, query: String) -> Vec<PersonSuggestion>;
                list_attendees(state; meeting_id: String) -> Vec<Attendee>;
                check_in(state; meeting_id: String, person_id: String, role: Role) -> Attendee;
                check_in_new(state; meeting_id: String, form: PersonForm, role: Role) -> Attendee;
                remove_attendee(state; meeting_id: String, person_id: String) -> ();
                set_attendee_role(state; meeting_id: String, person_id: String, role: Role) -> Attendee;
                set_signature(state; raw "x-meeting-id", "x-person-id") -> Attendee;
                add_attendance_sheet_photo(state; raw "x-meeting-id", "x-media-type") -> AttendanceSheetPhoto;
                attendance_sheet_photos(state; meeting_id: String) -> Vec<AttendanceSheetPhoto>;
                attendance_counts(state; meeting_id: String) -> AttendanceCounts;
                delegates(state; meeting_id: String) -> Delegates;
                set_delegates(state; meeting_id: String, person_ids: Vec<String>) -> Delegates;
            }
            notulen {
                list_agenda(state; meeting_id: String) -> Vec<AgendaItem>;
                add_agenda_item(state; meeting_id: String, title: String) -> AgendaItem;
                save_agenda_item(state; id: String, form: AgendaItemForm) -> AgendaItem;
                move_agenda_item(state; id: String, position: u32) -> Vec<AgendaItem>;
                delete_agenda_item(state; id: String) -> Vec<AgendaItem>;
            }
            usulan {
                list_usulan(state; meeting_id: String) -> UsulanList;
                usulan_form(state; id: String) -> UsulanForm;
                add_usulan(state; meeting_id: String, form: UsulanForm) -> Usulan;
                update_usulan(state; id: String, form: UsulanForm) -> Usulan;
                delete_usulan(state; id: String) -> ();
                format_biaya(; biaya: String) -> String;
                add_usulan_photo(state; raw "x-usulan-id", "x-keep-original") -> UsulanPhoto;
                remove_usulan_photo(state; usulan_id: String, position: u8) -> Vec<UsulanPhoto>;
                set_usulan_photo_sipd(state; usulan_id: String, position: u8, untuk_sipd: bool) -> Vec<UsulanPhoto>;
                carry_forward_candidates(state; meeting_id: String) -> Vec<CarryForwardCandidate>;
                carry_forward(state; meeting_id: String, usulan_ids: Vec<String>) -> Vec<Usulan>;
                carried_origins(state; meeting_id: String) -> Vec<CarriedOrigin>;
            }
            bundles {
                device_summary(state;) -> DeviceSummary;
                choose_office_key(app, state; title: String, filter_label: String) -> Option<OfficeKeyChoice>;
                confirm_office_key(state; fingerprint: String) -> DeviceSummary;
                export_bundle(app, state; id: String, title: String, allow_unencrypted: bool,
                    on_progress: Channel<ExportProgress>) -> Option<ExportedBundle>;
                import_bundle(app, state; title: String, filter_label: String) -> Option<ImportReport>;
                imported_signed_pages(state; bundle_sha256: String) -> Vec<SignedPage>;
                add_signed_page(state; raw "x-meeting-id", "x-page-kind", "x-media-type") -> SignedPage;
                signed_pages(state; meeting_id: String) -> Vec<SignedPage>;
                signed_pages_sending(state; meeting_id: String) -> SignedPagesSending;
                export_signed_pages(app, state; id: String, title: String, allow_unencrypted: bool) -> Option<ExportedBundle>;
                imported_meetings(state;) -> Vec<ImportedMeeting>;
                imported_meeting(state; bundle_sha256: String) -> ImportedRecord;
                confirm_imported(state; bundle_sha256: String) -> ImportedMeeting;
            }
            backup {
                back_up(app, state; title: String, on_progress: Channel<ExportProgress>) -> Option<String>;
                backup_reminder(state;) -> BackupReminder;
                choose_backup(app, state; title: String) -> Option<RestorePlan>;
                restore(state; on_progress: Channel<ExportProgress>) -> ();
            }
            consolidation {
                set_rw_count(state; kelurahan_code: String, rw_count: String) -> u16;
                consolidation(state; kelurahan_code: String, planning_year: i32) -> Consolidation;
                start_kelurahan_meeting(state; form: MeetingForm, kelurahan_code: String, planning_year: i32)
                    -> KelurahanMeetingStarted;
                similar_usulan(state; meeting_id: String) -> Vec<SimilarUsulan>;
            }
            sync {
                office_summary(state;) -> Option<OfficeSummary>;
                enroll_office(state; office_url: String, code: String, confirm_key: Option<String>) -> EnrollAnswer;
                enroll_office_file(app, state; title: String, filter_label: String, confirm_key: Option<String>)
                    -> Option<EnrollAnswer>;
                outbox(state;) -> OutboxView;
                send_now(state;) -> ();
                delivered_meetings(state;) -> Vec<String>;
                open_receipt_file(app, state; title: String, filter_label: String) -> Option<ReceiptOpened>;
                meeting_reviews(state;) -> Vec<MeetingReview>;
                usulan_outcomes(state; meeting_id: String) -> Vec<UsulanOutcome>;
                record_outcome(state; usulan_id: String, form: Option<OutcomeForm>) -> Vec<UsulanOutcome>;
            }
            documents {
                preview_document(state; id: String, kind: DocumentKind) -> Vec<String>;
                save_document(app, state; id: String, kind: DocumentKind, title: String) -> Option<String>;
                open_document(state; id: String, kind: DocumentKind) -> ();
                open_for_signing(state; id: String, kind: DocumentKind) -> String;
                signing_check(state; id: String) -> SigningCheck;
                save_meeting_xlsx(app, state; id: String, title: String) -> Option<String>;
            }
        }
    };
}
