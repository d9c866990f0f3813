//! Prints every public page and the not-found pages, rendered to HTML, as JSON on
//! standard output.
//! Run by `cargo xtask dist`; see `app::prerender`.

fn main() {
    let json =
        serde_json::to_string(&app::prerender::all()).expect("rendered pages serialise to JSON");
    println!("{json}");
}
