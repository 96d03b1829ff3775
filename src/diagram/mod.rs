//! Pictures of the wire, the way a teacher draws them on the board: each connection as
//! a ladder diagram — client, eavesdropper, server, and one arrow per message that
//! crossed — beside the eavesdropper's bytes, with `fluffy tail` marked wherever it can
//! be read.
//!
//! - [`ladder`]: the tap's events as connections and arrows (from the bytes, never from
//!   what a stage meant to send);
//! - [`draw`]: the layout, as SVG or as JSON for a page's script;
//! - [`bytes`]: hex + ASCII byte views with marks;
//! - [`labels`]: every word of the pictures, in one table;
//! - [`tour_page`]: `squirrel tour --html`, one page that opens offline;
//! - [`live`]: `squirrel tap --web`, the connections as they happen, in a browser.

pub mod bytes;
pub mod draw;
pub mod labels;
pub mod ladder;
pub mod live;
pub mod tour_page;
