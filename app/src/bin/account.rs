//! Browser entry point of sign-in and the vacancy search: mounts their islands into the
//! pre-rendered page (see `app::account`). A bundle of its own, so the checker's pages do
//! not carry it, nor these pages the rules.

fn main() {
    console_error_panic_hook::set_once();
    #[cfg(target_arch = "wasm32")]
    app::account::start();
}
