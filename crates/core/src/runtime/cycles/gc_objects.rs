//! GC objects in the cycle collector's graph (issue #13).
//!
//! A GC object can hold a function reference, and a container (a global, a table, an element
//! segment) can hold a GC object: every module of a GC toolchain has globals of vtable structs
//! that hold its own functions, so instance → global → struct → function → instance is a cycle
//! that counting alone never frees. The heap keeps one strong count of each host value its
//! objects hold (`Heap::host`) and treats every handle as a root, so neither side can see the
//! cycle alone. This module adds the objects that containers hold to the graph:
//! 1. Each object reference in a container is an edge from the container to the object.
//! 2. An object is held from outside the graph when a handle registration of it is not in a
//!    container (a JS wrapper, an embedder's value), or a registration has more clones than
//!    the containers hold. Everything the heap reaches from those objects is live whatever
//!    the graph says; the host values they hold are held from outside too.
//! 3. Every other object reached from a container is a node without outside references; its
//!    reference slots are edges to the objects and host values it holds. The heap's one strong
//!    count of a host value is an edge from a node for that hold to the function, counted once
//!    (the value is held once, however many objects refer to it).
//! 4. While a stack holds cells (wasm running, a JSPI segment suspended), a cell may refer to
//!    any object: then nothing is added, and the functions the heap holds stay roots (the
//!    collection is only less thorough; it is never wrong).
//!
//! A container found unreachable is cleared as before, which drops its handles; the objects
//! then die in the heap's next collection, which [`collect_released`] runs right away when no
//! stack is in use, and with them the heap's counts of the functions.

use std::collections::{HashMap, HashSet};

use super::Graph;
use crate::runtime::gc::{self, GcRef};
use crate::runtime::Val;
use crate::value::any_ref::handle_registrations;
use crate::value::AnyRef;

/// The object references found in containers while the graph is built.
#[derive(Default)]
pub(super) struct HeldObjects {
    /// (container node, object cell) for every object reference in a container.
    held: Vec<(usize, u64)>,
    /// Handle registration address → (object cell, its clones, clones found in containers).
    registrations: HashMap<usize, (u64, usize, usize)>,
}

impl HeldObjects {
    /// Notes `v`, held by the container node `from`, if it refers to a GC object.
    pub(super) fn note(&mut self, from: usize, v: &Val) {
        if let Val::AnyRef(Some(AnyRef::Object(o))) = v {
            let (key, clones) = o.registration();
            self.held.push((from, o.cell()));
            self.registrations.entry(key).or_insert((o.cell(), clones, 0)).2 += 1;
        }
    }

    /// Adds the objects, the host values they hold and their edges to `g` (steps 2–4 above).
    pub(super) fn link(self, g: &mut Graph) {
        if self.held.is_empty() || crate::engine::any_stack_in_use() {
            return;
        }
        // Step 2: the objects held from outside the graph.
        let mut outside: Vec<GcRef> = Vec::new();
        let mut found: HashMap<u64, usize> = HashMap::new();
        for &(cell, clones, in_containers) in self.registrations.values() {
            if clones > in_containers {
                outside.push(GcRef(cell));
            }
            *found.entry(cell).or_default() += 1;
        }
        for (&cell, &n) in &found {
            if handle_registrations(cell) > n {
                outside.push(GcRef(cell));
            }
        }
        // (If the heap is borrowed, the functions it holds simply stay roots.)
        let _ = gc::try_with_heap(|heap| {
            let mut live = HashSet::new();
            let mut live_hosts = HashSet::new();
            heap.walk(outside, &mut live, |_, to| {
                if to.is_host() {
                    live_hosts.insert(to.0);
                }
                true
            });
            // Step 3: the rest, as nodes.
            let object_node = |g: &mut Graph, r: GcRef| g.node(r.0 as usize, 0);
            let mut holds: HashSet<u64> = HashSet::new();
            let mut seen = live.clone();
            for &(from, cell) in &self.held {
                if GcRef(cell).addr().is_some_and(|a| !live.contains(&a)) {
                    let to = object_node(g, GcRef(cell));
                    g.edge(from, to);
                }
            }
            let roots: Vec<GcRef> = self.held.iter().map(|&(_, c)| GcRef(c)).collect();
            heap.walk(roots, &mut seen, |from, to| {
                let from = object_node(g, from);
                if to.is_host() {
                    if live_hosts.contains(&to.0) {
                        return false;
                    }
                    // The hold's key: the host address plus one (odd, so it names no object).
                    let hold = g.node(to.0 as usize + 1, 0);
                    if holds.insert(to.0) {
                        if let Some(Val::FuncRef(Some(f))) = heap.host_value(to.0) {
                            g.edge_to_func(hold, f);
                        }
                    }
                    g.edge(from, hold);
                    return false;
                }
                if to.addr().is_some_and(|a| !live.contains(&a)) {
                    let to = object_node(g, to);
                    g.edge(from, to);
                    return true;
                }
                false
            });
        });
    }
}

/// After a collection cleared containers that held GC objects: collects the heap when no stack
/// is in use (its roots are then the handles alone), so the dead objects release the
/// functions they held now rather than at the next allocation.
pub(super) fn collect_released() {
    if !crate::engine::any_stack_in_use() {
        gc::collect_now(&|_| {});
    }
}
