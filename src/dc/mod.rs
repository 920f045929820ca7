//! The DC power flow, as MATPOWER's `rundcpf` defines it.
//!
//! [`DcModel`] turns a [`Network`] into matrices (sparse `B` and `Bf`, the
//! phase-shift injections, the fixed bus injections); [`DcPowerFlow`]
//! factorises the reduced `B` once (all islands at once: it is
//! block-diagonal, so this is one factorisation per island) and then solves
//! for the network's own injections or for any others.
//!
//! ```
//! use landlinked::dc::DcPowerFlow;
//! use landlinked::io::matpower;
//! let text = "function mpc = t3
//! mpc.baseMVA = 100;
//! mpc.bus = [1 3 0 0 0 0 1 1 0 230 1 1.1 0.9; 2 1 60 0 0 0 1 1 0 230 1 1.1 0.9; 3 1 40 0 0 0 1 1 0 230 1 1.1 0.9];
//! mpc.gen = [1 0 0 0 0 1 100 1 200 0];
//! mpc.branch = [1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 2 3 0 0.1 0 0 0 0 0 0 1 -360 360];
//! ";
//! let net = matpower::parse_str(text, "t3.m").unwrap();
//! let pf = DcPowerFlow::new(&net).unwrap();
//! let sol = pf.solve().unwrap();
//! assert!((sol.pf_mw[0] - 100.0).abs() < 1e-9); // all 100 MW of load flows over 1-2
//! assert!((sol.pg_mw[0] - 100.0).abs() < 1e-9); // the slack takes it
//! // θ3 = θ1 − (1.0 + 0.4) p.u. × 0.1 p.u. reactance, in degrees
//! assert!((sol.va_deg[2] + 0.14f64.to_degrees()).abs() < 1e-9);
//! ```
//!
//! # Many periods
//!
//! A year of snapshots goes through the same factor, 16 periods at a time
//! in the block kernel: [`DcPowerFlow::solve_many`] writes every angle and
//! flow ([`DcSeries`]), or is streamed block by block
//! ([`SolvedBlock`]); [`DcPowerFlow::reduce_many`] keeps only statistics.
//!
//! **Fused statistics.** [`DcPowerFlow::reduce_many`] hands each solved
//! block of angles and flows, while it is in cache, to a [`Reducer`]; the
//! year of flows is never written to memory. Built-in reducers are
//! [`BranchStats`] and [`AngleExtremes`]; the year-long N-1 is
//! [`ContingencyYear`](crate::sensitivity::ContingencyYear).
//! *Determinism:* periods are cut into chunks of [`CHUNK_PERIODS`]
//! whatever the thread count; each chunk is reduced by a fresh reducer,
//! block after block in period order, and chunk results are merged into
//! the running result in chunk order. A reducer whose `block` and `merge`
//! are deterministic therefore gives the same bits on 1 or 16 threads.
//! Chunks run in waves of two per thread, so at most that many partial
//! reducers exist at once (bounded memory on a million-bus grid).
//!
//! **Generated injections.** [`ProfileInjections`] are
//! `p[bus][t] = Σ base_mw × profile[t]` over the terms of a bus, so a year
//! of injections is a few zone or load-class profiles and one base per bus
//! and term, not a buses × periods matrix. [`DcPowerFlow::reduce_many`]
//! expands them per block straight into the kernel's rows (no 80 KB read
//! per snapshot of a 10,000-bus grid); [`ProfileInjections::to_matrix`]
//! materialises them with the same arithmetic, for
//! [`DcPowerFlow::solve_many`] or a check.
//!
//! **Superposition.** The DC power flow is affine in the injections, so
//! profile injections give flows `F₀ + Σ_z F_z · profile_z[t]`, where `F₀`
//! are the flows of zero injections (phase shifters, `Pbusinj`, shunts, the
//! reference angles) and `F_z` the flows per unit of profile `z`.
//! [`DcPowerFlow::profile_response`] solves those `profiles + 1`
//! right-hand sides once; [`ProfileResponse::reduce`] then runs any
//! [`Reducer`] over the periods with each branch's flow a few multiply-adds
//! from its row of coefficients: no triangular solve and no angle array
//! per period. This pays when the profiles are few: a period costs about
//! `(profiles + 1) × branches` multiply-adds against
//! `2 × nnz(L) + 2 × branches` in the block kernel, which stays the path
//! for injections that are not a few profiles (a dispatch per plant and
//! hour). The results equal the solved ones to rounding (1e-12 relative on
//! the bundled cases), not bit for bit: the sums are in another order.
//! [`ProfileResponse::flow_mw`] gives one period's flow with exactly the
//! arithmetic of the reduction, for checks.

