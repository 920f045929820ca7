//! HVDC links in the DC power flow: a link's set-point enters as two bus
//! injections (see [`HvdcLink`](crate::network::HvdcLink) for the loss rule).
//!
//! ```
//! use landlinked::dc::{add_link_injections, DcPowerFlow};
//! use landlinked::network::{Bus, BusType, Generator, HvdcLink, Network};
//! let mut net = Network::new("link", 100.0);
//! net.buses.push(Bus::new(1, BusType::Ref));
//! net.buses.push(Bus::new(2, BusType::Ref));
//! net.generators.push(Generator::new(1, 0.0));
//! net.generators.push(Generator::new(2, 0.0));
//! net.hvdc_links.push(HvdcLink::new("L", 1, 2, 500.0, 4.0));
//! let pf = DcPowerFlow::new(&net)?;
//! let mut p = pf.model().bus_injections_mw().to_vec();
//! add_link_injections(&net, &[100.0], &mut p)?;
//! let st = pf.solve_injections(&p)?;
//! assert_eq!(st.slack_mw, vec![100.0, -96.0]); // each island's slack balances its end
//! # Ok::<(), landlinked::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::network::Network;

/// Adds the injections of every link of `net` for `setpoints_mw` (one per
/// link, in `net.hvdc_links` order) to `p_mw` (one per bus, in bus order,
/// MW positive into the bus). Nothing is added unless every set-point is
/// within its link's capacity.
///
/// ```
/// use landlinked::dc::add_link_injections;
/// use landlinked::network::{Bus, BusType, Generator, HvdcLink, Network};
/// let mut net = Network::new("two islands", 100.0);
/// net.buses.push(Bus::new(1, BusType::Ref));
/// net.buses.push(Bus::new(2, BusType::Ref));
/// net.generators.push(Generator::new(1, 0.0));
/// net.generators.push(Generator::new(2, 0.0));
/// net.hvdc_links.push(HvdcLink::new("L", 1, 2, 500.0, 4.0));
/// let mut p = vec![0.0; 2];
/// add_link_injections(&net, &[250.0], &mut p)?;
/// assert_eq!(p, vec![-250.0, 240.0]);
/// assert!(add_link_injections(&net, &[600.0], &mut p).is_err());
/// assert_eq!(p, vec![-250.0, 240.0]); // unchanged on error
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn add_link_injections(net: &Network, setpoints_mw: &[f64], p_mw: &mut [f64]) -> Result<()> {
    let links = &net.hvdc_links;
    check_len("link set-point vector", setpoints_mw.len(), links.len())?;
    check_len("bus injection vector", p_mw.len(), net.buses.len())?;
    let index = net.bus_index()?;
    let mut adds = Vec::with_capacity(2 * links.len());
    for (i, (link, &p)) in links.iter().zip(setpoints_mw).enumerate() {
        let (at_from, at_to) = link.end_injections_mw(p)?;
        for (bus, add) in [(link.from, at_from), (link.to, at_to)] {
            let pos = index.position(bus).ok_or_else(|| Error::UnknownBus {
                element: format!("link {} (`{}`)", i + 1, link.name),
                bus,
            })?;
            adds.push((pos, add));
        }
    }
    for (pos, add) in adds {
        p_mw[pos] += add;
    }
    Ok(())
}

fn check_len(what: &str, found: usize, expected: usize) -> Result<()> {
    if found != expected {
        return Err(Error::DimensionMismatch {
            what: what.to_string(),
            found,
            expected,
        });
    }
    Ok(())
}
