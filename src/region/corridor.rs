//! Export corridors, a pure domain type: named paths between an exporting and an importing
//! country, made of AC branches and HVDC links.
//!
//! A corridor's flow is the sum, over its branches, of the branch flow
//! oriented in the export direction, plus the set-points of its links (as
//! sent, at the sending end). Positive means export. The branches of a
//! corridor should form a cut between exporter and importer (every
//! parallel circuit of a crossing, say); the corridor does not check that.
//!
//! ```
//! use landlinked::region::Corridor;
//! use landlinked::dc::DcPowerFlow;
//! use landlinked::calendar::Month;
//! use landlinked::network::{Branch, Bus, BusType, Generator, Network};
//! let mut net = Network::new("TJ-AF", 100.0);
//! net.buses.push(Bus::new(1, BusType::Ref));
//! net.buses.push(Bus { pd_mw: 300.0, ..Bus::new(2, BusType::Pq) });
//! net.branches.push(Branch::line(1, 2, 0.1));
//! net.branches.push(Branch::line(1, 2, 0.1)); // second circuit
//! net.generators.push(Generator::new(1, 0.0));
//! let mut tutap = Corridor::new("TUTAP", "TJ", "AF", 300.0);
//! tutap.add_branch(&net, 1, 2)?; // both circuits
//! tutap.export_months = vec![Month::May, Month::Jun];
//! let sol = DcPowerFlow::new(&net)?.solve()?;
//! assert!((tutap.flow_mw(&sol.pf_mw, &[])? - 300.0).abs() < 1e-9);
//! assert!(tutap.exports_in(Month::May) && !tutap.exports_in(Month::Jan));
//! # Ok::<(), landlinked::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::calendar::Month;
use crate::error::{Error, Result};
use crate::network::Network;

/// One AC branch of a corridor, with its orientation.
///
/// ```
/// use landlinked::region::CorridorBranch;
/// let b = CorridorBranch { branch: 4, from: 7, to: 9, sign: -1.0 };
/// assert_eq!(b.sign, -1.0); // the branch is drawn importer → exporter
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorridorBranch {
    /// 0-based position in `Network::branches`.
    pub branch: usize,
    /// The branch's own from bus number.
    pub from: u64,
    /// The branch's own to bus number.
    pub to: u64,
    /// +1 when the branch's from → to is the export direction, −1 otherwise.
    pub sign: f64,
}

/// The commercial side of a corridor: what the importer pays, how much it
/// takes, and whether the exporter may import over it.
///
/// Prices are in US$/MWh at the exporter's border; the exporter earns
/// [`net_price_usd_per_mwh`](Trade::net_price_usd_per_mwh), the price less
/// the transit fee paid to a country in between (Afghanistan on CASA-1000).
///
/// ```
/// use landlinked::region::Trade;
/// let casa = Trade { price_usd_per_mwh: Some(93.5), transit_fee_usd_per_mwh: 12.5, ..Trade::default() };
/// assert_eq!(casa.net_price_usd_per_mwh(), Some(81.0));
/// assert_eq!(casa.import_capacity_mw, 0.0); // no imports unless told
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Trade {
    /// Price the importer pays, US$/MWh (`None`: not known; such a
    /// corridor is offered energy after every priced one).
    pub price_usd_per_mwh: Option<f64>,
    /// Transit fee paid to a country in between, US$/MWh.
    pub transit_fee_usd_per_mwh: f64,
    /// The importer's appetite per month, MW (`None`: up to the capacity).
    pub appetite_mw: Option<[f64; 12]>,
    /// The most energy the importer takes in one year's export months, GWh
    /// (a seasonal contract; `None`: no cap).
    pub season_cap_gwh: Option<f64>,
    /// Imports the exporter may take over the corridor in `import_months`, MW.
    pub import_capacity_mw: f64,
    /// Months in which imports are possible.
    pub import_months: Vec<Month>,
    /// Price of imports, US$/MWh.
    pub import_price_usd_per_mwh: Option<f64>,
    /// A firm export per month, MW: delivered in every hour of the
    /// corridor's export months, even when the exporter is short (then at
    /// the cost of its own load); the surplus is offered on top (`None`: no
    /// firm part). AC corridors only.
    #[serde(default)]
    pub firm_mw: Option<[f64; 12]>,
    /// A second supplier with a contracted share of the corridor's energy
    /// (Kyrgyzstan's 30 % of CASA-1000, fact sheet 4.3a): its power enters
    /// at its own bus, the exporter supplies the rest (`None`: the exporter
    /// alone).
    #[serde(default)]
    pub partner: Option<Partner>,
}

