//! `DcModel`: the matrices of the DC power flow, in per unit on `baseMVA`.

use sprs::{CompressedStorage, CsMat};

use crate::error::Result;
use crate::network::{BusType, Network};
use crate::topology::Topology;

/// The DC power flow's matrices and fixed injections for one topology.
///
/// For each active branch (in service, both ends not isolated)
/// `b = 1 / (x · tap)` (tap 0 means 1); `B = Aᵀ diag(b) A` (n × n),
/// `Bf = diag(b) A` (m × n, zero rows for inactive branches); the phase
/// shift of a branch becomes `Pfinj = −b · shift` (p.u.) and
/// `Pbusinj = Cfᵀ Pfinj − Ctᵀ Pfinj`, subtracted from the bus injections.
///
/// ```
/// use landlinked::dc::DcModel;
/// let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 50 0 5 0 1 1 0 1 1 1 1];\nmpc.gen=[1 20 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// let m = DcModel::new(&net).unwrap();
/// assert_eq!(m.bus_b().get(0, 1), Some(&-2.0));
/// assert_eq!(m.bus_injections_mw(), &[20.0, -55.0]); // Pg − Pd − Gs
/// ```
#[derive(Debug, Clone)]
pub struct DcModel {
    base_mva: f64,
    topo: Topology,
    ends: Vec<(usize, usize)>,
    /// Branch susceptance, p.u. (0 for inactive branches).
    b_branch: Vec<f64>,
    /// `Pfinj`, p.u. per branch.
    pf_shift: Vec<f64>,
    /// `Pbusinj`, p.u. per bus.
    pbus_shift: Vec<f64>,
    b_bus: CsMat<f64>,
    bf: CsMat<f64>,
    va_file_rad: Vec<f64>,
    /// `Cg Pg − Pd − Gs`, MW, from active elements only.
    p_base_mw: Vec<f64>,
    pg_file_mw: Vec<f64>,
}

/// What a model needs before its matrices: the topology and, per branch,
/// its ends, susceptance and phase-shift injection. Enough to order the
/// factorisation (see `DcPowerFlow::new`).
pub(crate) struct Branches {
    pub(crate) topo: Topology,
    /// (from, to) bus positions.
    pub(crate) ends: Vec<(usize, usize)>,
    /// Susceptance, p.u. (0 for inactive branches).
    pub(crate) b_branch: Vec<f64>,
    pf_shift: Vec<f64>,
    pbus_shift: Vec<f64>,
}

/// The ends of every branch that puts an entry into B: active, with a
/// nonzero susceptance, between two different buses.
pub(crate) fn coupling_ends(
    net: &Network,
    ends: &[(usize, usize)],
    active: &[bool],
) -> Vec<(usize, usize)> {
    (active.iter().zip(ends).zip(&net.branches))
        .filter(|&((&on, &(f, t)), br)| on && f != t && br.dc_susceptance_pu() != 0.0)
        .map(|((_, &e), _)| e)
        .collect()
}

/// [`Branches`] without the islands: per branch its ends, susceptance and
/// phase-shift injection, which need only which branches are active.
pub(crate) struct BranchValues {
    ends: Vec<(usize, usize)>,
    b_branch: Vec<f64>,
    pf_shift: Vec<f64>,
    pbus_shift: Vec<f64>,
}

impl BranchValues {
    /// The values of `net`'s branches with these ends (bus positions) and
    /// activity.
    pub(crate) fn new(net: &Network, ends: &[(usize, usize)], active: &[bool]) -> BranchValues {
        let n = net.buses.len();
        let m = net.branches.len();
        let mut b_branch = vec![0.0; m];
        let mut pf_shift = vec![0.0; m];
        let mut pbus_shift = vec![0.0; n];
        for (k, br) in net.branches.iter().enumerate() {
            if !active[k] {
                continue;
            }
            let b = br.dc_susceptance_pu();
            let (f, t) = ends[k];
            b_branch[k] = b;
            pf_shift[k] = -b * br.shift_deg.to_radians();
            pbus_shift[f] += pf_shift[k];
            pbus_shift[t] -= pf_shift[k];
        }
        BranchValues {
            ends: ends.to_vec(),
            b_branch,
            pf_shift,
            pbus_shift,
        }
    }
}

