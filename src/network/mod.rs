//! Plain network data: buses, branches, HVDC links, generators, loads.
//!
//! These types know nothing about matrices or files. Field names carry their
//! units: `_mw`, `_mvar`, `_pu` (per unit on the network's `base_mva`),
//! `_deg`, `_kv`. Bus numbers are the case's own (arbitrary positive
//! integers); [`BusIndex`] maps them to dense positions.
//!
//! ```
//! use landlinked::network::{Branch, Bus, BusType, Generator, Network};
//! let mut net = Network::new("two-bus", 100.0);
//! net.buses.push(Bus::new(1, BusType::Ref));
//! net.buses.push(Bus { pd_mw: 50.0, ..Bus::new(2, BusType::Pq) });
//! net.branches.push(Branch::line(1, 2, 0.1));
//! net.generators.push(Generator::new(1, 0.0));
//! net.validate().unwrap();
//! assert_eq!(net.total_load_mw(), 50.0);
//! ```

mod hvdc;

pub use hvdc::HvdcLink;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// MATPOWER bus type (column 2 of `mpc.bus`).
///
/// ```
/// use landlinked::network::BusType;
/// assert_eq!(BusType::from_code(3.0), Some(BusType::Ref));
/// assert_eq!(BusType::Isolated.code(), 4);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BusType {
    /// Load bus (1).
    Pq,
    /// Generator bus (2).
    Pv,
    /// Reference (slack) bus (3).
    Ref,
    /// Isolated bus (4): removed with everything attached.
    Isolated,
}

impl BusType {
    /// Type from MATPOWER's numeric code; `None` for anything but 1 to 4.
    ///
    /// ```
    /// use landlinked::network::BusType;
    /// assert_eq!(BusType::from_code(2.0), Some(BusType::Pv));
    /// assert_eq!(BusType::from_code(5.0), None);
    /// ```
    pub fn from_code(code: f64) -> Option<BusType> {
        match code {
            1.0 => Some(BusType::Pq),
            2.0 => Some(BusType::Pv),
            3.0 => Some(BusType::Ref),
            4.0 => Some(BusType::Isolated),
            _ => None,
        }
    }

    /// MATPOWER's numeric code (1 to 4).
    ///
    /// ```
    /// use landlinked::network::BusType;
    /// assert_eq!(BusType::Pv.code(), 2);
    /// ```
    pub fn code(self) -> u8 {
        match self {
            BusType::Pq => 1,
            BusType::Pv => 2,
            BusType::Ref => 3,
            BusType::Isolated => 4,
        }
    }
}

/// A bus (node). Load is its `pd_mw`; `gs_mw` is a constant-conductance shunt
/// (MW consumed at 1 p.u. voltage), which the DC power flow treats as load.
///
/// ```
/// use landlinked::network::{Bus, BusType};
/// let b = Bus { pd_mw: 90.0, ..Bus::new(5, BusType::Pq) };
/// assert_eq!(b.id, 5);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bus {
    /// Bus number (MATPOWER `BUS_I`), a positive integer.
    pub id: u64,
    /// Bus type.
    pub kind: BusType,
    /// Active load, MW.
    pub pd_mw: f64,
    /// Reactive load, MVAr (unused by the DC power flow).
    pub qd_mvar: f64,
    /// Shunt conductance, MW at 1 p.u. voltage.
    pub gs_mw: f64,
    /// Shunt susceptance, MVAr at 1 p.u. voltage (unused in DC).
    pub bs_mvar: f64,
    /// Area number.
    pub area: u32,
    /// Voltage magnitude, p.u.
    pub vm_pu: f64,
    /// Voltage angle, degrees (the reference bus keeps it).
    pub va_deg: f64,
    /// Base voltage, kV.
    pub base_kv: f64,
    /// Loss zone number.
    pub zone: u32,
}

impl Bus {
    /// A bus with no load, flat voltage and area/zone 1.
    ///
    /// ```
    /// use landlinked::network::{Bus, BusType};
    /// assert_eq!(Bus::new(7, BusType::Pv).vm_pu, 1.0);
    /// ```
    pub fn new(id: u64, kind: BusType) -> Bus {
        Bus {
            id,
            kind,
            pd_mw: 0.0,
            qd_mvar: 0.0,
            gs_mw: 0.0,
            bs_mvar: 0.0,
            area: 1,
            vm_pu: 1.0,
            va_deg: 0.0,
            base_kv: 0.0,
            zone: 1,
        }
    }
}

