//! The fill-reducing ordering: minimum degree while the minimum is small,
//! AMD on what is left.
//!
//! Transmission grids hang radial feeders off a meshed core and string
//! many buses in series: in `case_ACTIVSg10k`, 40 % of the buses sit in
//! trees and half of the rest have two neighbours. Eliminating a vertex of
//! degree 0 or 1 creates no fill; one of degree 2 joins its two neighbours.
//! Minimum degree picks exactly these vertices first, so this module does
//! so itself: first with adjacency lists that only ever shrink (degrees up
//! to 2), then, on the remaining core, with explicit cliques while some
//! vertex has at most [`EXPLICIT_DEGREE_CAP`] neighbours. faer's AMD
//! orders the rest: 1,627 of the 9,999 unknowns of `case_ACTIVSg10k`,
//! 1,765 of the 9,240 of `case9241pegase`. The fill is 0.6 % below AMD's
//! on the whole matrix (39,282 entries in L against 39,505 on
//! `case_ACTIVSg10k`), at a fraction of the time: AMD's bookkeeping costs
//! about 0.4 µs per vertex here.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::sparse::SymbolicSparseColMatRef;
use faer::sparse::linalg::amd;

/// Elimination order of a symmetric matrix given by one triangle in CSC
/// (each entry once; diagonal entries are ignored): `order[k]` is the row
/// eliminated k-th. Errors carry faer's message.
pub(crate) fn fill_reducing(
    n: usize,
    col_ptr: &[usize],
    row_idx: &[usize],
) -> Result<Vec<usize>, String> {
    let mut graph = Graph::new(n, col_ptr, row_idx);
    let mut order = graph.eliminate_low_degree();
    let core: Vec<usize> = (0..n).filter(|&i| graph.alive[i]).collect();
    if core.is_empty() {
        return Ok(order);
    }
    // The core in its own numbering 0..core.len(), fill edges included.
    let mut local = vec![usize::MAX; n];
    for (k, &i) in core.iter().enumerate() {
        local[i] = k;
    }
    let adj: Vec<Vec<usize>> = core
        .iter()
        .map(|&v| graph.neighbours(v).iter().map(|&u| local[u]).collect())
        .collect();
    let (first, rest) = minimum_degree(adj);
    order.extend(first.iter().map(|&k| core[k]));
    if let Some(rest) = rest {
        order.extend(amd_order(&rest)?.iter().map(|&k| core[k]));
    }
    Ok(order)
}

/// Largest degree at which [`minimum_degree`] still eliminates a vertex
/// itself, forming the clique of its neighbours explicitly; once every
/// vertex left has more neighbours, AMD (whose quotient graph never forms
/// cliques) takes over. Measured on the MATPOWER test cases: 3 rather
/// than 2 cut the factorisation of `case9241pegase` from 5.9 to 4.6 ms
/// (AMD's input fell from 2,871 to 1,765 vertices) for 0.04–0.2 % more
/// fill; 4 and 6 added up to 1 % fill and no speed.
const EXPLICIT_DEGREE_CAP: usize = 3;

/// Vertices with more neighbours than this are hubs: the explicit phases
/// never eliminate a vertex next to one, since every such elimination
/// scans the hub's list (a star of d leaves would cost d² steps); AMD
/// orders them instead. Transmission buses have a few neighbours, rarely
/// more than 20.
const HUB_DEGREE: usize = 64;

/// A graph left to order: the surviving vertices (in the numbering of the
/// graph given to [`minimum_degree`]) and their adjacency among themselves.
struct Remaining {
    vertices: Vec<usize>,
    adj: Vec<Vec<usize>>,
}

/// Exact minimum degree with explicit fill (ties to the lowest number):
/// each eliminated vertex joins its neighbours into a clique. Stops when
/// the smallest degree exceeds [`EXPLICIT_DEGREE_CAP`] and returns what is
/// left.
fn minimum_degree(mut adj: Vec<Vec<usize>>) -> (Vec<usize>, Option<Remaining>) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = adj.len();
    let mut alive = vec![true; n];
    let mut heap: BinaryHeap<Reverse<(usize, usize)>> =
        (0..n).map(|v| Reverse((adj[v].len(), v))).collect();
    let mut mark = vec![usize::MAX; n];
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((degree, v))) = heap.pop() {
        if !alive[v] || degree != adj[v].len() {
            continue; // a stale entry
        }
        if degree > EXPLICIT_DEGREE_CAP {
            break;
        }
        if adj[v].iter().any(|&a| adj[a].len() > HUB_DEGREE) {
            continue; // left to AMD: eliminating v would scan a hub's list
        }
        alive[v] = false;
        order.push(v);
        let nb = std::mem::take(&mut adj[v]);
        for &a in &nb {
            let list = &mut adj[a];
            if let Some(at) = list.iter().position(|&u| u == v) {
                list.swap_remove(at);
            }
            for &u in list.iter() {
                mark[u] = a;
            }
            mark[a] = a;
            for &b in &nb {
                if mark[b] != a {
                    list.push(b);
                }
            }
            heap.push(Reverse((list.len(), a)));
        }
    }
    let vertices: Vec<usize> = (0..n).filter(|&u| alive[u]).collect();
    if vertices.is_empty() {
        return (order, None);
    }
    let mut pos = vec![usize::MAX; n];
    for (k, &u) in vertices.iter().enumerate() {
        pos[u] = k;
    }
    let adj = vertices
        .iter()
        .map(|&u| adj[u].iter().map(|&w| pos[w]).collect())
        .collect();
    (order, Some(Remaining { vertices, adj }))
}

