//! `imports` and `exports` keys that name no function (`exact`: no
//! function itself) are errors, all of them at once, each at its key.

wit_host::bindgen!({
    inline: "
        package example:keys;

        interface host {
            resource file {
                read: func() -> u32;
            }
            open: func() -> file;
        }

        interface api {
            run: func();
        }

        world w {
            import host;
            import log: func(msg: string);
            export api;
        }
    ",
    imports: {
        // These name functions (or an interface).
        "example:keys/host.open": trappable,
        "example:keys/host/[method]file.read": store,
        "example:keys/host": tracing,
        "log": tracing,
        // These do not.
        "example:keys/host.close": trappable,
        "example:keys/api.run": tracing,
        "logg": trappable,
        "example:keys": exact | tracing,
    },
    exports: {
        "example:keys/api.run": tracing,
        "example:keys/api.stop": tracing,
        "log": tracing,
    },
});

fn main() {}
