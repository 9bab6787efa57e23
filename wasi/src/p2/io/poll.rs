//! `wasi:io/poll`: pollables and `poll`.
//!
//! Everything a guest can wait on says *when* it will be ready as a
//! [`Readiness`]: now, at a deadline of the monotonic clock, or when a file
//! descriptor (stdin, a socket) becomes readable or writable. `poll` gathers
//! those of its list, sleeps in one `poll(2)` call until the nearest
//! deadline or the first ready descriptor, and returns every ready index.
//! No threads, no busy waiting.
//!
//! A pollable that watches a stream or socket is that resource's child in
//! the [`ResourceTable`](wit_host::ResourceTable), so the resource cannot
//! be dropped while its pollable lives (the drop traps).

use std::any::Any;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags};
use wit_host::{Resource, Result, bail};

use crate::p2::bindings::wasi::io::poll::{Host, HostPollable};
use crate::view::WasiCtxView;

/// A file descriptor `poll` can wait on, shared with the resource that
/// owns it so that it stays open while it is waited on.
pub type SharedFd = Arc<dyn AsFd + Send + Sync>;

/// Which readiness of a file descriptor is awaited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interest {
    /// Bytes (or a connection, or end of file) to read.
    Read,
    /// Room to write.
    Write,
}

/// When a pollable will be ready.
#[derive(Clone)]
pub enum Readiness {
    /// Now.
    Ready,
    /// At this instant of the monotonic clock.
    At(Instant),
    /// When this descriptor is ready for this interest.
    Fd(SharedFd, Interest),
}

impl std::fmt::Debug for Readiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Readiness::Ready => f.write_str("Ready"),
            Readiness::At(t) => f.debug_tuple("At").field(t).finish(),
            Readiness::Fd(fd, i) => f.debug_tuple("Fd").field(&fd.as_fd()).field(i).finish(),
        }
    }
}

/// Something a guest can wait on through a `pollable`.
///
/// Implementations report [`Readiness::Ready`] only when the operation the
/// pollable stands for would make progress now (return bytes, accept a
/// write, or fail), so that waiting never spins.
pub trait Pollable: Send + 'static {
    /// When it will be ready.
    fn readiness(&mut self) -> Readiness;
}

/// A deadline of the monotonic clock (`subscribe-instant`,
/// `subscribe-duration`).
pub struct Deadline(pub Instant);

impl Pollable for Deadline {
    fn readiness(&mut self) -> Readiness {
        Readiness::At(self.0)
    }
}

/// The host side of a guest's `pollable`: what it watches.
pub struct DynPollable {
    source: Source,
}

enum Source {
    /// It owns what it watches (a timer).
    Own(Box<dyn Pollable>),
    /// It watches its parent in the table (a stream or socket).
    Parent {
        rep: u32,
        readiness: fn(&mut dyn Any) -> Option<Readiness>,
    },
}

impl DynPollable {
    /// A pollable that owns what it watches.
    pub fn new(pollable: impl Pollable) -> DynPollable {
        DynPollable {
            source: Source::Own(Box::new(pollable)),
        }
    }
}

/// A pollable for `resource`, pushed into the table as its child.
pub fn subscribe<T: Pollable>(
    view: &mut WasiCtxView<'_>,
    resource: &Resource<T>,
) -> Result<Resource<DynPollable>> {
    fn readiness<T: Pollable>(value: &mut dyn Any) -> Option<Readiness> {
        value.downcast_mut::<T>().map(T::readiness)
    }
    view.ctx.limits.check_table(view.table)?;
    let pollable = DynPollable {
        source: Source::Parent {
            rep: resource.rep(),
            readiness: readiness::<T>,
        },
    };
    Ok(view.table.push_child(pollable, resource)?)
}

/// The readiness of the pollable `rep`.
fn readiness_of(view: &mut WasiCtxView<'_>, pollable: &Resource<DynPollable>) -> Result<Readiness> {
    let (parent, check) = match &mut view.table.get_mut(pollable)?.source {
        Source::Own(p) => return Ok(p.readiness()),
        Source::Parent { rep, readiness } => (*rep, *readiness),
    };
    let parent = view.table.get_any_mut(parent)?;
    match check(parent) {
        Some(r) => Ok(r),
        None => bail!("pollable's resource has another type than when it was subscribed"),
    }
}

