//! AFL target: `cargo afl fuzz ... target/debug/json` (see README.md, "Fuzzing").

fn main() {
    afl::fuzz!(|data: &[u8]| {
        stacklint_fuzz::invariants::check_json(data);
    });
}
