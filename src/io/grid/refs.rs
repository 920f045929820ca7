//! References to branches in a grid file, by their end buses and, where
//! buses are joined by parallel circuits, a circuit number
//! ([`BranchRef`]); and the `[contingencies]` table that lists the
//! outages of the N-1 checks by them ([`ContingencySpec`]).
//!
//! A MATPOWER case has no circuit identifiers: circuit `k` between buses
//! `a` and `b` is the `k`-th branch joining them (either orientation) in
//! the case's (or the file's) branch order.
//!
//! ```
//! use landlinked::io::grid::{BranchRef, ContingencySpec};
//! let c: ContingencySpec = toml::from_str("branches = [[1, 2], [3, 4, 2]]\nscreen = 50").unwrap();
//! assert_eq!(c.branches[0].circuit(), None); // every circuit from 1 to 2
//! assert_eq!(c.branches[1].to_string(), "3–4 circuit 2");
//! assert_eq!(c.screen, 50);
//! ```

use serde::{Deserialize, Serialize};

use super::schema::BusRef;
use crate::error::{Error, Result};
use crate::network::Network;

/// A branch by its ends: `[a, b]` (every circuit between them) or
/// `[a, b, circuit]` (the `circuit`-th branch joining them, from 1). The
/// order of the ends gives a direction where one is needed (a
/// corridor's export side first).
///
/// ```
/// use landlinked::io::grid::{BranchRef, BusRef};
/// let r: BranchRef = serde_json::from_str("[\"A\", 7, 2]").unwrap();
/// assert_eq!(r.ends(), (&BusRef::Name("A".into()), &BusRef::Number(7)));
/// assert_eq!(r.circuit(), Some(2));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BranchRef {
    /// Every circuit between two buses.
    Pair([BusRef; 2]),
    /// One circuit between two buses, numbered from 1.
    Circuit(BusRef, BusRef, u32),
}

impl BranchRef {
    /// The two buses, as written.
    ///
    /// ```
    /// use landlinked::io::grid::{BranchRef, BusRef};
    /// let r = BranchRef::Pair([BusRef::Number(1), BusRef::Number(2)]);
    /// assert_eq!(r.ends().1, &BusRef::Number(2));
    /// ```
    pub fn ends(&self) -> (&BusRef, &BusRef) {
        match self {
            BranchRef::Pair([a, b]) | BranchRef::Circuit(a, b, _) => (a, b),
        }
    }

    /// The circuit number, if one is given.
    ///
    /// ```
    /// use landlinked::io::grid::{BranchRef, BusRef};
    /// assert_eq!(BranchRef::Circuit(BusRef::Number(1), BusRef::Number(2), 3).circuit(), Some(3));
    /// ```
    pub fn circuit(&self) -> Option<u32> {
        match self {
            BranchRef::Pair(_) => None,
            BranchRef::Circuit(_, _, c) => Some(*c),
        }
    }
}

impl std::fmt::Display for BranchRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (a, b) = self.ends();
        match self.circuit() {
            Some(c) => write!(f, "{a}–{b} circuit {c}"),
            None => write!(f, "{a}–{b}"),
        }
    }
}

/// `[contingencies]`: the outages of the N-1 checks (the hourly study's
/// export limits). Without the table every branch is an outage; with it,
/// the listed branches (a pair without a circuit lists each of its
/// circuits) and `screen` more, picked from the other branches by the
/// largest loading their outage can add to a rated branch (LODF × flow);
/// `min_factor` sets the smallest distribution factor that limits.
///
/// ```
/// use landlinked::io::grid::ContingencySpec;
/// let c: ContingencySpec = toml::from_str("screen = 200\nmin_factor = 0.05").unwrap();
/// assert!(c.branches.is_empty());
/// assert_eq!(c.min_factor, Some(0.05));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContingencySpec {
    /// Outages always checked.
    #[serde(default)]
    pub branches: Vec<BranchRef>,
    /// How many further outages to pick by screening.
    #[serde(default)]
    pub screen: usize,
    /// Distribution factors (MW of branch flow per MW of export, after an
    /// outage too) below which a branch does not limit exports (default
    /// 1e-5: every branch that responds). On a large grid 0.03 to 0.05 keeps
    /// far-away branches that an export hardly moves (and that may be
    /// loaded beyond their ratings already) from stopping it.
    #[serde(default)]
    pub min_factor: Option<f64>,
    /// Source or reasoning.
    #[serde(default)]
    pub source: Option<String>,
}

/// The branches of `net` between bus numbers `a` and `b` (either
/// orientation), in order, with +1 where the branch runs from `a` to `b`
/// and −1 where it runs the other way; only circuit `circuit` (from 1) if
/// one is given. `what` names the reference in errors (`corridor `X``,
/// `branches`); none found is an error naming the reference `label`.
pub(super) fn resolve(
    net: &Network,
    (a, b): (u64, u64),
    circuit: Option<u32>,
    (element, field): (&str, &str),
    label: &str,
) -> Result<Vec<(usize, f64)>> {
    let all: Vec<(usize, f64)> = net
        .branches
        .iter()
        .enumerate()
        .filter_map(|(k, br)| match (br.from, br.to) {
            (f, t) if (f, t) == (a, b) => Some((k, 1.0)),
            (f, t) if (f, t) == (b, a) => Some((k, -1.0)),
            _ => None,
        })
        .collect();
    let unknown = |name: String| Error::UnknownName {
        element: element.to_string(),
        field: field.to_string(),
        kind: "branch".into(),
        name,
    };
    match circuit {
        _ if all.is_empty() => Err(unknown(label.to_string())),
        None => Ok(all),
        Some(c) => match all.get((c as usize).wrapping_sub(1)) {
            Some(&one) => Ok(vec![one]),
            None => Err(Error::InvalidValue {
                element: element.to_string(),
                field: format!("{field}` circuit of `{label}"),
                value: f64::from(c),
                expected: format!(
                    "a circuit from 1 to {} (the branches joining these buses, in order)",
                    all.len()
                ),
            }),
        },
    }
}
