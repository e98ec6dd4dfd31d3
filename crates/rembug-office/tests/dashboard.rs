//! The staff dashboard over real HTTP on loopback: logging in (a wrong
//! password, the rate limit, a new session id each time), CSRF, roles and
//! kecamatan limits, the grid of RWs, a bundle delivered by the real client
//! shown escaped, its daftar hadir and its review, all in the audit log.

#[path = "../../rembug-bundle/tests/common/mod.rs"]
mod bundle;
mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use bundle::locked_meeting_with;
use rembug_core::attendance::Role as AttendeeRole;
use rembug_core::people::PersonForm;
use rembug_core::signed_pages::PageKind;
use rembug_office::store::{Database, Role, Staff};
use support::{TestOffice, deliver};

const XSS: &str = "<script>alert('x')</script>";

struct Answer {
    status: u16,
    head: String,
    body: String,
    bytes: Vec<u8>,
}

impl Answer {
    fn cookie(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .filter_map(|line| line.strip_prefix("set-cookie: "))
            .find_map(|value| value.strip_prefix(&format!("{name}=")))
            .map(|value| value.split(';').next().unwrap().to_owned())
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| line.strip_prefix(&format!("{name}: "))).map(str::to_owned)
    }

    /// The value of the first hidden `csrf` field.
    fn csrf(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").expect("a form with a token") + 19;
        self.body[at..at + 64].to_owned()
    }
}

fn http(address: SocketAddr, method: &str, path: &str, cookies: &str, form: &[(&str, &str)]) -> Answer {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    send(address, method, path, cookies, "application/x-www-form-urlencoded", body.as_bytes())
}