/// A co-supplier of a corridor: every MW the corridor carries is `share`
/// from the partner (injected at `bus`) and `1 − share` from the exporter,
/// as long as the partner has `available_mw` in that month; the exporter's
/// results (exports, revenue) count its own part only.
///
/// ```
/// use landlinked::region::{Partner, Trade};
/// let kg = Partner { country: "KG".into(), bus: 202, share: 0.3, available_mw: [390.0; 12] };
/// let casa = Trade { partner: Some(kg), ..Trade::default() };
/// assert!(casa.validate("CASA-1000").is_ok());
/// let mut bad = casa.clone();
/// bad.partner.as_mut().unwrap().share = 1.0; // then it is not the exporter's corridor
/// assert!(bad.validate("CASA-1000").unwrap_err().to_string().contains("share"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    /// The partner's country code (`"KG"`).
    pub country: String,
    /// Bus number where the partner's power enters the network.
    pub bus: u64,
    /// Its share of the corridor's energy, between 0 and 1 (exclusive).
    pub share: f64,
    /// What the partner can deliver per month, MW.
    pub available_mw: [f64; 12],
}

impl Trade {
    /// What the exporter earns per MWh: price less transit fee.
    ///
    /// ```
    /// assert_eq!(landlinked::region::Trade::default().net_price_usd_per_mwh(), None);
    /// ```
    pub fn net_price_usd_per_mwh(&self) -> Option<f64> {
        self.price_usd_per_mwh
            .map(|p| p - self.transit_fee_usd_per_mwh)
    }

    /// The importer's appetite in `month`, MW (infinite when not set).
    ///
    /// ```
    /// use landlinked::{calendar::Month, region::Trade};
    /// let t = Trade { appetite_mw: Some([40.0; 12]), ..Trade::default() };
    /// assert_eq!(t.appetite_in(Month::Jan), 40.0);
    /// assert_eq!(Trade::default().appetite_in(Month::Jan), f64::INFINITY);
    /// ```
    pub fn appetite_in(&self, month: Month) -> f64 {
        self.appetite_mw.map_or(f64::INFINITY, |a| a[month.index()])
    }

    /// The firm export of `month`, MW (0 when not set).
    ///
    /// ```
    /// use landlinked::{calendar::Month, region::Trade};
    /// let t = Trade { firm_mw: Some([35.0; 12]), ..Trade::default() };
    /// assert_eq!(t.firm_in(Month::Jan), 35.0);
    /// assert_eq!(Trade::default().firm_in(Month::Jan), 0.0);
    /// ```
    pub fn firm_in(&self, month: Month) -> f64 {
        self.firm_mw.map_or(0.0, |f| f[month.index()])
    }

    /// Imports possible in `month`, MW.
    ///
    /// ```
    /// use landlinked::{calendar::Month, region::Trade};
    /// let t = Trade { import_capacity_mw: 200.0, import_months: vec![Month::Jan], ..Trade::default() };
    /// assert_eq!(t.imports_in(Month::Jan), 200.0);
    /// assert_eq!(t.imports_in(Month::Jul), 0.0);
    /// ```
    pub fn imports_in(&self, month: Month) -> f64 {
        if self.import_months.contains(&month) {
            self.import_capacity_mw
        } else {
            0.0
        }
    }

