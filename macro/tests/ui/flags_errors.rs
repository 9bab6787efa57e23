//! `flags!` checks the names like the derives do.

wit_host::flags! {
    Perms {
        const READ = 1;
        const WRITE = "Write Access";
        const EXEC = "exec";
        const RUN = "EXEC";
        const NAÏVE;
    }
}

fn main() {}