fn send(address: SocketAddr, method: &str, path: &str, cookies: &str, content_type: &str, body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(address).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\ncookie: {cookies}\r\n\
         content-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let at = answer.windows(4).position(|window| window == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&answer[..at]);
    let bytes = answer[at + 4..].to_vec();
    Answer {
        status: head.split(' ').nth(1).unwrap().parse().unwrap(),
        head: head.to_lowercase(),
        // An image's or a workbook's bytes are not text: `bytes` holds them.
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

/// Logs in and answers the session cookie (`rembug_sesi=…`).
fn log_in(address: SocketAddr, name: &str, password: &str) -> Answer {
    let page = http(address, "GET", "/masuk", "", &[]);
    let login_cookie = format!("rembug_masuk={}", page.cookie("rembug_masuk").unwrap());
    http(address, "POST", "/masuk", &login_cookie, &[("csrf", &page.csrf()), ("nama", name), ("kata_sandi", password)])
}

fn session_of(answer: &Answer) -> String {
    assert_eq!(answer.status, 303, "{}", answer.body);
    format!("rembug_sesi={}", answer.cookie("rembug_sesi").unwrap())
}

fn add_staff(office: &TestOffice, name: &str, role: Role, kecamatan: Option<&str>) {
    let staff = Staff {
        name: name.into(),
        password_hash: rembug_office::password::hash("kata-sandi-panjang"),
        role,
        kecamatan_code: kecamatan.map(str::to_owned),
    };
    assert!(office.admin().store.create_staff(&staff, "admin", "2026-12-07T00:00:00Z").unwrap());
}

#[test]
fn logging_in_needs_the_right_password_a_token_and_gives_a_new_session_each_time() {
    let office = TestOffice::start();
    let address = office.address;
    assert_eq!(http(address, "GET", "/", "", &[]).header("location").as_deref(), Some("/masuk"));

    let wrong = log_in(address, "admin", "salah");
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("Nama akun atau kata sandi salah."));
    assert_eq!(wrong.cookie("rembug_sesi"), None);

    // The init admin's hash is replaced by argon2id at the first login.
    let first = log_in(address, "admin", "rahasia");
    let cookie = first.header("set-cookie").unwrap();
    assert!(first.head.contains("httponly") && first.head.contains("samesite=strict"), "{cookie}");
    let session = session_of(&first);
    assert!(office.admin().store.staff("admin").unwrap().unwrap().password_hash.starts_with("$argon2id$"));
    let second = session_of(&log_in(address, "admin", "rahasia"));
    assert_ne!(session, second, "a new session id at each login");

    // A session id the attacker planted is no session.
    let planted = format!("rembug_sesi={}", "a".repeat(64));
    assert_eq!(http(address, "GET", "/", &planted, &[]).status, 303);

    // Without its token, a form is refused; logging out ends the session.
    let home = http(address, "GET", "/", &session, &[]);
    assert_eq!(home.status, 200);
    assert_eq!(http(address, "POST", "/keluar", &session, &[]).status, 403);
    assert_eq!(http(address, "POST", "/keluar", &session, &[("csrf", &"0".repeat(64))]).status, 403);
    assert_eq!(http(address, "POST", "/keluar", &session, &[("csrf", &home.csrf())]).status, 303);
    assert_eq!(http(address, "GET", "/", &session, &[]).status, 303);
    assert_eq!(http(address, "GET", "/", &second, &[]).status, 200, "the other session stays");

    // A login form's token must match its cookie.
    let page = http(address, "GET", "/masuk", "", &[]);
    let forged = http(
        address,
        "POST",
        "/masuk",
        "rembug_masuk=x",
        &[("csrf", &page.csrf()), ("nama", "admin"), ("kata_sandi", "rahasia")],
    );
    assert_eq!(forged.status, 403);

    // Five wrong passwords lock the account for a while, even with the right one.
    for _ in 0..4 {
        assert_eq!(log_in(address, "admin", "salah").status, 401);
    }
    let limited = log_in(address, "admin", "rahasia");
    assert_eq!(limited.status, 429);
    assert!(limited.body.contains("Terlalu banyak percobaan"));
}

#[test]
fn a_delivered_bundle_is_shown_escaped_reviewed_and_logged_within_its_kecamatan() {
    let office = TestOffice::start();
    let address = office.address;
    let key = office.admin().identity.encryption_key_bytes().unwrap();
    let fixture = locked_meeting_with(|store, id| {
        let item = store.add_agenda_item(id, XSS).unwrap();
        let notes = rembug_core::notulen::AgendaItemForm {
            title: XSS.into(),
            discussion: "\"><img src=x onerror=alert(1)>".into(),
            decisions: "&amp; biasa".into(),
        };
        store.save_agenda_item(&item.id, &notes).unwrap();
        let form = PersonForm {
            name: XSS.into(),
            gender: "P".into(),
            unsur: "warga".into(),
            rt: "2".into(),
            rw: "5".into(),
            phone: "081234567890".into(),
            ..PersonForm::default()
        };
        store.check_in_new(id, &form, AttendeeRole::Peserta).unwrap();
        let first = store.usulan_list(id).unwrap().remove(0);
        let usulan = rembug_core::usulan::UsulanForm {
            penerima_manfaat: "1.250".into(),
            swadaya: "Tenaga kerja warga".into(),
            keterangan: "<b>Lahan</b> hibah warga".into(),
            ..first.to_form()
        };
        store.update_usulan(&first.id, &usulan).unwrap();
        store.set_usulan_photo_sipd(&first.id, 1, true).unwrap();
    });
    let (_, bytes) = fixture.seal(Some(key), "rapat.rembug");
    let client = office.enrolled(fixture.device(), Some(5));
    let sha256 = rembug_core::hex::sha256_hex(&bytes);
    deliver(&client, &bytes).unwrap();

    add_staff(&office, "siti", Role::Staf, Some("32.77.01"));
    add_staff(&office, "budi", Role::Staf, Some("32.77.02"));
    add_staff(&office, "pimpinan", Role::Pimpinan, None);
    let admin = session_of(&log_in(address, "admin", "rahasia"));
    let siti = session_of(&log_in(address, "siti", "kata-sandi-panjang"));
    let budi = session_of(&log_in(address, "budi", "kata-sandi-panjang"));
    let boss = session_of(&log_in(address, "pimpinan", "kata-sandi-panjang"));

    // The grid: with 6 RWs set, RW 05 is in, RW 06 missing.
    let home = http(address, "GET", "/?tahun=2027", &siti, &[]);
    let set =
        http(address, "POST", "/rw", &siti, &[("csrf", &home.csrf()), ("kelurahan", "32.77.01.1001"), ("jumlah", "6")]);
    assert_eq!(set.status, 303);
    let grid = http(address, "GET", "/?tahun=2027&status=belum", &siti, &[]).body;
    assert!(grid.contains("title=\"belum masuk\">RW 06<"), "{grid}");
    assert!(!grid.contains(">RW 05 "), "filtered to the missing ones");
    let grid = http(address, "GET", "/?tahun=2027", &siti, &[]).body;
    assert!(grid.contains(&format!("href=\"/bundel/{sha256}\" title=\"Diterima\">RW 05 Diterima<")), "{grid}");
    assert!(!http(address, "GET", "/?tahun=2027", &budi, &[]).body.contains("32.77.01.1001"), "another kecamatan");

    // The bundle's page shows its texts as text.
    let page = http(address, "GET", &format!("/bundel/{sha256}"), &siti, &[]);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script>alert") && !page.body.contains("<img src=x"), "{}", page.body);
    assert!(page.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(page.body.contains("Perbaikan jalan lingkungan") && page.body.contains("Aula Masjid Al-Ikhlas"));
    // What else the usulan form recorded, and the photo marked for SIPD.
    for shown in [
        "Penerima manfaat: 1.250 orang",
        "Swadaya: Tenaga kerja warga",
        "Keterangan: &lt;b&gt;Lahan&lt;/b&gt; hibah warga",
        "alt=\"Foto usulan 1 (untuk SIPD)\"",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    assert!(page.header("content-security-policy").unwrap().contains("default-src 'none'"));
    assert_eq!(http(address, "GET", &format!("/bundel/{sha256}"), &budi, &[]).status, 403);
    // The usulan's photo is served from the bundle; nothing else of it is.
    let at = page.body.find("<img src=\"").unwrap() + 10;
    let src = &page.body[at..at + page.body[at..].find('"').unwrap()];
    let image = http(address, "GET", src, &siti, &[]);
    assert_eq!((image.status, image.header("content-type").as_deref()), (200, Some("image/png")), "{src}");
    assert_eq!(http(address, "GET", src, &budi, &[]).status, 403);
    let admin_office = office.admin();
    let personal =
        rembug_bundle::office::open_personal(&admin_office.bundle_path(&sha256), &admin_office.secret_key_file())
            .unwrap();
    let signature = personal.attendees.iter().find_map(|attendee| attendee.signature_sha256.clone()).unwrap();
    let refused = http(address, "GET", &format!("/bundel/{sha256}/foto/{signature}"), &siti, &[]);
    assert_eq!(refused.status, 404, "a signature is no usulan photo");
    assert_eq!(http(address, "GET", &format!("/bundel/{}", "0".repeat(64)), &siti, &[]).status, 404);

    // The daftar hadir: names for staf, phones for admins only, never for pimpinan.
    let list = http(address, "GET", &format!("/bundel/{sha256}/daftar-hadir"), &siti, &[]);
    assert_eq!(list.status, 200);
    assert!(list.body.contains("&lt;script&gt;") && !list.body.contains("081234567890"));
    assert!(http(address, "GET", &format!("/bundel/{sha256}/daftar-hadir"), &admin, &[]).body.contains("081234567890"));
    assert_eq!(http(address, "GET", &format!("/bundel/{sha256}/daftar-hadir"), &boss, &[]).status, 403);
    assert_eq!(http(address, "GET", &format!("/bundel/{sha256}/daftar-hadir"), &budi, &[]).status, 403);

    // Review: a note is needed, a token is needed, pimpinan only reads.
    let path = format!("/bundel/{sha256}/tinjau");
    let token = page.csrf();
    assert_eq!(http(address, "POST", &path, &siti, &[("keadaan", "disetujui")]).status, 403);
    assert_eq!(http(address, "POST", &path, &siti, &[("csrf", &token), ("keadaan", "perlu_perbaikan")]).status, 400);
    let boss_token = http(address, "GET", "/", &boss, &[]).csrf();
    assert_eq!(http(address, "POST", &path, &boss, &[("csrf", &boss_token), ("keadaan", "disetujui")]).status, 403);
    let asked = http(
        address,
        "POST",
        &path,
        &siti,
        &[("csrf", &token), ("keadaan", "perlu_perbaikan"), ("catatan", "Foto daftar hadir kabur")],
    );
    assert_eq!(asked.status, 303);
    let grid = http(address, "GET", "/?tahun=2027&status=perbaikan", &siti, &[]).body;
    assert!(grid.contains("title=\"perlu perbaikan\">RW 05<"), "{grid}");
    let page = http(address, "GET", &format!("/bundel/{sha256}"), &boss, &[]);
    assert!(page.body.contains("Perlu perbaikan</strong>: Foto daftar hadir kabur"));
    assert!(!page.body.contains("/tinjau") && !page.body.contains("daftar-hadir"), "pimpinan sees no review form");

    // An usulan's outcome, stored for the device's next sync.
    let usulan_id = fixture.store.usulan_list(&fixture.meeting_id).unwrap()[0].id.clone();
    let outcome = http(
        address,
        "POST",
        &format!("/bundel/{sha256}/usulan"),
        &siti,
        &[
            ("csrf", &token),
            ("usulan", &usulan_id),
            ("hasil", "diakomodir"),
            ("keterangan", "DPUPR, program jalan lingkungan"),
        ],
    );
    assert_eq!(outcome.status, 303);
    let stored = office.admin().store.usulan_outcomes(&sha256).unwrap();
    assert_eq!(
        (stored[0].outcome.as_str(), stored[0].detail.as_str()),
        ("diakomodir", "DPUPR, program jalan lingkungan")
    );
    let unknown = http(
        address,
        "POST",
        &format!("/bundel/{sha256}/usulan"),
        &siti,
        &[("csrf", &token), ("usulan", "bukan-usulan"), ("hasil", "diakomodir"), ("keterangan", "x")],
    );
    assert_eq!(unknown.status, 400);

    // The cadre's correction arrives: RW 05 is in again, both revisions listed.
    let revised = fixture.store.revise_meeting(&fixture.meeting_id, "Foto daftar hadir diganti").unwrap();
    fixture.store.lock_meeting(&revised.id).unwrap();
    let out = fixture.dir.path().join("koreksi.rembug");
    rembug_bundle::seal(&fixture.store, &fixture.device(), &revised.id, Some(key), &out).unwrap();
    let correction = std::fs::read(out).unwrap();
    let corrected = rembug_core::hex::sha256_hex(&correction);
    deliver(&client, &correction).unwrap();
    let grid = http(address, "GET", "/?tahun=2027", &siti, &[]).body;
    assert!(grid.contains(&format!("href=\"/bundel/{corrected}\" title=\"Diterima\">RW 05 Diterima<")), "{grid}");
    let page = http(address, "GET", &format!("/bundel/{corrected}"), &siti, &[]).body;
    assert!(page.contains(&format!("<a href=\"/bundel/{sha256}\">Revisi 1 (")), "{page}");
    assert!(page.contains("<strong>Revisi 2 ("), "{page}");
    let changed = &page[page.find("<h3>Perubahan").unwrap()..page.find("<h2>Kehadiran").unwrap()];
    assert_eq!(changed.matches("<tr><td>").count(), 1, "ids, times and the history are not changes: {changed}");
    assert!(
        page.contains("<tr><td>meeting.revision_reason</td><td></td><td>Foto daftar hadir diganti</td></tr>"),
        "{page}"
    );

    // The audit log is for admins and names each action.
    assert_eq!(http(address, "GET", "/log", &siti, &[]).status, 403);
    let log = http(address, "GET", "/log", &admin, &[]).body;
    for action in ["lihat_daftar_hadir", "tinjau_perlu_perbaikan", "usulan_diakomodir", "atur_jumlah_rw", "masuk"] {
        assert!(log.contains(action), "{action}: {log}");
    }
}

#[test]
fn admins_create_accounts_through_the_page() {
    let office = TestOffice::start();
    let address = office.address;
    let admin = session_of(&log_in(address, "admin", "rahasia"));
    let page = http(address, "GET", "/akun", &admin, &[]);
    assert_eq!(page.status, 200);
    let token = page.csrf();
    let create = |name: &str, password: &str| {
        http(
            address,
            "POST",
            "/akun",
            &admin,
            &[("csrf", &token), ("nama", name), ("kata_sandi", password), ("peran", "staf"), ("kecamatan", "32.77.01")],
        )
    };
    assert_eq!(create("dewi", "pendek").status, 400);
    assert_eq!(create("dewi", "cukup-panjang-sekali").status, 303);
    assert_eq!(create("dewi", "cukup-panjang-sekali").status, 409);
    let dewi = office.admin().store.staff("dewi").unwrap().unwrap();
    assert_eq!((dewi.role, dewi.kecamatan_code.as_deref()), (Role::Staf, Some("32.77.01")));
    let session = session_of(&log_in(address, "dewi", "cukup-panjang-sekali"));
    assert_eq!(http(address, "GET", "/akun", &session, &[]).status, 403, "only admins");
}

/// A refusal says in Indonesian what went wrong; the failed check's code
/// (English, for support) only in its own small line, not in the sentence.
fn assert_check_code_small(body: &str) {
    let alert = &body[body.find("role=\"alert\"").expect("a refusal")..];
    let (said, code) = alert.split_once("<small class=\"kode\">kode: ").expect("the code small");
    assert!(!said.contains("pemeriksaan ("), "no code in the sentence: {body}");
    let code = &code[..code.find("</small>").unwrap()];
    assert!(!code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{body}");
}

/// The upload form as a browser sends it: the token first, then the file.
fn upload(address: SocketAddr, cookies: &str, csrf: &str, file: &[u8]) -> Answer {
    let boundary = "----geckoformboundary5f1e";
    let mut body = format!(
        "--{boundary}\r\ncontent-disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\n\
         content-disposition: form-data; name=\"berkas\"; filename=\"rapat.rembug\"\r\n\
         content-type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    send(address, "POST", "/unggah", cookies, &format!("multipart/form-data; boundary={boundary}"), &body)
}

#[test]
fn a_bundle_brought_on_a_usb_stick_is_stored_as_a_sync_stores_it_and_its_receipt_saved_as_a_file() {
    let office = TestOffice::start();
    let address = office.address;
    let identity = office.admin().identity.clone();
    let fixture = locked_meeting_with(|_, _| {});
    let (_, bytes) = fixture.seal(Some(identity.encryption_key_bytes().unwrap()), "rapat.rembug");
    let sha256 = rembug_core::hex::sha256_hex(&bytes);
    add_staff(&office, "siti", Role::Staf, Some("32.77.01"));
    add_staff(&office, "budi", Role::Staf, Some("32.77.02"));
    add_staff(&office, "pimpinan", Role::Pimpinan, None);
    let siti = session_of(&log_in(address, "siti", "kata-sandi-panjang"));
    let budi = session_of(&log_in(address, "budi", "kata-sandi-panjang"));
    let boss = session_of(&log_in(address, "pimpinan", "kata-sandi-panjang"));
    let form = http(address, "GET", "/unggah", &siti, &[]);
    assert_eq!(form.status, 200);
    assert!(form.body.contains("enctype=\"multipart/form-data\"") && form.body.contains("Unggah bundel"));
    let token = form.csrf();
    let nothing_kept = |office: &TestOffice| {
        assert!(office.files("bundles").is_empty() && office.files("uploads").is_empty());
        assert!(office.admin().store.bundles().unwrap().is_empty());
    };

    // A device the office never enrolled: refused, said plainly.
    let unknown = upload(address, &siti, &token, &bytes);
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert!(unknown.body.contains("tidak terdaftar di kantor"), "{}", unknown.body);
    nothing_kept(&office);

    let client = office.enrolled(fixture.device(), Some(5));
    // Without the session's token, from another kecamatan, or as pimpinan: refused, nothing kept.
    assert_eq!(upload(address, &siti, &"0".repeat(64), &bytes).status, 403);
    let budi_token = http(address, "GET", "/unggah", &budi, &[]).csrf();
    let elsewhere = upload(address, &budi, &budi_token, &bytes);
    assert_eq!(elsewhere.status, 403);
    assert!(elsewhere.body.contains("di luar kecamatan Anda"), "{}", elsewhere.body);
    let boss_token = http(address, "GET", "/", &boss, &[]).csrf();
    assert_eq!(http(address, "GET", "/unggah", &boss, &[]).status, 403);
    assert_eq!(upload(address, &boss, &boss_token, &bytes).status, 403);
    // A bundle changed on the way: refused by the verifier, nothing kept.
    let mut tampered = bytes.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x01;
    let refused = upload(address, &siti, &token, &tampered);
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Bundel ini tidak lolos pemeriksaan: berkasnya rusak"), "{}", refused.body);
    assert!(refused.body.contains("Berkas yang ditolak: <code>rapat.rembug</code>"), "{}", refused.body);
    assert_check_code_small(&refused.body);
    nothing_kept(&office);
    // Cut short (the stick pulled out while copying): unreadable as either kind of file.
    let cut = upload(address, &siti, &token, &bytes[..bytes.len() / 2]);
    assert_eq!(cut.status, 422);
    assert!(cut.body.contains("isinya tidak dapat dibaca") && !cut.body.contains("Bundel ini"), "{}", cut.body);
    assert_check_code_small(&cut.body);
    nothing_kept(&office);

    // Stored as the sync stores it, in the device's name.
    let stored = upload(address, &siti, &token, &bytes);
    assert_eq!(stored.status, 201, "{}", stored.body);
    assert!(stored.body.contains("Bundel diterima dan disimpan."));
    assert!(stored.body.contains("Berkas: <code>rapat.rembug</code>"), "{}", stored.body);
    assert!(stored.body.contains(&format!("class=\"unduh\" href=\"/bundel/{sha256}/tanda-terima\" download")));
    assert!(stored.body.contains("unggah berkas itu sekarang"), "the photos come next: {}", stored.body);
    // The kelurahan by its name, its code small beside it; the receipt's file name to look for on the stick.
    assert!(
        stored.body.contains("RW 05, Kelurahan Melong, Kecamatan Cimahi Selatan <small>(32.77.01.1001)</small>,"),
        "{}",
        stored.body
    );
    assert!(stored.body.contains(&format!("<code>tanda-terima-{}.json</code>", &sha256[..12])), "{}", stored.body);
    assert_eq!(office.files("bundles"), [format!("{sha256}.rembug")]);
    assert!(office.files("uploads").is_empty());
    let bundle = office.admin().store.bundle(&sha256).unwrap().unwrap();
    assert_eq!(bundle.device_id, fixture.device().device_id());

    // The receipt file: the office and its signed receipt, as a commit answers it.
    let saved = http(address, "GET", &format!("/bundel/{sha256}/tanda-terima"), &siti, &[]);
    assert_eq!(saved.status, 200);
    let disposition = saved.header("content-disposition").unwrap();
    assert_eq!(disposition, format!("attachment; filename=\"tanda-terima-{}.json\"", &sha256[..12]));
    let file = rembug_core::trust::ReceiptFile::parse(&saved.body).unwrap();
    assert_eq!(file.office, identity);
    let receipt: rembug_core::trust::Receipt = file.receipt.open(&identity.verifying_key().unwrap()).unwrap();
    assert_eq!((receipt.sha256.as_str(), receipt.bundle_id.as_str()), (sha256.as_str(), bundle.bundle_id.as_str()));
    assert_eq!(http(address, "GET", &format!("/bundel/{sha256}/tanda-terima"), &budi, &[]).status, 403);

    // Brought again, or sent by the device over the network: the first receipt.
    let again = upload(address, &siti, &token, &bytes);
    assert_eq!(again.status, 200);
    assert!(again.body.contains("sudah menerima bundel ini sebelumnya"), "{}", again.body);
    assert_eq!(http(address, "GET", &format!("/bundel/{sha256}/tanda-terima"), &siti, &[]).body, saved.body);
    let synced = deliver(&client, &bytes).unwrap();
    assert!(!synced.new);
    assert_eq!(synced.receipt.signed, file.receipt);
    assert_eq!(office.files("bundles").len(), 1);
    assert!(office.files("uploads").is_empty());

    // A correction from a device revoked since: refused, said plainly.
    let revised = fixture.store.revise_meeting(&fixture.meeting_id, "Foto diganti").unwrap();
    fixture.store.lock_meeting(&revised.id).unwrap();
    let out = fixture.dir.path().join("koreksi.rembug");
    let key = identity.encryption_key_bytes().unwrap();
    rembug_bundle::seal(&fixture.store, &fixture.device(), &revised.id, Some(key), &out).unwrap();
    office.admin().revoke(&fixture.device().device_id()).unwrap().unwrap();
    let revoked = upload(address, &siti, &token, &std::fs::read(&out).unwrap());
    assert_eq!(revoked.status, 422);
    assert!(revoked.body.contains("sudah dicabut"), "{}", revoked.body);
    assert_eq!(office.files("bundles").len(), 1);
    assert!(office.files("uploads").is_empty());

    let admin = session_of(&log_in(address, "admin", "rahasia"));
    let log = http(address, "GET", "/log", &admin, &[]).body;
    assert!(log.contains("unggah_bundel") && log.contains("flashdisk, sudah diterima sebelumnya"), "{log}");
}

#[test]
fn signed_pages_brought_on_a_usb_stick_are_checked_as_a_sync_checks_them_and_their_receipt_file_delivers_them() {
    use rembug_core::trust::{Receipt, ReceiptFile, Signed};
    use rembug_sync::receipt_file::{ReceiptFileError, accept_receipt_file};

    let office = TestOffice::start();
    let address = office.address;
    let admin = office.admin();
    let (identity, key) = (admin.identity.clone(), admin.identity.encryption_key_bytes().unwrap());
    let fixture = bundle::locked_meeting();
    for (kind, seed) in [(PageKind::BeritaAcara, 80), (PageKind::DaftarHadir, 81)] {
        let photo = std::io::Cursor::new(bundle::png(seed));
        fixture.store.add_signed_page(&fixture.meeting_id, kind, photo, "image/png").unwrap();
    }
    let (sealed, meeting) = fixture.seal(Some(key), "rapat.rembug");
    let out = fixture.dir.path().join("halaman.rembug");
    let device = std::sync::Arc::new(fixture.device());
    let pages =
        rembug_bundle::seal_signed_pages(&fixture.store, &device, &fixture.meeting_id, Some(key), &out).unwrap().sha256;
    let bytes = std::fs::read(&out).unwrap();
    // The cadre's laptop is enrolled with this office (its receipts verify).
    let code = office.code(Some(5));
    let data = fixture.data_path();
    rembug_sync::enroll::enroll_online(&fixture.store, &data, device.clone(), &office.url, code.as_str(), &mut |_| {
        false
    })
    .unwrap();
    add_staff(&office, "siti", Role::Staf, Some("32.77.01"));
    add_staff(&office, "budi", Role::Staf, Some("32.77.02"));
    let siti = session_of(&log_in(address, "siti", "kata-sandi-panjang"));
    let budi = session_of(&log_in(address, "budi", "kata-sandi-panjang"));
    let token = http(address, "GET", "/unggah", &siti, &[]).csrf();
    let no_pages = |office: &TestOffice| {
        assert!(office.files("uploads").is_empty());
        assert!(!office.files("bundles").contains(&format!("{pages}.rembug")));
        assert_eq!(office.admin().store.signed_pages(&pages).unwrap(), None);
    };

    // Before the meeting's own bundle: refused, saying to upload that first.
    let early = upload(address, &siti, &token, &bytes);
    assert_eq!(early.status, 422, "{}", early.body);
    assert!(early.body.contains("Unggah dulu bundel musyawarahnya"), "{}", early.body);
    assert!(early.body.contains("<small class=\"kode\">kode: revision_unknown</small>"), "{}", early.body);
    no_pages(&office);
    assert_eq!(upload(address, &siti, &token, &meeting).status, 201);
    // From another kecamatan's account, or changed on the way: refused.
    let budi_token = http(address, "GET", "/unggah", &budi, &[]).csrf();
    let elsewhere = upload(address, &budi, &budi_token, &bytes);
    assert_eq!(elsewhere.status, 403);
    assert!(elsewhere.body.contains("Foto ini dari kelurahan di luar kecamatan Anda"), "{}", elsewhere.body);
    let mut tampered = bytes.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x01;
    let changed = upload(address, &siti, &token, &tampered);
    assert_eq!(changed.status, 422);
    assert!(changed.body.contains("ini tidak lolos pemeriksaan: berkasnya rusak"), "{}", changed.body);
    assert_check_code_small(&changed.body);
    no_pages(&office);
    // Sealed and signed by another device enrolled for the same RW.
    let (stranger_dir, stranger) = support::new_device();
    let mut parts = bundle::Parts::of(&bytes);
    let mut manifest: rembug_bundle::PagesManifest = serde_json::from_slice(&parts.get("manifest.json").data).unwrap();
    manifest.device.id = stranger.device_id();
    manifest.device.public_key = rembug_core::hex::encode(&stranger.public_key());
    manifest.device.fingerprint = stranger.fingerprint();
    manifest.bundle_id =
        rembug_bundle::signed_pages::pages_bundle_id(&manifest.content_hash, &manifest.device.id, &manifest.pages);
    let signed = serde_json::to_vec(&manifest).unwrap();
    parts.get("manifest.sig").data = stranger.sign(&signed).to_vec();
    parts.get("manifest.json").data = signed;
    let stranger = rembug_core::device::DeviceIdentity::load_or_create(stranger_dir.path()).unwrap();
    office.enrolled(stranger, Some(5));
    let other_device = upload(address, &siti, &token, &parts.zip());
    assert_eq!(other_device.status, 422);
    assert!(other_device.body.contains("ditandatangani perangkat lain"), "{}", other_device.body);
    assert!(other_device.body.contains("kode: not_own_bundle</small>"), "{}", other_device.body);
    assert!(!other_device.body.contains("(not_own_bundle)"), "{}", other_device.body);
    no_pages(&office);

    // Stored once, in the device's name, linked to its revision.
    let stored = upload(address, &siti, &token, &bytes);
    assert_eq!(stored.status, 201, "{}", stored.body);
    assert!(stored.body.contains("Foto lembar bertanda tangan diterima dan disimpan."), "{}", stored.body);
    assert!(
        stored.body.contains("2 foto lembar bertanda tangan untuk Rembug Warga RW 05, Kelurahan Melong, Kecamatan"),
        "{}",
        stored.body
    );
    let pages_name = format!("tanda-terima-foto-{}.json", &pages[..12]);
    assert!(stored.body.contains(&format!("<code>{pages_name}</code>")), "{}", stored.body);
    let link = format!("/bundel/{}/tanda-terima/{pages}", sealed.sha256);
    assert!(stored.body.contains(&format!("href=\"{link}\"")), "{}", stored.body);
    let held = office.admin().store.signed_pages(&pages).unwrap().unwrap();
    assert_eq!((held.page_count, held.revision_sha256.as_str()), (2, sealed.sha256.as_str()));
    assert_eq!(held.device, device.device_id());
    let again = upload(address, &siti, &token, &bytes);
    assert_eq!(again.status, 200);
    assert!(again.body.contains("sudah menerima foto ini sebelumnya"), "{}", again.body);
    assert_eq!(office.admin().store.signed_pages_of(&sealed.sha256).unwrap().len(), 1);
    assert!(office.files("uploads").is_empty());
    let log = office.admin().store.audit_log(10).unwrap();
    assert!(log.iter().any(|entry| entry.action == "unggah_foto_lembar" && entry.target == pages), "{log:?}");

    // The receipt file: the office's signed receipt of that file.
    let page = http(address, "GET", &format!("/bundel/{}", sealed.sha256), &siti, &[]);
    assert!(page.body.contains(&format!("href=\"{link}\" download")), "the bundle's page offers it too");
    let bundle_receipt = format!("class=\"unduh\" href=\"/bundel/{}/tanda-terima\" download", sealed.sha256);
    assert!(page.body.contains(&bundle_receipt), "beside the bundle's own");
    let saved = http(address, "GET", &link, &siti, &[]);
    assert_eq!(saved.status, 200);
    // Its own name, told apart from the bundle's receipt on the same stick.
    assert_eq!(saved.header("content-disposition").unwrap(), format!("attachment; filename=\"{pages_name}\""));
    assert_ne!(pages_name, ReceiptFile::file_name(&sealed.sha256));
    let file = ReceiptFile::parse(&saved.body).unwrap();
    let receipt: Receipt = file.receipt.open(&identity.verifying_key().unwrap()).unwrap();
    assert_eq!(receipt.sha256, pages);
    assert_eq!(http(address, "GET", &link, &budi, &[]).status, 403);
    assert_eq!(
        http(address, "GET", &format!("/bundel/{}/tanda-terima/{}", sealed.sha256, "0".repeat(64)), &siti, &[]).status,
        404
    );

    // On the laptop: a receipt for other photos is refused, nothing kept.
    let mut other: Receipt = receipt.clone();
    other.sha256 = "e".repeat(64);
    let forged = ReceiptFile::new(identity.clone(), Signed::sign(&other, &office.admin().signing_key)).to_json();
    assert!(matches!(accept_receipt_file(&fixture.store, &device, &forged), Err(ReceiptFileError::NotOurs)));
    assert_eq!(fixture.store.signed_pages_sending(&fixture.meeting_id).unwrap().delivered_count, 0);
    // This one marks both photos delivered, once.
    let accepted = accept_receipt_file(&fixture.store, &device, &saved.body).unwrap();
    assert_eq!(
        (accepted.meeting_id.as_str(), accepted.pages, accepted.already_delivered),
        (fixture.meeting_id.as_str(), Some(2), false)
    );
    let sending = fixture.store.signed_pages_sending(&fixture.meeting_id).unwrap();
    assert_eq!((sending.delivered_count, sending.state), (2, rembug_core::sending::SendState::Delivered));
    assert!(accept_receipt_file(&fixture.store, &device, &saved.body).unwrap().already_delivered);
    // The sync delivers the meeting (held already) and sends no photo again.
    let options = rembug_sync::outbox::RoundOptions { force: false, quick_tries: 3 };
    let round = rembug_sync::outbox::sync_round(&fixture.store, device.clone(), options, &mut |_| {}).unwrap();
    assert!(matches!(round.outcomes[0].outcome, rembug_sync::outbox::Outcome::Delivered { new: false, .. }));
    assert!(round.signed_pages.is_empty(), "{:?}", round.signed_pages);
    assert_eq!(office.admin().store.signed_pages_of(&sealed.sha256).unwrap().len(), 1);
}

/// A file of the XLSX workbook `bytes`, as text.
fn xlsx_part(bytes: &[u8], name: &str) -> String {
    let mut archive = xlsx_zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn usulan_are_exported_as_xlsx_and_csv_within_the_account_s_kecamatan_without_formulas() {
    let office = TestOffice::start();
    let address = office.address;
    let key = office.admin().identity.encryption_key_bytes().unwrap();
    let formula = "=HYPERLINK(\"http://contoh.test\",\"klik\")";
    let fixture = locked_meeting_with(|store, id| {
        let form = rembug_core::usulan::UsulanForm {
            kegiatan: formula.into(),
            permasalahan: "-2+3, \"kutip\"".into(),
            ..store.usulan_list(id).unwrap()[0].to_form()
        };
        store.add_usulan(id, &form).unwrap();
    });
    let (_, bytes) = fixture.seal(Some(key), "rapat.rembug");
    let sha256 = rembug_core::hex::sha256_hex(&bytes);
    deliver(&office.enrolled(fixture.device(), Some(5)), &bytes).unwrap();
    let usulan_id = fixture.store.usulan_list(&fixture.meeting_id).unwrap()[0].id.clone();
    let outcome = rembug_office::store::UsulanOutcome {
        usulan_id,
        outcome: "diakomodir".into(),
        detail: "DPUPR, program jalan".into(),
        staff_name: "admin".into(),
        at: "2026-12-07T00:00:00Z".into(),
    };
    let entry = rembug_office::store::AuditEntry {
        at: "2026-12-07T00:00:00Z".into(),
        staff_name: "admin".into(),
        action: "usulan_diakomodir".into(),
        target: sha256.clone(),
        detail: String::new(),
    };
    office.admin().store.set_usulan_outcome(&sha256, &outcome, &entry).unwrap();
    add_staff(&office, "siti", Role::Staf, Some("32.77.01"));
    add_staff(&office, "budi", Role::Pimpinan, Some("32.77.02"));
    let siti = session_of(&log_in(address, "siti", "kata-sandi-panjang"));
    let budi = session_of(&log_in(address, "budi", "kata-sandi-panjang"));
    let form = http(address, "GET", "/ekspor", &siti, &[]);
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"32.77.01.1001\"") && !form.body.contains("Seluruh kota"), "{}", form.body);

    let csv = http(address, "GET", "/ekspor/usulan.csv?wilayah=32.77.01.1001&tahun=2027", &siti, &[]);
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition").as_deref(),
        Some("attachment; filename=\"usulan-32.77.01.1001-2027.csv\"")
    );
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 4, "a header and three usulan: {lines:?}");
    assert!(
        lines[0]
            .starts_with("Tahun,Tahap,Kode Kecamatan,Kecamatan,Kode Kelurahan,Kelurahan,RW,RT,Alamat,Masalah,Usulan,")
    );
    assert!(lines[0].contains(",OPD Tujuan,Penerima Manfaat,Keterangan,Lintang,Bujur,Jumlah Foto,"), "{}", lines[0]);
    let first = lines.iter().find(|line| line.contains("Perbaikan jalan lingkungan")).unwrap();
    assert!(first.starts_with("2027,Rembug Warga,32.77.01,"), "{first}");
    assert!(
        first.contains(",45000000,Infrastruktur,")
            && first.contains(",1,1,Diterima,\"Diakomodir: DPUPR, program jalan\""),
        "{first}"
    );
    assert!(csv.body.contains(",\"'=HYPERLINK(\"\"http://contoh.test\"\",\"\"klik\"\")\","), "{}", csv.body);
    assert!(csv.body.contains(",\"'-2+3, \"\"kutip\"\"\","), "{}", csv.body);
    assert!(!csv.body.contains(",=") && !csv.body.contains(",-2"), "no cell starts a formula");

    let xlsx = http(address, "GET", "/ekspor/usulan.xlsx?wilayah=32.77.01&tahun=2027", &siti, &[]);
    assert_eq!(xlsx.status, 200);
    let strings = xlsx_part(&xlsx.bytes, "xl/sharedStrings.xml");
    let sheet = xlsx_part(&xlsx.bytes, "xl/worksheets/sheet1.xml");
    for text in
        ["Masalah", "Anggaran (Rp)", "OPD Tujuan", "Perbaikan jalan lingkungan", "Diakomodir: DPUPR, program jalan"]
    {
        assert!(strings.contains(text), "{text}: {strings}");
    }
    assert!(strings.contains("<t>=HYPERLINK(\"http://contoh.test\",\"klik\")</t>"), "a text, kept as typed: {strings}");
    assert!(!sheet.contains("<f>"), "no formula cell: {sheet}");
    assert!(sheet.contains("<v>45000000</v>") && sheet.contains("<row r=\"4\"") && !sheet.contains("<row r=\"5\""));

    // Another kecamatan's wilayah is refused; its own holds nothing.
    let refused = http(address, "GET", "/ekspor/usulan.csv?wilayah=32.77.01.1001&tahun=2027", &budi, &[]);
    assert_eq!(refused.status, 403);
    let own = http(address, "GET", "/ekspor/usulan.csv?tahun=2027", &budi, &[]);
    assert_eq!(own.header("content-disposition").as_deref(), Some("attachment; filename=\"usulan-32.77.02-2027.csv\""));
    assert_eq!(own.body.trim_start_matches('\u{feff}').lines().count(), 1, "only the header");
    let admin = session_of(&log_in(address, "admin", "rahasia"));
    assert!(http(address, "GET", "/log", &admin, &[]).body.contains("ekspor_usulan"));
}

#[test]
fn the_city_at_a_glance_sums_the_latest_revisions_and_links_each_figure_to_its_meetings() {
    let office = TestOffice::start();
    let address = office.address;
    let key = office.admin().identity.encryption_key_bytes().unwrap();
    let with_ekonomi = locked_meeting_with(|store, id| {
        let form = rembug_core::usulan::UsulanForm {
            kegiatan: "Pelatihan menjahit".into(),
            bidang: "ekonomi".into(),
            opd_tujuan: "Dinas <b>Koperasi</b>".into(),
            biaya: "Rp 10.000.000".into(),
            ..store.usulan_list(id).unwrap()[0].to_form()
        };
        store.add_usulan(id, &form).unwrap();
    });
    let plain = locked_meeting_with(|_, _| {});
    let mut shas = Vec::new();
    for fixture in [&with_ekonomi, &plain] {
        let (_, bytes) = fixture.seal(Some(key), "rapat.rembug");
        deliver(&office.enrolled(fixture.device(), Some(5)), &bytes).unwrap();
        shas.push(rembug_core::hex::sha256_hex(&bytes));
    }
    add_staff(&office, "siti", Role::Pimpinan, Some("32.77.01"));
    add_staff(&office, "budi", Role::Staf, Some("32.77.02"));
    let siti = session_of(&log_in(address, "siti", "kata-sandi-panjang"));
    let budi = session_of(&log_in(address, "budi", "kata-sandi-panjang"));

    let page = http(address, "GET", "/ringkasan?tahun=2027", &siti, &[]);
    assert_eq!(page.status, 200);
    let body = &page.body;
    let list = "/ringkasan/musyawarah?tahun=2027&amp;wilayah=";
    // Two meetings of Melong, four attendees each, two of them women.
    assert!(
        body.contains(&format!(
            "<tr><td>Melong</td><td><a href=\"{list}32.77.01.1001\">2</a></td><td><a href=\"{list}32.77.01.1001\">8</a></td>\
             <td><a href=\"{list}32.77.01.1001\">4 (50,00%)</a></td>"
        )),
        "{body}"
    );
    assert!(body.contains(&format!("<a href=\"{list}32.77.01.1001\">2 dari 2</a>")), "both met the 30% target");
    assert!(body.contains("<tr><td>2027</td><td><a href=\"/ringkasan/musyawarah?tahun=2027&amp;wilayah=\">2</a></td>"));
    assert!(body.contains(">Rp 190.000.000</a>"), "five usulan in all: {body}");
    assert!(body.contains(&format!(
        "<tr><td>Infrastruktur</td><td><a href=\"{list}&amp;bidang=infrastruktur\">4</a></td>\
         <td><a href=\"{list}&amp;bidang=infrastruktur\">Rp 180.000.000</a></td></tr>"
    )));
    assert!(body.contains(&format!("<tr><td>Ekonomi</td><td><a href=\"{list}&amp;bidang=ekonomi\">1</a></td>")));
    assert!(body.contains("<tr><td>Dinas &lt;b&gt;Koperasi&lt;/b&gt;</td>"), "{body}");
    assert!(body.contains("<tr><td>(belum ditentukan)</td>") && !body.contains("<b>Koperasi"), "{body}");
    assert!(body.contains("<svg class=\"grafik\"") && body.contains("target 30%"), "{body}");

    // A figure opens the meetings behind it: only the one with an ekonomi usulan.
    let behind = http(address, "GET", "/ringkasan/musyawarah?tahun=2027&wilayah=&bidang=ekonomi", &siti, &[]).body;
    assert!(behind.contains("<p>1 musyawarah: tahun 2027, bidang Ekonomi.</p>"), "{behind}");
    assert!(behind.contains(&format!("/bundel/{}", shas[0])) && !behind.contains(&format!("/bundel/{}", shas[1])));
    let no_opd = http(address, "GET", "/ringkasan/musyawarah?tahun=2027&wilayah=&opd=", &siti, &[]).body;
    assert!(no_opd.contains("<p>2 musyawarah:"), "{no_opd}");

    // Across years, and another kecamatan's staff see none of it.
    assert!(http(address, "GET", "/ringkasan", &siti, &[]).body.contains("<tr><td>2027</td>"));
    let elsewhere = http(address, "GET", "/ringkasan?tahun=2027", &budi, &[]).body;
    assert!(!elsewhere.contains("Melong") && elsewhere.contains("Belum ada musyawarah"), "{elsewhere}");
    let by_url = http(address, "GET", "/ringkasan/musyawarah?tahun=2027&wilayah=32.77.01.1001", &budi, &[]).body;
    assert!(by_url.contains("<p>0 musyawarah:"), "{by_url}");

    // An index from before the figures were kept gets them from the bundle
    // files at the next start, and the pages read the same.
    let pages = ["/ringkasan?tahun=2027", "/ringkasan/musyawarah?tahun=2027&wilayah=&bidang=ekonomi"];
    let before: Vec<String> = pages.iter().map(|path| http(address, "GET", path, &siti, &[]).body).collect();
    let office = office.restart_after(forget_figures);
    assert!(http(office.address, "GET", "/ringkasan?tahun=2027", &siti, &[]).body.contains("Melong"));
    let after: Vec<String> = pages.iter().map(|path| http(office.address, "GET", path, &siti, &[]).body).collect();
    assert_eq!(before, after);
}

/// Puts a stopped office's index back as it was before the bundles' figures
/// were kept (SQLite schema 3, PostgreSQL schema 2): bundle rows alone, and
/// none of the later tables.
fn forget_figures(dir: &std::path::Path, database: &Database) {
    let drop_figures = "DROP TABLE opd; DROP TABLE stage_settings; DROP TABLE signed_pages_bundle; DROP TABLE bundle_usulan; DROP TABLE bundle_figures;";
    match database {
        Database::Sqlite => rusqlite::Connection::open(dir.join("office.sqlite3"))
            .unwrap()
            .execute_batch(&format!("{drop_figures} PRAGMA user_version = 3;"))
            .unwrap(),
        Database::Postgres(url) => postgres::Client::connect(url, postgres::NoTls)
            .unwrap()
            .batch_execute(&format!("{drop_figures} UPDATE schema_version SET version = 2;"))
            .unwrap(),
    }
}

/// The PDF's text as pdftotext lays it out, its spaces squeezed.
fn pdf_text(pdf: &[u8]) -> String {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), pdf).unwrap();
    let output = std::process::Command::new("pdftotext").arg("-layout").arg(file.path()).arg("-").output().unwrap();
    assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_kecamatan_recap_is_a_pdf_of_rws_received_and_missing_and_usulan_within_the_account_s_kecamatan() {
    let office = TestOffice::start();
    let address = office.address;
    let key = office.admin().identity.encryption_key_bytes().unwrap();
    let fixture = locked_meeting_with(|_, _| {});
    let (_, bytes) = fixture.seal(Some(key), "rapat.rembug");
    deliver(&office.enrolled(fixture.device(), Some(5)), &bytes).unwrap();
    let entry = rembug_office::store::AuditEntry {
        at: "2026-12-07T00:00:00Z".into(),
        staff_name: "admin".into(),
        action: "jumlah_rw".into(),
        target: "32.77.01.1001".into(),
        detail: String::new(),
    };
    office.admin().store.set_rw_count("32.77.01.1001", 7, &entry).unwrap();
    let usulan = fixture.store.usulan_list(&fixture.meeting_id).unwrap();
    let total = rembug_core::rupiah::format_rupiah(usulan.iter().map(|usulan| usulan.biaya).sum());
    add_staff(&office, "siti", Role::Pimpinan, Some("32.77.01"));
    add_staff(&office, "budi", Role::Staf, Some("32.77.02"));
    let siti = session_of(&log_in(address, "siti", "kata-sandi-panjang"));
    let budi = session_of(&log_in(address, "budi", "kata-sandi-panjang"));

    let form = http(address, "GET", "/ekspor", &siti, &[]).body;
    assert!(form.contains("action=\"/ekspor/rekap.pdf\"") && form.contains("name=\"kecamatan\""), "{form}");
    let recap = http(address, "GET", "/ekspor/rekap.pdf?kecamatan=32.77.01&tahun=2027", &siti, &[]);
    assert_eq!(recap.status, 200, "{}", recap.body);
    assert_eq!(recap.header("content-type").as_deref(), Some("application/pdf"));
    assert_eq!(
        recap.header("content-disposition").as_deref(),
        Some("attachment; filename=\"rekap-32.77.01-2027.pdf\"")
    );
    let text = pdf_text(&recap.bytes);
    assert!(text.contains("REKAPITULASI USULAN MUSRENBANG KECAMATAN CIMAHI SELATAN TAHUN 2027"), "{text}");
    // Melong: 7 RWs, RW 05 received, the other six missing, its usulan and their cost.
    let melong = format!("Melong 7 1 01, 02, 03, 04, 06, 07 {} {total}", usulan.len());
    assert!(text.contains(&melong), "{melong:?} missing: {text}");
    assert!(
        text.contains(&format!("Infrastruktur {} {total} Jumlah {} {total}", usulan.len(), usulan.len())),
        "{text}"
    );
    assert_eq!(total, "Rp 90.000.000");

    // Another kecamatan's account is refused it; a year with nothing is empty.
    let refused = http(address, "GET", "/ekspor/rekap.pdf?kecamatan=32.77.01&tahun=2027", &budi, &[]);
    assert_eq!(refused.status, 403);
    let own = http(address, "GET", "/ekspor/rekap.pdf?tahun=2027", &budi, &[]);
    assert_eq!(own.status, 200);
    let own = pdf_text(&own.bytes);
    assert!(
        own.contains("KECAMATAN CIMAHI TENGAH") && !own.contains("Melong") && own.contains("Jumlah 0 0 0 RW 0 Rp 0"),
        "{own}"
    );
    assert_eq!(http(address, "GET", "/ekspor/rekap.pdf?kecamatan=32.77.99&tahun=2027", &siti, &[]).status, 400);
    let admin = session_of(&log_in(address, "admin", "rahasia"));
    let log = http(address, "GET", "/log", &admin, &[]).body;
    assert!(log.contains("ekspor_rekap") && log.contains("rekap-32.77.01-2027 pdf"), "{log}");
}

#[test]
fn staff_change_their_password_ending_their_other_sessions_and_admins_revoke_devices_by_page() {
    let office = TestOffice::start();
    let address = office.address;
    add_staff(&office, "siti", Role::Staf, Some("32.77.01"));
    let here = session_of(&log_in(address, "siti", "kata-sandi-panjang"));
    let elsewhere = session_of(&log_in(address, "siti", "kata-sandi-panjang"));
    let token = http(address, "GET", "/kata-sandi", &here, &[]).csrf();
    let change = |current: &str, new: &str, again: &str| {
        http(
            address,
            "POST",
            "/kata-sandi",
            &here,
            &[("csrf", &token), ("sekarang", current), ("baru", new), ("ulangi", again)],
        )
    };
    assert_eq!(http(address, "POST", "/kata-sandi", &here, &[("sekarang", "kata-sandi-panjang")]).status, 403);
    assert_eq!(change("kata-sandi-panjang", "pendek", "pendek").status, 400);
    assert_eq!(change("kata-sandi-panjang", "sandi-baru-yang-panjang", "sandi-lain-yang-panjang").status, 400);
    let wrong = change("salah-sekali-ini", "sandi-baru-yang-panjang", "sandi-baru-yang-panjang");
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("Kata sandi sekarang salah."));
    let done = change("kata-sandi-panjang", "sandi-baru-yang-panjang", "sandi-baru-yang-panjang");
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Kata sandi sudah diganti."));
    assert!(office.admin().store.staff("siti").unwrap().unwrap().password_hash.starts_with("$argon2id$"));
    assert_eq!(http(address, "GET", "/", &here, &[]).status, 200, "this session stays");
    assert_eq!(http(address, "GET", "/", &elsewhere, &[]).status, 303, "the other session ended");
    assert_eq!(log_in(address, "siti", "kata-sandi-panjang").status, 401);
    assert_eq!(log_in(address, "siti", "sandi-baru-yang-panjang").status, 303);

    // Devices: admins only, revoked with the token and a tick, in the roster and the log.
    let (_dir, device) = support::new_device();
    let device_id = device.device_id();
    office.enrolled(device, Some(5));
    assert_eq!(http(address, "GET", "/perangkat", &here, &[]).status, 403);
    let admin = session_of(&log_in(address, "admin", "rahasia"));
    let list = http(address, "GET", "/perangkat", &admin, &[]);
    assert!(list.body.contains(&format!("name=\"perangkat\" value=\"{device_id}\"")) && list.body.contains("RW 05"));
    let revoke = |form: &[(&str, &str)]| http(address, "POST", "/perangkat/cabut", &admin, form);
    let admin_token = list.csrf();
    assert_eq!(revoke(&[("perangkat", &device_id), ("yakin", "ya")]).status, 403);
    assert_eq!(revoke(&[("csrf", &admin_token), ("perangkat", &device_id)]).status, 400);
    assert_eq!(revoke(&[("csrf", &admin_token), ("perangkat", &device_id), ("yakin", "ya")]).status, 303);
    assert!(office.admin().store.device(&device_id).unwrap().unwrap().revoked_at.is_some());
    assert!(http(address, "GET", "/perangkat", &admin, &[]).body.contains("Dicabut "));
    let log = http(address, "GET", "/log", &admin, &[]).body;
    assert!(log.contains("cabut_perangkat") && log.contains("ganti_kata_sandi"), "{log}");
}

