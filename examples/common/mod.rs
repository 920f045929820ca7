//! What the example programs share.

use std::process::ExitCode;

/// Ends a program: success, or the library's message on stderr and a
/// non-zero exit code.
pub fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}