/// Waits until `readiness` is reached.
pub fn wait(readiness: Readiness) -> Result<()> {
    match readiness {
        Readiness::Ready => Ok(()),
        Readiness::At(t) => {
            let now = Instant::now();
            if t > now {
                std::thread::sleep(t - now);
            }
            Ok(())
        }
        Readiness::Fd(fd, interest) => {
            let mut fds = [PollFd::from_borrowed_fd(fd.as_fd(), flags(interest))];
            poll_fds(&mut fds, None)?;
            Ok(())
        }
    }
}

fn flags(interest: Interest) -> PollFlags {
    match interest {
        Interest::Read => PollFlags::IN,
        Interest::Write => PollFlags::OUT,
    }
}

/// `poll(2)` with a timeout (`None`: forever), retried on `EINTR`.
fn poll_fds(fds: &mut [PollFd<'_>], timeout: Option<Duration>) -> Result<usize> {
    // A timeout too long for a `timespec` is as good as forever.
    let timeout = timeout.and_then(|d| rustix::fs::Timespec::try_from(d).ok());
    loop {
        match rustix::event::poll(fds, timeout.as_ref()) {
            Ok(n) => return Ok(n),
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => bail!("poll(2) failed: {e}"),
        }
    }
}

/// The indices of `pollables` ready now, waiting for at least one.
pub fn poll_list(
    view: &mut WasiCtxView<'_>,
    pollables: &[Resource<DynPollable>],
) -> Result<Vec<u32>> {
    if pollables.is_empty() {
        bail!("poll: the list of pollables is empty, so it would wait forever");
    }
    if u32::try_from(pollables.len()).is_err() {
        bail!("poll: more than 2^32 pollables");
    }
    let mut states = Vec::with_capacity(pollables.len());
    for p in pollables {
        states.push(readiness_of(view, p)?);
    }
    loop {
        let now = Instant::now();
        let mut ready = Vec::new();
        let mut nearest: Option<Instant> = None;
        let mut waiting = Vec::new();
        for (i, state) in states.iter().enumerate() {
            match state {
                Readiness::Ready => ready.push(i as u32),
                Readiness::At(t) if *t <= now => ready.push(i as u32),
                Readiness::At(t) => nearest = Some(nearest.map_or(*t, |n| n.min(*t))),
                Readiness::Fd(fd, interest) => waiting.push((i as u32, fd, *interest)),
            }
        }
        if !ready.is_empty() {
            return Ok(ready);
        }
        let timeout = nearest.map(|t| t.saturating_duration_since(now));
        let mut fds: Vec<PollFd<'_>> = waiting
            .iter()
            .map(|(_, fd, interest)| PollFd::from_borrowed_fd(fd.as_fd(), flags(*interest)))
            .collect();
        if fds.is_empty() {
            // Only timers: sleep until the nearest (there is one, since
            // the list is not empty and nothing is ready).
            std::thread::sleep(timeout.unwrap_or_default());
            continue;
        }
        poll_fds(&mut fds, timeout)?;
        let mut ready: Vec<u32> = fds
            .iter()
            .zip(&waiting)
            .filter(|(fd, _)| !fd.revents().is_empty())
            .map(|(_, (i, _, _))| *i)
            .collect();
        let now = Instant::now();
        for (i, state) in states.iter().enumerate() {
            if matches!(state, Readiness::At(t) if *t <= now) {
                ready.push(i as u32);
            }
        }
        if !ready.is_empty() {
            ready.sort_unstable();
            return Ok(ready);
        }
    }
}

impl Host for WasiCtxView<'_> {
    fn poll(&mut self, in_: Vec<Resource<DynPollable>>) -> Result<Vec<u32>> {
        poll_list(self, &in_)
    }
}

