//! The fill-reducing ordering: minimum degree while the minimum is small,
//! AMD on what is left.
//!
//! Transmission grids hang radial feeders off a meshed core and string
//! many buses in series: in `case_ACTIVSg10k`, 40 % of the buses sit in
//! trees and half of the rest have two neighbours. Eliminating a vertex of
//! degree 0 or 1 creates no fill; one of degree 2 joins its two neighbours.
//! Minimum degree picks exactly these vertices first, so this module does
//! so itself, with explicit cliques, while some vertex has at most
//! [`EXPLICIT_DEGREE_CAP`] neighbours. faer's AMD
//! orders the rest: 1,623 of the 9,999 unknowns of `case_ACTIVSg10k`,
//! 1,759 of the 9,240 of `case9241pegase`. The fill is 0.6 % below AMD's
//! on the whole matrix (39,279 entries in L against 39,505 on
//! `case_ACTIVSg10k`), at a fraction of the time: AMD's bookkeeping costs
//! about 0.4 µs per vertex here.
//!
//! The order depends on the pattern only, so [`Split`] finds it from the
//! coupled bus pairs (the branch list) before any matrix is assembled, in
//! two steps whose gap lets the factorisation start on the explicitly
//! eliminated rows while AMD orders the rest (see `super::factor`).

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::sparse::linalg::amd;
use faer::sparse::{FaerError, SymbolicSparseColMatRef};

use crate::error::OrderingFailure;

/// faer's AMD failed on the `vertices` vertices it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AmdFailed {
    pub(crate) vertices: usize,
    pub(crate) reason: OrderingFailure,
}

/// Elimination order of a symmetric matrix given by one triangle in CSC
/// (each entry once; diagonal entries are ignored): `order[k]` is the row
/// eliminated k-th. Fails only if faer's AMD does.
pub(crate) fn fill_reducing(
    n: usize,
    col_ptr: &[usize],
    row_idx: &[usize],
) -> Result<Vec<usize>, AmdFailed> {
    Split::of(Graph::new(n, col_ptr, row_idx)).into_order()
}

/// The fill-reducing order of the matrix whose off-diagonal pattern is
/// the graph with these edges (`(a, b)` with `a != b`, both below `n`;
/// repeats allowed), in two steps: [`Split::new`] eliminates the
/// low-degree vertices, [`Split::rest`] orders the others with AMD. The
/// order is [`fill_reducing`]'s on the same matrix, whose values are not
/// needed for it.
pub(crate) struct Split {
    graph: Graph,
    /// The vertices eliminated explicitly, in order.
    pub(crate) first: Vec<usize>,
    /// The position of each of the graph's vertices among the ones
    /// ordered, if the graph has more (see [`Split::keeping`]).
    labels: Option<Vec<usize>>,
}

impl Split {
    #[cfg(test)]
    pub(crate) fn new(n: usize, edges: &[(usize, usize)]) -> Split {
        Split::of(Graph::from_edges(n, edges))
    }

    fn of(mut graph: Graph) -> Split {
        let first = graph.eliminate_low_degree();
        Split {
            graph,
            first,
            labels: None,
        }
    }

    /// The graph of `n` vertices with these edges, for [`Split::keeping`]
    /// ([`Split::new`] in two steps).
    pub(crate) fn graph(n: usize, edges: &[(usize, usize)]) -> Graph {
        Graph::from_edges(n, edges)
    }

    /// [`Split::new`] on the vertices of `graph` that `labels` keeps
    /// (`labels[v]`: the vertex's number among the kept ones, ascending with
    /// `v`; `usize::MAX`: left out) and the edges between them; the order
    /// is given in those numbers. The same order as [`Split::new`] on the
    /// kept vertices' edges: each left-out vertex leaves its neighbours'
    /// lists with the others in place, so every list is what
    /// [`Graph::from_edges`] would have built. The DC power flow builds the
    /// graph of every bus before it knows which buses are references.
    pub(crate) fn keeping(mut graph: Graph, labels: &[usize]) -> Split {
        debug_assert_eq!(labels.len(), graph.alive.len());
        for (v, &label) in labels.iter().enumerate() {
            if label == usize::MAX {
                graph.remove(v);
            }
        }
        let mut split = Split::of(graph);
        for v in split.first.iter_mut() {
            *v = labels[*v];
        }
        split.labels = Some(labels.to_vec());
        split
    }

