//! Line outage distribution factors.
//!
//! `LODF[l, k]` is the change of flow on branch `l` per MW of pre-outage
//! flow on branch `k` when `k` is taken out:
//! `LODF[:, k] = PTDF[:, (f_k, t_k)] / (1 − PTDF[k, (f_k, t_k)])`, the
//! diagonal −1 (MATPOWER's `makeLODF`). Column `k` costs one solve
//! `B_red x = e_f − e_t`.
//!
//! A branch whose outage splits an island (a bridge, found topologically by
//! a depth-first search over active branches, parallel branches counted) has
//! `1 − PTDF_kk = 0`: it is reported as [`OutageKind::Islanding`] and its
//! column holds no factor.
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::{Lodf, OutageKind}};
//! let mut net = matpower::read("grids/case5_tap_shift.m")?;
//! let pf = DcPowerFlow::new(&net)?;
//! let (lodf, f) = (Lodf::full(&pf)?, pf.solve()?.pf_mw);
//! assert_eq!((lodf.kind(0), lodf.factor(0, 0)), (OutageKind::Regular, Some(-1.0)));
//! net.branches[0].in_service = false; // take branch 0 (3-7) out and re-solve:
//! let after = DcPowerFlow::new(&net)?.solve()?.pf_mw;
//! for l in 1..f.len() { // F_l + LODF[l, 0]·F_0 is the re-solved flow
//!     assert!((f[l] + lodf.factor(l, 0).unwrap() * f[0] - after[l]).abs() < 1e-9);
//! }
//! # Ok::<(), landlinked::Error>(())
//! ```

use nalgebra::DMatrix;
use rayon::prelude::*;

use super::{Kernel, check_branches};
use crate::dc::{BLOCK, DcModel, DcPowerFlow};
use crate::error::Result;

/// What taking a branch out does to the network.
///
/// ```
/// use landlinked::sensitivity::OutageKind;
/// assert_ne!(OutageKind::Islanding, OutageKind::Regular);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum OutageKind {
    /// The network stays connected: the factors apply.
    Regular,
    /// The outage splits an island (or leaves it with a singular `B`,
    /// `|1 − PTDF_kk|` below the tolerance): no factor exists.
    Islanding,
}

/// An LODF matrix: rows are monitored branches, columns outaged branches,
/// both as 0-based positions in the branch list.
///
/// ```
/// use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::{Lodf, OutageKind}};
/// // Two parallel lines 1-2 and a radial line 2-3.
/// let net = matpower::parse_str("mpc.baseMVA=100;
/// mpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1; 3 1 0 0 0 0 1 1 0 1 1 1 1];
/// mpc.gen=[1 0 0 0 0 1 100 1 1 0];
/// mpc.branch=[1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 2 3 0 0.1 0 0 0 0 0 0 1 -360 360];", "par.m")?;
/// let lodf = Lodf::full(&DcPowerFlow::new(&net)?)?;
/// assert!((lodf.factor(1, 0).unwrap() - 1.0).abs() < 1e-12); // the twin takes it all
/// assert_eq!(lodf.factor(0, 0), Some(-1.0));
/// assert_eq!(lodf.kind(2), OutageKind::Islanding);
/// assert_eq!(lodf.factor(0, 2), None);
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Lodf {
    monitored: Vec<usize>,
    outages: Vec<usize>,
    kinds: Vec<OutageKind>,
    /// monitored × outages; islanding columns are 0.
    matrix: DMatrix<f64>,
}

/// `|1 − PTDF_kk|` below which an outage counts as islanding.
pub(crate) const ISLANDING_TOLERANCE: f64 = 1e-10;