impl Branches {
    pub(crate) fn new(net: &Network) -> Result<Branches> {
        let topo = Topology::new(net)?;
        let values = BranchValues::new(net, topo.branch_ends(), topo.active_branches());
        Ok(Branches::of(topo, values))
    }

    /// The topology and the values found from its first half.
    pub(crate) fn of(topo: Topology, values: BranchValues) -> Branches {
        let BranchValues {
            ends,
            b_branch,
            pf_shift,
            pbus_shift,
        } = values;
        Branches {
            topo,
            ends,
            b_branch,
            pf_shift,
            pbus_shift,
        }
    }
}

/// A model's matrices and fixed injections.
pub(crate) struct Matrices {
    pub(crate) b_bus: CsMat<f64>,
    bf: CsMat<f64>,
    va_file_rad: Vec<f64>,
    p_base_mw: Vec<f64>,
    pg_file_mw: Vec<f64>,
}

impl Matrices {
    pub(crate) fn new(net: &Network, br: &Branches) -> Matrices {
        let n = net.buses.len();
        let (ends, b) = (&br.ends, &br.b_branch);
        // B (which the factorisation waits for) on one thread, the rest on
        // the other when rayon has two.
        let (b_bus, (bf, (p_base_mw, pg_file_mw), va_file_rad)) = rayon::join(
            || assemble_b(n, ends, b),
            || {
                (
                    assemble_bf(n, ends, b),
                    base_injections(net, &br.topo),
                    net.buses.iter().map(|b| b.va_deg.to_radians()).collect(),
                )
            },
        );
        Matrices {
            b_bus,
            bf,
            va_file_rad,
            p_base_mw,
            pg_file_mw,
        }
    }
}

impl DcModel {
    /// Builds the model; finds the topology on the way.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// let m = landlinked::dc::DcModel::new(&net).unwrap();
    /// assert_eq!(m.branch_count(), 0);
    /// ```
    pub fn new(net: &Network) -> Result<DcModel> {
        let branches = Branches::new(net)?;
        let matrices = Matrices::new(net, &branches);
        Ok(DcModel::from_parts(net, branches, matrices))
    }

    pub(crate) fn from_parts(net: &Network, br: Branches, m: Matrices) -> DcModel {
        DcModel {
            base_mva: net.base_mva,
            va_file_rad: m.va_file_rad,
            topo: br.topo,
            ends: br.ends,
            b_branch: br.b_branch,
            pf_shift: br.pf_shift,
            pbus_shift: br.pbus_shift,
            b_bus: m.b_bus,
            bf: m.bf,
            p_base_mw: m.p_base_mw,
            pg_file_mw: m.pg_file_mw,
        }
    }

    /// System MVA base.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// assert_eq!(landlinked::dc::DcModel::new(&net).unwrap().base_mva(), 100.0);
    /// ```
    pub fn base_mva(&self) -> f64 {
        self.base_mva
    }

    /// Number of buses (isolated ones included).
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// assert_eq!(landlinked::dc::DcModel::new(&net).unwrap().bus_count(), 1);
    /// ```
    pub fn bus_count(&self) -> usize {
        self.va_file_rad.len()
    }

    /// Number of branches (all, in input order).
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// assert_eq!(landlinked::dc::DcModel::new(&net).unwrap().branch_count(), 0);
    /// ```
    pub fn branch_count(&self) -> usize {
        self.ends.len()
    }

    /// The topology (islands, references, active elements).
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// assert_eq!(landlinked::dc::DcModel::new(&net).unwrap().topology().islands().len(), 1);
    /// ```
    pub fn topology(&self) -> &Topology {
        &self.topo
    }

    /// Bus susceptance matrix `B`, p.u., CSC (symmetric).
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.25 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// assert_eq!(landlinked::dc::DcModel::new(&net).unwrap().bus_b().get(1, 1), Some(&4.0));
    /// ```
    pub fn bus_b(&self) -> &CsMat<f64> {
        &self.b_bus
    }