#[test]
fn an_imported_wilayah_shows_in_the_grid_after_a_restart_and_bounds_the_scopes() {
    let office = TestOffice::start();
    let mut kelurahan = rembug_core::wilayah::parse_wilayah_csv(
        "kode_kemendagri,kelurahan,kode_kecamatan,kecamatan,kode_kota,kota\n\
         32.73.01.1001,\"Sukasari, Bandung\",32.73.01,Sukasari,32.73,Kota Bandung\n",
    )
    .unwrap();
    office.admin().import_wilayah(&kelurahan).unwrap();
    kelurahan[0].name = "Sukasari".into();
    office.admin().import_wilayah(&kelurahan).unwrap();
    let names: Vec<String> = office.admin().wilayah.iter().map(|k| k.name.clone()).collect();
    assert_eq!(names.len(), 16, "Kota Cimahi's 15 and the new one");
    assert!(names.contains(&"Sukasari".to_owned()), "a second import renames: {names:?}");

    let office = office.restart();
    let session = session_of(&log_in(office.address, "admin", "rahasia"));
    // Two kota: the grid shows one at a time.
    let grid = http(office.address, "GET", "/", &session, &[]);
    assert!(grid.body.contains("Pilih kota/kabupaten") && grid.body.contains("Kota Bandung"), "{}", grid.body);
    assert!(!grid.body.contains("Melong") && !grid.body.contains("<table"), "{}", grid.body);
    let bandung = http(office.address, "GET", "/?kota=32.73", &session, &[]);
    assert!(bandung.body.contains("Sukasari") && bandung.body.contains("32.73.01.1001"), "{}", bandung.body);
    assert!(!bandung.body.contains("Melong"));
    let by_kecamatan = http(office.address, "GET", "/?kecamatan=32.77.01", &session, &[]);
    assert!(by_kecamatan.body.contains("Melong") && !by_kecamatan.body.contains("Sukasari"));
    let csrf = grid.csrf();
    let unknown = [("csrf", csrf.as_str()), ("kelurahan", "32.73.99.1001"), ("jumlah", "5")];
    assert_eq!(http(office.address, "POST", "/rw", &session, &unknown).status, 403, "an unknown kelurahan is refused");
    let known = [("csrf", csrf.as_str()), ("kelurahan", "32.73.01.1001"), ("jumlah", "5")];
    assert_eq!(http(office.address, "POST", "/rw", &session, &known).status, 303, "the imported one is known");
}