impl Lodf {
    /// Every branch × every branch (for small grids: branches² entries).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Lodf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// assert_eq!(Lodf::full(&DcPowerFlow::new(&net)?)?.matrix().shape(), (1, 1));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn full(pf: &DcPowerFlow) -> Result<Lodf> {
        let all: Vec<usize> = (0..pf.model().branch_count()).collect();
        Lodf::new(pf, &all, &all)
    }

    /// Factors of the `monitored` branches for the `outages` (0-based
    /// positions, in the order given).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Lodf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// assert!(Lodf::new(&pf, &[0], &[3]).is_err()); // no branch 3
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn new(pf: &DcPowerFlow, monitored: &[usize], outages: &[usize]) -> Result<Lodf> {
        let m = pf.model().branch_count();
        check_branches(monitored, m, "monitored branches")?;
        check_branches(outages, m, "outages")?;
        let bridges = islanding_branches(pf.model());
        let k = Kernel::new(pf);
        let columns: Vec<(Vec<OutageKind>, Vec<f64>)> = outages
            .par_chunks(BLOCK)
            .map_init(
                || k.new_block(),
                |block, chunk| lodf_block(&k, &bridges, block, chunk, monitored),
            )
            .collect();
        let mut kinds = Vec::with_capacity(outages.len());
        let mut data = Vec::with_capacity(outages.len() * monitored.len());
        for (kd, d) in columns {
            kinds.extend(kd);
            data.extend(d);
        }
        Ok(Lodf {
            monitored: monitored.to_vec(),
            outages: outages.to_vec(),
            kinds,
            matrix: DMatrix::from_vec(monitored.len(), outages.len(), data),
        })
    }

    /// The factor for monitored branch `l` and outaged branch `k` (branch
    /// positions); `None` if `k`'s outage is islanding or either is not in
    /// the matrix.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Lodf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// assert_eq!(Lodf::full(&DcPowerFlow::new(&net)?)?.factor(0, 0), None); // a bridge
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn factor(&self, l: usize, k: usize) -> Option<f64> {
        let row = self.monitored.iter().position(|&x| x == l)?;
        let col = self.outages.iter().position(|&x| x == k)?;
        (self.kinds[col] == OutageKind::Regular).then(|| self.matrix[(row, col)])
    }

    /// What the outage of branch `k` does ([`OutageKind::Regular`] for a
    /// branch not among the outages).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::{Lodf, OutageKind}};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// assert_eq!(Lodf::full(&DcPowerFlow::new(&net)?)?.kind(0), OutageKind::Islanding);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn kind(&self, k: usize) -> OutageKind {
        self.outages
            .iter()
            .position(|&x| x == k)
            .map_or(OutageKind::Regular, |c| self.kinds[c])
    }

    /// Per column (outage), what the outage does.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Lodf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// assert_eq!(Lodf::full(&DcPowerFlow::new(&net)?)?.kinds().len(), 1);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn kinds(&self) -> &[OutageKind] {
        &self.kinds
    }

    /// The matrix, monitored × outages. Columns of islanding outages hold
    /// zeros, not factors: check [`Lodf::kinds`].
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Lodf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// assert_eq!(Lodf::full(&DcPowerFlow::new(&net)?)?.matrix()[(0, 0)], 0.0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn matrix(&self) -> &DMatrix<f64> {
        &self.matrix
    }

    /// Monitored branch positions (rows).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Lodf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// assert_eq!(Lodf::full(&DcPowerFlow::new(&net)?)?.monitored(), &[0]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn monitored(&self) -> &[usize] {
        &self.monitored
    }

    /// Outaged branch positions (columns).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Lodf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// assert_eq!(Lodf::full(&DcPowerFlow::new(&net)?)?.outages(), &[0]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn outages(&self) -> &[usize] {
        &self.outages
    }
}

/// Solves one block of outage columns: their kinds and column-major data.
fn lodf_block(
    k: &Kernel,
    bridges: &[bool],
    block: &mut [f64],
    chunk: &[usize],
    monitored: &[usize],
) -> (Vec<OutageKind>, Vec<f64>) {
    let scale = solve_outages(k, bridges, block, chunk);
    let mut data = vec![0.0; chunk.len() * monitored.len()];
    for (c, &ko) in chunk.iter().enumerate() {
        let Some(s) = scale[c] else { continue };
        let col = &mut data[c * monitored.len()..(c + 1) * monitored.len()];
        for (v, &l) in col.iter_mut().zip(monitored) {
            *v = if l == ko {
                -1.0
            } else {
                k.delta(block, BLOCK, c, l) * s
            };
        }
    }
    let kinds = scale
        .iter()
        .map(|s| {
            if s.is_some() {
                OutageKind::Regular
            } else {
                OutageKind::Islanding
            }
        })
        .collect();
    (kinds, data)
}

