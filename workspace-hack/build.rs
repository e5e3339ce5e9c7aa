//! No build step: `[build-dependencies]` only take effect in a crate with a build script.

fn main() {}
