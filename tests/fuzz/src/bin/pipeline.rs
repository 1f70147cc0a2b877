//! AFL target: `cargo afl fuzz ... target/debug/pipeline` (see README.md, "Fuzzing").

fn main() {
    afl::fuzz!(|data: &[u8]| {
        stacklint_fuzz::invariants::check_pipeline(data);
    });
}
