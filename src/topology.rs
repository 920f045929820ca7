//! Islands, isolated buses and reference buses, as MATPOWER's `rundcpf`
//! chooses them.
//!
//! * Isolated buses (type 4) are removed with every branch and generator
//!   attached to them.
//! * Islands are the connected components of the remaining buses over
//!   in-service branches.
//! * Reference buses: every REF bus (type 3) with an in-service generator is
//!   a reference, as in MATPOWER's `bustypes`. An island without one gets
//!   the first PV bus in file order with an in-service generator (MATPOWER's
//!   own fallback), else the first bus with an in-service generator; that
//!   choice is reported as a [`TopologyWarning`]. An island with no
//!   in-service generator at all is an [`Error::NoGenerator`].
//!
//! ```
//! use landlinked::network::{Branch, Bus, BusType, Generator, Network};
//! use landlinked::topology::Topology;
//! let mut net = Network::new("two islands", 100.0);
//! for (id, kind) in [(1, BusType::Ref), (2, BusType::Pq), (3, BusType::Pv), (4, BusType::Pq)] {
//!     net.buses.push(Bus::new(id, kind));
//! }
//! net.branches.push(Branch::line(1, 2, 0.1));
//! net.branches.push(Branch::line(3, 4, 0.1));
//! net.generators.push(Generator::new(1, 0.0));
//! net.generators.push(Generator::new(3, 0.0));
//! let topo = Topology::new(&net).unwrap();
//! assert_eq!(topo.islands().len(), 2);
//! assert_eq!(topo.warnings().len(), 1); // bus 3 was made the reference of island 1
//! ```

use serde::Serialize;

use crate::error::{Error, Result};
use crate::network::{BusIndex, BusType, Network};

/// Something MATPOWER would have done silently or wrongly, which this crate
/// handled and reports.
///
/// ```
/// use landlinked::topology::TopologyWarning;
/// let w = TopologyWarning::ReferenceChosen { island: 1, bus: 3 };
/// assert!(w.to_string().contains("bus 3"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub enum TopologyWarning {
    /// An island had no REF bus with an in-service generator; `bus` was
    /// chosen as its reference (first PV bus with an in-service generator).
    ReferenceChosen {
        /// 0-based island number.
        island: usize,
        /// The bus number chosen.
        bus: u64,
    },
}

impl std::fmt::Display for TopologyWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TopologyWarning::ReferenceChosen { island, bus } => write!(
                f,
                "island {island} has no REF bus with an in-service generator: bus {bus} was chosen as its reference"
            ),
        }
    }
}

/// One island: its buses (dense positions, file order) and reference buses.
///
/// ```
/// # use landlinked::network::{Bus, BusType, Generator, Network};
/// # use landlinked::topology::Topology;
/// # let mut net = Network::new("one", 100.0);
/// # net.buses.push(Bus::new(1, BusType::Ref));
/// # net.generators.push(Generator::new(1, 0.0));
/// let topo = Topology::new(&net).unwrap();
/// assert_eq!(topo.islands()[0].refs, vec![0]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Island {
    /// Dense bus positions in the island, ascending (file order).
    pub buses: Vec<usize>,
    /// Dense positions of its reference buses (one, unless the case has
    /// several REF buses with generators in one island).
    pub refs: Vec<usize>,
}

/// The topology of a network, as the DC power flow uses it.
///
/// ```
/// # use landlinked::network::{Bus, BusType, Generator, Network};
/// use landlinked::topology::Topology;
/// # let mut net = Network::new("one", 100.0);
/// # net.buses.push(Bus::new(1, BusType::Ref));
/// # net.generators.push(Generator::new(1, 0.0));
/// let topo = Topology::new(&net).unwrap();
/// assert_eq!(topo.island_of(0), Some(0));
/// ```
#[derive(Clone, Debug)]
pub struct Topology {
    index: BusIndex,
    /// Per branch: (from, to) bus positions.
    ends: Vec<(usize, usize)>,
    island_of: Vec<Option<usize>>,
    islands: Vec<Island>,
    /// Per branch: in service and between two non-isolated buses.
    branch_active: Vec<bool>,
    /// Per generator: in service and on a non-isolated bus.
    gen_active: Vec<bool>,
    /// Per bus: the generator (position) that takes the slack, if a reference.
    slack_gen: Vec<Option<usize>>,
    warnings: Vec<TopologyWarning>,
}

