//! HVDC links: controllable transfers between two AC buses.
//!
//! A link is not a branch: the DC power flow does not decide its flow. Its
//! operator sets a set-point `p_mw`, and the link enters the DC power flow
//! as two injections. A positive set-point sends power from `from` to `to`:
//! it withdraws `p` at `from` and injects `p · (1 − losses_pct / 100)` at
//! `to`. A negative set-point sends `|p|` the other way, with the same loss
//! rule. The two ends may lie in the same synchronous island or in
//! different ones (CASA-1000 joins the Central Asian system to Pakistan's).
//!
//! Entry points: [`HvdcLink`] (plain data, carried by
//! [`Network::hvdc_links`](crate::network::Network) beside its branches) and
//! its [`HvdcLink::end_injections_mw`]. The DC power flow adds every link's
//! injections to a bus injection vector with
//! [`dc::add_link_injections`](crate::dc::add_link_injections) before a
//! [`DcPowerFlow::solve_injections`](crate::dc::DcPowerFlow::solve_injections).
//!
//! ```
//! use landlinked::network::HvdcLink;
//! // CASA-1000 Sangtuda → Nowshera: 1,300 MW converters, about 4 % end to end.
//! let casa = HvdcLink::new("CASA-1000", 1, 2, 1300.0, 4.0);
//! let (at_from, at_to) = casa.end_injections_mw(1000.0)?;
//! assert_eq!(at_from, -1000.0);
//! assert!((at_to - 960.0).abs() < 1e-9);
//! assert!(casa.end_injections_mw(1400.0).is_err()); // above capacity
//! # Ok::<(), landlinked::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::BusIndex;
use crate::error::{Error, Result};

/// A point-to-point HVDC link (converters and DC line together).
///
/// ```
/// use landlinked::network::HvdcLink;
/// let l = HvdcLink { capacity_reverse_mw: 0.0, ..HvdcLink::new("one-way", 1, 2, 300.0, 2.0) };
/// assert!(l.end_injections_mw(-10.0).is_err()); // no reverse capacity
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HvdcLink {
    /// A unique name (`"CASA-1000 Sangtuda–Nowshera"`).
    pub name: String,
    /// Bus number of the sending end for positive set-points (rectifier AC side).
    pub from: u64,
    /// Bus number of the receiving end for positive set-points.
    pub to: u64,
    /// Largest set-point from `from` to `to`, MW (measured at the sending end).
    pub capacity_forward_mw: f64,
    /// Largest transfer from `to` to `from`, MW (a negative set-point's magnitude).
    pub capacity_reverse_mw: f64,
    /// End-to-end losses (both converters and the DC line), % of the sent power.
    pub losses_pct: f64,
    /// In service? An out-of-service link only accepts a zero set-point.
    #[serde(default = "in_service_default")]
    pub in_service: bool,
    /// Where the figures come from (a source tag such as `"P102"`, or an estimate).
    #[serde(default)]
    pub source: Option<String>,
}

fn in_service_default() -> bool {
    true
}

impl HvdcLink {
    /// An in-service link with the same capacity in both directions.
    ///
    /// ```
    /// use landlinked::network::HvdcLink;
    /// let l = HvdcLink::new("L", 1, 2, 500.0, 3.0);
    /// assert_eq!(l.capacity_reverse_mw, 500.0);
    /// ```
    pub fn new(name: &str, from: u64, to: u64, capacity_mw: f64, losses_pct: f64) -> HvdcLink {
        HvdcLink {
            name: name.to_string(),
            from,
            to,
            capacity_forward_mw: capacity_mw,
            capacity_reverse_mw: capacity_mw,
            losses_pct,
            in_service: true,
            source: None,
        }
    }