    /// Branch-flow matrix `Bf`, p.u., CSR (one row per branch).
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.25 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// assert_eq!(landlinked::dc::DcModel::new(&net).unwrap().branch_bf().get(0, 1), Some(&-4.0));
    /// ```
    pub fn branch_bf(&self) -> &CsMat<f64> {
        &self.bf
    }

    /// Dense (from, to) bus positions of every branch.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[2 1 0 0.25 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// assert_eq!(landlinked::dc::DcModel::new(&net).unwrap().branch_ends(), &[(1, 0)]);
    /// ```
    pub fn branch_ends(&self) -> &[(usize, usize)] {
        &self.ends
    }

    /// Branch susceptances `1/(x·tap)`, p.u. (0 for inactive branches).
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.2 0 0 0 0 0.5 0 1 -360 360];", "x.m").unwrap();
    /// assert_eq!(landlinked::dc::DcModel::new(&net).unwrap().branch_susceptance_pu(), &[10.0]);
    /// ```
    pub fn branch_susceptance_pu(&self) -> &[f64] {
        &self.b_branch
    }

    /// The network's own bus injections `Cg Pg − Pd − Gs`, MW (active
    /// elements only; 0 at isolated buses). Phase shifts not included.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 7 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// assert_eq!(landlinked::dc::DcModel::new(&net).unwrap().bus_injections_mw(), &[-7.0]);
    /// ```
    pub fn bus_injections_mw(&self) -> &[f64] {
        &self.p_base_mw
    }

    /// The bus injections `Cg Pg − Pd − Gs` (MW) of `net`, a state of the
    /// network this model was built from: the same buses, branches and
    /// generators, in or out of service as they were, with other loads and
    /// outputs. Computed as [`bus_injections_mw`](Self::bus_injections_mw)
    /// is, so a model built from `net` itself gives the same values to the
    /// bit; one factorisation then serves every state of a topology
    /// (through [`DcPowerFlow::solve_injections`](super::DcPowerFlow::solve_injections)).
    ///
    /// ```
    /// # let mut net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 7 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// let model = landlinked::dc::DcModel::new(&net)?;
    /// net.buses[0].pd_mw = 9.0;
    /// assert_eq!(model.injections_of(&net)?, vec![-9.0]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn injections_of(&self, net: &Network) -> Result<Vec<f64>> {
        let topo = self.topology();
        let shape = [
            ("buses", net.buses.len(), self.bus_count()),
            ("branches", net.branches.len(), self.branch_count()),
            ("generators", net.generators.len(), self.pg_file_mw.len()),
        ];
        for (what, found, expected) in shape {
            if found != expected {
                return Err(crate::error::Error::DimensionMismatch {
                    what: format!("network {what} (a state of the model's network)"),
                    found,
                    expected,
                });
            }
        }
        Ok(base_injections(net, topo).0)
    }

    /// Generator outputs from the file, MW (0 where inactive).
    pub(crate) fn generator_outputs_mw(&self) -> Vec<f64> {
        self.pg_file_mw.clone()
    }

    /// `Pbusinj`, p.u. per bus.
    pub(crate) fn pbus_shift(&self) -> &[f64] {
        &self.pbus_shift
    }

    /// `Pfinj`, p.u. per branch.
    pub(crate) fn pf_shift(&self) -> &[f64] {
        &self.pf_shift
    }

    /// File angles, radians (kept by references and isolated buses).
    pub(crate) fn file_angles_rad(&self) -> &[f64] {
        &self.va_file_rad
    }

    /// `1 / baseMVA`: MW to p.u. is one multiplication everywhere, so the
    /// single and block solves give bit-identical results.
    pub(crate) fn inv_base(&self) -> f64 {
        1.0 / self.base_mva
    }

    /// `P = p_mw / baseMVA − Pbusinj` at one bus, p.u.
    pub(crate) fn injection_pu(&self, bus: usize, p_mw: f64) -> f64 {
        p_mw * self.inv_base() - self.pbus_shift[bus]
    }

    /// `(B θ)[bus]`, p.u.
    pub(crate) fn injection_at_pu(&self, bus: usize, theta: &[f64]) -> f64 {
        // B is symmetric: column `bus` is row `bus`.
        let col = self.b_bus.outer_view(bus);
        col.map_or(0.0, |c| c.iter().map(|(i, &v)| v * theta[i]).sum())
    }

    /// `Pf = (b (θf − θt) + Pfinj) · baseMVA` for active branches, 0 else.
    pub(crate) fn flows_mw(&self, theta: &[f64]) -> Vec<f64> {
        self.ends
            .iter()
            .zip(self.b_branch.iter().zip(&self.pf_shift))
            .map(|(&(f, t), (&b, &s))| {
                if b == 0.0 {
                    0.0
                } else {
                    (b * (theta[f] - theta[t]) + s) * self.base_mva
                }
            })
            .collect()
    }

    /// Lower triangle of the reduced B in CSC over reduced positions.
    pub(crate) fn reduced_lower(&self, red_of: &[usize]) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
        reduced_lower(&self.b_bus, red_of)
    }

    /// `Σ_r B[bus, r] θ_r` for each reduced bus, p.u.
    pub(crate) fn reference_coupling(&self, reduced: &[usize], refs: &[usize]) -> Vec<f64> {
        let mut c = vec![0.0; self.bus_count()];
        for &r in refs {
            if let Some(col) = self.b_bus.outer_view(r) {
                for (i, &x) in col.iter() {
                    c[i] += x * self.va_file_rad[r];
                }
            }
        }
        reduced.iter().map(|&b| c[b]).collect()
    }
}