/// A line or transformer between two buses (MATPOWER `mpc.branch` row).
///
/// In the DC power flow its susceptance is `1 / (x_pu · tap)` with
/// `tap == 0` meaning 1, and its flow is `b · (θf − θt − shift)`.
///
/// ```
/// use landlinked::network::Branch;
/// let t = Branch { tap: 0.95, shift_deg: -3.0, ..Branch::line(1, 2, 0.05) };
/// assert_eq!(t.effective_tap(), 0.95);
/// assert_eq!(Branch::line(1, 2, 0.1).effective_tap(), 1.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    /// From bus number.
    pub from: u64,
    /// To bus number.
    pub to: u64,
    /// Resistance, p.u.
    pub r_pu: f64,
    /// Reactance, p.u. (may be negative: series capacitors, star equivalents).
    pub x_pu: f64,
    /// Total line charging susceptance, p.u.
    pub b_pu: f64,
    /// Long-term rating, MVA (0 = unlimited).
    pub rate_a_mva: f64,
    /// Short-term rating, MVA (0 = unlimited).
    pub rate_b_mva: f64,
    /// Emergency rating, MVA (0 = unlimited).
    pub rate_c_mva: f64,
    /// Off-nominal turns ratio; 0 means 1 (a line).
    pub tap: f64,
    /// Phase shift angle, degrees (positive delays the to side).
    pub shift_deg: f64,
    /// In service?
    pub in_service: bool,
}

impl Branch {
    /// An in-service line with reactance `x_pu` and nothing else.
    ///
    /// ```
    /// use landlinked::network::Branch;
    /// assert!(Branch::line(1, 2, 0.1).in_service);
    /// ```
    pub fn line(from: u64, to: u64, x_pu: f64) -> Branch {
        Branch {
            from,
            to,
            r_pu: 0.0,
            x_pu,
            b_pu: 0.0,
            rate_a_mva: 0.0,
            rate_b_mva: 0.0,
            rate_c_mva: 0.0,
            tap: 0.0,
            shift_deg: 0.0,
            in_service: true,
        }
    }

    /// The turns ratio as used in the model: `tap`, or 1 where `tap == 0`.
    ///
    /// ```
    /// use landlinked::network::Branch;
    /// assert_eq!(Branch::line(1, 2, 0.1).effective_tap(), 1.0);
    /// ```
    pub fn effective_tap(&self) -> f64 {
        if self.tap == 0.0 { 1.0 } else { self.tap }
    }

    /// DC susceptance `1 / (x · tap)`, p.u.
    ///
    /// ```
    /// use landlinked::network::Branch;
    /// assert_eq!(Branch::line(1, 2, 0.5).dc_susceptance_pu(), 2.0);
    /// ```
    pub fn dc_susceptance_pu(&self) -> f64 {
        1.0 / (self.x_pu * self.effective_tap())
    }
}

/// A generator (MATPOWER `mpc.gen` row).
///
/// ```
/// use landlinked::network::Generator;
/// let g = Generator::new(2, 163.0);
/// assert!(g.in_service);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generator {
    /// Bus number.
    pub bus: u64,
    /// Active output, MW.
    pub pg_mw: f64,
    /// Reactive output, MVAr.
    pub qg_mvar: f64,
    /// Maximum active output, MW.
    pub pmax_mw: f64,
    /// Minimum active output, MW.
    pub pmin_mw: f64,
    /// In service?
    pub in_service: bool,
}

impl Generator {
    /// An in-service generator at `bus` producing `pg_mw`, with no limits.
    ///
    /// ```
    /// use landlinked::network::Generator;
    /// assert_eq!(Generator::new(1, 10.0).pg_mw, 10.0);
    /// ```
    pub fn new(bus: u64, pg_mw: f64) -> Generator {
        Generator {
            bus,
            pg_mw,
            qg_mvar: 0.0,
            pmax_mw: f64::MAX,
            pmin_mw: 0.0,
            in_service: true,
        }
    }
}

