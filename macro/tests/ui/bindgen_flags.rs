//! Mistakes in `imports`, `exports`, `ownership` and
//! `require_store_data_send` are reported in one compile, each at the flag,
//! key or value at fault.

wit_host::bindgen!({
    inline: "
        package example:flags;

        world w {
            import f: func();
            export g: func();
        }
    ",
    imports: {
        default: trappable | task_exit,
        "f": tracing | nope,
        "f": store,
        other: trappable,
    },
    exports: { default: trappable | store, "g": verbose_tracing },
    ownership: Borrowing { duplicate_if_necessary: maybe },
    require_store_data_send: yes,
    tracing: true,
    async: true,
});

fn main() {}
