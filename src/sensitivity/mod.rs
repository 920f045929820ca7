//! Linear sensitivities of the DC power flow: PTDF, LODF, N-1 screening and
//! zone-to-zone transfer capability.
//!
//! Entry points:
//! * [`Ptdf`]: MW of branch flow per MW injected at a bus and withdrawn at
//!   its island's reference bus (MATPOWER's `makePTDF`), for every branch
//!   ([`Ptdf::full`]) or only monitored ones ([`Ptdf::monitored`]), or one
//!   column on demand ([`Ptdf::column`], [`Ptdf::transfer_column`]).
//! * [`Lodf`]: change of flow on a branch per MW of pre-outage flow on an
//!   outaged branch (MATPOWER's `makeLODF`); an outage that splits an island
//!   is reported as [`OutageKind::Islanding`], never as a huge factor.
//! * [`screen_n1`]: every single-branch outage, post-contingency flows of
//!   monitored branches, the worst flow per branch and its outage.
//! * [`transfer_capability`]: the largest additional transfer between two
//!   [`Zone`]s before a rated branch overloads, base case and N-1.
//!
//! ## Conventions
//! * Branches are named by their 0-based position in the network's branch
//!   list; buses by their **bus numbers** (`Bus::id`) at the API, and by
//!   position in file order in matrix columns.
//! * Factors are MW per MW: flows are positive from `from` to `to`, an
//!   injection positive into the bus.
//! * Everything is computed from the factorisation held by
//!   [`DcPowerFlow`]: each column (or row) costs one solve with `B_red`,
//!   done in blocks of [`BLOCK`] right-hand sides, blocks in parallel with
//!   rayon. Results do not depend on the number of threads.
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Ptdf};
//! // A triangle: 1-2, 2-3, 1-3, equal reactances; bus 1 is the reference.
//! let net = matpower::parse_str("mpc.baseMVA=100;
//! mpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1; 3 1 0 0 0 0 1 1 0 1 1 1 1];
//! mpc.gen=[1 0 0 0 0 1 100 1 1 0];
//! mpc.branch=[1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 2 3 0 0.1 0 0 0 0 0 0 1 -360 360; 1 3 0 0.1 0 0 0 0 0 0 1 -360 360];", "tri.m")?;
//! let pf = DcPowerFlow::new(&net)?;
//! let ptdf = Ptdf::full(&pf)?;
//! // 1 MW into bus 3 and out at bus 1: 2/3 goes direct, 1/3 via bus 2.
//! assert!((ptdf.matrix()[(2, 2)] + 2.0 / 3.0).abs() < 1e-12);
//! assert!((ptdf.matrix()[(0, 2)] + 1.0 / 3.0).abs() < 1e-12);
//! # Ok::<(), landlinked::Error>(())
//! ```

mod contingency;
mod lodf;
mod prepared;
mod ptdf;
mod screened;
mod transfer;
mod year;

pub use contingency::{N1Report, outage_flows, screen_n1};
pub use lodf::{Lodf, OutageKind, islanding_branches};
pub use prepared::PreparedTransfer;
pub use ptdf::Ptdf;
pub use screened::ScreenedColumn;
pub use transfer::{TransferCapability, TransferLimit, TransferSettings, transfer_capability};
pub use year::{ContingencyYear, ScreenedOutage, screen_outages};

use crate::dc::{BLOCK, DcPowerFlow};
use crate::error::{Error, Result};
use crate::network::{BusType, Network};

/// A set of buses with participation factors (shares summing to 1): where
/// a transfer is injected or withdrawn.
///
/// ```
/// use landlinked::sensitivity::Zone;
/// let z = Zone::with_shares(&[(4, 3.0), (7, 1.0)])?;
/// assert_eq!(z.shares(), &[(4, 0.75), (7, 0.25)]);
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    shares: Vec<(u64, f64)>,
}

impl Zone {
    /// One bus takes the whole transfer.
    ///
    /// ```
    /// use landlinked::sensitivity::Zone;
    /// assert_eq!(Zone::bus(5).shares(), &[(5, 1.0)]);
    /// ```
    pub fn bus(id: u64) -> Zone {
        Zone {
            shares: vec![(id, 1.0)],
        }
    }

    /// Buses (numbers) with non-negative weights, normalised to sum 1.
    /// Errors on an empty list, a negative or non-finite weight, or weights
    /// that sum to 0.
    ///
    /// ```
    /// use landlinked::sensitivity::Zone;
    /// assert!(Zone::with_shares(&[(1, -1.0)]).is_err());
    /// assert!(Zone::with_shares(&[]).is_err());
    /// ```
    pub fn with_shares(weights: &[(u64, f64)]) -> Result<Zone> {
        let bad = |value: f64, expected: &str| Error::InvalidValue {
            element: "zone".into(),
            field: "participation factor".into(),
            value,
            expected: expected.into(),
        };
        if let Some(&(_, w)) = weights.iter().find(|(_, w)| !w.is_finite() || *w < 0.0) {
            return Err(bad(w, "a finite, non-negative weight"));
        }
        let total: f64 = weights.iter().map(|(_, w)| w).sum();
        if !total.is_finite() || total <= 0.0 {
            return Err(bad(total, "weights with a positive, finite sum"));
        }
        Ok(Zone {
            shares: weights.iter().map(|&(b, w)| (b, w / total)).collect(),
        })
    }