/// Explicit map from bus numbers to dense positions (file order).
///
/// ```
/// use landlinked::network::BusIndex;
/// let idx = BusIndex::new(&[10, 4, 7]).unwrap();
/// assert_eq!(idx.position(4), Some(1));
/// assert_eq!(idx.id(2), 7);
/// assert_eq!(idx.position(99), None);
/// ```
#[derive(Clone, Debug)]
pub struct BusIndex {
    ids: Vec<u64>,
    lookup: Lookup,
}

/// Bus number → position: a direct table when the numbers are compact
/// (the common case: a lookup is one load), a hash map otherwise.
#[derive(Clone, Debug)]
enum Lookup {
    /// `table[id]` = position + 1 (0 = no such bus).
    Dense(Vec<u32>),
    Hashed(HashMap<u64, usize>),
}

impl BusIndex {
    /// Builds the index; errors on a duplicate bus number.
    ///
    /// ```
    /// use landlinked::network::BusIndex;
    /// assert!(BusIndex::new(&[1, 2, 1]).is_err());
    /// ```
    pub fn new(ids: &[u64]) -> Result<BusIndex> {
        let duplicate = |id: u64, first: usize, second: usize| Error::DuplicateBus {
            bus: id,
            first: first + 1,
            second: second + 1,
        };
        let max_id = ids.iter().copied().max().unwrap_or(0);
        let compact = max_id <= 8 * ids.len() as u64 + 1024 && ids.len() < u32::MAX as usize;
        let lookup = if compact {
            let mut table = vec![0u32; max_id as usize + 1];
            for (i, &id) in ids.iter().enumerate() {
                let slot = &mut table[id as usize];
                if *slot != 0 {
                    return Err(duplicate(id, *slot as usize - 1, i));
                }
                *slot = i as u32 + 1;
            }
            Lookup::Dense(table)
        } else {
            let mut pos = HashMap::with_capacity(ids.len());
            for (i, &id) in ids.iter().enumerate() {
                if let Some(first) = pos.insert(id, i) {
                    return Err(duplicate(id, first, i));
                }
            }
            Lookup::Hashed(pos)
        };
        Ok(BusIndex {
            ids: ids.to_vec(),
            lookup,
        })
    }

    /// Dense position of bus number `id`.
    ///
    /// ```
    /// use landlinked::network::BusIndex;
    /// assert_eq!(BusIndex::new(&[5]).unwrap().position(5), Some(0));
    /// ```
    pub fn position(&self, id: u64) -> Option<usize> {
        match &self.lookup {
            Lookup::Dense(table) => match table.get(usize::try_from(id).ok()?) {
                Some(&p) if p != 0 => Some(p as usize - 1),
                _ => None,
            },
            Lookup::Hashed(pos) => pos.get(&id).copied(),
        }
    }

    /// Bus number at dense position `i` (panics if out of range: a
    /// programming error, not a data error).
    ///
    /// ```
    /// use landlinked::network::BusIndex;
    /// assert_eq!(BusIndex::new(&[5, 6]).unwrap().id(1), 6);
    /// ```
    pub fn id(&self, i: usize) -> u64 {
        self.ids[i]
    }

    /// Number of buses.
    ///
    /// ```
    /// use landlinked::network::BusIndex;
    /// assert_eq!(BusIndex::new(&[5, 6]).unwrap().len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no buses.
    ///
    /// ```
    /// use landlinked::network::BusIndex;
    /// assert!(BusIndex::new(&[]).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Bus numbers in dense order.
    ///
    /// ```
    /// use landlinked::network::BusIndex;
    /// assert_eq!(BusIndex::new(&[5, 6]).unwrap().ids(), &[5, 6]);
    /// ```
    pub fn ids(&self) -> &[u64] {
        &self.ids
    }
}

/// A whole network: buses, branches and generators in input order.
///
/// ```
/// use landlinked::network::Network;
/// let net = Network::new("empty", 100.0);
/// assert_eq!(net.base_mva, 100.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// A name (the case's function name, say).
    pub name: String,
    /// System MVA base for per-unit values.
    pub base_mva: f64,
    /// Buses in input order.
    pub buses: Vec<Bus>,
    /// Branches in input order.
    pub branches: Vec<Branch>,
    /// Generators in input order.
    pub generators: Vec<Generator>,
    /// HVDC links in input order (absent from MATPOWER files: empty there).
    #[serde(default)]
    pub hvdc_links: Vec<HvdcLink>,
    /// Tables of the source file that play no part in the network and were
    /// read past (MATPOWER's `gencost`, `bus_name`, `dcline`, …), in file
    /// order; empty for a network not read from a MATPOWER file.
    #[serde(default)]
    pub skipped_tables: Vec<SkippedTable>,
}