impl Topology {
    /// Per branch: (from, to) bus positions, in input order.
    pub(crate) fn branch_ends(&self) -> &[(usize, usize)] {
        &self.ends
    }

    /// Finds islands and reference buses. The network should have passed
    /// [`Network::validate`]; unknown buses are reported as errors anyway.
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Network};
    /// use landlinked::topology::Topology;
    /// let mut net = Network::new("no generator", 100.0);
    /// net.buses.push(Bus::new(1, BusType::Pq));
    /// assert!(Topology::new(&net).is_err());
    /// ```
    pub fn new(net: &Network) -> Result<Topology> {
        let started = Started::new(net)?;
        let islands = started.islands(net)?;
        Ok(started.into_topology(islands))
    }

    /// The islands, numbered in the order of their first bus in the file.
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Generator, Network};
    /// # use landlinked::topology::Topology;
    /// # let mut net = Network::new("one", 100.0);
    /// # net.buses.push(Bus::new(1, BusType::Ref));
    /// # net.generators.push(Generator::new(1, 0.0));
    /// assert_eq!(Topology::new(&net).unwrap().islands().len(), 1);
    /// ```
    pub fn islands(&self) -> &[Island] {
        &self.islands
    }

    /// Island of a bus (dense position); `None` for an isolated bus.
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Generator, Network};
    /// # use landlinked::topology::Topology;
    /// # let mut net = Network::new("one", 100.0);
    /// # net.buses.push(Bus::new(1, BusType::Ref));
    /// # net.buses.push(Bus::new(2, BusType::Isolated));
    /// # net.generators.push(Generator::new(1, 0.0));
    /// assert_eq!(Topology::new(&net).unwrap().island_of(1), None);
    /// ```
    pub fn island_of(&self, bus: usize) -> Option<usize> {
        self.island_of[bus]
    }

    /// Whether a branch takes part in the DC power flow.
    ///
    /// ```
    /// # use landlinked::network::{Branch, Bus, BusType, Generator, Network};
    /// # use landlinked::topology::Topology;
    /// # let mut net = Network::new("one", 100.0);
    /// # net.buses.push(Bus::new(1, BusType::Ref));
    /// # net.buses.push(Bus::new(2, BusType::Isolated));
    /// # net.branches.push(Branch::line(1, 2, 0.1));
    /// # net.generators.push(Generator::new(1, 0.0));
    /// assert!(!Topology::new(&net).unwrap().branch_active(0)); // to an isolated bus
    /// ```
    pub fn branch_active(&self, branch: usize) -> bool {
        self.branch_active[branch]
    }

    /// [`Topology::branch_active`] of every branch, in input order.
    pub(crate) fn active_branches(&self) -> &[bool] {
        &self.branch_active
    }

    /// Whether a generator takes part (in service, on a non-isolated bus).
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Generator, Network};
    /// # use landlinked::topology::Topology;
    /// # let mut net = Network::new("one", 100.0);
    /// # net.buses.push(Bus::new(1, BusType::Ref));
    /// # net.generators.push(Generator::new(1, 0.0));
    /// assert!(Topology::new(&net).unwrap().gen_active(0));
    /// ```
    pub fn gen_active(&self, generator: usize) -> bool {
        self.gen_active[generator]
    }

    /// The generator that takes a reference bus's mismatch (the first
    /// in-service one there, in file order); `None` for other buses.
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Generator, Network};
    /// # use landlinked::topology::Topology;
    /// # let mut net = Network::new("one", 100.0);
    /// # net.buses.push(Bus::new(1, BusType::Ref));
    /// # net.generators.push(Generator::new(1, 0.0));
    /// assert_eq!(Topology::new(&net).unwrap().slack_generator(0), Some(0));
    /// ```
    pub fn slack_generator(&self, bus: usize) -> Option<usize> {
        self.slack_gen[bus]
    }

    /// Reference-bus choices the crate made where MATPOWER would not have.
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Generator, Network};
    /// # use landlinked::topology::Topology;
    /// # let mut net = Network::new("one", 100.0);
    /// # net.buses.push(Bus::new(1, BusType::Ref));
    /// # net.generators.push(Generator::new(1, 0.0));
    /// assert!(Topology::new(&net).unwrap().warnings().is_empty());
    /// ```
    pub fn warnings(&self) -> &[TopologyWarning] {
        &self.warnings
    }

    /// The bus-number index used.
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Generator, Network};
    /// # use landlinked::topology::Topology;
    /// # let mut net = Network::new("one", 100.0);
    /// # net.buses.push(Bus::new(7, BusType::Ref));
    /// # net.generators.push(Generator::new(7, 0.0));
    /// assert_eq!(Topology::new(&net).unwrap().bus_index().position(7), Some(0));
    /// ```
    pub fn bus_index(&self) -> &BusIndex {
        &self.index
    }

    /// Number of isolated (type 4) buses.
    ///
    /// ```
    /// # use landlinked::network::{Bus, BusType, Generator, Network};
    /// # use landlinked::topology::Topology;
    /// # let mut net = Network::new("one", 100.0);
    /// # net.buses.push(Bus::new(1, BusType::Ref));
    /// # net.generators.push(Generator::new(1, 0.0));
    /// assert_eq!(Topology::new(&net).unwrap().isolated_count(), 0);
    /// ```
    pub fn isolated_count(&self) -> usize {
        self.island_of.iter().filter(|i| i.is_none()).count()
    }
}

