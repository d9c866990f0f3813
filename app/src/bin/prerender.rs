//! Prints every public page, rendered to HTML, as one JSON array on standard output.
//! Run by `cargo xtask dist`; see `app::prerender`.

fn main() {
    let pages = app::prerender::public_pages();
    let json = serde_json::to_string(&pages).expect("rendered pages serialise to JSON");
    println!("{json}");
}