/// A table of a MATPOWER file that the reader skipped: see
/// [`Network::skipped_tables`]. MATPOWER's `rundcpf` ignores the same
/// tables (its HVDC lines, `mpc.dcline`, only count once `toggle_dcline`
/// turns them into generators), so results still match it; a caller can
/// name what was left out.
///
/// ```
/// let text = "mpc.baseMVA = 100;\nmpc.bus = [1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen = [1 0 0 0 0 1 100 1 1 0];\nmpc.branch = [];\nmpc.dcline = [\n 1 1 1 10 10 0 0 1 1 0 100 -10 10 -10 10 0 0;\n];\nmpc.gencost = []; % none\n";
/// let net = landlinked::io::matpower::parse_str(text, "x.m")?;
/// let t = &net.skipped_tables;
/// assert_eq!((t[0].field.as_str(), t[0].line, t[0].has_values), ("dcline", 5, true));
/// assert_eq!((t[1].field.as_str(), t[1].has_values), ("gencost", false));
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedTable {
    /// The field, `dcline` for `mpc.dcline`.
    pub field: String,
    /// Line of its assignment, from 1.
    pub line: usize,
    /// Whether it holds any value (`[]` or only comments: false).
    pub has_values: bool,
}

impl Network {
    /// An empty network with the given MVA base.
    ///
    /// ```
    /// use landlinked::network::Network;
    /// assert!(Network::new("x", 100.0).buses.is_empty());
    /// ```
    pub fn new(name: &str, base_mva: f64) -> Network {
        Network {
            name: name.to_string(),
            base_mva,
            buses: Vec::new(),
            branches: Vec::new(),
            generators: Vec::new(),
            hvdc_links: Vec::new(),
            skipped_tables: Vec::new(),
        }
    }

    /// The bus-number index (errors on a duplicate bus).
    ///
    /// ```
    /// use landlinked::network::{Bus, BusType, Network};
    /// let mut net = Network::new("x", 100.0);
    /// net.buses.push(Bus::new(3, BusType::Ref));
    /// assert_eq!(net.bus_index().unwrap().position(3), Some(0));
    /// ```
    pub fn bus_index(&self) -> Result<BusIndex> {
        let ids: Vec<u64> = self.buses.iter().map(|b| b.id).collect();
        BusIndex::new(&ids)
    }

    /// Sum of bus loads `Pd`, MW (isolated buses included).
    ///
    /// ```
    /// use landlinked::network::{Bus, BusType, Network};
    /// let mut net = Network::new("x", 100.0);
    /// net.buses.push(Bus { pd_mw: 12.5, ..Bus::new(1, BusType::Pq) });
    /// assert_eq!(net.total_load_mw(), 12.5);
    /// ```
    pub fn total_load_mw(&self) -> f64 {
        self.buses.iter().map(|b| b.pd_mw).sum()
    }