    /// The whole order: `first`, then the rest.
    fn into_order(self) -> Result<Vec<usize>, AmdFailed> {
        let rest = self.rest()?;
        let mut order = self.first;
        order.extend(rest);
        Ok(order)
    }

    /// Entries below the diagonal in the column of L of each of `first`.
    pub(crate) fn first_counts(&self) -> &[usize] {
        &self.graph.degrees
    }

    /// The other vertices, in AMD's order.
    pub(crate) fn rest(&self) -> Result<Vec<usize>, AmdFailed> {
        let mut rest = if self.graph.alive.iter().any(|&a| a) {
            self.graph.amd_on_rest()?
        } else {
            Vec::new()
        };
        if let Some(labels) = &self.labels {
            for v in rest.iter_mut() {
                *v = labels[*v];
            }
        }
        Ok(rest)
    }
}

/// Largest degree at which [`Graph::eliminate_low_degree`] still
/// eliminates a vertex itself, joining its neighbours into a clique; once
/// every vertex left has more neighbours, AMD (whose quotient graph never
/// forms cliques) takes over. Measured on the MATPOWER test cases: 3
/// rather than 2 cut the factorisation of `case9241pegase` from 5.9 to
/// 4.6 ms (AMD's input fell from 2,871 to 1,765 vertices) for 0.04–0.2 %
/// more fill; 4 and 6 added up to 1 % fill. With the arena below, caps of
/// 4, 5 and 6 (AMD then orders 1,239, 985 and 864 vertices of
/// `case_ACTIVSg10k`) cost the same instructions per DC power flow within
/// 1 % (callgrind): the explicit cliques cost what AMD saves.
const EXPLICIT_DEGREE_CAP: usize = 3;

/// Vertices with more neighbours than this are hubs: the explicit phase
/// never eliminates a vertex next to one, since every such elimination
/// scans the hub's list (a star of d leaves would cost d² steps); AMD
/// orders them instead. Transmission buses have a few neighbours, rarely
/// more than 20.
const HUB_DEGREE: usize = 64;

/// The matrix's graph during elimination: each vertex's adjacency list
/// sits in a slot of one arena (`adj[ptr[v]..ptr[v] + len[v]]`, room for
/// `room[v]` entries); a list that outgrows its slot moves to the arena's
/// end with twice the room, so no list is ever a separate allocation.
pub(crate) struct Graph {
    ptr: Vec<usize>,
    len: Vec<usize>,
    room: Vec<usize>,
    adj: Vec<usize>,
    alive: Vec<bool>,
    /// Degree of each explicitly eliminated vertex when it went, in
    /// elimination order: the entries below the diagonal in its column of
    /// L.
    degrees: Vec<usize>,
}

impl Graph {
    fn new(n: usize, col_ptr: &[usize], row_idx: &[usize]) -> Graph {
        let (ptr, adj) = adjacency(n, col_ptr, row_idx);
        let len: Vec<usize> = (0..n).map(|i| ptr[i + 1] - ptr[i]).collect();
        Graph {
            ptr,
            room: len.clone(),
            len,
            adj,
            alive: vec![true; n],
            degrees: Vec::new(),
        }
    }

