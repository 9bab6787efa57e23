//! WIT features the runtime does not support yet are compile errors.

wit_host::bindgen!({
    inline: "
        package example:unsupported;

        world unsupported {
            export fetch: async func(url: string) -> string;
            export chunks: func() -> stream<u8>;
        }
    ",
});

fn main() {}