    /// Checks everything the DC power flow relies on: a finite positive
    /// base, unique positive bus numbers, finite values, known buses on
    /// every branch, generator and HVDC link, sane link capacities and
    /// losses, and a nonzero reactance on every
    /// in-service branch. Errors name the element (1-based position).
    ///
    /// ```
    /// use landlinked::network::{Branch, Bus, BusType, Network};
    /// let mut net = Network::new("x", 100.0);
    /// net.buses.push(Bus::new(1, BusType::Ref));
    /// net.branches.push(Branch::line(1, 9, 0.1));
    /// let err = net.validate().unwrap_err();
    /// assert_eq!(err.to_string(), "branch 1 (1-9) refers to unknown bus 9");
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.validate_located().map_err(|(_, e)| e)
    }

    /// Like [`Network::validate`], but reports which table and row failed so
    /// a reader can attach its file and line (`"bus"`, `"branch"`, `"gen"`,
    /// 0-based row; `("baseMVA", 0)` for the base).
    pub(crate) fn validate_located(
        &self,
    ) -> std::result::Result<(), ((&'static str, usize), Error)> {
        check_base(self.base_mva).map_err(|e| (("baseMVA", 0), e))?;
        let index = self.bus_index().map_err(|e| match &e {
            Error::DuplicateBus { second, .. } => (("bus", second - 1), e),
            _ => (("bus", 0), e),
        })?;
        for (i, bus) in self.buses.iter().enumerate() {
            check_bus(bus).map_err(|e| (("bus", i), e))?;
        }
        for (i, br) in self.branches.iter().enumerate() {
            check_branch(i, br, &index).map_err(|e| (("branch", i), e))?;
        }
        for (i, g) in self.generators.iter().enumerate() {
            check_generator(i, g, &index).map_err(|e| (("gen", i), e))?;
        }
        for (i, link) in self.hvdc_links.iter().enumerate() {
            link.validate(i, &index).map_err(|e| (("link", i), e))?;
        }
        Ok(())
    }
}

fn finite(element: &dyn Fn() -> String, field: &str, value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFinite {
            element: element(),
            field: field.to_string(),
            value,
        })
    }
}

fn check_base(base_mva: f64) -> Result<()> {
    finite(&|| "network".into(), "baseMVA", base_mva)?;
    if base_mva <= 0.0 {
        return Err(Error::InvalidValue {
            element: "network".into(),
            field: "baseMVA".into(),
            value: base_mva,
            expected: "a positive MVA base".into(),
        });
    }
    Ok(())
}

fn check_bus(bus: &Bus) -> Result<()> {
    let el = || format!("bus {}", bus.id);
    if bus.id == 0 {
        return Err(Error::InvalidValue {
            element: el(),
            field: "bus_i".into(),
            value: 0.0,
            expected: "a positive integer bus number".into(),
        });
    }
    for (field, v) in [
        ("Pd", bus.pd_mw),
        ("Qd", bus.qd_mvar),
        ("Gs", bus.gs_mw),
        ("Bs", bus.bs_mvar),
        ("Vm", bus.vm_pu),
        ("Va", bus.va_deg),
        ("baseKV", bus.base_kv),
    ] {
        finite(&el, field, v)?;
    }
    Ok(())
}

fn check_branch(i: usize, br: &Branch, index: &BusIndex) -> Result<()> {
    let el = || format!("branch {} ({}-{})", i + 1, br.from, br.to);
    for bus in [br.from, br.to] {
        if index.position(bus).is_none() {
            return Err(Error::UnknownBus { element: el(), bus });
        }
    }
    for (field, v) in [
        ("r", br.r_pu),
        ("x", br.x_pu),
        ("b", br.b_pu),
        ("rateA", br.rate_a_mva),
        ("rateB", br.rate_b_mva),
        ("rateC", br.rate_c_mva),
        ("ratio", br.tap),
        ("angle", br.shift_deg),
    ] {
        finite(&el, field, v)?;
    }
    if br.in_service && br.x_pu == 0.0 {
        return Err(Error::ZeroReactance {
            branch: i + 1,
            from: br.from,
            to: br.to,
        });
    }
    // A subnormal x (or x·tap underflowing to 0) gives an infinite
    // susceptance, and x·tap overflowing gives 0: neither can be solved.
    let b = br.dc_susceptance_pu();
    if br.in_service && !(b.is_finite() && b != 0.0) {
        return Err(Error::InvalidValue {
            element: el(),
            field: "x".into(),
            value: br.x_pu,
            expected: format!(
                "1/(x·tap) with tap {} is {b}: a finite, nonzero susceptance is required",
                br.effective_tap()
            ),
        });
    }
    Ok(())
}

fn check_generator(i: usize, g: &Generator, index: &BusIndex) -> Result<()> {
    let el = || format!("generator {} (bus {})", i + 1, g.bus);
    if index.position(g.bus).is_none() {
        return Err(Error::UnknownBus {
            element: el(),
            bus: g.bus,
        });
    }
    for (field, v) in [("Pg", g.pg_mw), ("Qg", g.qg_mvar)] {
        finite(&el, field, v)?;
    }
    Ok(())
}