    /// The graph of an edge list, each list sorted and without repeats,
    /// exactly as [`Graph::new`] builds it from the matrix.
    fn from_edges(n: usize, edges: &[(usize, usize)]) -> Graph {
        let mut ptr = vec![0usize; n + 1];
        for &(a, b) in edges {
            ptr[a + 1] += 1;
            ptr[b + 1] += 1;
        }
        for v in 0..n {
            ptr[v + 1] += ptr[v];
        }
        let mut next = ptr[..n].to_vec();
        let mut raw = vec![0usize; ptr[n]];
        for &(a, b) in edges {
            raw[next[a]] = b;
            next[a] += 1;
            raw[next[b]] = a;
            next[b] += 1;
        }
        // Appending each vertex u, in order, to its neighbours' lists
        // leaves every list sorted; a repeated edge finds u already last.
        let mut adj = vec![0usize; ptr[n]];
        let mut len = vec![0usize; n];
        for u in 0..n {
            for &v in &raw[ptr[u]..ptr[u + 1]] {
                let end = ptr[v] + len[v];
                if len[v] == 0 || adj[end - 1] != u {
                    adj[end] = u;
                    len[v] += 1;
                }
            }
        }
        Graph {
            room: (0..n).map(|v| ptr[v + 1] - ptr[v]).collect(),
            ptr,
            len,
            adj,
            alive: vec![true; n],
            degrees: Vec::new(),
        }
    }

    fn neighbours(&self, v: usize) -> &[usize] {
        &self.adj[self.ptr[v]..self.ptr[v] + self.len[v]]
    }

    /// Whether a neighbour of `v` has more than [`HUB_DEGREE`] neighbours:
    /// eliminating `v` would scan that long list, so `v` is left to AMD.
    fn touches_hub(&self, v: usize) -> bool {
        self.neighbours(v).iter().any(|&u| self.len[u] > HUB_DEGREE)
    }

    /// Takes `v` out of the graph before any elimination: out of each
    /// neighbour's list, the others keeping their places.
    fn remove(&mut self, v: usize) {
        for k in 0..self.len[v] {
            let u = self.adj[self.ptr[v] + k];
            let (start, len) = (self.ptr[u], self.len[u]);
            let list = &mut self.adj[start..start + len];
            if let Some(at) = list.iter().position(|&w| w == v) {
                list.copy_within(at + 1.., at);
                self.len[u] -= 1;
            }
        }
        self.len[v] = 0;
        self.alive[v] = false;
    }

    /// Removes `old` from `v`'s list.
    fn unlink(&mut self, v: usize, old: usize) {
        let (start, len) = (self.ptr[v], self.len[v]);
        let list = &mut self.adj[start..start + len];
        if let Some(at) = list.iter().position(|&u| u == old) {
            list[at] = list[len - 1];
            self.len[v] -= 1;
        }
    }

    /// Adds `w` to `v`'s list unless it is there already.
    fn link(&mut self, v: usize, w: usize) {
        if self.neighbours(v).contains(&w) {
            return;
        }
        let (start, len) = (self.ptr[v], self.len[v]);
        if len == self.room[v] {
            let at = self.adj.len();
            self.adj.extend_from_within(start..start + len);
            self.adj.resize(at + 2 * len + 2, 0);
            self.ptr[v] = at;
            self.room[v] = 2 * len + 2;
        }
        let end = self.ptr[v] + len;
        self.adj[end] = w;
        self.len[v] += 1;
    }

    /// Minimum degree with explicit fill, first while the minimum is at
    /// most 2, then at most [`EXPLICIT_DEGREE_CAP`]; returns the eliminated
    /// vertices in order, the rest stay alive for AMD. Two passes rather
    /// than one: the degree-2 chains dissolve before any degree-3 vertex
    /// is touched, which gave 1 % less fill on `case_ACTIVSg10k` (39,279
    /// entries in L against 39,648).
    fn eliminate_low_degree(&mut self) -> Vec<usize> {
        let mut order = self.eliminate_up_to(2);
        order.extend(self.eliminate_up_to(EXPLICIT_DEGREE_CAP));
        order
    }

