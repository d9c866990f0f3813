//! Browser entry point of the checker: mounts it into its pre-rendered page (see
//! `app::island`).

fn main() {
    console_error_panic_hook::set_once();
    #[cfg(target_arch = "wasm32")]
    app::island::start();
}
