//! `ResourceAny` and `Resource<T>` on the host side, without a guest:
//! converting between them (owned and borrowed), the type and ownership a
//! `ResourceAny` reports, and the errors for the wrong type, a spent
//! handle, and a handle from another store.

use crate::common::{assert_contains_all, message};
use wit_host::{Engine, Resource, ResourceType, Store};

struct Logger;
struct Socket;

fn store() -> Store<()> {
    Store::new(&Engine::default(), ())
}

/// An owned `Resource<T>` becomes an owned `ResourceAny` of `T`'s host
/// type, and converts back to the same representation.
#[test]
fn an_owned_resource_round_trips_through_resource_any() {
    let mut store = store();
    let any = Resource::<Logger>::new_own(7)
        .try_into_resource_any(&mut store)
        .unwrap();
    assert!(any.owned());
    assert_eq!(any.ty(), Some(&ResourceType::host::<Logger>()));
    let back = Resource::<Logger>::try_from_resource_any(any, &mut store).unwrap();
    assert_eq!(back, Resource::new_own(7));
    assert!(back.owned());
}

/// A borrowed `Resource<T>` stays a borrow through the round trip.
#[test]
fn a_borrowed_resource_round_trips_through_resource_any() {
    let mut store = store();
    let any = Resource::<Logger>::new_borrow(3)
        .try_into_resource_any(&mut store)
        .unwrap();
    assert!(!any.owned());
    let back = Resource::<Logger>::try_from_resource_any(any, &mut store).unwrap();
    assert_eq!(back, Resource::new_borrow(3));
    assert!(!back.owned());
}

/// Converting to the wrong `T` is an error naming both types, and leaves
/// the `ResourceAny` usable.
#[test]
fn converting_to_another_host_type_is_an_error() {
    let mut store = store();
    let any = Resource::<Logger>::new_own(1)
        .try_into_resource_any(&mut store)
        .unwrap();
    let err = Resource::<Socket>::try_from_resource_any(any.clone(), &mut store).unwrap_err();
    assert_contains_all(
        &message(&err),
        &[
            "resource of type `",
            "::Logger` cannot be used as `",
            "::Socket`",
        ],
    );
    let back = Resource::<Logger>::try_from_resource_any(any, &mut store).unwrap();
    assert_eq!(back.rep(), 1);
}

/// Converting a `ResourceAny` back consumes its entry: a copy of it is
/// spent.
#[test]
fn a_converted_resource_any_is_spent() {
    let mut store = store();
    let any = Resource::<Logger>::new_own(1)
        .try_into_resource_any(&mut store)
        .unwrap();
    Resource::<Logger>::try_from_resource_any(any.clone(), &mut store).unwrap();
    let err = Resource::<Logger>::try_from_resource_any(any, &mut store).unwrap_err();
    assert_contains_all(&message(&err), &["already dropped"]);
}

/// `resource_drop` of a host-made `ResourceAny` succeeds once; the handle
/// is spent afterwards.
#[test]
fn a_dropped_resource_any_is_spent() {
    let mut store = store();
    let any = Resource::<Logger>::new_own(1)
        .try_into_resource_any(&mut store)
        .unwrap();
    any.clone().resource_drop(&mut store).unwrap();
    let err = any.resource_drop(&mut store).unwrap_err();
    assert_contains_all(&message(&err), &["already dropped"]);
}

/// Every conversion makes a distinct handle, even for the same
/// representation: dropping one leaves the other.
#[test]
fn two_conversions_of_one_rep_are_distinct_handles() {
    let mut store = store();
    let a = Resource::<Logger>::new_own(5)
        .try_into_resource_any(&mut store)
        .unwrap();
    let b = Resource::<Logger>::new_own(5)
        .try_into_resource_any(&mut store)
        .unwrap();
    assert_ne!(a, b);
    a.resource_drop(&mut store).unwrap();
    assert_eq!(
        Resource::<Logger>::try_from_resource_any(b, &mut store)
            .unwrap()
            .rep(),
        5
    );
}

/// A `ResourceAny` of one store is rejected by another.
#[test]
fn a_resource_any_of_another_store_is_rejected() {
    let mut first = store();
    let mut second = store();
    let any = Resource::<Logger>::new_own(1)
        .try_into_resource_any(&mut first)
        .unwrap();
    let err = Resource::<Logger>::try_from_resource_any(any.clone(), &mut second).unwrap_err();
    assert_contains_all(&message(&err), &["store it does not belong to"]);
    let err = any.resource_drop(&mut second).unwrap_err();
    assert_contains_all(&message(&err), &["store it does not belong to"]);
}

/// Host resource types are identified by their Rust type.
#[test]
fn host_resource_types_are_identified_by_rust_type() {
    let logger = ResourceType::host::<Logger>();
    assert_eq!(logger, ResourceType::host::<Logger>());
    assert_ne!(logger, ResourceType::host::<Socket>());
    assert!(logger.is_host::<Logger>());
    assert!(!logger.is_host::<Socket>());
    assert!(logger.name().ends_with("Logger"), "{}", logger.name());
}