/// The first half of [`Topology::new`]: bus positions of every branch and
/// generator, and which of them are active. The DC power flow builds the
/// ordering's graph from this while [`Started::islands`] finds the islands
/// on the other thread.
pub(crate) struct Started {
    index: BusIndex,
    /// Per bus: not isolated (type 4).
    alive: Vec<bool>,
    ends: Vec<(usize, usize)>,
    branch_active: Vec<bool>,
    gen_bus: Vec<usize>,
    gen_active: Vec<bool>,
}

/// The second half of [`Topology::new`]: islands, references and the
/// choices reported.
pub(crate) struct Islands {
    island_of: Vec<Option<usize>>,
    islands: Vec<Island>,
    slack_gen: Vec<Option<usize>>,
    warnings: Vec<TopologyWarning>,
}

impl Islands {
    /// The islands, as [`Topology::islands`].
    pub(crate) fn islands(&self) -> &[Island] {
        &self.islands
    }

    /// Island of a bus, as [`Topology::island_of`].
    pub(crate) fn island_of(&self, bus: usize) -> Option<usize> {
        self.island_of[bus]
    }
}

impl Started {
    pub(crate) fn new(net: &Network) -> Result<Started> {
        let index = net.bus_index()?;
        let alive: Vec<bool> = net
            .buses
            .iter()
            .map(|b| b.kind != BusType::Isolated)
            .collect();
        let ends = branch_ends(net, &index)?;
        let branch_active: Vec<bool> = net
            .branches
            .iter()
            .zip(&ends)
            .map(|(br, &(f, t))| br.in_service && alive[f] && alive[t])
            .collect();
        let gen_bus = gen_buses(net, &index)?;
        let gen_active: Vec<bool> = net
            .generators
            .iter()
            .zip(&gen_bus)
            .map(|(g, &b)| g.in_service && alive[b])
            .collect();
        Ok(Started {
            index,
            alive,
            ends,
            branch_active,
            gen_bus,
            gen_active,
        })
    }

    /// Per branch: (from, to) bus positions, in input order.
    pub(crate) fn branch_ends(&self) -> &[(usize, usize)] {
        &self.ends
    }

    /// Per branch: whether it takes part, as [`Topology::branch_active`].
    pub(crate) fn branch_active(&self) -> &[bool] {
        &self.branch_active
    }

