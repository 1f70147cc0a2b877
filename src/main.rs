/// mimalloc instead of the system allocator: the document tree is many small
/// allocations (a scalar, a key, a mapping each), which glibc's malloc pads to 32 bytes
/// with a header each; mimalloc's size classes have no header.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    stacklint::cli::main()
}