mod factor;
mod lanes;
mod links;
mod many;
mod model;
mod ordering;
mod profiles;
mod reduce;
mod response;
mod stats;
mod tile;

pub use links::add_link_injections;
pub use many::{BLOCK, DcSeries, SolvedBlock};
pub use model::DcModel;
use model::{BranchValues, Branches, Matrices};
pub use profiles::{MAX_BASE_MW, MAX_PROFILE, ProfileId, ProfileInjections};
pub use reduce::{BlockView, CHUNK_PERIODS, Injections, Reducer};
pub use response::ProfileResponse;
pub(crate) use stats::check_ratings;
pub use stats::{AngleExtremes, BranchStats};

use std::sync::OnceLock;

use serde::Serialize;

use crate::error::{Error, FactorFailure, Result};
use crate::network::Network;
use crate::topology::{Island, Started, Topology, TopologyWarning};
use factor::{FactorError, LdlFactor};
use ordering::AmdFailed;

/// Result of one DC power flow, every element in input order.
///
/// ```
/// # use landlinked::dc::DcPowerFlow;
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
/// let sol = DcPowerFlow::new(&net).unwrap().solve().unwrap();
/// assert_eq!(sol.va_deg, vec![0.0]);
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct DcSolution {
    /// Bus voltage angles, degrees (isolated buses keep their file value).
    pub va_deg: Vec<f64>,
    /// Branch flows from → to, MW (0 for out-of-service branches).
    pub pf_mw: Vec<f64>,
    /// Generator outputs, MW: file value, slack generators adjusted,
    /// 0 for out-of-service generators or those on isolated buses.
    pub pg_mw: Vec<f64>,
    /// Net injection into each bus, MW, after the slack.
    pub p_inj_mw: Vec<f64>,
    /// Number of islands solved.
    pub islands: usize,
    /// Reference choices the crate made where MATPOWER would not have.
    pub warnings: Vec<TopologyWarning>,
}

/// Angles and flows for an arbitrary injection vector.
///
/// ```
/// # use landlinked::dc::DcPowerFlow;
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// let pf = DcPowerFlow::new(&net).unwrap();
/// let st = pf.solve_injections(&[0.0, -10.0]).unwrap();
/// assert!((st.pf_mw[0] - 10.0).abs() < 1e-12);
/// assert!((st.slack_mw[0] - 10.0).abs() < 1e-12);
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct DcState {
    /// Bus voltage angles, degrees.
    pub va_deg: Vec<f64>,
    /// Branch flows from → to, MW.
    pub pf_mw: Vec<f64>,
    /// Per reference bus (in [`DcPowerFlow::reference_buses`] order): the
    /// injection the reference must add to balance its island, MW.
    pub slack_mw: Vec<f64>,
}

/// A factorised DC power flow: build once per topology, solve many times.
///
/// ```
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
/// let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
/// assert_eq!(pf.reference_buses(), &[0]);
/// ```
#[derive(Debug, Clone)]
pub struct DcPowerFlow {
    model: DcModel,
    /// Reduced position → bus position.
    reduced: Vec<usize>,
    /// Bus position → reduced position (usize::MAX for references and
    /// isolated buses).
    red_of: Vec<usize>,
    /// Reference bus positions, island by island.
    refs: Vec<usize>,
    /// Constant part of each reduced right-hand side, p.u.: the bus's
    /// phase-shift injection plus `Σ_r B[bus, r] θ_r` (reduced order).
    rhs_offset: Vec<f64>,
    factor: LdlFactor,
    /// Where the block kernel puts each bus, built on its first use (a
    /// one-off solve never needs it).
    layout: OnceLock<KernelLayout>,
}

/// Which buses are unknowns: every bus in an island except its
/// reference(s).
struct Reduction {
    /// Reference bus positions, island by island.
    refs: Vec<usize>,
    /// Reduced position → bus position.
    reduced: Vec<usize>,
    /// Bus position → reduced position (`usize::MAX` for references and
    /// isolated buses).
    red_of: Vec<usize>,
}

impl Reduction {
    fn new(topo: &Topology, n: usize) -> Reduction {
        Reduction::of(topo.islands(), |b| topo.island_of(b).is_some(), n)
    }

