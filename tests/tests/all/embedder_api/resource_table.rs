//! The `ResourceTable` additions: capacities, `get_any_mut`,
//! `iter_entries`, `iter_mut`, and `add_child` / `remove_child`, whose bad
//! uses are errors.

use std::collections::BTreeMap;

use wit_host::{Resource, ResourceTable, ResourceTableError};

/// A borrowed handle to the entry `r` names, of the same type.
fn again<T: 'static>(r: &Resource<T>) -> Resource<T> {
    Resource::new_borrow(r.rep())
}

/// The default maximum is wasmtime's; a lower one refuses pushes beyond
/// it (children included) until entries are deleted; existing entries
/// stay when it is lowered below them.
#[test]
fn max_capacity_limits_live_entries() {
    let mut table = ResourceTable::with_capacity(4);
    assert_eq!(table.max_capacity(), 1_000_000);
    table.set_max_capacity(2);
    assert_eq!(table.max_capacity(), 2);
    let a = table.push(1u8).unwrap();
    let b = table.push_child(2u8, &a).unwrap();
    assert_eq!(table.push(3u8).err(), Some(ResourceTableError::Full));
    assert_eq!(
        table.push_child(3u8, &a).err(),
        Some(ResourceTableError::Full)
    );
    table.delete(b).unwrap();
    let c = table.push(3u8).unwrap();
    table.set_max_capacity(0);
    assert_eq!(table.len(), 2);
    assert_eq!(*table.get(&c).unwrap(), 3);
    assert_eq!(table.push(4u8).err(), Some(ResourceTableError::Full));
}

/// A huge capacity is not reserved, and not a panic.
#[test]
fn with_capacity_of_any_size_is_fine() {
    let mut table = ResourceTable::with_capacity(usize::MAX);
    assert!(table.is_empty());
    let r = table.push("x").unwrap();
    assert_eq!(*table.get(&r).unwrap(), "x");
}

/// `get_any_mut` reaches an entry by representation whatever its type;
/// stale representations are errors.
#[test]
fn get_any_mut_by_representation() {
    let mut table = ResourceTable::new();
    let r = table.push(String::from("a")).unwrap();
    let rep = r.rep();
    table
        .get_any_mut(rep)
        .unwrap()
        .downcast_mut::<String>()
        .unwrap()
        .push('b');
    assert_eq!(table.get(&r).unwrap(), "ab");
    table.delete(r).unwrap();
    assert_eq!(
        table.get_any_mut(rep).err(),
        Some(ResourceTableError::NotPresent)
    );
}

/// `iter_entries` gives each named entry mutably, in the map's order, with
/// the map's values; absent ones are errors in place.
#[test]
fn iter_entries_gives_several_entries_mutably() {
    let mut table = ResourceTable::new();
    let a = table.push(1u32).unwrap();
    let b = table.push(2u32).unwrap();
    let gone = table.push(3u32).unwrap();
    let gone_rep = gone.rep();
    table.delete(gone).unwrap();
    let map = BTreeMap::from([
        (a.rep(), 10u32),
        (b.rep(), 20),
        (gone_rep, 30),
        (999_999, 40),
    ]);
    let mut seen = Vec::new();
    for (entry, add) in table.iter_entries(map) {
        match entry {
            Ok(v) => *v.downcast_mut::<u32>().unwrap() += add,
            Err(e) => seen.push((add, e)),
        }
    }
    assert_eq!(*table.get(&a).unwrap(), 11);
    assert_eq!(*table.get(&b).unwrap(), 22);
    assert_eq!(
        seen,
        [
            (30, ResourceTableError::NotPresent),
            (40, ResourceTableError::NotPresent)
        ]
    );
}

/// `iter_mut` visits every live entry once.
#[test]
fn iter_mut_visits_every_live_entry() {
    let mut table = ResourceTable::new();
    let mut handles: Vec<_> = (0..5u64).map(|i| table.push(i).unwrap()).collect();
    table.delete(handles.remove(1)).unwrap();
    table.push("not a number").unwrap();
    for v in table.iter_mut() {
        if let Some(n) = v.downcast_mut::<u64>() {
            *n *= 10;
        }
    }
    assert_eq!(table.iter_mut().count(), 5);
    let values: Vec<u64> = handles.iter().map(|h| *table.get(h).unwrap()).collect();
    assert_eq!(values, [0, 20, 30, 40]);
}

/// A child added to a parent keeps it from being deleted until the child
/// is removed from it (and stays in the table) or deleted.
#[test]
fn add_child_and_remove_child() {
    let mut table = ResourceTable::new();
    let dir = table.push("dir").unwrap();
    let file = table.push("file").unwrap();
    table.add_child(again(&file), again(&dir)).unwrap();
    assert_eq!(table.iter_children(&dir).unwrap().count(), 1);
    assert_eq!(
        table.delete(again(&dir)).err(),
        Some(ResourceTableError::HasChildren)
    );
    table.remove_child(again(&file), again(&dir)).unwrap();
    assert_eq!(table.iter_children(&dir).unwrap().count(), 0);
    table.delete(dir).unwrap();
    assert_eq!(*table.get(&file).unwrap(), "file");

    // Added again, then deleted: the parent is free.
    let dir = table.push("dir2").unwrap();
    table.add_child(again(&file), again(&dir)).unwrap();
    table.delete(file).unwrap();
    table.delete(dir).unwrap();
    assert!(table.is_empty());
}

/// Adding a child that has a parent, making an entry its own ancestor,
/// removing a child from another parent, and stale handles are errors.
#[test]
fn bad_child_operations_are_errors() {
    let mut table = ResourceTable::new();
    let a = table.push(1u8).unwrap();
    let b = table.push_child(2u8, &a).unwrap();
    let c = table.push(3u8).unwrap();
    assert_eq!(
        table.add_child(again(&b), again(&c)).err(),
        Some(ResourceTableError::HasParent)
    );
    assert_eq!(
        table.add_child(again(&a), again(&b)).err(),
        Some(ResourceTableError::WouldCycle)
    );
    assert_eq!(
        table.add_child(again(&c), again(&c)).err(),
        Some(ResourceTableError::WouldCycle)
    );
    assert_eq!(
        table.remove_child(again(&b), again(&c)).err(),
        Some(ResourceTableError::NotChild)
    );
    assert_eq!(
        table.remove_child(again(&c), again(&a)).err(),
        Some(ResourceTableError::NotChild)
    );
    let stale = again(&c);
    table.delete(c).unwrap();
    assert_eq!(
        table.add_child(again(&stale), again(&a)).err(),
        Some(ResourceTableError::NotPresent)
    );
    assert_eq!(
        table.add_child(again(&a), stale).err(),
        Some(ResourceTableError::NotPresent)
    );
    // Nothing changed: `b` is still `a`'s only child.
    assert_eq!(table.iter_children(&a).unwrap().count(), 1);
    assert_eq!(
        ResourceTableError::WouldCycle.to_string(),
        "resource cannot become a child of itself or of its own descendant"
    );
}
