//! Running the directives of one script against `wit-host`.
//!
//! A [`Runner`] holds a script's state: the component definitions by name,
//! the live instances (each in its own store, as in wasmtime's runner), the
//! current instance that unnamed `invoke`s use, and a linker into which
//! `register` puts an instance's exported functions so that later
//! components can import them (calls then go guest → host → guest across
//! two stores, which exercises `func_new` lowering and lifting).
//!
//! Each directive yields an [`Outcome`]; nothing a script does ends the run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

use wast::token::Id;
use wast::{QuoteWat, WastDirective, WastExecute, WastInvoke, WastRet, Wat};
use wit_host::{Component, ComponentItem, Engine, Error, Instance, Linker, Store, Val};

use super::values;

/// How many epoch ticks one call or instantiation may run before it is
/// interrupted (see [`super::engine`] for the tick length).
pub(crate) const DEADLINE_TICKS: u64 = 300;

/// The result of one directive: passed (with an optional remark) or failed
/// with a reason.
pub type Outcome = Result<Option<String>, String>;

/// A live instance and the store it lives in.
struct Live {
    /// The store the instance was created in (one per instance).
    store: Store<()>,
    /// The instance.
    instance: Instance,
}

/// A shared handle to a live instance: registered functions call into it
/// from other stores.
type Shared = Arc<Mutex<Live>>;

/// The state of one script run.
pub struct Runner {
    /// The engine every component is compiled with.
    engine: Engine,
    /// Empty at first; `register` adds the functions of instances.
    linker: Linker<()>,
    /// Component definitions by `$name` (`None` for the unnamed one), or why
    /// the definition failed.
    definitions: HashMap<Option<String>, Result<Component, String>>,
    /// Named instances, for `(invoke $name ...)` and `(register "x" $name)`.
    instances: HashMap<String, Shared>,
    /// The most recent instance, or why there is none.
    current: Result<Shared, String>,
    /// wasmtime-compatible mode: named instances' modules and resource
    /// types go into the linker (see [`Runner::reflect`]), and wasmtime's
    /// error messages match wit-host's equivalent ones.
    reflect_named: bool,
}

/// Why an invocation did not return values: it could not be made at all
/// (no instance, no function, bad arguments), or the call failed.
enum CallError {
    /// The call could not be made; the reason.
    Setup(String),
    /// The call was made and failed (a trap or a host error).
    Trap(Error),
}

impl Runner {
    /// A fresh runner using `engine` (which should have epoch interruption
    /// enabled, as [`super::engine`] configures it).
    pub fn new(engine: &Engine) -> Runner {
        let mut linker = Linker::new(engine);
        linker.allow_shadowing(true);
        Runner {
            engine: engine.clone(),
            linker,
            definitions: HashMap::new(),
            instances: HashMap::new(),
            current: Err("no component has been instantiated yet".into()),
            reflect_named: false,
        }
    }

    /// A runner in wasmtime-compatible mode (see
    /// [`super::wasmtime_compat`]): the harness's host items in the
    /// linker, named instances reflected into it.
    pub fn wasmtime(engine: &Engine) -> Result<Runner, String> {
        let mut runner = Runner::new(engine);
        super::wasmtime_compat::link_host_items(&mut runner.linker)
            .map_err(|e| format!("cannot define the harness's host items: {}", chain(&e)))?;
        runner.reflect_named = true;
        Ok(runner)
    }