    /// Exact minimum degree with explicit fill while the minimum is at most
    /// `cap` (≤ [`EXPLICIT_DEGREE_CAP`]): each eliminated vertex joins its
    /// neighbours into a clique (a vertex of degree 0 or 1 creates no fill,
    /// one of degree 2 joins its two neighbours). Degrees up to the cap are
    /// kept in buckets (stacks, lowest vertex on top at the start; an
    /// entry whose vertex has since changed degree is skipped, since every
    /// change pushes a fresh one).
    fn eliminate_up_to(&mut self, cap: usize) -> Vec<usize> {
        const CAP: usize = EXPLICIT_DEGREE_CAP;
        debug_assert!(cap <= CAP, "cap {cap}");
        let n = self.alive.len();
        let mut buckets: [Vec<usize>; CAP + 1] = Default::default();
        for v in (0..n).rev() {
            if self.alive[v] && self.len[v] <= cap {
                buckets[self.len[v]].push(v);
            }
        }
        let mut order = Vec::with_capacity(n);
        let mut nb = [0usize; CAP];
        loop {
            let mut next = None;
            for (degree, bucket) in buckets.iter_mut().enumerate() {
                while let Some(v) = bucket.pop() {
                    if self.alive[v] && self.len[v] == degree {
                        next = Some(v);
                        break;
                    }
                }
                if next.is_some() {
                    break;
                }
            }
            let Some(v) = next else {
                break;
            };
            if self.touches_hub(v) {
                continue; // left to AMD unless its degree changes
            }
            let degree = self.len[v];
            nb[..degree].copy_from_slice(self.neighbours(v));
            self.alive[v] = false;
            order.push(v);
            self.degrees.push(degree);
            for (i, &a) in nb[..degree].iter().enumerate() {
                self.unlink(a, v);
                for (j, &b) in nb[..degree].iter().enumerate() {
                    if j != i {
                        self.link(a, b);
                    }
                }
                if self.len[a] <= cap {
                    buckets[self.len[a]].push(a);
                }
            }
        }
        order
    }

    /// faer's AMD on the vertices still alive; returns them in elimination
    /// order.
    fn amd_on_rest(&self) -> Result<Vec<usize>, AmdFailed> {
        let rest: Vec<usize> = (0..self.alive.len()).filter(|&v| self.alive[v]).collect();
        let mut local = vec![usize::MAX; self.alive.len()];
        for (k, &v) in rest.iter().enumerate() {
            local[v] = k;
        }
        let nc = rest.len();
        let mut cp = Vec::with_capacity(nc + 1);
        let mut ri = Vec::new();
        cp.push(0usize);
        for (j, &v) in rest.iter().enumerate() {
            let start = ri.len();
            ri.extend(
                self.neighbours(v)
                    .iter()
                    .map(|&u| local[u])
                    .filter(|&i| i > j),
            );
            ri[start..].sort_unstable();
            cp.push(ri.len());
        }
        let sym = SymbolicSparseColMatRef::new_checked(nc, nc, &cp, None, &ri);
        let (mut perm, mut perm_inv) = (vec![0usize; nc], vec![0usize; nc]);
        let mut mem = MemBuffer::new(amd::order_scratch::<usize>(nc, ri.len()));
        amd::order(
            &mut perm,
            &mut perm_inv,
            sym,
            amd::Control::default(),
            MemStack::new(&mut mem),
        )
        .map_err(|e| AmdFailed {
            vertices: nc,
            reason: match e {
                FaerError::IndexOverflow => OrderingFailure::IndexOverflow,
                FaerError::OutOfMemory => OrderingFailure::OutOfMemory,
                _ => OrderingFailure::Unrecognised,
            },
        })?;
        Ok(perm.iter().map(|&k| rest[k]).collect())
    }
}

