//! A moderator's edit to a redacted answer may only take more out, never put
//! anything back: the same rule in the browser and on the server.

/// What a moderator puts where they took something out.
pub const REMOVED: &str = "[removed]";

/// True when `after` is `before` with parts removed (or replaced by
/// [`REMOVED`]) and nothing added.
pub fn removes_only(before: &str, after: &str) -> bool {
    // Skeleton: exact equality or a plain deletion at the end; replaced by the real rule.
    before.starts_with(after.trim_end_matches(REMOVED))
}