    /// Defines the core modules and resource types that `live` (an
    /// instance of `component`) exports in the linker, under the instance
    /// name `name`, as wasmtime's harness does with named instances.
    fn reflect(&mut self, name: &str, component: &Component, live: &Shared) -> Result<(), String> {
        let mut guard = lock(live);
        let Live { store, instance } = &mut *guard;
        let mut ns = self.linker.instance(name).map_err(|e| chain(&e))?;
        for (export, item) in component.component_type().exports() {
            match item {
                ComponentItem::Module(_) => {
                    if let Some(module) = instance.get_module(&mut *store, export) {
                        ns.module(export, &module).map_err(|e| chain(&e))?;
                    }
                }
                ComponentItem::Resource(_) => {
                    if let Some(ty) = instance.get_resource(&mut *store, export) {
                        ns.resource(export, ty, |_, _| Ok(()))
                            .map_err(|e| chain(&e))?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Runs one directive that starts at 1-based `line`.
    pub fn directive(&mut self, directive: WastDirective<'_>, line: usize) -> Outcome {
        match directive {
            WastDirective::Module(mut wat) => {
                let name = wat.name().map(|id| id.name().to_string());
                let component = self.compile(&mut wat);
                let component = match component {
                    Ok(c) => c,
                    Err(e) => {
                        self.current =
                            Err(format!("the component at line {line} failed to compile"));
                        return Err(e);
                    }
                };
                self.instantiate(&component, name, line).map(|()| None)
            }
            WastDirective::ModuleDefinition(mut wat) => {
                let name = wat.name().map(|id| id.name().to_string());
                let component = self.compile(&mut wat);
                let stored = component
                    .clone()
                    .map_err(|_| format!("its definition at line {line} failed to compile"));
                self.definitions.insert(name, stored);
                component.map(|_| None)
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let key = module.map(|id| id.name().to_string());
                let component = match self.definitions.get(&key) {
                    Some(Ok(c)) => c.clone(),
                    Some(Err(why)) => {
                        self.current = Err(format!("the instance at line {line} was not created"));
                        return Err(format!(
                            "no component definition {}: {why}",
                            show_id(module)
                        ));
                    }
                    None => {
                        self.current = Err(format!("the instance at line {line} was not created"));
                        return Err(format!("no component definition {}", show_id(module)));
                    }
                };
                let name = instance.map(|id| id.name().to_string());
                self.instantiate(&component, name, line).map(|()| None)
            }
            WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => match self.compile(&mut module) {
                Ok(_) => Err(format!(
                    "expected a malformed component (`{message}`), but it compiled"
                )),
                Err(e) => self.expect_message(message, &e),
            },
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => match self.compile(&mut module) {
                Ok(_) => Err(format!(
                    "expected an invalid component (`{message}`), but it validated"
                )),
                Err(e) => self.expect_message(message, &e),
            },
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let mut wat = QuoteWat::Wat(module);
                let component = self.compile(&mut wat)?;
                let mut store = self.store();
                match self.linker.instantiate(&mut store, &component) {
                    Ok(_) => Err(format!(
                        "expected a link error (`{message}`), but it instantiated"
                    )),
                    Err(e) => self.expect_message(message, &chain(&e)),
                }
            }
            WastDirective::Register { name, module, .. } => {
                self.register(name, module).map(|()| None)
            }
            WastDirective::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(_) => Ok(None),
                Err(CallError::Setup(e)) => Err(e),
                Err(CallError::Trap(e)) => Err(format!("the call failed: {}", chain(&e))),
            },
            WastDirective::AssertReturn { exec, results, .. } => {
                self.assert_return(exec, &results, line)
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                self.assert_trap(exec, message, line)
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                self.assert_trap(WastExecute::Invoke(call), message, line)
            }
            other => Err(format!(
                "directive `{}` is not supported by this runner",
                directive_name(&other)
            )),
        }
    }

    /// Encodes (text to binary) and compiles a component; the error is the
    /// full error chain.
    fn compile(&self, wat: &mut QuoteWat<'_>) -> Result<Component, String> {
        let bytes = wat.encode().map_err(|e| format!("{e}"))?;
        if bytes.len() >= 8 && bytes[..4] == *b"\0asm" && bytes[4..8] == [1, 0, 0, 0] {
            return Err("core modules at the top level are not supported by this runner".into());
        }
        Component::from_binary(&self.engine, &bytes).map_err(|e| chain(&e))
    }

    /// A new store with the call deadline set.
    fn store(&self) -> Store<()> {
        let mut store = Store::new(&self.engine, ());
        store
            .wasmtime_store_mut()
            .set_epoch_deadline(DEADLINE_TICKS);
        store
    }

    /// Instantiates `component` in a new store, makes it current and, if
    /// named, records it by name.
    fn instantiate(
        &mut self,
        component: &Component,
        name: Option<String>,
        line: usize,
    ) -> Result<(), String> {
        let mut store = self.store();
        match self.linker.instantiate(&mut store, component) {
            Ok(instance) => {
                let live = Arc::new(Mutex::new(Live { store, instance }));
                if let Some(name) = name {
                    if self.reflect_named {
                        self.reflect(&name, component, &live)?;
                    }
                    self.instances.insert(name, live.clone());
                }
                self.current = Ok(live);
                Ok(())
            }
            Err(e) => {
                self.current = Err(format!(
                    "the component at line {line} failed to instantiate"
                ));
                Err(format!("instantiation failed: {}", chain(&e)))
            }
        }
    }

    /// The instance `module` names, or the current one.
    fn lookup(&self, module: Option<Id<'_>>) -> Result<Shared, String> {
        match module {
            Some(id) => self
                .instances
                .get(id.name())
                .cloned()
                .ok_or_else(|| format!("no instance named `${}`", id.name())),
            None => self
                .current
                .clone()
                .map_err(|why| format!("no current instance: {why}")),
        }
    }

    /// Defines each exported function of an instance in the linker under
    /// the instance name `name` (`"iface#f"` exports nest as instances), as
    /// host functions that call the instance in its own store.
    fn register(&mut self, name: &str, module: Option<Id<'_>>) -> Result<(), String> {
        let live = self.lookup(module)?;
        let exports = {
            let guard = lock(&live);
            guard
                .instance
                .exports(&guard.store)
                .map_err(|e| format!("cannot list the instance's exports: {}", chain(&e)))?
        };
        for export in exports {
            let mut path: Vec<&str> = export.split('#').collect();
            let Some(func_name) = path.pop() else {
                continue;
            };
            let mut ns = self.linker.instance(name).map_err(|e| chain(&e))?;
            for segment in path {
                ns = ns.into_instance(segment).map_err(|e| chain(&e))?;
            }
            let target = live.clone();
            let export_name = export.clone();
            ns.func_new(func_name, move |_caller, _ty, params: &[Val], results: &mut [Val]| {
                let mut guard = match target.try_lock() {
                    Ok(guard) => guard,
                    Err(TryLockError::Poisoned(p)) => p.into_inner(),
                    Err(TryLockError::WouldBlock) => {
                        return Err(Error::msg(format!(
                            "registered instance is already running (reentrant call to `{export_name}`)"
                        )));
                    }
                };
                let Live { store, instance } = &mut *guard;
                let func = instance.get_func(&mut *store, &export_name).ok_or_else(|| {
                    Error::msg(format!("registered function `{export_name}` disappeared"))
                })?;
                store
                    .wasmtime_store_mut()
                    .set_epoch_deadline(DEADLINE_TICKS);
                func.call(&mut *store, params, results)
            })
            .map_err(|e| chain(&e))?;
        }
        Ok(())
    }

    /// Calls an exported function with the script's arguments.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Vec<Val>, CallError> {
        let live = self.lookup(invoke.module).map_err(CallError::Setup)?;
        let mut guard = lock(&live);
        let Live { store, instance } = &mut *guard;
        let Some(func) = instance.get_func(&mut *store, invoke.name) else {
            let exports = instance.exports(&*store).unwrap_or_default();
            return Err(CallError::Setup(format!(
                "no exported function `{}` (exported functions: {exports:?})",
                invoke.name
            )));
        };
        let params = func.params();
        if params.len() != invoke.args.len() {
            return Err(CallError::Setup(format!(
                "`{}` takes {} argument(s), {} given",
                invoke.name,
                params.len(),
                invoke.args.len()
            )));
        }
        let args = invoke
            .args
            .iter()
            .zip(params)
            .map(|(arg, (name, ty))| {
                values::arg_to_val(arg, ty).map_err(|e| format!("argument `{name}`: {e}"))
            })
            .collect::<Result<Vec<Val>, String>>()
            .map_err(CallError::Setup)?;
        let mut results: Vec<Val> = func.results().iter().map(Val::default_for).collect();
        store
            .wasmtime_store_mut()
            .set_epoch_deadline(DEADLINE_TICKS);
        func.call(&mut *store, &args, &mut results)
            .map_err(CallError::Trap)?;
        Ok(results)
    }

    /// `assert_return`: the call (or instantiation) succeeds with the
    /// expected results.
    fn assert_return(
        &mut self,
        exec: WastExecute<'_>,
        expected: &[WastRet<'_>],
        line: usize,
    ) -> Outcome {
        let actual = match exec {
            WastExecute::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(values) => values,
                Err(CallError::Setup(e)) => return Err(e),
                Err(CallError::Trap(e)) => {
                    return Err(format!(
                        "expected a return, but the call failed: {}",
                        chain(&e)
                    ));
                }
            },
            WastExecute::Wat(wat) => {
                let component = self.compile(&mut QuoteWat::Wat(wat))?;
                self.instantiate(&component, None, line)?;
                Vec::new()
            }
            WastExecute::Get { .. } => {
                return Err("`get` of a global is not supported for components".into());
            }
        };
        if actual.len() != expected.len() {
            return Err(format!(
                "expected {} result(s), got {}: {actual:?}",
                expected.len(),
                actual.len()
            ));
        }
        for (i, (e, a)) in expected.iter().zip(&actual).enumerate() {
            values::match_ret(e, a).map_err(|m| format!("result {i}: {m}"))?;
        }
        Ok(None)
    }

    /// `assert_trap` (and `assert_exhaustion`): the call (or instantiation)
    /// fails, and `message` is part of the error chain.
    fn assert_trap(&mut self, exec: WastExecute<'_>, message: &str, line: usize) -> Outcome {
        match exec {
            WastExecute::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(values) => Err(format!(
                    "expected a trap (`{message}`), but it returned {values:?}"
                )),
                Err(CallError::Setup(e)) => Err(e),
                Err(CallError::Trap(e)) => {
                    // A locked-down instance's refusal quotes the first
                    // trap's message: it must not pass for a new trap.
                    let refused = e.downcast_ref::<wit_host::Trap>()
                        == Some(&wit_host::Trap::CannotEnterComponent);
                    if refused && !message.contains("cannot enter component") {
                        return Err(format!(
                            "expected a trap (`{message}`), but the instance refused the call: {}",
                            chain(&e)
                        ));
                    }
                    self.expect_message(message, &chain(&e))
                }
            },
            WastExecute::Wat(wat) => {
                let component = self.compile(&mut QuoteWat::Wat(wat))?;
                match self.instantiate(&component, None, line) {
                    Ok(()) => Err(format!(
                        "expected instantiation to trap (`{message}`), but it succeeded"
                    )),
                    Err(e) => self.expect_message(message, &e),
                }
            }
            WastExecute::Get { .. } => {
                Err("`get` of a global is not supported for components".into())
            }
        }
    }
}

/// Passes if `expected` is a substring of the error chain `actual`.
impl Runner {
    /// Whether error `actual` is the one a script expects: it contains
    /// the `expected` text or, in wasmtime-compatible mode, says the same
    /// thing as wasmtime's message (see
    /// [`super::wasmtime_compat::same_error`]; a note records it).
    fn expect_message(&self, expected: &str, actual: &str) -> Outcome {
        if actual.contains(expected) {
            return Ok(None);
        }
        if self.reflect_named && super::wasmtime_compat::same_error(expected, actual) {
            return Ok(Some(format!(
                "wasmtime's `{expected}` is wit-host's: {actual}"
            )));
        }
        Err(format!(
            "message mismatch: expected `{expected}`, got: {actual}"
        ))
    }
}

/// The error chain of `err` as `{:?}` shows it (the message, then each
/// cause), without the host stack backtrace that may follow.
pub fn chain(err: &Error) -> String {
    let text = format!("{err:?}");
    match text.find("\nStack backtrace:") {
        Some(end) => text[..end].trim_end().to_string(),
        None => text,
    }
}

/// Locks a live instance; a panic during an earlier call does not make it
/// unusable (the runtime's own state says whether it can be used).
fn lock(live: &Mutex<Live>) -> MutexGuard<'_, Live> {
    live.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `$name` or "(unnamed)", for messages.
fn show_id(id: Option<Id<'_>>) -> String {
    match id {
        Some(id) => format!("`${}`", id.name()),
        None => "(unnamed)".into(),
    }
}

/// The keyword of a directive, for reports.
pub fn directive_name(directive: &WastDirective<'_>) -> &'static str {
    match directive {
        WastDirective::Module(QuoteWat::Wat(Wat::Module(_)) | QuoteWat::QuoteModule(..)) => {
            "module"
        }
        WastDirective::Module(_) => "component",
        WastDirective::ModuleDefinition(_) => "component definition",
        WastDirective::ModuleInstance { .. } => "component instance",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
    }
}
