//! [`ResourceType`]: the run-time identity of a resource type.
//!
//! Resource types are nominal. A host resource type is identified by its
//! Rust type ([`ResourceType::host`]) or, for types the host makes at run
//! time, by a number ([`ResourceType::host_dynamic`]); a resource type a component defines
//! is new for every instantiation, so it is identified by the store, the
//! instance and its index in the component.

use std::any::TypeId;
use std::fmt;
use std::sync::Arc;

/// The run-time identity of a resource type.
///
/// ```
/// use wit_host::ResourceType;
/// struct Logger;
/// assert_eq!(ResourceType::host::<Logger>(), ResourceType::host::<Logger>());
/// assert_ne!(ResourceType::host::<Logger>(), ResourceType::host::<u32>());
/// ```
#[derive(Clone)]
pub struct ResourceType {
    kind: Kind,
    name: Arc<str>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Kind {
    Host(TypeId),
    HostDynamic(u32),
    Guest {
        store: u64,
        instance: usize,
        index: u32,
    },
}

impl ResourceType {
    /// The resource type that host type `T` stands for.
    pub fn host<T: 'static>() -> ResourceType {
        ResourceType {
            kind: Kind::Host(TypeId::of::<T>()),
            name: std::any::type_name::<T>().into(),
        }
    }

    /// The host resource type numbered `payload`, for hosts that make
    /// resource types at run time (one per plugin-defined class, say)
    /// rather than one per Rust type. Two such types are the same type
    /// exactly when their payloads are equal, and never the same as a
    /// [`ResourceType::host`] type. Their handles are
    /// [`ResourceDynamic`](crate::ResourceDynamic)s (or
    /// [`ResourceAny`](crate::ResourceAny)s).
    ///
    /// ```
    /// use wit_host::ResourceType;
    /// assert_eq!(ResourceType::host_dynamic(1), ResourceType::host_dynamic(1));
    /// assert_ne!(ResourceType::host_dynamic(1), ResourceType::host_dynamic(2));
    /// assert_ne!(ResourceType::host_dynamic(1), ResourceType::host::<u32>());
    /// ```
    pub fn host_dynamic(payload: u32) -> ResourceType {
        ResourceType {
            kind: Kind::HostDynamic(payload),
            name: format!("host-dynamic-{payload}").into(),
        }
    }

    /// The payload of a [`ResourceType::host_dynamic`] type; `None` for
    /// other resource types.
    pub fn as_host_dynamic(&self) -> Option<u32> {
        match self.kind {
            Kind::HostDynamic(payload) => Some(payload),
            _ => None,
        }
    }

    /// A resource type defined by a component instance.
    pub(crate) fn guest(store: u64, instance: usize, index: u32, name: Arc<str>) -> Self {
        ResourceType {
            kind: Kind::Guest {
                store,
                instance,
                index,
            },
            name,
        }
    }

    /// Whether this is the resource type of host type `T`.
    pub fn is_host<T: 'static>(&self) -> bool {
        self.kind == Kind::Host(TypeId::of::<T>())
    }

    /// A name for messages: the Rust type for host resources, the
    /// component's name for guest resources.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl PartialEq for ResourceType {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

impl Eq for ResourceType {}

impl std::hash::Hash for ResourceType {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.kind.hash(state)
    }
}

impl fmt::Debug for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Host(_) | Kind::HostDynamic(_) => write!(f, "host resource `{}`", self.name),
            Kind::Guest { .. } => write!(f, "guest resource `{}`", self.name),
        }
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}
