fn main() -> std::process::ExitCode {
    stacklint::cli::main()
}
