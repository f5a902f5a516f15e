//! Cycle collection for runtime objects.
//!
//! Runtime objects are reference-counted, and references can form cycles that counting alone
//! never frees. The common one: an instance owns a table, the table holds a `funcref` to one of
//! the instance's own functions (every module with an element segment), and that function
//! holds its instance. Such an instance would keep its memory (and address-space reservation)
//! forever.
//!
//! The collector works by trial deletion over the graph of *containers* (instances, tables,
//! globals) and function references:
//! 1. Every instance, table and global registers itself (weakly) when it is created.
//! 2. A collection walks the edges between these nodes (instance → its tables, globals,
//!    imported functions and element segments; table/global → the functions they hold; wasm
//!    function → its instance) and counts, for each node, the references that come from
//!    other nodes.
//! 3. A node whose strong count exceeds its internal references is held from outside the
//!    graph (a JS wrapper, a running call's roots, an embedder handle): it is a root.
//! 4. Everything reachable from a root is live. The contents of every other container are
//!    cleared, which breaks the cycles; the objects are then freed by ordinary counting.
//!
//! Every cycle passes through a table, a global or an element segment (an instance's imports
//! are fixed before it exists, so they cannot point back at it), so clearing unreachable
//! containers is enough.
//!
//! A collection visits every registered object, so it must not run more often than the objects
//! it visits pay for: it runs when the number of registered objects has doubled since the last
//! one, when the embedder has released at least half as many handles as the last collection
//! found objects held from outside (its roots; at least [`RELEASE_BATCH`]), or on
//! [`collect_cycles`]. Each object is
//! then visited a constant number of times on average, so freeing N objects costs O(N)
//! (releasing N instances one by one used to run a full collection every 32 releases: O(N²)).
//! [`collector_work`] counts the visits (for tests).

mod gc_objects;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use super::func::{FuncInst, FuncRef};
use super::global::GlobalInner;
use super::instance::InstanceInner;
use super::table::TableInner;
use crate::runtime::Val;
use crate::value::AnyRef;

/// The fewest registered objects at which an automatic collection runs.
const MIN_THRESHOLD: usize = 256;

#[derive(Default)]
struct Registry {
    instances: Vec<Weak<InstanceInner>>,
    tables: Vec<Weak<TableInner>>,
    globals: Vec<Weak<GlobalInner>>,
    /// Collect when the registry holds this many entries (live or dead).
    threshold: usize,
    /// Collect when the embedder has released this many handles since the last collection.
    release_threshold: usize,
}

impl Registry {
    fn len(&self) -> usize {
        self.instances.len() + self.tables.len() + self.globals.len()
    }
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry {
        threshold: MIN_THRESHOLD,
        release_threshold: RELEASE_BATCH,
        ..Default::default()
    });
}

/// Registers a new instance with the collector.
pub(crate) fn register_instance(inst: &Rc<InstanceInner>) {
    REGISTRY.with(|r| r.borrow_mut().instances.push(Rc::downgrade(inst)));
}

/// Registers a new table with the collector.
pub(crate) fn register_table(table: &Rc<TableInner>) {
    REGISTRY.with(|r| r.borrow_mut().tables.push(Rc::downgrade(table)));
}

/// Registers a new global with the collector.
pub(crate) fn register_global(global: &Rc<GlobalInner>) {
    REGISTRY.with(|r| r.borrow_mut().globals.push(Rc::downgrade(global)));
}

/// The fewest embedder releases after which a collection runs (see [`note_release`]).
const RELEASE_BATCH: usize = 32;

thread_local! {
    /// Embedder handles released since the last collection.
    static RELEASES: Cell<usize> = const { Cell::new(0) };
    /// Objects visited by collections on this thread (see [`collector_work`]).
    static WORK: Cell<u64> = const { Cell::new(0) };
}

/// Tells the collector that the embedder dropped a handle to an instance, table, global or
/// function (for the binding: a JS wrapper was garbage-collected). A collection runs once the
/// releases since the last one reach half the number of roots that collection found (objects
/// held from outside; at least [`RELEASE_BATCH`]), so cyclic garbage is freed even when no new
/// objects are created, and the cost per release stays constant on average. (The handle being
/// dropped may still be alive during this call; it is seen by the next collection.)
pub fn note_release() {
    let n = RELEASES.with(|r| {
        let n = r.get() + 1;
        r.set(n);
        n
    });
    let due = REGISTRY.with(|r| r.try_borrow().map(|r| n >= r.release_threshold).unwrap_or(false));
    if due {
        collect_cycles();
    }
}