    /// The reduction given the islands and whether each bus is in one.
    fn of(islands: &[Island], in_island: impl Fn(usize) -> bool, n: usize) -> Reduction {
        let refs: Vec<usize> = islands
            .iter()
            .flat_map(|i| i.refs.iter().copied())
            .collect();
        let mut is_ref = vec![false; n];
        for &r in &refs {
            is_ref[r] = true;
        }
        let reduced: Vec<usize> = (0..n).filter(|&b| !is_ref[b] && in_island(b)).collect();
        let mut red_of = vec![usize::MAX; n];
        for (k, &b) in reduced.iter().enumerate() {
            red_of[b] = k;
        }
        Reduction {
            refs,
            reduced,
            red_of,
        }
    }
}

/// The block kernel's rows, by bus.
#[derive(Debug, Clone)]
struct KernelLayout {
    /// Row of each bus in the block kernel's angle array: the factor's
    /// permuted position for unknowns, then the fixed buses (references
    /// and isolated), so solved angles never need to be scattered.
    row_of_bus: Vec<usize>,
    /// Row that each bus's right-hand side is loaded into: `row_of_bus`
    /// for unknowns, one spare row past the end (`bus_count()`) for
    /// references and isolated buses.
    load_row: Vec<usize>,
    /// `rhs_offset` by bus (0 for references and isolated buses).
    load_offset: Vec<f64>,
    /// `row_of_bus` of each branch's ends, so the flow pass reads the
    /// angle rows with one lookup less.
    branch_rows: Vec<(u32, u32)>,
    /// Branch positions sorted by the angle rows they read (lower row,
    /// then higher): walking branches in this order reads the angle array
    /// nearly front to back, instead of jumping across it in file order.
    branch_order: Vec<u32>,
}

impl DcPowerFlow {
    /// Validates the network, finds its topology, builds the matrices and
    /// factorises the reduced B.
    ///
    /// ```
    /// let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[];\nmpc.branch=[];", "x.m").unwrap();
    /// let err = landlinked::dc::DcPowerFlow::new(&net).unwrap_err();
    /// assert!(err.to_string().contains("no in-service generator"));
    /// ```
    pub fn new(net: &Network) -> Result<DcPowerFlow> {
        // The checks and the build read the network independently: on two
        // threads when rayon has them. A validation error wins, so an
        // invalid network reports what is wrong with it, not what that did
        // to the matrices.
        let (checked, built) = rayon::join(|| net.validate(), || DcPowerFlow::build(net));
        checked?;
        built
    }

    /// The build behind [`DcPowerFlow::new`], on rayon's two threads where
    /// it has them. The fill-reducing order needs only which buses are
    /// coupled, known from the branches before any matrix exists; and the
    /// factor's rows of the buses that the ordering eliminates explicitly
    /// (most of them: radial feeders and chains) need neither the rest of
    /// the order nor each other's later rows. So, in three rounds:
    /// 1. The islands and references, and the branches' susceptances, on
    ///    one thread; the graph of every bus's couplings on the other
    ///    (references are taken out of it once known, which leaves the
    ///    graph that the reduced buses alone would give).
    /// 2. B, Bf and the injections on one thread; the ordering's explicit
    ///    eliminations on the other.
    /// 3. AMD on the remaining core on one thread; the rows of L of the
    ///    explicitly eliminated buses on the other.
    ///
    /// Then the core's rows. Each row of L goes through the same
    /// arithmetic as in [`DcPowerFlow::from_model`]'s single pass, so the
    /// results are the same to the bit (a test checks every MATPOWER
    /// case). Round 1 took 0.1-0.2 ms off one DC power flow of
    /// `case9241pegase` and `case_ACTIVSg10k` (about 6 % and 3 %), where
    /// the islands had run alone.
    fn build(net: &Network) -> Result<DcPowerFlow> {
        let started = Started::new(net)?;
        let n = net.buses.len();
        // The ordering's graph of every bus's couplings beside the islands
        // and references, which say which buses it then leaves out.
        let (found, graph) = rayon::join(
            || {
                let islands = started.islands(net)?;
                let reduction =
                    Reduction::of(islands.islands(), |b| islands.island_of(b).is_some(), n);
                let values = BranchValues::new(net, started.branch_ends(), started.branch_active());
                Ok::<_, Error>((islands, reduction, values))
            },
            || {
                let edges =
                    model::coupling_ends(net, started.branch_ends(), started.branch_active());
                ordering::Split::graph(n, &edges)
            },
        );
        let (islands, reduction, values) = found?;
        let branches = Branches::of(started.into_topology(islands), values);
        let ((matrices, (cp, ri, v)), split) = rayon::join(
            || {
                let matrices = Matrices::new(net, &branches);
                let lower = model::reduced_lower(&matrices.b_bus, &reduction.red_of);
                (matrices, lower)
            },
            || ordering::Split::keeping(graph, &reduction.red_of),
        );
        let model = DcModel::from_parts(net, branches, matrices);
        let lower = factor::Lower {
            n: reduction.reduced.len(),
            col_ptr: &cp,
            row_idx: &ri,
            values: &v,
        };
        let (rest, started) = rayon::join(
            || split.rest(),
            || factor::Prefactor::new(lower, &split.first, split.first_counts()),
        );
        // An ordering error first, as if the stages had run one after the other.
        let factor = rest
            .map_err(FactorError::from)
            .and_then(|rest| started.and_then(|pre| pre.finish(lower, &rest)));
        DcPowerFlow::assemble(model, reduction, factor)
    }