    /// Checks every figure: prices and fees finite and ≥ 0, appetite and
    /// caps ≥ 0. `corridor` names the corridor in messages.
    ///
    /// ```
    /// use landlinked::region::Trade;
    /// let bad = Trade { price_usd_per_mwh: Some(-5.0), ..Trade::default() };
    /// assert!(bad.validate("C").unwrap_err().to_string().contains("price_usd_per_mwh"));
    /// ```
    pub fn validate(&self, corridor: &str) -> Result<()> {
        let mut figures: Vec<(&str, f64)> = vec![
            ("transit_fee_usd_per_mwh", self.transit_fee_usd_per_mwh),
            ("import_capacity_mw", self.import_capacity_mw),
        ];
        figures.extend(self.price_usd_per_mwh.map(|v| ("price_usd_per_mwh", v)));
        figures.extend(self.season_cap_gwh.map(|v| ("season_cap_gwh", v)));
        figures.extend(
            self.import_price_usd_per_mwh
                .map(|v| ("import_price_usd_per_mwh", v)),
        );
        figures.extend(
            self.appetite_mw
                .iter()
                .flatten()
                .map(|&v| ("appetite_mw", v)),
        );
        for (field, v) in figures {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::InvalidValue {
                    element: format!("corridor `{corridor}`"),
                    field: field.into(),
                    value: v,
                    expected: "a finite value ≥ 0".into(),
                });
            }
        }
        if let Some(p) = &self.partner {
            let element = format!("corridor `{corridor}`, partner `{}`", p.country);
            if !(p.share > 0.0 && p.share < 1.0) {
                return Err(Error::InvalidValue {
                    element,
                    field: "share".into(),
                    value: p.share,
                    expected: "a share of the energy strictly between 0 and 1".into(),
                });
            }
            if self.firm_mw.is_some() {
                return Err(Error::InvalidValue {
                    element,
                    field: "firm_mw".into(),
                    value: self.firm_mw.iter().flatten().copied().fold(0.0, f64::max),
                    expected: "no firm export on a corridor with a partner (not modelled)".into(),
                });
            }
            if let Some(&v) = p
                .available_mw
                .iter()
                .find(|v| !(v.is_finite() && **v >= 0.0))
            {
                return Err(Error::InvalidValue {
                    element,
                    field: "available_mw".into(),
                    value: v,
                    expected: "a finite value ≥ 0".into(),
                });
            }
        }
        for month in Month::ALL {
            let (firm, appetite) = (self.firm_in(month), self.appetite_in(month));
            if firm > appetite {
                return Err(Error::InvalidValue {
                    element: format!("corridor `{corridor}`, {month:?}"),
                    field: "firm_mw".into(),
                    value: firm,
                    expected: format!("at most the importer's appetite, {appetite} MW"),
                });
            }
        }
        Ok(())
    }
}

/// A named export path with its capacity and export season.
///
/// ```
/// use landlinked::region::Corridor;
/// let c = Corridor::new("CASA-1000", "TJ", "PK", 1300.0);
/// assert!(c.branches.is_empty() && c.links.is_empty());
/// assert_eq!(c.export_months.len(), 12); // all year until told otherwise
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Corridor {
    /// Name (`"CASA-1000"`, `"TUTAP"`).
    pub name: String,
    /// Exporting country code (`"TJ"`).
    pub exporter: String,
    /// Importing country code (`"PK"`).
    pub importer: String,
    /// Contracted or nominal capacity in the export direction, MW.
    pub capacity_mw: f64,
    /// Months in which the corridor exports.
    pub export_months: Vec<Month>,
    /// AC branches, oriented.
    pub branches: Vec<CorridorBranch>,
    /// HVDC links: 0-based positions in `Network::hvdc_links`, whose
    /// positive direction is the export direction.
    pub links: Vec<usize>,
    /// Prices, the importer's appetite and imports.
    #[serde(default)]
    pub trade: Trade,
    /// Where the capacity and season come from.
    pub source: Option<String>,
}