#[test]
fn staff_see_the_photos_of_the_signed_pages_and_the_pimpinan_role_only_that_they_came() {
    let office = TestOffice::start();
    let address = office.address;
    let key = office.admin().identity.encryption_key_bytes().unwrap();
    let fixture = bundle::locked_meeting();
    for (kind, seed) in [(PageKind::BeritaAcara, 70), (PageKind::DaftarHadir, 71)] {
        let photo = std::io::Cursor::new(bundle::png(seed));
        fixture.store.add_signed_page(&fixture.meeting_id, kind, photo, "image/png").unwrap();
    }
    let (sealed, meeting) = fixture.seal(Some(key), "rapat.rembug");
    let out = fixture.dir.path().join("halaman.rembug");
    let pages =
        rembug_bundle::seal_signed_pages(&fixture.store, &fixture.device(), &fixture.meeting_id, Some(key), &out)
            .unwrap();
    let client = office.enrolled(fixture.device(), Some(5));
    deliver(&client, &meeting).unwrap();
    deliver(&client, &std::fs::read(&out).unwrap()).unwrap();

    let admin = session_of(&log_in(address, "admin", "rahasia"));
    let page = http(address, "GET", &format!("/bundel/{}", sealed.sha256), &admin, &[]);
    let index = pages.manifest.pages.iter().position(|page| page.kind == PageKind::DaftarHadir).unwrap();
    let daftar_hadir = format!("/bundel/{}/halaman/{}/{index}", sealed.sha256, pages.sha256);
    let berita_acara = page.body.find("Berita acara halaman 1").expect("the berita acara's page");
    assert!(page.body.contains(&format!("<img src=\"/bundel/{}/halaman/{}/", sealed.sha256, pages.sha256)));
    // The daftar hadir's page is personal: opened on purpose, never shown with the others.
    assert!(page.body.contains(&format!("<a class=\"pribadi\" href=\"{daftar_hadir}\"")), "{}", page.body);
    assert!(!page.body.contains(&format!("<img src=\"{daftar_hadir}\"")), "{}", page.body);
    assert!(page.body.find("Daftar hadir halaman 1").unwrap() > berita_acara, "in the papers' order");
    let viewed = |office: &TestOffice| {
        let log = office.admin().store.audit_log(5).unwrap();
        log.iter().any(|entry| entry.action == "lihat_lembar_daftar_hadir")
    };
    assert!(!viewed(&office), "opening the meeting's page shows no personal page");
    let photo = http(address, "GET", &daftar_hadir, &admin, &[]);
    assert_eq!(photo.status, 200);
    assert_eq!(photo.header("content-type").as_deref(), Some("image/png"));
    assert_eq!(photo.bytes, bundle::png(71), "the daftar hadir's page, decrypted with the office's key");
    assert!(viewed(&office));
    // Another revision's page, or past the last one: nothing.
    let missing = format!("/bundel/{}/halaman/{}/9", sealed.sha256, pages.sha256);
    assert_eq!(http(address, "GET", &missing, &admin, &[]).status, 404);

    add_staff(&office, "pimpinan", Role::Pimpinan, None);
    let pimpinan = session_of(&log_in(address, "pimpinan", "kata-sandi-panjang"));
    let page = http(address, "GET", &format!("/bundel/{}", sealed.sha256), &pimpinan, &[]);
    assert!(page.body.contains("2 foto diterima") && !page.body.contains("/halaman/"), "{}", page.body);
    let refused =
        http(address, "GET", &format!("/bundel/{}/halaman/{}/0", sealed.sha256, pages.sha256), &pimpinan, &[]);
    assert_eq!(refused.status, 403);
}

