//! Lambda's runtime deprecation table, from
//! <https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html> ("Supported
//! runtimes" and "Deprecated runtimes"), read on 2026-12-01 through stacklint's
//! documentation search.
//!
//! The search returns excerpts, not the whole table. Rows marked `confirmed` have their
//! dates in an excerpt read that day (the runtimes page, AWS's end-of-support
//! notices quoted on re:Post and in AWS's own repositories, or endoflife.date's copy of
//! the table); the others are the dates the page gave for those runtimes as last
//! known, and are all in the past, so the rule's verdict on them (creation blocked)
//! does not depend on the exact day. Runtimes whose dates could not be settled
//! (`java8.al2`, `java11`, `java17`, `provided.al2` on Amazon Linux 2, and the
//! container-only .NET runtimes) are left out: the rule is silent on them.
//!
//! Update this file when AWS changes the table, and say in the commit which rows moved.

/// One managed runtime and its lifecycle dates (`YYYY-MM-DD`, UTC).
pub struct Runtime {
    /// The runtime identifier written in `Runtime:`.
    pub id: &'static str,
    /// From this day the runtime is deprecated: no more security patches.
    pub deprecation: &'static str,
    /// From this day new functions cannot use the runtime.
    pub block_create: &'static str,
    /// From this day existing functions using the runtime cannot be updated.
    pub block_update: &'static str,
    /// The runtime to move to: the newest of the same language.
    pub successor: &'static str,
    /// Whether an excerpt read on 2026-12-01 stated these dates (see above): the
    /// table's provenance, checked by its tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub confirmed: bool,
}

const fn row(
    id: &'static str,
    deprecation: &'static str,
    block_create: &'static str,
    block_update: &'static str,
    successor: &'static str,
    confirmed: bool,
) -> Runtime {
    Runtime {
        id,
        deprecation,
        block_create,
        block_update,
        successor,
        confirmed,
    }
}