/// How many objects the collections of this thread have visited so far (registered objects and
/// the function references between them). Lets tests check that the collector's work grows
/// linearly with the objects released.
pub fn collector_work() -> u64 {
    WORK.with(Cell::get)
}

/// Runs a collection if enough objects were created since the last one.
pub(crate) fn maybe_collect() {
    let due = REGISTRY.with(|r| r.try_borrow().map(|r| r.len() >= r.threshold).unwrap_or(false));
    if due {
        collect_cycles();
    }
}

/// Frees every instance, table and global of this thread that is only kept alive by reference
/// cycles among such objects. Returns how many containers were cleared. Safe to call at any
/// time on the thread that owns the objects (including from a host function during a call:
/// running calls hold their objects as roots).
pub fn collect_cycles() -> usize {
    let Some((instances, tables, globals)) = REGISTRY.with(|r| {
        let mut r = r.try_borrow_mut().ok()?;
        let instances: Vec<_> = r.instances.iter().filter_map(Weak::upgrade).collect();
        let tables: Vec<_> = r.tables.iter().filter_map(Weak::upgrade).collect();
        let globals: Vec<_> = r.globals.iter().filter_map(Weak::upgrade).collect();
        r.instances = instances.iter().map(Rc::downgrade).collect();
        r.tables = tables.iter().map(Rc::downgrade).collect();
        r.globals = globals.iter().map(Rc::downgrade).collect();
        Some((instances, tables, globals))
    }) else {
        return 0;
    };
    let Some(garbage) = find_garbage(&instances, &tables, &globals) else {
        return 0;
    };
    let roots = garbage.roots;
    // Clear the unreachable containers; drop what they held only after every borrow is gone
    // (dropping may free further objects, and run embedder code for host values).
    let mut released: Vec<Val> = Vec::new();
    let mut cleared = 0;
    for (i, inst) in instances.iter().enumerate() {
        if garbage.instances[i] {
            for seg in inst.elems.borrow_mut().drain(..) {
                released.extend(seg.iter().cloned());
            }
            cleared += 1;
        }
    }
    for (i, table) in tables.iter().enumerate() {
        if garbage.tables[i] {
            released.append(&mut table.elements.borrow_mut());
            cleared += 1;
        }
    }
    for (i, global) in globals.iter().enumerate() {
        if garbage.globals[i] {
            let mut v = global.value.borrow_mut();
            if matches!(
                *v,
                Val::FuncRef(Some(_)) | Val::ExternRef(Some(_)) | Val::ExnRef(Some(_)) | Val::AnyRef(Some(_))
            ) {
                let null = Val::default_for(v.ty());
                released.push(std::mem::replace(&mut *v, null));
            }
            cleared += 1;
        }
    }
    let live = instances.len() + tables.len() + globals.len() - cleared;
    let objects_released = released.iter().any(|v| matches!(v, Val::AnyRef(Some(AnyRef::Object(_)))));
    drop((instances, tables, globals));
    drop(released);
    if objects_released {
        gc_objects::collect_released();
    }
    REGISTRY.with(|r| {
        if let Ok(mut r) = r.try_borrow_mut() {
            r.threshold = (live * 2).max(MIN_THRESHOLD);
            r.release_threshold = (roots / 2).max(RELEASE_BATCH);
        }
    });
    RELEASES.with(|r| r.set(0));
    cleared
}

/// Which registered containers are unreachable from outside the graph.
struct Garbage {
    /// How many nodes are held from outside the graph.
    roots: usize,
    instances: Vec<bool>,
    tables: Vec<bool>,
    globals: Vec<bool>,
}

/// A node of the graph: its strong count as seen from outside the collector, the references
/// from other nodes, and its outgoing edges (node ids).
struct Node {
    strong: usize,
    internal: usize,
    edges: Vec<usize>,
    reachable: bool,
}

/// The reference graph between containers and function references, keyed by address.
#[derive(Default)]
struct Graph {
    ids: HashMap<usize, usize>,
    nodes: Vec<Node>,
}

impl Graph {
    /// The node for the object at `addr`, created with `strong` outside references if new.
    fn node(&mut self, addr: usize, strong: usize) -> usize {
        let nodes = &mut self.nodes;
        *self.ids.entry(addr).or_insert_with(|| {
            nodes.push(Node { strong, internal: 0, edges: Vec::new(), reachable: false });
            nodes.len() - 1
        })
    }

