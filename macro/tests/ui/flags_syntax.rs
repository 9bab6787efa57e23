//! Each flag is `const NAME;` or `const NAME = "name";`.

wit_host::flags! {
    Perms {
        READ;
    }
}

fn main() {}