    /// Equal shares over the given buses.
    ///
    /// ```
    /// use landlinked::sensitivity::Zone;
    /// assert_eq!(Zone::equal(&[1, 2])?.shares(), &[(1, 0.5), (2, 0.5)]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn equal(buses: &[u64]) -> Result<Zone> {
        let w: Vec<(u64, f64)> = buses.iter().map(|&b| (b, 1.0)).collect();
        Zone::with_shares(&w)
    }

    /// The in-service generators of an area (bus `area` column), in
    /// proportion to their file output `Pg` (equal shares per generator if
    /// all are 0). Errors if the area has none.
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Generator, Network};
    /// use landlinked::sensitivity::Zone;
    /// let mut net = Network::new("x", 100.0);
    /// net.buses.push(Bus { area: 2, ..Bus::new(1, BusType::Ref) });
    /// net.generators.push(Generator::new(1, 30.0));
    /// assert_eq!(Zone::area_generators(&net, 2)?.shares(), &[(1, 1.0)]);
    /// assert!(Zone::area_generators(&net, 3).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn area_generators(net: &Network, area: u32) -> Result<Zone> {
        let idx = net.bus_index()?;
        let gens: Vec<(u64, f64)> = net
            .generators
            .iter()
            .filter(|g| g.in_service)
            .filter(|g| {
                idx.position(g.bus).is_some_and(|p| {
                    net.buses[p].area == area && net.buses[p].kind != BusType::Isolated
                })
            })
            .map(|g| (g.bus, g.pg_mw.max(0.0)))
            .collect();
        let total: f64 = gens.iter().map(|g| g.1).sum();
        let w: Vec<(u64, f64)> = if total > 0.0 {
            gens
        } else {
            gens.iter().map(|&(b, _)| (b, 1.0)).collect()
        };
        Zone::with_shares(&merge_buses(w)).map_err(|_| empty_area(area, "in-service generator"))
    }

    /// The loads of an area, in proportion to `Pd` (buses with positive
    /// load; equal shares over all the area's buses if none). Errors if the
    /// area has no (non-isolated) bus.
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Network};
    /// use landlinked::sensitivity::Zone;
    /// let mut net = Network::new("x", 100.0);
    /// net.buses.push(Bus { pd_mw: 10.0, ..Bus::new(1, BusType::Pq) });
    /// net.buses.push(Bus { pd_mw: 30.0, ..Bus::new(2, BusType::Pq) });
    /// assert_eq!(Zone::area_loads(&net, 1)?.shares(), &[(1, 0.25), (2, 0.75)]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn area_loads(net: &Network, area: u32) -> Result<Zone> {
        let buses: Vec<_> = net
            .buses
            .iter()
            .filter(|b| b.area == area && b.kind != BusType::Isolated)
            .collect();
        let loads: Vec<(u64, f64)> = buses
            .iter()
            .filter(|b| b.pd_mw > 0.0)
            .map(|b| (b.id, b.pd_mw))
            .collect();
        let w = if loads.is_empty() {
            buses.iter().map(|b| (b.id, 1.0)).collect()
        } else {
            loads
        };
        Zone::with_shares(&w).map_err(|_| empty_area(area, "bus"))
    }

    /// `(bus number, share)` pairs; shares sum to 1.
    ///
    /// ```
    /// use landlinked::sensitivity::Zone;
    /// assert_eq!(Zone::bus(3).shares().len(), 1);
    /// ```
    pub fn shares(&self) -> &[(u64, f64)] {
        &self.shares
    }

    /// A zone from its text form: an area number (`3`: as a source, the
    /// area's in-service generators by their output
    /// ([`Zone::area_generators`]); as a sink, its loads by their demand
    /// ([`Zone::area_loads`])) or a bus list (`bus:4,7,9`, equal shares).
    /// The command line and the examples read zones this way.
    ///
    /// ```
    /// use landlinked::{io::matpower, sensitivity::Zone};
    /// let net = matpower::read("grids/case5_tap_shift.m")?;
    /// assert_eq!(Zone::parse(&net, "bus:12,25", false)?.shares(), &[(12, 0.5), (25, 0.5)]);
    /// assert!(Zone::parse(&net, "1", true).is_ok());
    /// let err = Zone::parse(&net, "north", true).unwrap_err();
    /// assert_eq!(err.to_string(), "`north` is neither an area number nor bus:LIST");
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn parse(net: &Network, spec: &str, source: bool) -> Result<Zone> {
        let invalid = |message: String| Error::Invalid { message };
        if let Some(list) = spec.strip_prefix("bus:") {
            let ids: std::result::Result<Vec<u64>, _> =
                list.split(',').map(|s| s.trim().parse::<u64>()).collect();
            let ids = ids.map_err(|_| invalid(format!("bad bus list `{list}`")))?;
            return Zone::equal(&ids);
        }
        let area: u32 = spec
            .parse()
            .map_err(|_| invalid(format!("`{spec}` is neither an area number nor bus:LIST")))?;
        if source {
            Zone::area_generators(net, area)
        } else {
            Zone::area_loads(net, area)
        }
    }
}

