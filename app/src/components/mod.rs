//! Building blocks of the pages, one concern each.

pub mod check_form;
pub mod footer;
pub mod header;
pub mod lang_switch;
pub mod quota_status;
pub mod results;
pub mod server_check;
pub mod summary;
