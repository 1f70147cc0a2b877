//! Lambda's runtime deprecation table, from
//! <https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html> ("Supported
//! runtimes" and "Deprecated runtimes"), checked on 2026-12-01.
//!
//! The page itself could not be read whole that day, so each row names where its dates
//! were found. Sources, newest AWS statement first:
//! - `[page-2026]`: the page as it stood from June 2026 (when AWS moved most block
//!   dates of deprecated runtimes to 2027-02-01 / 2027-03-03), as quoted in AWS's own
//!   cfn-lint repository (aws-cloudformation/cfn-lint issue #4531 and PR #4532,
//!   2026-06-02, and its `LmbdRuntimeLifecycle.json`), and cross-checked against two
//!   mechanical copies of the page: tflint-ruleset-aws's generated
//!   `deprecated_runtimes.json` (read from the page 2026-07-31) and endoflife.date's
//!   `release-data` `aws-lambda.json` (2026-08-22; deprecation and update-block dates
//!   only). All three agree on every date used below.
//! - `[policy-2019]`: the 2019 "Runtime support policy" page's deprecation schedule
//!   (end of life, create block, update block), used only for a deprecation date the
//!   2026 page gives out of order (after its own create-block date).
//!
//! `confirmed` rows have all three dates stated in one of these sources. A single
//! third-party dashboard ("checked Oct 2026") lists 2027-07-29 / 2027-08-31 block dates
//! for many runtimes; no AWS source or page copy backs it, so it was not used.
//!
//! Left out: `dotnet9` (container image only, not a valid zip `Runtime`, and the page
//! gives it no block dates), `dotnet5.0` and `dotnet7` (likewise container only), and
//! the Amazon Linux 2023 Java runtimes `java8.al2023`, `java11.al2023`, `java17.al2023`
//! (deprecation 2029-06-30 and update block 2029-08-31 are in the copies, the
//! create-block date was not found): the rule is silent on them.
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
    /// Whether one source named above states all three dates: the table's
    /// provenance, checked by its tests.
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