impl Corridor {
    /// A corridor with no elements, exporting all year.
    ///
    /// ```
    /// use landlinked::region::Corridor;
    /// assert_eq!(Corridor::new("GBAO", "TJ", "AF", 10.0).capacity_mw, 10.0);
    /// ```
    pub fn new(name: &str, exporter: &str, importer: &str, capacity_mw: f64) -> Corridor {
        Corridor {
            name: name.to_string(),
            exporter: exporter.to_string(),
            importer: importer.to_string(),
            capacity_mw,
            export_months: Month::ALL.to_vec(),
            branches: Vec::new(),
            links: Vec::new(),
            trade: Trade::default(),
            source: None,
        }
    }

    /// Adds every branch of `net` between buses `export_side` and
    /// `import_side` (either orientation, in or out of service). Errors
    /// when there is none.
    ///
    /// ```
    /// use landlinked::region::Corridor;
    /// use landlinked::network::{Branch, Network};
    /// let mut net = Network::new("x", 100.0);
    /// net.branches.push(Branch::line(2, 1, 0.1));
    /// let mut c = Corridor::new("C", "A", "B", 100.0);
    /// c.add_branch(&net, 1, 2)?;
    /// assert_eq!(c.branches[0].sign, -1.0);
    /// assert!(c.add_branch(&net, 1, 3).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn add_branch(&mut self, net: &Network, export_side: u64, import_side: u64) -> Result<()> {
        let before = self.branches.len();
        for (i, br) in net.branches.iter().enumerate() {
            let sign = match (br.from, br.to) {
                (f, t) if f == export_side && t == import_side => 1.0,
                (f, t) if f == import_side && t == export_side => -1.0,
                _ => continue,
            };
            self.branches.push(CorridorBranch {
                branch: i,
                from: br.from,
                to: br.to,
                sign,
            });
        }
        if self.branches.len() == before {
            return Err(Error::UnknownName {
                element: format!("corridor `{}`", self.name),
                field: "branches".into(),
                kind: "branch".into(),
                name: format!("{export_side}–{import_side}"),
            });
        }
        Ok(())
    }

    /// Adds the HVDC link called `link` (its forward direction counts as export).
    ///
    /// ```
    /// use landlinked::{network::{HvdcLink, Network}, region::Corridor};
    /// let mut net = Network::new("x", 100.0);
    /// net.hvdc_links.push(HvdcLink::new("CASA", 1, 2, 1300.0, 4.0));
    /// let mut c = Corridor::new("CASA-1000", "TJ", "PK", 1300.0);
    /// c.add_link(&net, "CASA")?;
    /// assert_eq!(c.links, vec![0]);
    /// assert!(c.add_link(&net, "nope").is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn add_link(&mut self, net: &Network, link: &str) -> Result<()> {
        let pos = net.hvdc_links.iter().position(|l| l.name == link);
        let pos = pos.ok_or_else(|| Error::UnknownName {
            element: format!("corridor `{}`", self.name),
            field: "links".into(),
            kind: "link".into(),
            name: link.to_string(),
        })?;
        self.links.push(pos);
        Ok(())
    }

    /// True when `month` is in the export season.
    ///
    /// ```
    /// use landlinked::{calendar::Month, region::Corridor};
    /// let c = Corridor { export_months: vec![Month::Jul], ..Corridor::new("C", "A", "B", 1.0) };
    /// assert!(c.exports_in(Month::Jul) && !c.exports_in(Month::Dec));
    /// ```
    pub fn exports_in(&self, month: Month) -> bool {
        self.export_months.contains(&month)
    }

    /// Corridor flow in MW, positive in the export direction, from branch
    /// flows (`pf_mw`, one per network branch) and link set-points (one per
    /// network link).
    ///
    /// ```
    /// use landlinked::region::{Corridor, CorridorBranch};
    /// let c = Corridor {
    ///     branches: vec![CorridorBranch { branch: 1, from: 2, to: 1, sign: -1.0 }],
    ///     links: vec![0],
    ///     ..Corridor::new("C", "A", "B", 1.0)
    /// };
    /// assert_eq!(c.flow_mw(&[5.0, -40.0], &[100.0])?, 140.0);
    /// assert!(c.flow_mw(&[5.0], &[100.0]).is_err()); // too few branch flows
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn flow_mw(&self, pf_mw: &[f64], link_setpoints_mw: &[f64]) -> Result<f64> {
        let ac = self.branches.iter().map(|b| {
            let f = pf_mw
                .get(b.branch)
                .ok_or_else(|| self.short("branch flow", pf_mw.len(), b.branch))?;
            Ok(b.sign * f)
        });
        let dc = self.links.iter().map(|&l| {
            let p = link_setpoints_mw.get(l);
            p.copied()
                .ok_or_else(|| self.short("link set-point", link_setpoints_mw.len(), l))
        });
        ac.chain(dc).sum()
    }

    /// Where an export over the corridor leaves the AC system: the sending
    /// buses of its links, or else the import-side buses of its branches
    /// (sorted, each once; empty for a corridor with neither).
    ///
    /// ```
    /// use landlinked::network::{Branch, Bus, BusType, Network};
    /// use landlinked::region::Corridor;
    /// let mut net = Network::new("x", 100.0);
    /// net.buses.push(Bus::new(1, BusType::Ref));
    /// net.buses.push(Bus::new(2, BusType::Pq));
    /// net.branches.push(Branch::line(2, 1, 0.1)); // drawn importer → exporter
    /// let mut c = Corridor::new("C", "A", "B", 100.0);
    /// c.add_branch(&net, 1, 2)?;
    /// assert_eq!(c.far_end_buses(&net), vec![2]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn far_end_buses(&self, net: &Network) -> Vec<u64> {
        let mut buses: Vec<u64> = self
            .links
            .iter()
            .filter_map(|&l| net.hvdc_links.get(l).map(|l| l.from))
            .collect();
        if buses.is_empty() {
            buses = self
                .branches
                .iter()
                .map(|b| if b.sign > 0.0 { b.to } else { b.from })
                .collect();
        }
        buses.sort_unstable();
        buses.dedup();
        buses
    }

    /// Capacity in the export direction: the contract, and for a link
    /// corridor no more than its links' forward capacity, MW.
    ///
    /// ```
    /// use landlinked::network::{Bus, BusType, HvdcLink, Network};
    /// use landlinked::region::Corridor;
    /// let mut net = Network::new("x", 100.0);
    /// net.buses.push(Bus::new(1, BusType::Ref));
    /// net.buses.push(Bus::new(2, BusType::Ref));
    /// net.hvdc_links.push(HvdcLink::new("L", 1, 2, 800.0, 3.0));
    /// let mut c = Corridor::new("C", "A", "B", 1000.0);
    /// c.add_link(&net, "L")?;
    /// assert_eq!(c.capacity_in_mw(&net), 800.0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn capacity_in_mw(&self, net: &Network) -> f64 {
        if self.links.is_empty() {
            return self.capacity_mw;
        }
        let links = self.links.iter().filter_map(|&l| net.hvdc_links.get(l));
        let link_mw: f64 = links.map(|l| l.capacity_mw(1.0)).sum();
        self.capacity_mw.min(link_mw)
    }

    fn short(&self, what: &str, found: usize, needed: usize) -> Error {
        Error::DimensionMismatch {
            what: format!("{what} vector for corridor `{}`", self.name),
            found,
            expected: needed + 1,
        }
    }
}