/// The lower triangle of B (CSC, diagonal included) on the reduced
/// positions `red_of` (`usize::MAX`: left out); rows ascend in each column.
pub(crate) fn reduced_lower(
    b_bus: &CsMat<f64>,
    red_of: &[usize],
) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let n = b_bus.outer_dims();
    let nnz = b_bus.nnz() / 2 + n;
    let mut cp = Vec::with_capacity(n + 1);
    cp.push(0usize);
    let mut ri = Vec::with_capacity(nnz);
    let mut v = Vec::with_capacity(nnz);
    for (j, col) in b_bus.outer_iterator().enumerate() {
        let rj = red_of[j];
        if rj == usize::MAX {
            continue;
        }
        for (i, &x) in col.iter() {
            let r = red_of[i];
            if r != usize::MAX && r >= rj {
                ri.push(r);
                v.push(x);
            }
        }
        cp.push(ri.len());
    }
    (cp, ri, v)
}

/// `B = Aᵀ diag(b) A` in CSC, assembled directly: each active branch adds
/// `b` to both diagonals and `−b` to both off-diagonals. One pass drops
/// each branch's two off-diagonal entries into their columns' slots
/// (branch order); a second pass walks those columns in order and drops
/// each entry into its row's column of the output (B is symmetric), which
/// leaves every column sorted by row with no sort at all (a stable
/// transpose: parallel branches stay in file order and are summed so);
/// the diagonal, summed in file order too, goes in its place. The
/// insertion sort this replaces took half the time on `case9241pegase`,
/// whose buses have up to 46 neighbours.
fn assemble_b(n: usize, ends: &[(usize, usize)], b: &[f64]) -> CsMat<f64> {
    let mut diag = vec![0.0f64; n];
    let mut has_diag = vec![false; n];
    let mut ptr = vec![0usize; n + 1];
    for (&(f, t), &bk) in ends.iter().zip(b) {
        if bk != 0.0 {
            has_diag[f] = true;
            has_diag[t] = true;
            if f != t {
                ptr[f + 1] += 1;
                ptr[t + 1] += 1;
            }
        }
    }
    for j in 0..n {
        ptr[j + 1] += ptr[j];
    }
    let mut next = ptr[..n].to_vec();
    let mut slots = vec![(0usize, 0.0f64); ptr[n]];
    for (&(f, t), &bk) in ends.iter().zip(b) {
        // A branch from a bus to itself adds b − b = 0 to its diagonal.
        if bk != 0.0 && f != t {
            diag[f] += bk;
            diag[t] += bk;
            slots[next[f]] = (t, -bk);
            next[f] += 1;
            slots[next[t]] = (f, -bk);
            next[t] += 1;
        }
    }
    next.copy_from_slice(&ptr[..n]);
    let mut sorted = vec![(0usize, 0.0f64); ptr[n]];
    for j in 0..n {
        for &(i, v) in &slots[ptr[j]..ptr[j + 1]] {
            sorted[next[i]] = (j, v);
            next[i] += 1;
        }
    }
    drop(slots);
    let nnz = ptr[n] + has_diag.iter().filter(|&&d| d).count();
    let mut indptr = Vec::with_capacity(n + 1);
    let mut indices = Vec::with_capacity(nnz);
    let mut data = Vec::with_capacity(nnz);
    indptr.push(0);
    for j in 0..n {
        let start = indices.len();
        let mut diag_done = !has_diag[j];
        for &(row, v) in &sorted[ptr[j]..ptr[j + 1]] {
            if !diag_done && row > j {
                indices.push(j);
                data.push(diag[j]);
                diag_done = true;
            }
            if indices.len() > start && indices.last() == Some(&row) {
                *data.last_mut().expect("entry") += v;
            } else {
                indices.push(row);
                data.push(v);
            }
        }
        if !diag_done {
            indices.push(j);
            data.push(diag[j]);
        }
        indptr.push(indices.len());
    }
    compressed(CompressedStorage::CSC, (n, n), indptr, indices, data)
}