    /// Capacity in the direction of set-point `p_mw` (forward for `p ≥ 0`), MW;
    /// 0 when the link is out of service.
    ///
    /// ```
    /// use landlinked::network::HvdcLink;
    /// let l = HvdcLink { capacity_reverse_mw: 100.0, ..HvdcLink::new("L", 1, 2, 500.0, 3.0) };
    /// assert_eq!(l.capacity_mw(200.0), 500.0);
    /// assert_eq!(l.capacity_mw(-50.0), 100.0);
    /// ```
    pub fn capacity_mw(&self, p_mw: f64) -> f64 {
        match (self.in_service, p_mw >= 0.0) {
            (false, _) => 0.0,
            (true, true) => self.capacity_forward_mw,
            (true, false) => self.capacity_reverse_mw,
        }
    }

    /// Injections (MW, positive into the bus) at the `from` and `to` ends for
    /// set-point `p_mw`. Errors when `|p_mw|` exceeds the capacity in its
    /// direction (any nonzero set-point on an out-of-service link), or when
    /// `p_mw` is not finite.
    ///
    /// ```
    /// use landlinked::network::HvdcLink;
    /// let l = HvdcLink::new("L", 1, 2, 500.0, 2.0);
    /// assert_eq!(l.end_injections_mw(-100.0)?, (98.0, -100.0)); // reverse: to → from
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn end_injections_mw(&self, p_mw: f64) -> Result<(f64, f64)> {
        self.check_setpoint(p_mw)?;
        let delivered = p_mw.abs() * (1.0 - self.losses_pct / 100.0);
        if p_mw >= 0.0 {
            Ok((-p_mw, delivered))
        } else {
            Ok((delivered, p_mw))
        }
    }

    /// Checks a set-point against the capacity in its direction.
    ///
    /// ```
    /// use landlinked::network::HvdcLink;
    /// let l = HvdcLink::new("L", 1, 2, 500.0, 2.0);
    /// let err = l.check_setpoint(600.0).unwrap_err();
    /// assert!(err.to_string().contains("600 MW"));
    /// ```
    pub fn check_setpoint(&self, p_mw: f64) -> Result<()> {
        let capacity_mw = self.capacity_mw(p_mw);
        if !p_mw.is_finite() || p_mw.abs() > capacity_mw * (1.0 + 1e-12) {
            return Err(Error::LinkOverCapacity {
                link: self.name.clone(),
                setpoint_mw: p_mw,
                capacity_mw,
                direction: direction(self.in_service, p_mw),
            });
        }
        Ok(())
    }

    /// Checks the link's own figures and that both ends exist in `index`.
    /// `i` is its 0-based position, used in messages.
    ///
    /// ```
    /// use landlinked::network::{BusIndex, HvdcLink};
    /// let idx = BusIndex::new(&[1, 2])?;
    /// assert!(HvdcLink::new("L", 1, 2, 500.0, 2.0).validate(0, &idx).is_ok());
    /// assert!(HvdcLink::new("L", 1, 9, 500.0, 2.0).validate(0, &idx).is_err());
    /// assert!(HvdcLink::new("L", 1, 2, -5.0, 2.0).validate(0, &idx).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn validate(&self, i: usize, index: &BusIndex) -> Result<()> {
        let el = || format!("link {} (`{}`)", i + 1, self.name);
        for bus in [self.from, self.to] {
            if index.position(bus).is_none() {
                return Err(Error::UnknownBus { element: el(), bus });
            }
        }
        for (field, v) in [
            ("capacity_forward_mw", self.capacity_forward_mw),
            ("capacity_reverse_mw", self.capacity_reverse_mw),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(invalid(el(), field, v, "a finite capacity ≥ 0 MW"));
            }
        }
        if !(self.losses_pct.is_finite() && (0.0..100.0).contains(&self.losses_pct)) {
            let expected = "losses in % of the sent power, 0 ≤ losses < 100";
            return Err(invalid(el(), "losses_pct", self.losses_pct, expected));
        }
        Ok(())
    }
}

fn direction(in_service: bool, p_mw: f64) -> &'static str {
    match (in_service, p_mw >= 0.0) {
        (false, _) => "out of service",
        (true, true) => "forward",
        (true, false) => "reverse",
    }
}

fn invalid(element: String, field: &str, value: f64, expected: &str) -> Error {
    Error::InvalidValue {
        element,
        field: field.to_string(),
        value,
        expected: expected.to_string(),
    }
}
