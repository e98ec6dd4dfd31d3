//! The window's WebKitGTK web view, set up for a 4 GB laptop (Linux only; the
//! Windows and macOS web views keep their defaults). docs/benchmarks.md,
//! "Start-up and memory", has the measurements.

use tauri::{App, Manager};
use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};

/// Called from `setup`, on the main thread right after Tauri has built the
/// window of tauri.conf.json, so the setting is applied at once, before the
/// page's first paint.
pub fn lighten(app: &App) -> tauri::Result<()> {
    let Some(window) = app.get_webview_window("main") else {
        return Ok(());
    };
    window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            // Forms, lists and still pictures: nothing in the window needs
            // the GPU (no WebGL, no 3D transforms, no video; the signature
            // pad is a 2D canvas). WebKitGTK's default composites every page
            // through OpenGL, whose layers and textures held about 80 MiB of
            // the web process's memory on city-decade data (with Mesa's
            // software GL under Xvfb; a laptop's integrated GPU takes its
            // textures from the same RAM). Painted by the CPU, the page looks
            // the same.
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    })
}