fn empty_area(area: u32, what: &str) -> Error {
    Error::InvalidValue {
        element: format!("area {area}"),
        field: "area".into(),
        value: f64::from(area),
        expected: format!("an area with at least one {what}"),
    }
}

/// Adds up the weights of repeated buses, keeping first-appearance order.
fn merge_buses(w: Vec<(u64, f64)>) -> Vec<(u64, f64)> {
    let mut out: Vec<(u64, f64)> = Vec::with_capacity(w.len());
    for (b, x) in w {
        match out.iter_mut().find(|(o, _)| *o == b) {
            Some(e) => e.1 += x,
            None => out.push((b, x)),
        }
    }
    out
}

/// What every sensitivity computation needs from the power flow, in the
/// layout of the block kernel: reduced rows, plus one extra all-zero row
/// standing for reference and isolated buses (angle change 0), so a branch
/// flow change is `b · (x[row f] − x[row t])` with no branching.
pub(crate) struct Kernel<'a> {
    pub(crate) pf: &'a DcPowerFlow,
    /// Reduced rows (`n_red` for references and isolated buses).
    pub(crate) row: Vec<usize>,
    pub(crate) n_red: usize,
}

impl<'a> Kernel<'a> {
    pub(crate) fn new(pf: &'a DcPowerFlow) -> Kernel<'a> {
        let n_red = pf.reduced_len();
        let row = (0..pf.model().bus_count())
            .map(|b| pf.reduced_position(b).unwrap_or(n_red))
            .collect();
        Kernel { pf, row, n_red }
    }

    /// A zeroed block of `(n_red + 1) × BLOCK` (the last row stays 0).
    pub(crate) fn new_block(&self) -> Vec<f64> {
        vec![0.0; (self.n_red + 1) * BLOCK]
    }

    /// Solves the first `n_red` rows of a block in place (row-major,
    /// `width ≤ BLOCK` lanes per row).
    pub(crate) fn solve(&self, block: &mut [f64], width: usize) {
        self.pf
            .solve_reduced_block(&mut block[..self.n_red * width], width);
    }

    /// Rows of a branch's ends.
    pub(crate) fn branch_rows(&self, k: usize) -> (usize, usize) {
        let (f, t) = self.pf.model().branch_ends()[k];
        (self.row[f], self.row[t])
    }

    /// Right-hand side `e_f − e_t` of branch `k` in lane `c`.
    pub(crate) fn put_branch(&self, block: &mut [f64], width: usize, c: usize, k: usize) {
        let (rf, rt) = self.branch_rows(k);
        block[rf * width + c] += 1.0;
        block[rt * width + c] -= 1.0;
        block[self.n_red * width + c] = 0.0;
    }

    /// Change of flow on branch `l` (p.u. per p.u.) for the solved lane `c`.
    #[inline]
    pub(crate) fn delta(&self, block: &[f64], width: usize, c: usize, l: usize) -> f64 {
        let b = self.pf.model().branch_susceptance_pu()[l];
        let (rf, rt) = self.branch_rows(l);
        b * (block[rf * width + c] - block[rt * width + c])
    }
}

/// Checks 0-based branch positions against the branch count.
pub(crate) fn check_branches(list: &[usize], m: usize, what: &str) -> Result<()> {
    match list.iter().find(|&&k| k >= m) {
        Some(&k) => Err(Error::InvalidValue {
            element: what.into(),
            field: "branch position".into(),
            value: k as f64,
            expected: format!("a 0-based branch position below {m}"),
        }),
        None => Ok(()),
    }
}

/// Dense bus positions of a zone's buses with their shares; errors on an
/// unknown bus number.
pub(crate) fn zone_positions(pf: &DcPowerFlow, zone: &Zone) -> Result<Vec<(usize, f64)>> {
    let idx = pf.model().topology().bus_index();
    zone.shares
        .iter()
        .map(|&(id, s)| {
            idx.position(id).map(|p| (p, s)).ok_or(Error::UnknownBus {
                element: "zone".into(),
                bus: id,
            })
        })
        .collect()
}

/// Every active branch, in case order.
pub(crate) fn active_branches(pf: &DcPowerFlow) -> Vec<usize> {
    let topo = pf.model().topology();
    (0..pf.model().branch_count())
        .filter(|&k| topo.branch_active(k))
        .collect()
}