/// Fills and solves `e_f − e_t` for each outage of `chunk` (at most
/// [`BLOCK`]); the block always has [`BLOCK`] lanes (unused lanes solve a
/// zero right-hand side). Returns per outage `1 / (1 − PTDF_kk)`, or `None`
/// for an islanding outage.
pub(crate) fn solve_outages(
    k: &Kernel,
    bridges: &[bool],
    block: &mut [f64],
    chunk: &[usize],
) -> Vec<Option<f64>> {
    block.fill(0.0);
    for (c, &ko) in chunk.iter().enumerate() {
        k.put_branch(block, BLOCK, c, ko);
    }
    k.solve(block, BLOCK);
    chunk
        .iter()
        .enumerate()
        .map(|(c, &ko)| {
            let denom = 1.0 - k.delta(block, BLOCK, c, ko);
            (!bridges[ko] && denom.abs() > ISLANDING_TOLERANCE).then(|| 1.0 / denom)
        })
        .collect()
}

/// Per branch: does taking it out split its island? True exactly for the
/// bridges of the graph of active branches (Tarjan's low-link, iterative;
/// a pair of parallel branches is no bridge). Inactive branches are false.
///
/// ```
/// use landlinked::{dc::DcModel, io::matpower, sensitivity::islanding_branches};
/// let net = matpower::parse_str("mpc.baseMVA=100;
/// mpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1; 3 1 0 0 0 0 1 1 0 1 1 1 1];
/// mpc.gen=[1 0 0 0 0 1 100 1 1 0];
/// mpc.branch=[1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 2 1 0 0.1 0 0 0 0 0 0 1 -360 360; 2 3 0 0.1 0 0 0 0 0 0 1 -360 360];", "x.m")?;
/// assert_eq!(islanding_branches(&DcModel::new(&net)?), vec![false, false, true]);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn islanding_branches(model: &DcModel) -> Vec<bool> {
    let n = model.bus_count();
    let topo = model.topology();
    let ends = model.branch_ends();
    // Adjacency in CSR form: (neighbour, branch).
    let mut deg = vec![0usize; n + 1];
    for (k, &(f, t)) in ends.iter().enumerate() {
        if topo.branch_active(k) && f != t {
            deg[f + 1] += 1;
            deg[t + 1] += 1;
        }
    }
    for i in 0..n {
        deg[i + 1] += deg[i];
    }
    let mut fill = deg.clone();
    let mut adj = vec![(0usize, 0usize); deg[n]];
    for (k, &(f, t)) in ends.iter().enumerate() {
        if topo.branch_active(k) && f != t {
            adj[fill[f]] = (t, k);
            fill[f] += 1;
            adj[fill[t]] = (f, k);
            fill[t] += 1;
        }
    }
    let mut bridge = vec![false; ends.len()];
    let mut disc = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut time = 0;
    // Stack of (vertex, branch used to enter it, next adjacency slot).
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    for root in 0..n {
        if disc[root] != usize::MAX {
            continue;
        }
        disc[root] = time;
        low[root] = time;
        time += 1;
        stack.push((root, usize::MAX, deg[root]));
        while let Some(top) = stack.last_mut() {
            let (v, via, slot) = *top;
            if slot < deg[v + 1] {
                top.2 += 1;
                let (w, k) = adj[slot];
                if k == via {
                    continue;
                }
                if disc[w] == usize::MAX {
                    disc[w] = time;
                    low[w] = time;
                    time += 1;
                    stack.push((w, k, deg[w]));
                } else {
                    low[v] = low[v].min(disc[w]);
                }
            } else {
                stack.pop();
                if let Some(&(p, _, _)) = stack.last() {
                    low[p] = low[p].min(low[v]);
                    if low[v] > disc[p] {
                        bridge[via] = true;
                    }
                }
            }
        }
    }
    bridge
}
