//! The fill-reducing ordering: minimum degree while the minimum is at most
//! two, AMD on what is left.
//!
//! Transmission grids hang radial feeders off a meshed core and string
//! many buses in series: in `case_ACTIVSg10k`, 40 % of the buses sit in
//! trees and half of the rest have two neighbours. Eliminating a vertex of
//! degree 0 or 1 creates no fill; one of degree 2 joins its two neighbours.
//! Minimum degree picks exactly these vertices first, so doing it here,
//! with plain adjacency lists that only ever shrink, is a faithful start
//! of a minimum-degree ordering at a fraction of AMD's bookkeeping. faer's
//! AMD then orders the remaining core (every vertex of degree 3 or more,
//! the fill edges of the first phase included), under a third of the
//! buses of a real grid.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::sparse::SymbolicSparseColMatRef;
use faer::sparse::linalg::amd;

/// Elimination order of a symmetric matrix given by its lower triangle
/// (CSC, rows sorted within each column): `order[k]` is the row eliminated
/// k-th. Errors carry faer's message.
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
    // The core's lower triangle, numbered 0..core.len() in row order.
    let mut local = vec![usize::MAX; n];
    for (k, &i) in core.iter().enumerate() {
        local[i] = k;
    }
    let mut cp = Vec::with_capacity(core.len() + 1);
    let mut ri = Vec::new();
    cp.push(0usize);
    for &j in &core {
        let start = ri.len();
        ri.extend(
            graph
                .neighbours(j)
                .iter()
                .filter(|&&i| i > j)
                .map(|&i| local[i]),
        );
        ri[start..].sort_unstable();
        cp.push(ri.len());
    }
    let nc = core.len();
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
    order.extend(perm.iter().map(|&k| core[k]));
    Ok(order)
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
            if !self.alive[v] || self.len[v] > 2 {
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
    fn low_degree_vertices_go_first_and_the_meshed_core_goes_to_amd() {
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
}
