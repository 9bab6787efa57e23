//! The files of a case: [`Entry`] describes one (a file and its text, a
//! file of patterned bytes, a directory, a symlink, or nothing), [`create`]
//! makes it in a case's temporary root before the guest runs, and
//! [`check_entry`] compares what the root holds afterwards.

use std::path::Path;

/// A file system entry, created before a case runs or expected after it.
#[derive(Clone, Copy, Debug)]
pub enum Entry {
    /// A file with this text.
    File(&'static str),
    /// A file of this many bytes, byte `i` being `i % 251`.
    Pattern(usize),
    /// A directory.
    Dir,
    /// A symbolic link to this target (`{root}` stands for the case's
    /// temporary directory).
    Symlink(&'static str),
    /// Nothing (only in [`Case::after`](super::harness::Case::after)).
    Absent,
}

/// The bytes of [`Entry::Pattern`].
pub fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// Creates `entry` at `root/path` (its parent folders too).
pub fn create(root: &Path, path: &str, entry: Entry) {
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    match entry {
        Entry::File(text) => std::fs::write(&full, text).unwrap(),
        Entry::Pattern(len) => std::fs::write(&full, pattern(len)).unwrap(),
        Entry::Dir => std::fs::create_dir_all(&full).unwrap(),
        Entry::Symlink(target) => {
            let target = target.replace("{root}", &root.display().to_string());
            std::os::unix::fs::symlink(target, &full).unwrap()
        }
        Entry::Absent => panic!("`Absent` is for `after`, not `files`"),
    }
}

/// `None` when `root/path` is `expected`, else what it is instead.
pub fn check_entry(root: &Path, path: &str, expected: Entry) -> Option<String> {
    let full = root.join(path);
    let found = match std::fs::symlink_metadata(&full) {
        Err(_) => "nothing".to_string(),
        Ok(m) if m.file_type().is_symlink() => {
            let target = std::fs::read_link(&full).unwrap();
            format!("a symlink to {:?}", target.display().to_string())
        }
        Ok(m) if m.is_dir() => "a directory".to_string(),
        Ok(_) => {
            let bytes = std::fs::read(&full).unwrap();
            match (expected, std::str::from_utf8(&bytes)) {
                (Entry::Pattern(len), _) if bytes == pattern(len) => return None,
                (Entry::Pattern(_), _) | (_, Err(_)) => {
                    format!("a file of {} bytes", bytes.len())
                }
                (_, Ok(text)) => format!("a file holding {text:?}"),
            }
        }
    };
    let wanted = match expected {
        Entry::File(text) => format!("a file holding {text:?}"),
        Entry::Pattern(len) => format!("a file of {len} bytes in the pattern"),
        Entry::Dir => "a directory".to_string(),
        Entry::Symlink(target) => format!(
            "a symlink to {:?}",
            target.replace("{root}", &root.display().to_string())
        ),
        Entry::Absent => "nothing".to_string(),
    };
    (found != wanted).then(|| format!("{path}: expected {wanted}, found {found}"))
}