    /// Factorises an already built model.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// let model = landlinked::dc::DcModel::new(&net).unwrap();
    /// let pf = landlinked::dc::DcPowerFlow::from_model(model).unwrap();
    /// assert_eq!(pf.model().bus_count(), 1);
    /// ```
    pub fn from_model(model: DcModel) -> Result<DcPowerFlow> {
        let reduction = Reduction::new(model.topology(), model.bus_count());
        let (cp, ri, v) = model.reduced_lower(&reduction.red_of);
        let factor = LdlFactor::new(reduction.reduced.len(), &cp, &ri, &v);
        DcPowerFlow::assemble(model, reduction, factor)
    }

    /// The power flow from its parts, once the factorisation is done (or
    /// has failed: a singular pivot is reported with its island, an
    /// infinite diagonal entry with its bus).
    fn assemble(
        model: DcModel,
        reduction: Reduction,
        factor: std::result::Result<LdlFactor, FactorError>,
    ) -> Result<DcPowerFlow> {
        let Reduction {
            refs,
            reduced,
            red_of,
        } = reduction;
        let factor = factor.map_err(|e| factor_error(&model, &reduced, e))?;
        // The block kernel's branch rows are 32-bit (see `layout`).
        if u32::try_from(model.bus_count()).is_err() {
            return Err(Error::Factorisation {
                kind: FactorFailure::TooManyBuses {
                    buses: model.bus_count(),
                },
            });
        }
        let coupling = model.reference_coupling(&reduced, &refs);
        let rhs_offset: Vec<f64> = reduced
            .iter()
            .zip(&coupling)
            .map(|(&b, &c)| model.pbus_shift()[b] + c)
            .collect();
        Ok(DcPowerFlow {
            model,
            reduced,
            red_of,
            refs,
            rhs_offset,
            factor,
            layout: OnceLock::new(),
        })
    }

    /// The block kernel's rows (built on the first call).
    fn layout(&self) -> &KernelLayout {
        self.layout.get_or_init(|| {
            let n = self.model.bus_count();
            let red_of = &self.red_of;
            let row_of_bus = kernel_rows(n, red_of, self.factor.perm());
            let load_row = (0..n)
                .map(|b| {
                    if red_of[b] == usize::MAX {
                        n
                    } else {
                        row_of_bus[b]
                    }
                })
                .collect();
            let load_offset = red_of
                .iter()
                .map(|&r| {
                    if r == usize::MAX {
                        0.0
                    } else {
                        self.rhs_offset[r]
                    }
                })
                .collect();
            let branch_rows: Vec<(u32, u32)> = self
                .model
                .branch_ends()
                .iter()
                // Rows are below the bus count, which `assemble` checked
                // fits in 32 bits.
                .map(|&(f, t)| (row_of_bus[f] as u32, row_of_bus[t] as u32))
                .collect();
            let mut branch_order: Vec<u32> = (0..branch_rows.len() as u32).collect();
            branch_order.sort_by_key(|&k| {
                let (f, t) = branch_rows[k as usize];
                (f.min(t), f.max(t))
            });
            KernelLayout {
                branch_order,
                branch_rows,
                row_of_bus,
                load_row,
                load_offset,
            }
        })
    }

    /// The model this power flow was built from.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// assert_eq!(pf.model().base_mva(), 100.0);
    /// ```
    pub fn model(&self) -> &DcModel {
        &self.model
    }

