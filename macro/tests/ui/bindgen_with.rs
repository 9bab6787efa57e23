//! `with` keys must name an imported interface or type of the world.

wit_host::bindgen!({
    inline: "
        package example:remap;

        interface imported {
            record point { x: u32 }
        }

        interface exported {
            f: func();
        }

        world w {
            import imported;
            export exported;
        }
    ",
    with: {
        "example:remap/imported/point": crate::Point,
        "example:remap/imported/pointe": crate::Point,
        "example:remap/exported": crate::Exported,
        "example:remap/nope": crate::Nope,
    },
});

pub struct Point;

fn main() {}