#[test]
fn admins_keep_the_opd_list_by_page_and_a_device_receives_it_on_its_next_sync() {
    let office = TestOffice::start();
    let address = office.address;
    add_staff(&office, "siti", Role::Staf, None);
    let staf = session_of(&log_in(address, "siti", "kata-sandi-panjang"));
    let staf_token = http(address, "GET", "/kata-sandi", &staf, &[]).csrf();
    assert_eq!(http(address, "GET", "/opd", &staf, &[]).status, 403);
    assert_eq!(http(address, "POST", "/opd", &staf, &[("csrf", &staf_token), ("daftar", "Dinas Sosial")]).status, 403);
    // The list is the whole city's: an admin limited to one kecamatan neither sees nor changes it.
    add_staff(&office, "rahmat", Role::Admin, Some("32.77.01"));
    let kecamatan_admin = session_of(&log_in(address, "rahmat", "kata-sandi-panjang"));
    let kecamatan_token = http(address, "GET", "/kata-sandi", &kecamatan_admin, &[]).csrf();
    assert!(!http(address, "GET", "/", &kecamatan_admin, &[]).body.contains("href=\"/opd\""));
    for path in ["/opd", "/target"] {
        assert_eq!(http(address, "GET", path, &kecamatan_admin, &[]).status, 403, "{path}");
    }
    let by_kecamatan_admin = [("csrf", kecamatan_token.as_str()), ("daftar", "Dinas Sosial")];
    assert_eq!(http(address, "POST", "/opd", &kecamatan_admin, &by_kecamatan_admin).status, 403);

    let admin = session_of(&log_in(address, "admin", "rahasia"));
    let home = http(address, "GET", "/", &admin, &[]);
    assert!(home.body.contains("<a href=\"/opd\">Daftar OPD</a>"));
    let page = http(address, "GET", "/opd", &admin, &[]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"daftar\" rows=\"20\" cols=\"80\"></textarea>"), "{}", page.body);
    let token = page.csrf();
    let save = |form: &[(&str, &str)]| http(address, "POST", "/opd", &admin, form);
    assert_eq!(save(&[("daftar", "Dinas Sosial")]).status, 403, "no token, no change");
    let twice = save(&[("csrf", &token), ("daftar", "Dinas Sosial\n dinas sosial ")]);
    assert_eq!(twice.status, 400);
    assert!(twice.body.contains("OPD \u{201c}dinas sosial\u{201d} di baris 2 sudah ada di daftar."), "{}", twice.body);
    let long = save(&[("csrf", &token), ("daftar", &format!("Dinas Sosial\n\n{}", "x".repeat(201)))]);
    assert_eq!(long.status, 400);
    assert!(long.body.contains("Nama OPD di baris 3 lebih dari 200 karakter."), "{}", long.body);
    assert!(office.admin().store.opd_list().unwrap().is_empty(), "a refused list changes nothing");

    let typed = format!("  Dinas Sosial \r\n\r\nDinas Kesehatan\r\n{XSS}\r\n");
    assert_eq!(save(&[("csrf", &token), ("daftar", &typed)]).status, 303);
    let expected = ["Dinas Sosial".to_owned(), "Dinas Kesehatan".to_owned(), XSS.to_owned()];
    assert_eq!(office.admin().store.opd_list().unwrap(), expected);
    let shown = http(address, "GET", "/opd", &admin, &[]).body;
    assert!(!shown.contains(XSS) && shown.contains("Dinas Sosial\nDinas Kesehatan\n&lt;script&gt;"), "{shown}");
    assert!(http(address, "GET", "/log", &admin, &[]).body.contains("atur_daftar_opd"));

    // The women's target and delegate range: admins only, with the token, checked.
    assert_eq!(http(address, "GET", "/target", &staf, &[]).status, 403);
    let target = http(address, "GET", "/target", &admin, &[]);
    assert_eq!(target.status, 200);
    assert!(home.body.contains("<a href=\"/target\">Target musyawarah</a>"));
    let set = |form: &[(&str, &str)]| http(address, "POST", "/target", &admin, form);
    let values = [("perempuan", "40"), ("delegasi_min", "3"), ("delegasi_maks", "7")];
    assert_eq!(set(&values).status, 403, "no token, no change");
    let staf_set =
        http(address, "POST", "/target", &staf, &[("csrf", staf_token.as_str()), values[0], values[1], values[2]]);
    assert_eq!(staf_set.status, 403);
    let upside_down = set(&[("csrf", &token), ("perempuan", "40"), ("delegasi_min", "8"), ("delegasi_maks", "7")]);
    assert_eq!(upside_down.status, 400);
    assert!(upside_down.body.contains("Delegasi paling sedikit tidak boleh lebih dari delegasi paling banyak."));
    assert_eq!(office.admin().store.stage_settings().unwrap(), None);
    assert_eq!(set(&[("csrf", token.as_str()), values[0], values[1], values[2]]).status, 303);
    assert!(
        http(address, "GET", "/target", &admin, &[])
            .body
            .contains("name=\"perempuan\" inputmode=\"numeric\" value=\"40\"")
    );

    // A device's next sync replaces its list (sorted by name on the laptop)
    // and its women's target and delegate range.
    let fixture = bundle::locked_meeting();
    let device = std::sync::Arc::new(fixture.device());
    let code = office.code(Some(5));
    rembug_sync::enroll::enroll_online(
        &fixture.store,
        &fixture.data_path(),
        device.clone(),
        &office.url,
        code.as_str(),
        &mut |_| false,
    )
    .unwrap();
    assert_ne!(fixture.store.opd_list().unwrap().len(), 3, "the laptop starts with its seeded list");
    let options = rembug_sync::outbox::RoundOptions { force: false, quick_tries: 3 };
    rembug_sync::outbox::sync_round(&fixture.store, device, options, &mut |_| {}).unwrap();
    let mut held: Vec<String> = fixture.store.opd_list().unwrap().into_iter().map(|opd| opd.name).collect();
    held.sort();
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(held, expected);
    let recording = fixture.store.settings().unwrap().recording;
    assert_eq!((recording.women_target_percent, recording.delegates_min, recording.delegates_max), (40, 3, 7));
}