impl HostPollable for WasiCtxView<'_> {
    fn ready(&mut self, self_: Resource<DynPollable>) -> Result<bool> {
        Ok(match readiness_of(self, &self_)? {
            Readiness::Ready => true,
            Readiness::At(t) => t <= Instant::now(),
            Readiness::Fd(fd, interest) => {
                let mut fds = [PollFd::from_borrowed_fd(fd.as_fd(), flags(interest))];
                poll_fds(&mut fds, Some(Duration::ZERO))? > 0
            }
        })
    }

    fn block(&mut self, self_: Resource<DynPollable>) -> Result<()> {
        let readiness = readiness_of(self, &self_)?;
        wait(readiness)
    }

    fn drop(&mut self, rep: Resource<DynPollable>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WasiCtx;
    use crate::p2::bindings::wasi::clocks::monotonic_clock::Host as _;
    use crate::p2::bindings::wasi::io::streams::HostInputStream;
    use crate::p2::pipe::MemoryInputPipe;
    use crate::p2::{DynInputStream, InputStream};
    use wit_host::ResourceTable;

    fn view_of<'a>(ctx: &'a mut WasiCtx, table: &'a mut ResourceTable) -> WasiCtxView<'a> {
        WasiCtxView { ctx, table }
    }

    #[test]
    fn poll_of_an_empty_list_traps() {
        let (mut ctx, mut table) = (WasiCtx::default(), ResourceTable::new());
        let mut view = view_of(&mut ctx, &mut table);
        let err = view.poll(Vec::new()).unwrap_err();
        assert!(
            err.to_string().contains("list of pollables is empty"),
            "{err}"
        );
    }

    #[test]
    fn poll_returns_every_ready_index_and_waits_for_the_nearest_timer() {
        let (mut ctx, mut table) = (WasiCtx::default(), ResourceTable::new());
        let mut view = view_of(&mut ctx, &mut table);
        let later = view.subscribe_duration(60_000_000_000).unwrap();
        let soon = view.subscribe_duration(20_000_000).unwrap();
        let now = view.subscribe_duration(0).unwrap();
        let again = view.subscribe_duration(0).unwrap();
        let list = |v: &[&Resource<DynPollable>]| {
            v.iter()
                .map(|r| Resource::new_borrow(r.rep()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            view.poll(list(&[&later, &now, &soon, &again])).unwrap(),
            [1, 3]
        );
        let start = Instant::now();
        assert_eq!(view.poll(list(&[&later, &soon])).unwrap(), [1]);
        assert!(start.elapsed() >= Duration::from_millis(15));
        assert!(!view.ready(Resource::new_borrow(later.rep())).unwrap());
        for p in [later, soon, now, again] {
            HostPollable::drop(&mut view, p).unwrap();
        }
        assert!(view.table.is_empty());
    }

    #[test]
    fn a_stream_with_a_live_pollable_cannot_be_dropped() {
        let (mut ctx, mut table) = (WasiCtx::default(), ResourceTable::new());
        let mut view = view_of(&mut ctx, &mut table);
        let stream: DynInputStream = Box::new(MemoryInputPipe::new("x"));
        let stream = view.push(stream).unwrap();
        let pollable =
            HostInputStream::subscribe(&mut view, Resource::new_borrow(stream.rep())).unwrap();
        assert!(view.ready(Resource::new_borrow(pollable.rep())).unwrap());
        let err = HostInputStream::drop(&mut view, Resource::new_own(stream.rep())).unwrap_err();
        assert!(err.to_string().contains("children"), "{err}");
        HostPollable::drop(&mut view, pollable).unwrap();
        HostInputStream::drop(&mut view, stream).unwrap();
    }

    /// An input stream that becomes readable when a pipe has bytes.
    struct PipeReader(Arc<std::io::PipeReader>);

    impl InputStream for PipeReader {
        fn read(&mut self, _size: usize) -> crate::p2::StreamResult<Vec<u8>> {
            Ok(Vec::new())
        }
        fn readiness(&mut self) -> Readiness {
            Readiness::Fd(self.0.clone(), Interest::Read)
        }
    }

    #[test]
    fn poll_wakes_when_a_descriptor_becomes_readable() {
        use std::io::Write;
        let (reader, mut writer) = std::io::pipe().unwrap();
        let (mut ctx, mut table) = (WasiCtx::default(), ResourceTable::new());
        let mut view = view_of(&mut ctx, &mut table);
        let stream: DynInputStream = Box::new(PipeReader(Arc::new(reader)));
        let stream = view.push(stream).unwrap();
        let readable =
            HostInputStream::subscribe(&mut view, Resource::new_borrow(stream.rep())).unwrap();
        let timer = view.subscribe_duration(30_000_000_000).unwrap();
        assert!(!view.ready(Resource::new_borrow(readable.rep())).unwrap());
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            writer.write_all(b"!").unwrap();
        });
        let ready = view
            .poll(vec![
                Resource::new_borrow(timer.rep()),
                Resource::new_borrow(readable.rep()),
            ])
            .unwrap();
        assert_eq!(ready, [1]);
        writer.join().unwrap();
    }
}