    /// Reference bus positions (dense, file order within each island).
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// assert_eq!(pf.reference_buses().len(), 1);
    /// ```
    pub fn reference_buses(&self) -> &[usize] {
        &self.refs
    }

    /// Entries in the triangular factor L (a measure of fill-in).
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// assert_eq!(pf.factor_nnz(), 0);
    /// ```
    pub fn factor_nnz(&self) -> usize {
        self.factor.nnz()
    }

    /// Solves for the network's own injections (generation less load and
    /// shunt conductance), MATPOWER's `rundcpf`.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 25 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// let sol = landlinked::dc::DcPowerFlow::new(&net).unwrap().solve().unwrap();
    /// assert!((sol.pg_mw[0] - 25.0).abs() < 1e-12);
    /// ```
    pub fn solve(&self) -> Result<DcSolution> {
        let st = self.solve_injections(self.model.bus_injections_mw())?;
        let mut pg_mw = self.model.generator_outputs_mw();
        let mut p_inj_mw = self.model.bus_injections_mw().to_vec();
        for (k, &r) in self.refs.iter().enumerate() {
            if let Some(g) = self.model.topology().slack_generator(r) {
                pg_mw[g] += st.slack_mw[k];
            }
            p_inj_mw[r] += st.slack_mw[k];
        }
        Ok(DcSolution {
            va_deg: st.va_deg,
            pf_mw: st.pf_mw,
            pg_mw,
            p_inj_mw,
            islands: self.model.topology().islands().len(),
            warnings: self.model.topology().warnings().to_vec(),
        })
    }

    /// Solves for any bus injections (MW, positive into the bus, one per bus
    /// in file order; values at isolated buses are ignored). Phase-shift
    /// injections are added as in MATPOWER.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// assert!(pf.solve_injections(&[1.0, 2.0]).is_err()); // wrong length
    /// ```
    pub fn solve_injections(&self, p_mw: &[f64]) -> Result<DcState> {
        let n = self.model.bus_count();
        if p_mw.len() != n {
            return Err(Error::DimensionMismatch {
                what: "bus injection vector".into(),
                found: p_mw.len(),
                expected: n,
            });
        }
        self.check_injections(p_mw, None)?;
        let inv_base = self.model.inv_base();
        let mut rhs: Vec<f64> = self
            .reduced
            .iter()
            .zip(&self.rhs_offset)
            .map(|(&b, &off)| p_mw[b] * inv_base - off)
            .collect();
        let mut work = vec![0.0; rhs.len()];
        self.factor.solve_in_place(&mut rhs, &mut work);
        let mut theta = self.model.file_angles_rad().to_vec();
        for (&b, &t) in self.reduced.iter().zip(&rhs) {
            theta[b] = t;
        }
        let pf_mw = self.model.flows_mw(&theta);
        let slack_mw = self
            .refs
            .iter()
            .map(|&r| self.model.injection_at_pu(r, &theta) - self.model.injection_pu(r, p_mw[r]))
            .map(|d| d * self.model.base_mva())
            .collect();
        let va_deg: Vec<f64> = theta.iter().map(|t| t.to_degrees()).collect();
        self.check_finite(&va_deg, &pf_mw)?;
        Ok(DcState {
            va_deg,
            pf_mw,
            slack_mw,
        })
    }

    /// Number of unknown angles: buses that are neither references nor
    /// isolated. The reduced system `B_red θ_red = P_red` has this size.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// assert_eq!(pf.reduced_len(), 1);
    /// ```
    pub fn reduced_len(&self) -> usize {
        self.reduced.len()
    }

    /// Bus positions of the reduced unknowns, in reduced order.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// assert_eq!(pf.reduced_buses(), &[1]);
    /// ```
    pub fn reduced_buses(&self) -> &[usize] {
        &self.reduced
    }

    /// Reduced position of a bus (`None` for references and isolated buses).
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// assert_eq!(pf.reduced_position(0), None);
    /// assert_eq!(pf.reduced_position(1), Some(0));
    /// ```
    pub fn reduced_position(&self, bus: usize) -> Option<usize> {
        let k = self.red_of[bus];
        (k != usize::MAX).then_some(k)
    }