    /// Islands by union-find, then their references: every REF bus with an
    /// in-service generator, else the first PV bus with one, else the
    /// first bus with one (reported).
    pub(crate) fn islands(&self, net: &Network) -> Result<Islands> {
        let n = self.index.len();
        let island_of = components(n, &self.alive, &self.ends, &self.branch_active);
        // First active generator at each bus (file order).
        let mut first_gen: Vec<Option<usize>> = vec![None; n];
        for (g, &b) in self.gen_bus.iter().enumerate() {
            if self.gen_active[g] && first_gen[b].is_none() {
                first_gen[b] = Some(g);
            }
        }
        let count = island_of.iter().flatten().max().map_or(0, |m| m + 1);
        let mut islands: Vec<Island> = (0..count)
            .map(|_| Island {
                buses: Vec::new(),
                refs: Vec::new(),
            })
            .collect();
        for (b, isl) in island_of.iter().enumerate() {
            if let Some(k) = isl {
                islands[*k].buses.push(b);
            }
        }
        let mut slack_gen = vec![None; n];
        let mut warnings = Vec::new();
        for (k, island) in islands.iter_mut().enumerate() {
            let with_gen = |kind: Option<BusType>| {
                island
                    .buses
                    .iter()
                    .copied()
                    .filter(|&b| first_gen[b].is_some())
                    .filter(move |&b| kind.is_none_or(|t| net.buses[b].kind == t))
            };
            island.refs = with_gen(Some(BusType::Ref)).collect();
            if island.refs.is_empty() {
                let chosen = with_gen(Some(BusType::Pv))
                    .next()
                    .or_else(|| with_gen(None).next());
                let Some(b) = chosen else {
                    return Err(Error::NoGenerator {
                        island: k,
                        buses: island.buses.iter().map(|&b| self.index.id(b)).collect(),
                    });
                };
                island.refs.push(b);
                warnings.push(TopologyWarning::ReferenceChosen {
                    island: k,
                    bus: self.index.id(b),
                });
            }
            for &r in &island.refs {
                slack_gen[r] = first_gen[r];
            }
        }
        Ok(Islands {
            island_of,
            islands,
            slack_gen,
            warnings,
        })
    }

    /// Both halves together.
    pub(crate) fn into_topology(self, islands: Islands) -> Topology {
        Topology {
            index: self.index,
            ends: self.ends,
            island_of: islands.island_of,
            islands: islands.islands,
            branch_active: self.branch_active,
            gen_active: self.gen_active,
            slack_gen: islands.slack_gen,
            warnings: islands.warnings,
        }
    }
}

/// Dense (from, to) positions of every branch.
pub(crate) fn branch_ends(net: &Network, index: &BusIndex) -> Result<Vec<(usize, usize)>> {
    net.branches
        .iter()
        .enumerate()
        .map(|(i, br)| {
            let pos = |bus| {
                index.position(bus).ok_or_else(|| Error::UnknownBus {
                    element: format!("branch {} ({}-{})", i + 1, br.from, br.to),
                    bus,
                })
            };
            Ok((pos(br.from)?, pos(br.to)?))
        })
        .collect()
}

fn gen_buses(net: &Network, index: &BusIndex) -> Result<Vec<usize>> {
    net.generators
        .iter()
        .enumerate()
        .map(|(i, g)| {
            index.position(g.bus).ok_or_else(|| Error::UnknownBus {
                element: format!("generator {} (bus {})", i + 1, g.bus),
                bus: g.bus,
            })
        })
        .collect()
}

/// Connected components by union-find; numbered by first bus in file order.
fn components(
    n: usize,
    alive: &[bool],
    ends: &[(usize, usize)],
    active: &[bool],
) -> Vec<Option<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (&(f, t), &on) in ends.iter().zip(active) {
        if on {
            let (a, b) = (find(&mut parent, f), find(&mut parent, t));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut label = vec![usize::MAX; n];
    let mut next = 0;
    (0..n)
        .map(|b| {
            if !alive[b] {
                return None;
            }
            let root = find(&mut parent, b);
            if label[root] == usize::MAX {
                label[root] = next;
                next += 1;
            }
            Some(label[root])
        })
        .collect()
}
