//! [`DirPerms`] and [`FilePerms`]: what a preopened directory allows.

/// What a guest may do with a preopened directory's entries themselves:
/// list and look up (`READ`), create, remove, rename and link (`MUTATE`).
///
/// ```
/// use wit_host_wasi::DirPerms;
/// let read_only = DirPerms::READ;
/// assert!(DirPerms::all().contains(read_only));
/// assert!(!read_only.contains(DirPerms::MUTATE));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DirPerms(u8);

impl DirPerms {
    /// Nothing.
    pub const NONE: DirPerms = DirPerms(0);
    /// Open, stat and list entries.
    pub const READ: DirPerms = DirPerms(1);
    /// Create, remove, rename and link entries.
    pub const MUTATE: DirPerms = DirPerms(2);

    /// Read and mutate.
    pub const fn all() -> DirPerms {
        DirPerms(3)
    }

    /// Whether every permission of `other` is in `self`.
    pub const fn contains(self, other: DirPerms) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for DirPerms {
    type Output = DirPerms;
    fn bitor(self, rhs: DirPerms) -> DirPerms {
        DirPerms(self.0 | rhs.0)
    }
}

/// What a guest may do with the files beneath a preopened directory:
/// read them (`READ`), write, truncate and set their times (`WRITE`).
///
/// ```
/// use wit_host_wasi::FilePerms;
/// assert!(FilePerms::all().contains(FilePerms::WRITE));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FilePerms(u8);

impl FilePerms {
    /// Nothing.
    pub const NONE: FilePerms = FilePerms(0);
    /// Read file contents.
    pub const READ: FilePerms = FilePerms(1);
    /// Write, truncate, allocate and set times.
    pub const WRITE: FilePerms = FilePerms(2);

    /// Read and write.
    pub const fn all() -> FilePerms {
        FilePerms(3)
    }

    /// Whether every permission of `other` is in `self`.
    pub const fn contains(self, other: FilePerms) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for FilePerms {
    type Output = FilePerms;
    fn bitor(self, rhs: FilePerms) -> FilePerms {
        FilePerms(self.0 | rhs.0)
    }
}