    /// The reduced susceptance matrix `B_red` (p.u., symmetric, both
    /// triangles) in reduced order: rows and columns of
    /// [`DcPowerFlow::reduced_buses`]. For comparing factorisations or
    /// handing the system to another solver.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// let b = pf.reduced_b();
    /// assert_eq!(b.get(0, 0), Some(&2.0));
    /// ```
    pub fn reduced_b(&self) -> sprs::CsMat<f64> {
        let (cp, ri, v) = self.model.reduced_lower(&self.red_of);
        let nr = self.reduced.len();
        let mut tri = sprs::TriMat::with_capacity((nr, nr), 2 * v.len());
        for j in 0..nr {
            for p in cp[j]..cp[j + 1] {
                tri.add_triplet(ri[p], j, v[p]);
                if ri[p] != j {
                    tri.add_triplet(j, ri[p], v[p]);
                }
            }
        }
        tri.to_csc()
    }

    /// Solves `B_red x = rhs` in place (p.u., reduced order) with the
    /// stored factorisation: the building block of sensitivities.
    ///
    /// # Panics
    /// If `rhs.len()` is not [`DcPowerFlow::reduced_len`]: a programming
    /// error, like a mismatched `copy_from_slice`.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// let mut x = vec![1.0];
    /// pf.solve_reduced_in_place(&mut x);
    /// assert!((x[0] - 0.5).abs() < 1e-15); // B_red = [2]
    /// ```
    pub fn solve_reduced_in_place(&self, rhs: &mut [f64]) {
        let mut work = vec![0.0; rhs.len()];
        self.factor.solve_in_place(rhs, &mut work);
    }

    fn check_finite(&self, va: &[f64], pf: &[f64]) -> Result<()> {
        if let Some(b) = va.iter().position(|v| !v.is_finite()) {
            return Err(singular_island(&self.model, b));
        }
        if let Some(k) = pf.iter().position(|v| !v.is_finite()) {
            let (f, _) = self.model.branch_ends()[k];
            return Err(singular_island(&self.model, f));
        }
        Ok(())
    }
}

impl DcPowerFlow {
    /// Errors on a NaN or infinite injection (buses × periods column-major
    /// when `first_period` is given: the period of `p_mw`'s first column),
    /// naming the bus and period, so that bad input is not reported as a
    /// singular network.
    pub(crate) fn check_injections(&self, p_mw: &[f64], first_period: Option<usize>) -> Result<()> {
        if p_mw.iter().all(|v| v.is_finite()) {
            return Ok(());
        }
        let n = self.model.bus_count().max(1);
        let k = p_mw.iter().position(|v| !v.is_finite()).unwrap_or(0);
        let bus = self.model.topology().bus_index().id(k % n);
        let element = match first_period {
            Some(t) => format!("bus {bus}, period {}", t + k / n + 1),
            None => format!("bus {bus}"),
        };
        Err(Error::NonFinite {
            element,
            field: "injection_mw".into(),
            value: p_mw[k],
        })
    }
}

/// Bus → row of the block kernel's angle array: unknowns at their
/// permuted position, fixed buses after them in file order.
fn kernel_rows(n: usize, red_of: &[usize], perm: &[usize]) -> Vec<usize> {
    let mut pos_of_red = vec![0; perm.len()];
    for (ip, &p) in perm.iter().enumerate() {
        pos_of_red[p] = ip;
    }
    let mut next_fixed = perm.len();
    (0..n)
        .map(|b| match red_of[b] {
            usize::MAX => {
                next_fixed += 1;
                next_fixed - 1
            }
            r => pos_of_red[r],
        })
        .collect()
}

/// The error for a failed factorisation of the reduced B, whose row `k`
/// is bus `reduced[k]`.
fn factor_error(model: &DcModel, reduced: &[usize], e: FactorError) -> Error {
    match e {
        FactorError::Singular { row } => singular_island(model, reduced[row]),
        FactorError::NonFiniteDiagonal { row, value } => Error::Factorisation {
            kind: FactorFailure::NonFiniteDiagonal {
                bus: model.topology().bus_index().id(reduced[row]),
                value,
            },
        },
        FactorError::Ordering(AmdFailed { vertices, reason }) => {
            Error::OrderingFailed { vertices, reason }
        }
        FactorError::Failed(kind) => Error::Factorisation { kind },
    }
}

fn singular_island(model: &DcModel, bus: usize) -> Error {
    let topo = model.topology();
    let island = topo.island_of(bus).unwrap_or(0);
    let ids = topo.bus_index();
    let buses = topo
        .islands()
        .get(island)
        .map(|i| i.buses.iter().map(|&b| ids.id(b)).collect())
        .unwrap_or_default();
    Error::SingularIsland { island, buses }
}