/// faer's AMD on a remaining graph; returns its vertices in elimination
/// order (numbered as in [`minimum_degree`]'s input).
fn amd_order(rest: &Remaining) -> Result<Vec<usize>, String> {
    let nc = rest.vertices.len();
    let mut cp = Vec::with_capacity(nc + 1);
    let mut ri = Vec::new();
    cp.push(0usize);
    for (j, list) in rest.adj.iter().enumerate() {
        let start = ri.len();
        ri.extend(list.iter().copied().filter(|&i| i > j));
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
    .map_err(|e| format!("AMD ordering: {e:?}"))?;
    Ok(perm.iter().map(|&k| rest.vertices[k]).collect())
}

/// The matrix's graph during elimination: adjacency lists in CSR slots
/// (`adj[ptr[v]..ptr[v] + len[v]]`); a list only ever loses entries or
/// has one replaced, so it never outgrows its slot.
struct Graph {
    ptr: Vec<usize>,
    len: Vec<usize>,
    adj: Vec<usize>,
    alive: Vec<bool>,
}

impl Graph {
    fn new(n: usize, col_ptr: &[usize], row_idx: &[usize]) -> Graph {
        let (ptr, adj) = adjacency(n, col_ptr, row_idx);
        let len = (0..n).map(|i| ptr[i + 1] - ptr[i]).collect();
        Graph {
            ptr,
            len,
            adj,
            alive: vec![true; n],
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

    /// Removes `old` from `v`'s list, or replaces it by `new` if `new` is
    /// not already there.
    fn unlink(&mut self, v: usize, old: usize, new: Option<usize>) {
        let (start, len) = (self.ptr[v], self.len[v]);
        let list = &mut self.adj[start..start + len];
        let Some(at) = list.iter().position(|&u| u == old) else {
            return;
        };
        match new {
            Some(w) if !list.contains(&w) => list[at] = w,
            _ => {
                list[at] = list[len - 1];
                self.len[v] -= 1;
            }
        }
    }

    /// Eliminates vertices of degree 0 or 1 (first) and 2 while there are
    /// any, joining the two neighbours of each degree-2 vertex; returns
    /// them in elimination order.
    fn eliminate_low_degree(&mut self) -> Vec<usize> {
        let n = self.alive.len();
        let mut low: Vec<usize> = (0..n).rev().filter(|&v| self.len[v] <= 1).collect();
        let mut two: Vec<usize> = (0..n).rev().filter(|&v| self.len[v] == 2).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(v) = low.pop().or_else(|| two.pop()) {
            if !self.alive[v] || self.len[v] > 2 || self.touches_hub(v) {
                continue;
            }
            self.alive[v] = false;
            order.push(v);
            let (mut nb, count) = ([0usize; 2], self.len[v]);
            nb[..count].copy_from_slice(self.neighbours(v));
            match nb[..count] {
                [a] => self.unlink(a, v, None),
                [a, b] => {
                    self.unlink(a, v, Some(b));
                    self.unlink(b, v, Some(a));
                }
                _ => {}
            }
            for &u in &nb[..count] {
                match self.len[u] {
                    0 | 1 => low.push(u),
                    2 => two.push(u),
                    _ => {}
                }
            }
        }
        order
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
        let mut first = graph.eliminate_low_degree();
        first.sort_unstable();
        assert_eq!(first, vec![4, 5, 6]);
        assert_eq!(
            graph.alive,
            vec![true, true, true, true, false, false, false]
        );
        for v in 0..4 {
            assert_eq!(graph.neighbours(v).len(), 3, "K4 vertex {v}");
        }
        let order = fill_reducing(7, &cp, &ri).unwrap();
        assert!(is_permutation(&order, 7));
        let mut last: Vec<usize> = order[3..].to_vec();
        last.sort_unstable();
        assert_eq!(last, vec![0, 1, 2, 3]);
    }

    #[test]
    fn explicit_minimum_degree_hands_dense_rest_to_amd() {
        // K4 (degree 3) is eliminated explicitly; K6 (degree 5) is not.
        let k = |n: usize| -> Vec<Vec<usize>> {
            (0..n)
                .map(|v| (0..n).filter(|&u| u != v).collect())
                .collect()
        };
        let (order, rest) = minimum_degree(k(4));
        assert_eq!(order, vec![0, 1, 2, 3]);
        assert!(rest.is_none());
        let (order, rest) = minimum_degree(k(6));
        assert!(order.is_empty());
        let rest = rest.expect("K6 goes to AMD");
        assert_eq!(rest.vertices, vec![0, 1, 2, 3, 4, 5]);
        let amd = amd_order(&rest).unwrap();
        assert!(is_permutation(&amd, 6));
    }

    #[test]
    fn eliminating_a_vertex_joins_its_neighbours_into_a_clique() {
        // a star: centre 0 with 3 leaves, the leaves joined in a path
        // 1-2-3 so every vertex has degree >= 2 and the centre degree 3.
        let adj = vec![vec![1, 2, 3], vec![0, 2], vec![0, 1, 3], vec![0, 2]];
        let (order, rest) = minimum_degree(adj);
        assert!(rest.is_none());
        // 1 (degree 2, lowest number) goes first and joins 0 and 2, which
        // are already adjacent: 0 drops to degree 2 (no duplicate edge) and
        // goes next, then 2 and 3.
        assert_eq!(order, vec![1, 0, 2, 3]);
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
}