// One row a line, so the table reads as a table.
#[rustfmt::skip]
pub const RUNTIMES: &[Runtime] = &[
    // Node.js
    // source: [page-2026]
    row("nodejs", "2016-08-30", "2016-09-30", "2016-10-31", "nodejs24.x", true),
    // source: deprecation [policy-2019] (end of life 2018-04-30; the 2026 page gives
    // 2020-03-05, after its create block); create and update blocks [page-2026]
    row("nodejs4.3", "2018-04-30", "2020-02-03", "2020-03-05", "nodejs24.x", false),
    row("nodejs4.3-edge", "2018-04-30", "2019-03-31", "2019-04-30", "nodejs24.x", false),
    // source: deprecation [policy-2019] (the 2026 page gives 2019-08-12); blocks
    // [page-2026]
    row("nodejs6.10", "2019-04-30", "2019-07-12", "2019-08-12", "nodejs24.x", false),
    // source: deprecation [policy-2019] and AWS's 2019 notice (the 2026 page gives
    // 2020-03-06); blocks [page-2026]
    row("nodejs8.10", "2019-12-31", "2020-02-04", "2020-03-06", "nodejs24.x", false),
    // source: [page-2026]
    row("nodejs10.x", "2021-07-30", "2021-07-30", "2022-02-14", "nodejs24.x", true),
    row("nodejs12.x", "2023-03-31", "2023-03-31", "2023-04-30", "nodejs24.x", true),
    row("nodejs14.x", "2023-12-04", "2024-01-09", "2027-03-03", "nodejs24.x", true),
    row("nodejs16.x", "2024-06-12", "2027-02-01", "2027-03-03", "nodejs24.x", true),
    row("nodejs18.x", "2025-09-01", "2027-02-01", "2027-03-03", "nodejs24.x", true),
    row("nodejs20.x", "2026-04-30", "2027-02-01", "2027-03-03", "nodejs24.x", true),
    row("nodejs22.x", "2027-04-30", "2027-06-01", "2027-07-01", "nodejs24.x", true),
    row("nodejs24.x", "2028-04-30", "2028-06-01", "2028-07-01", "nodejs24.x", true),
    // Python
    // source: [page-2026]
    row("python2.7", "2021-07-15", "2021-07-15", "2022-05-30", "python3.14", true),
    row("python3.6", "2022-07-18", "2022-07-18", "2022-08-29", "python3.14", true),
    row("python3.7", "2023-12-04", "2024-01-09", "2027-03-03", "python3.14", true),
    row("python3.8", "2024-10-14", "2027-02-01", "2027-03-03", "python3.14", true),
    row("python3.9", "2025-12-15", "2027-02-01", "2027-03-03", "python3.14", true),
    row("python3.10", "2026-10-31", "2027-02-01", "2027-03-03", "python3.14", true),
    row("python3.11", "2027-06-30", "2027-07-31", "2027-08-31", "python3.14", true),
    row("python3.12", "2028-10-31", "2028-11-30", "2029-01-10", "python3.14", true),
    row("python3.13", "2029-06-30", "2029-07-31", "2029-08-31", "python3.14", true),
    row("python3.14", "2029-06-30", "2029-07-31", "2029-08-31", "python3.14", true),
    // Ruby
    // source: [page-2026]
    row("ruby2.5", "2021-07-30", "2021-07-30", "2022-03-31", "ruby4.0", true),
    row("ruby2.7", "2023-12-07", "2024-01-09", "2027-03-03", "ruby4.0", true),
    row("ruby3.2", "2026-03-31", "2027-02-01", "2027-03-03", "ruby4.0", true),
    row("ruby3.3", "2027-03-31", "2027-04-30", "2027-05-31", "ruby4.0", true),
    row("ruby3.4", "2028-03-31", "2028-04-30", "2028-05-31", "ruby4.0", true),
    row("ruby4.0", "2029-03-31", "2029-04-30", "2029-05-31", "ruby4.0", true),
    // Java
    // source: [page-2026]
    row("java8", "2024-01-08", "2024-02-08", "2027-03-03", "java25", true),
    row("java8.al2", "2027-06-30", "2027-07-31", "2027-08-31", "java25", true),
    row("java11", "2027-06-30", "2027-07-31", "2027-08-31", "java25", true),
    row("java17", "2027-06-30", "2027-07-31", "2027-08-31", "java25", true),
    row("java21", "2029-06-30", "2029-07-31", "2029-08-31", "java25", true),
    row("java25", "2029-06-30", "2029-07-31", "2029-08-31", "java25", true),
    // .NET
    // source: [page-2026]
    row("dotnetcore1.0", "2019-06-27", "2019-06-30", "2019-07-30", "dotnet10", true),
    // source: [policy-2019] (the 2026 page has the same blocks, and gives the
    // deprecation as 2019-05-30, after its create block)
    row("dotnetcore2.0", "2019-04-30", "2019-04-30", "2019-05-30", "dotnet10", true),
    // source: [page-2026]
    row("dotnetcore2.1", "2022-01-05", "2022-01-05", "2022-04-13", "dotnet10", true),
    row("dotnetcore3.1", "2023-04-03", "2023-04-03", "2023-05-03", "dotnet10", true),
    row("dotnet6", "2024-12-20", "2027-02-01", "2027-03-03", "dotnet10", true),
    row("dotnet8", "2026-11-10", "2027-02-01", "2027-03-03", "dotnet10", true),
    row("dotnet10", "2028-11-14", "2028-12-14", "2029-01-15", "dotnet10", true),
    // Go and OS-only
    // source: [page-2026]
    row("go1.x", "2024-01-08", "2024-02-08", "2027-03-03", "provided.al2023", true),
    row("provided", "2024-01-08", "2024-02-08", "2027-03-03", "provided.al2023", true),
    row("provided.al2", "2026-07-31", "2027-02-01", "2027-03-03", "provided.al2023", true),
    row("provided.al2023", "2029-06-30", "2029-07-31", "2029-08-31", "provided.al2023", true),
];

/// Runtimes the page lists with no deprecation scheduled ("Not scheduled"): the public
/// previews, as endoflife.date's copy of the page lists them (2026-08-15).
#[cfg_attr(not(test), allow(dead_code))]
pub const NOT_SCHEDULED: &[&str] = &["nodejs26.x", "python3.15"];

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
            let days = [
                runtime.deprecation,
                runtime.block_create,
                runtime.block_update,
            ]
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