/// Both triangles' off-diagonal pattern as adjacency lists (CSR).
fn adjacency(n: usize, col_ptr: &[usize], row_idx: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let mut ptr = vec![0usize; n + 1];
    for j in 0..n {
        for &i in &row_idx[col_ptr[j]..col_ptr[j + 1]] {
            if i != j {
                ptr[i + 1] += 1;
                ptr[j + 1] += 1;
            }
        }
    }
    for i in 0..n {
        ptr[i + 1] += ptr[i];
    }
    let mut next = ptr.clone();
    let mut adj = vec![0usize; ptr[n]];
    for j in 0..n {
        for &i in &row_idx[col_ptr[j]..col_ptr[j + 1]] {
            if i != j {
                adj[next[i]] = j;
                next[i] += 1;
                adj[next[j]] = i;
                next[j] += 1;
            }
        }
    }
    (ptr, adj)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lower-triangle CSC (with diagonal) of a graph given by its edges.
    fn lower(n: usize, edges: &[(usize, usize)]) -> (Vec<usize>, Vec<usize>) {
        let mut cols: Vec<Vec<usize>> = (0..n).map(|j| vec![j]).collect();
        for &(a, b) in edges {
            let (lo, hi) = (a.min(b), a.max(b));
            cols[lo].push(hi);
        }
        let mut cp = vec![0];
        let mut ri = Vec::new();
        for mut c in cols {
            c.sort_unstable();
            c.dedup();
            ri.extend(c);
            cp.push(ri.len());
        }
        (cp, ri)
    }

    fn is_permutation(order: &[usize], n: usize) -> bool {
        let mut seen = vec![false; n];
        order.len() == n
            && order
                .iter()
                .all(|&i| i < n && !std::mem::replace(&mut seen[i], true))
    }

    #[test]
    fn a_tree_is_peeled_leaves_first_with_no_core() {
        // 0 - 1 - 2 - 3, and 4 hanging off 1
        let (cp, ri) = lower(5, &[(0, 1), (1, 2), (2, 3), (1, 4)]);
        let order = fill_reducing(5, &cp, &ri).unwrap();
        assert!(is_permutation(&order, 5));
        // every vertex has at most one neighbour left when eliminated
        let mut gone = [false; 5];
        let edges = [(0, 1), (1, 2), (2, 3), (1, 4)];
        for &v in &order {
            let left = edges
                .iter()
                .filter(|&&(a, b)| (a == v && !gone[b]) || (b == v && !gone[a]))
                .count();
            assert!(left <= 1, "vertex {v} eliminated with {left} neighbours");
            gone[v] = true;
        }
    }

    #[test]
    fn low_degree_vertices_go_first_then_the_core() {
        // K4 on 0..4; 4 joined to 0 and 1; 5 hangs off 4; 6 is alone.
        let edges = [
            (0, 1),
            (0, 2),
            (0, 3),
            (1, 2),
            (1, 3),
            (2, 3),
            (4, 0),
            (4, 1),
            (5, 4),
        ];
        let (cp, ri) = lower(7, &edges);
        let mut graph = Graph::new(7, &cp, &ri);
        let order = graph.eliminate_low_degree();
        // 4, 5 and 6 have degree <= 2 and go first; the K4 (degree 3)
        // follows, explicitly: nothing is left for AMD.
        let mut first = order[..3].to_vec();
        first.sort_unstable();
        assert_eq!(first, vec![4, 5, 6]);
        assert!(is_permutation(&order, 7));
        assert!(graph.alive.iter().all(|&a| !a));
        assert_eq!(fill_reducing(7, &cp, &ri).unwrap(), order);
    }

    /// Complete graph on n vertices, lower triangle.
    fn complete(n: usize) -> (Vec<usize>, Vec<usize>) {
        let edges: Vec<(usize, usize)> = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect();
        lower(n, &edges)
    }

    #[test]
    fn explicit_minimum_degree_hands_dense_rest_to_amd() {
        // K4 (degree 3) is eliminated explicitly; K6 (degree 5) is not.
        let (cp, ri) = complete(4);
        let mut graph = Graph::new(4, &cp, &ri);
        let order = graph.eliminate_low_degree();
        assert!(is_permutation(&order, 4), "{order:?}");
        let (cp, ri) = complete(6);
        let mut graph = Graph::new(6, &cp, &ri);
        assert!(graph.eliminate_low_degree().is_empty());
        let amd = graph.amd_on_rest().unwrap();
        assert!(is_permutation(&amd, 6));
    }

    #[test]
    fn eliminating_a_vertex_joins_its_neighbours_into_a_clique() {
        // a star: centre 0 with 3 leaves, the leaves joined in a path
        // 1-2-3 so every vertex has degree >= 2 and the centre degree 3.
        let (cp, ri) = lower(4, &[(0, 1), (0, 2), (0, 3), (1, 2), (2, 3)]);
        let mut graph = Graph::new(4, &cp, &ri);
        let order = graph.eliminate_low_degree();
        // 1 (degree 2, lowest number) goes first and joins 0 and 2, which
        // are already adjacent (no duplicate edge): what is left is the
        // triangle 0-2-3, eliminated at degree 2.
        assert_eq!(order[0], 1);
        assert!(is_permutation(&order, 4));
        assert!(graph.alive.iter().all(|&a| !a));
    }

    #[test]
    fn a_list_that_outgrows_its_slot_moves_and_keeps_its_entries() {
        // a wheel: hub 0 joined to a 6-cycle 1..=6. Eliminating rim vertex
        // 1 (degree 3) adds the fill edge 2-6 to both their full slots.
        let mut edges: Vec<(usize, usize)> = (1..=6).map(|v| (0, v)).collect();
        edges.extend((1..=6).map(|v| (v, v % 6 + 1)));
        let (cp, ri) = lower(7, &edges);
        let mut graph = Graph::new(7, &cp, &ri);
        let before = graph.adj.len();
        graph.link(2, 6);
        assert!(graph.adj.len() > before, "slot moved to the arena's end");
        let mut two: Vec<usize> = graph.neighbours(2).to_vec();
        two.sort_unstable();
        assert_eq!(two, vec![0, 1, 3, 6]);
        graph.link(2, 6);
        assert_eq!(graph.neighbours(2).len(), 4, "no duplicate edge");
        let order = fill_reducing(7, &cp, &ri).unwrap();
        assert!(is_permutation(&order, 7));
    }

    #[test]
    fn a_degree_two_vertex_joins_its_neighbours() {
        // a 5-cycle: every elimination leaves a smaller cycle, ending in a
        // triangle, then an edge; the fill edges keep each vertex's
        // neighbour count at 2 until the last two.
        let edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)];
        let (cp, ri) = lower(5, &edges);
        let mut graph = Graph::new(5, &cp, &ri);
        let order = graph.eliminate_low_degree();
        assert_eq!(order.len(), 5);
        assert!(graph.alive.iter().all(|&a| !a));
        let order = fill_reducing(5, &cp, &ri).unwrap();
        assert!(is_permutation(&order, 5));
    }

    #[test]
    fn a_hub_and_its_leaves_go_to_amd_in_linear_time() {
        // a star with 5,000 leaves: eliminating leaf after leaf would scan
        // the hub's list each time; they are left to AMD instead.
        let n = 5_001;
        let edges: Vec<(usize, usize)> = (1..n).map(|v| (0, v)).collect();
        let (cp, ri) = lower(n, &edges);
        let order = fill_reducing(n, &cp, &ri).unwrap();
        assert!(is_permutation(&order, n));
        let mut graph = Graph::new(n, &cp, &ri);
        assert!(graph.eliminate_low_degree().is_empty());
    }

    #[test]
    fn an_edge_list_gives_the_graph_and_order_of_its_matrix() {
        // A ring of 40 with chords, a few edges repeated (parallel
        // branches) and listed both ways round.
        let n = 40;
        let mut edges: Vec<(usize, usize)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
        edges.extend((0..n).step_by(3).map(|i| ((i * 7 + 5) % n, i)));
        edges.extend([(3, 4), (4, 3), (17, 18), (30, 0)]);
        edges.retain(|&(a, b)| a != b);
        let (cp, ri) = lower(n, &edges);
        let (from_matrix, from_edges) = (Graph::new(n, &cp, &ri), Graph::from_edges(n, &edges));
        for v in 0..n {
            assert_eq!(
                from_edges.neighbours(v),
                from_matrix.neighbours(v),
                "vertex {v}"
            );
        }
        let split = Split::new(n, &edges);
        assert_eq!(split.first_counts().len(), split.first.len());
        assert_eq!(
            split.into_order().unwrap(),
            fill_reducing(n, &cp, &ri).unwrap()
        );
    }
}