    /// Adds an edge `from → to`.
    fn edge(&mut self, from: usize, to: usize) {
        self.nodes[from].edges.push(to);
        self.nodes[to].internal += 1;
    }

    /// Adds an edge to a container held by `from`.
    fn edge_to<T>(&mut self, from: usize, to: &Rc<T>) {
        let id = self.node(Rc::as_ptr(to) as *const () as usize, Rc::strong_count(to));
        self.edge(from, id);
    }

    /// Adds an edge to the function reference held by `from` if `v` is one.
    fn edge_to_value(&mut self, from: usize, v: &Val) {
        if let Val::FuncRef(Some(f)) = v {
            self.edge_to_func(from, f);
        }
    }

    /// Adds an edge to a function reference held by `from`; a wasm function has an edge to
    /// its instance.
    fn edge_to_func(&mut self, from: usize, f: &FuncRef) {
        let is_new = !self.ids.contains_key(&(Rc::as_ptr(&f.0) as *const () as usize));
        let fid = self.node(Rc::as_ptr(&f.0) as *const () as usize, Rc::strong_count(&f.0));
        if is_new {
            if let FuncInst::Wasm { instance, .. } = &*f.0 {
                self.edge_to(fid, &instance.0);
            }
        }
        self.edge(from, fid);
    }

    /// Marks everything reachable from the nodes held from outside the graph; returns how many
    /// of those there are.
    fn mark(&mut self) -> usize {
        let mut stack: Vec<usize> =
            (0..self.nodes.len()).filter(|&i| self.nodes[i].strong > self.nodes[i].internal).collect();
        let roots = stack.len();
        for &i in &stack {
            self.nodes[i].reachable = true;
        }
        while let Some(i) = stack.pop() {
            for k in 0..self.nodes[i].edges.len() {
                let to = self.nodes[i].edges[k];
                if !self.nodes[to].reachable {
                    self.nodes[to].reachable = true;
                    stack.push(to);
                }
            }
        }
        roots
    }
}

/// Builds the graph and marks what is reachable from the roots; `None` if a container is
/// borrowed right now (the collection is then skipped).
fn find_garbage(
    instances: &[Rc<InstanceInner>],
    tables: &[Rc<TableInner>],
    globals: &[Rc<GlobalInner>],
) -> Option<Garbage> {
    let mut g = Graph::default();
    let mut objects = gc_objects::HeldObjects::default();
    // The collector itself holds one strong count of every registered container.
    let register = |g: &mut Graph, addr: usize, strong: usize| g.node(addr, strong - 1);
    let inst_ids: Vec<usize> =
        instances.iter().map(|i| register(&mut g, Rc::as_ptr(i) as usize, Rc::strong_count(i))).collect();
    let table_ids: Vec<usize> =
        tables.iter().map(|t| register(&mut g, Rc::as_ptr(t) as usize, Rc::strong_count(t))).collect();
    let global_ids: Vec<usize> =
        globals.iter().map(|x| register(&mut g, Rc::as_ptr(x) as usize, Rc::strong_count(x))).collect();
    for (inst, &id) in instances.iter().zip(&inst_ids) {
        for t in &inst.tables {
            g.edge_to(id, &t.0);
        }
        for x in &inst.globals {
            g.edge_to(id, &x.0);
        }
        for f in &inst.imported_funcs {
            g.edge_to_func(id, f);
        }
        for seg in inst.elems.try_borrow().ok()?.iter() {
            for v in seg.iter() {
                g.edge_to_value(id, v);
                objects.note(id, v);
            }
        }
    }
    for (table, &id) in tables.iter().zip(&table_ids) {
        for v in table.elements.try_borrow().ok()?.iter() {
            g.edge_to_value(id, v);
            objects.note(id, v);
        }
    }
    for (global, &id) in globals.iter().zip(&global_ids) {
        let v = global.value.try_borrow().ok()?;
        g.edge_to_value(id, &v);
        objects.note(id, &v);
    }
    objects.link(&mut g);
    let roots = g.mark();
    WORK.with(|w| w.set(w.get() + g.nodes.len() as u64));
    Some(Garbage {
        roots,
        instances: inst_ids.iter().map(|&i| !g.nodes[i].reachable).collect(),
        tables: table_ids.iter().map(|&i| !g.nodes[i].reachable).collect(),
        globals: global_ids.iter().map(|&i| !g.nodes[i].reachable).collect(),
    })
}