pub const RUNTIMES: &[Runtime] = &[
    // Node.js
    row("nodejs", "2016-10-31", "2016-10-31", "2016-10-31", "nodejs24.x", false),
    row("nodejs4.3", "2020-03-05", "2020-03-05", "2020-03-05", "nodejs24.x", false),
    row("nodejs4.3-edge", "2019-04-30", "2019-04-30", "2019-04-30", "nodejs24.x", false),
    row("nodejs6.10", "2019-08-12", "2019-08-12", "2019-08-12", "nodejs24.x", false),
    row("nodejs8.10", "2019-12-31", "2020-01-06", "2020-02-03", "nodejs24.x", true),
    row("nodejs10.x", "2021-07-30", "2021-07-30", "2022-02-14", "nodejs24.x", false),
    row("nodejs12.x", "2023-03-31", "2023-03-31", "2023-04-30", "nodejs24.x", false),
    row("nodejs14.x", "2023-12-04", "2024-01-09", "2024-02-08", "nodejs24.x", true),
    row("nodejs16.x", "2024-06-12", "2025-09-01", "2025-10-01", "nodejs24.x", false),
    row("nodejs18.x", "2025-09-01", "2026-03-09", "2026-04-09", "nodejs24.x", false),
    row("nodejs20.x", "2026-04-30", "2026-08-31", "2026-09-30", "nodejs24.x", false),
    row("nodejs22.x", "2027-04-30", "2027-06-01", "2027-07-01", "nodejs24.x", true),
    row("nodejs24.x", "2028-04-30", "2028-06-01", "2028-07-01", "nodejs24.x", true),
    // Python
    row("python2.7", "2021-07-15", "2021-07-15", "2022-05-30", "python3.14", false),
    row("python3.6", "2022-07-18", "2022-07-18", "2022-08-29", "python3.14", false),
    row("python3.7", "2023-12-04", "2024-01-09", "2024-02-28", "python3.14", false),
    row("python3.8", "2024-10-14", "2025-09-01", "2025-10-01", "python3.14", false),
    row("python3.9", "2025-12-15", "2027-02-01", "2027-03-03", "python3.14", true),
    row("python3.10", "2026-06-30", "2026-07-31", "2026-08-31", "python3.14", false),
    row("python3.11", "2027-06-30", "2027-07-31", "2027-08-31", "python3.14", false),
    row("python3.12", "2028-10-31", "2028-11-30", "2029-01-10", "python3.14", false),
    row("python3.13", "2029-06-30", "2029-07-31", "2029-08-31", "python3.14", true),
    row("python3.14", "2029-06-30", "2029-07-31", "2029-08-31", "python3.14", true),
    // Ruby
    row("ruby2.5", "2021-07-30", "2021-07-30", "2022-03-31", "ruby3.4", false),
    row("ruby2.7", "2023-12-07", "2024-01-09", "2024-02-08", "ruby3.4", false),
    row("ruby3.2", "2025-03-31", "2025-09-01", "2025-10-01", "ruby3.4", false),
    row("ruby3.3", "2027-03-31", "2027-04-30", "2027-05-31", "ruby3.4", false),
    row("ruby3.4", "2028-03-31", "2028-04-30", "2028-05-31", "ruby3.4", true),
    // Java
    row("java8", "2024-01-08", "2024-02-08", "2024-03-12", "java25", false),
    row("java21", "2029-06-30", "2029-07-31", "2029-08-31", "java25", false),
    row("java25", "2029-06-30", "2029-07-31", "2029-08-31", "java25", true),
    // .NET
    row("dotnetcore1.0", "2019-07-30", "2019-07-30", "2019-07-30", "dotnet10", false),
    row("dotnetcore2.0", "2019-05-30", "2019-05-30", "2019-05-30", "dotnet10", false),
    row("dotnetcore2.1", "2022-01-05", "2022-01-05", "2022-04-13", "dotnet10", false),
    row("dotnetcore3.1", "2023-04-03", "2023-04-03", "2023-05-03", "dotnet10", true),
    row("dotnet6", "2024-12-20", "2025-09-01", "2025-10-01", "dotnet10", false),
    row("dotnet8", "2026-11-10", "2026-12-10", "2027-01-11", "dotnet10", false),
    row("dotnet10", "2028-11-14", "2028-12-14", "2029-01-15", "dotnet10", true),
    // Go and OS-only
    row("go1.x", "2024-01-08", "2024-02-08", "2024-03-12", "provided.al2023", false),
    row("provided", "2024-01-08", "2024-02-08", "2024-03-12", "provided.al2023", false),
];

/// Runtimes the page lists with no deprecation scheduled ("Not scheduled").
#[cfg_attr(not(test), allow(dead_code))]
pub const NOT_SCHEDULED: &[&str] = &["provided.al2023"];

/// The row of a runtime identifier.
pub fn find(id: &str) -> Option<&'static Runtime> {
    RUNTIMES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::{find, NOT_SCHEDULED, RUNTIMES};
    use crate::date;

    #[test]
    fn dates_are_real_and_in_order_and_successors_are_listed() {
        for runtime in RUNTIMES {
            let days = [runtime.deprecation, runtime.block_create, runtime.block_update]
                .map(date::parse);
            let [Some(deprecation), Some(create), Some(update)] = days else {
                panic!("{}: a date does not parse", runtime.id);
            };
            assert!(deprecation <= create && create <= update, "{}", runtime.id);
            let successor = find(runtime.successor);
            assert!(
                successor.is_some_and(|s| s.successor == s.id)
                    || NOT_SCHEDULED.contains(&runtime.successor),
                "{}: successor {} is not a current runtime of the table",
                runtime.id,
                runtime.successor
            );
        }
        assert!(RUNTIMES.iter().filter(|r| r.confirmed).count() >= 10);
    }
}
