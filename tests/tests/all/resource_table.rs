//! `ResourceTable` through the public API: pushing, reading, mutating and
//! deleting entries; parent/child entries; and stale, foreign and
//! wrongly-typed handles, which are errors and never another entry's data.

use wit_host::{Resource, ResourceTable, ResourceTableError};

#[derive(Debug, PartialEq)]
struct File {
    name: String,
}

#[derive(Debug, PartialEq)]
struct Dir(&'static str);

fn file(name: &str) -> File {
    File {
        name: name.to_string(),
    }
}

/// `push` returns an owned handle through which `get` reads the value.
#[test]
fn push_then_get_returns_the_value() {
    let mut table = ResourceTable::new();
    let a = table.push(file("a.txt")).unwrap();
    assert!(a.owned());
    assert_eq!(table.get(&a).unwrap().name, "a.txt");
}

/// Entries are independent: each handle reads its own value.
#[test]
fn each_handle_names_its_own_entry() {
    let mut table = ResourceTable::new();
    let a = table.push(file("a")).unwrap();
    let b = table.push(file("b")).unwrap();
    let n = table.push(7u64).unwrap();
    assert_ne!(a.rep(), b.rep());
    assert_eq!(table.get(&a).unwrap().name, "a");
    assert_eq!(table.get(&b).unwrap().name, "b");
    assert_eq!(*table.get(&n).unwrap(), 7);
}

/// `get_mut` changes the entry in place.
#[test]
fn get_mut_changes_the_entry() {
    let mut table = ResourceTable::new();
    let a = table.push(file("a")).unwrap();
    table.get_mut(&a).unwrap().name.push_str(".bak");
    assert_eq!(table.get(&a).unwrap().name, "a.bak");
}

/// `delete` returns the value and empties the table.
#[test]
fn delete_returns_the_value() {
    let mut table = ResourceTable::new();
    let a = table.push(file("a")).unwrap();
    assert_eq!(table.delete(a).unwrap(), file("a"));
    assert!(table.is_empty());
}

/// A handle rebuilt from the representation works like the original: the
/// representation is all the guest keeps.
#[test]
fn a_handle_rebuilt_from_its_rep_reaches_the_entry() {
    let mut table = ResourceTable::new();
    let a = table.push(file("a")).unwrap();
    let borrowed = Resource::<File>::new_borrow(a.rep());
    assert!(!borrowed.owned());
    assert_eq!(table.get(&borrowed).unwrap().name, "a");
}

/// After `delete`, a copy of the handle is `NotPresent`, for every
/// operation.
#[test]
fn a_deleted_handle_is_not_present() {
    let mut table = ResourceTable::new();
    let a = table.push(file("a")).unwrap();
    let stale = Resource::<File>::new_own(a.rep());
    table.delete(a).unwrap();
    assert_eq!(
        table.get(&stale).err(),
        Some(ResourceTableError::NotPresent)
    );
    assert_eq!(
        table.get_mut(&stale).err(),
        Some(ResourceTableError::NotPresent)
    );
    assert_eq!(
        table.delete(Resource::<File>::new_own(stale.rep())).err(),
        Some(ResourceTableError::NotPresent)
    );
}

/// A stale handle does not reach the entry that reused its slot, even
/// after many reuses.
#[test]
fn a_stale_handle_does_not_reach_the_entry_reusing_its_slot() {
    let mut table = ResourceTable::new();
    let first = table.push(file("first")).unwrap();
    let stale = Resource::<File>::new_own(first.rep());
    table.delete(first).unwrap();
    for i in 0..100 {
        let next = table.push(file(&format!("gen {i}"))).unwrap();
        assert_eq!(
            table.get(&stale).err(),
            Some(ResourceTableError::NotPresent)
        );
        assert_eq!(table.get(&next).unwrap().name, format!("gen {i}"));
        table.delete(next).unwrap();
    }
}

/// A representation the table never handed out is `NotPresent`.
#[test]
fn a_never_issued_handle_is_not_present() {
    let mut table = ResourceTable::new();
    table.push(file("a")).unwrap();
    for rep in [1, 2, 1000, u32::MAX] {
        assert_eq!(
            table.get(&Resource::<File>::new_own(rep)).err(),
            Some(ResourceTableError::NotPresent),
            "rep {rep}"
        );
    }
}

/// A handle typed as another Rust type is `WrongType`, and the entry is
/// not deleted by a wrongly-typed `delete`.
#[test]
fn a_handle_of_another_type_is_wrong_type() {
    let mut table = ResourceTable::new();
    let a = table.push(file("a")).unwrap();
    let wrong = Resource::<Dir>::new_own(a.rep());
    assert_eq!(table.get(&wrong).err(), Some(ResourceTableError::WrongType));
    assert_eq!(
        table.get_mut(&wrong).err(),
        Some(ResourceTableError::WrongType)
    );
    assert_eq!(
        table.delete(Resource::<Dir>::new_own(a.rep())).err(),
        Some(ResourceTableError::WrongType)
    );
    assert_eq!(table.get(&a).unwrap().name, "a");
}

/// `push_child` links a child to its parent: `iter_children` lists the
/// children's values, in insertion order.
#[test]
fn iter_children_lists_the_children() {
    let mut table = ResourceTable::new();
    let dir = table.push(Dir("home")).unwrap();
    table.push_child(file("a"), &dir).unwrap();
    table.push_child(file("b"), &dir).unwrap();
    let names: Vec<&str> = table
        .iter_children(&dir)
        .unwrap()
        .map(|child| child.downcast_ref::<File>().unwrap().name.as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);
}

/// A child is an entry like any other: readable and deletable through its
/// own handle.
#[test]
fn a_child_is_an_ordinary_entry() {
    let mut table = ResourceTable::new();
    let dir = table.push(Dir("home")).unwrap();
    let child = table.push_child(file("a"), &dir).unwrap();
    assert_eq!(table.get(&child).unwrap().name, "a");
    assert_eq!(table.delete(child).unwrap(), file("a"));
    assert_eq!(table.iter_children(&dir).unwrap().count(), 0);
}

/// A parent cannot be deleted while it has children; after they are gone
/// it can.
#[test]
fn a_parent_outlives_its_children() {
    let mut table = ResourceTable::new();
    let dir = table.push(Dir("home")).unwrap();
    let child = table.push_child(file("a"), &dir).unwrap();
    assert_eq!(
        table.delete(Resource::<Dir>::new_own(dir.rep())).err(),
        Some(ResourceTableError::HasChildren)
    );
    table.delete(child).unwrap();
    assert_eq!(table.delete(dir).unwrap(), Dir("home"));
    assert!(table.is_empty());
}

/// `push_child` under a deleted (stale) parent is `NotPresent`, and adds
/// nothing.
#[test]
fn push_child_under_a_stale_parent_is_not_present() {
    let mut table = ResourceTable::new();
    let dir = table.push(Dir("gone")).unwrap();
    let stale = Resource::<Dir>::new_own(dir.rep());
    table.delete(dir).unwrap();
    assert_eq!(
        table.push_child(file("a"), &stale).err(),
        Some(ResourceTableError::NotPresent)
    );
    assert!(table.is_empty());
}

/// `iter_children` of a stale handle is `NotPresent`.
#[test]
fn iter_children_of_a_stale_parent_is_not_present() {
    let mut table = ResourceTable::new();
    let dir = table.push(Dir("gone")).unwrap();
    let stale = Resource::<Dir>::new_own(dir.rep());
    table.delete(dir).unwrap();
    assert!(matches!(
        table.iter_children(&stale),
        Err(ResourceTableError::NotPresent)
    ));
}

/// The errors say what went wrong, and are `std::error::Error`s (so `?`
/// turns them into `wit_host::Error`).
#[test]
fn table_errors_describe_themselves() {
    let as_error: wit_host::Error = ResourceTableError::NotPresent.into();
    assert!(format!("{as_error}").contains("not present"));
    assert!(
        ResourceTableError::WrongType
            .to_string()
            .contains("another type")
    );
    assert!(
        ResourceTableError::HasChildren
            .to_string()
            .contains("children")
    );
    assert!(ResourceTableError::Full.to_string().contains("full"));
}
