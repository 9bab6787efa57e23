//! A WIT mistake is a compile error at the macro call with wit-parser's
//! message: the file, line and column, and the line quoted (here the
//! "file" is the inline source).

wit_host::bindgen!({
    inline: "
        package example:bad;

        world bad {
            import greet: func(name: string) -> strng;
        }
    ",
});

fn main() {}