/// A sparse matrix from arrays built here with rows in range and strictly
/// ascending within each outer slice: sprs's re-check of that structure
/// (a sixth of `DcModel::new` on `case_ACTIVSg10k`) runs in debug builds
/// only, where every test exercises it.
fn compressed(
    storage: CompressedStorage,
    shape: (usize, usize),
    indptr: Vec<usize>,
    indices: Vec<usize>,
    data: Vec<f64>,
) -> CsMat<f64> {
    if cfg!(debug_assertions) {
        let parts = (indptr.clone(), indices.clone(), data.clone());
        let checked = match storage {
            CompressedStorage::CSR => CsMat::try_new(shape, parts.0, parts.1, parts.2),
            CompressedStorage::CSC => CsMat::try_new_csc(shape, parts.0, parts.1, parts.2),
        };
        assert!(checked.is_ok(), "malformed compressed structure");
    }
    // SAFETY: the callers build `indptr` ascending from 0 to `indices.len()
    // == data.len()`, with every index below the inner dimension and
    // strictly ascending within each outer slice (checked above in debug
    // builds), which is everything sprs's checked constructor verifies.
    unsafe { CsMat::new_unchecked(storage, shape, indptr, indices, data) }
}

/// `Bf = diag(b) A` in CSR: row k holds `b` at its from bus and `−b` at
/// its to bus (empty for inactive branches).
fn assemble_bf(n: usize, ends: &[(usize, usize)], b: &[f64]) -> CsMat<f64> {
    let (mut indptr, mut indices, mut data) = (vec![0usize], Vec::new(), Vec::new());
    for (&(f, t), &bk) in ends.iter().zip(b) {
        if bk != 0.0 {
            if f == t {
                indices.push(f);
                data.push(0.0);
            } else {
                let (lo, hi, v) = if f < t { (f, t, bk) } else { (t, f, -bk) };
                indices.extend([lo, hi]);
                data.extend([v, -v]);
            }
        }
        indptr.push(indices.len());
    }
    compressed(
        CompressedStorage::CSR,
        (ends.len(), n),
        indptr,
        indices,
        data,
    )
}

/// `Cg Pg − Pd − Gs` (MW) over active elements, and the generators' file
/// outputs (0 where inactive).
fn base_injections(net: &Network, topo: &Topology) -> (Vec<f64>, Vec<f64>) {
    let idx = topo.bus_index();
    let mut p: Vec<f64> = net
        .buses
        .iter()
        .map(|b| {
            if b.kind == BusType::Isolated {
                0.0
            } else {
                -b.pd_mw - b.gs_mw
            }
        })
        .collect();
    let mut pg = vec![0.0; net.generators.len()];
    for (g, generator) in net.generators.iter().enumerate() {
        if topo.gen_active(g)
            && let Some(b) = idx.position(generator.bus)
        {
            p[b] += generator.pg_mw;
            pg[g] = generator.pg_mw;
        }
    }
    (p, pg)
}
