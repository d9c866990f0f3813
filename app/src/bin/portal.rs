//! Browser entry point of the signed-in areas: mounts them into the account pages' shell
//! (see `app::portal`). A separate bundle, so the public pages never download it.

fn main() {
    console_error_panic_hook::set_once();
    #[cfg(target_arch = "wasm32")]
    app::portal::start();
}
