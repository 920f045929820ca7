//! Export corridors of a grid file's records: trade terms, branches (by
//! their ends and circuit) and links.

use super::{BusNames, non_negative, twelve, unknown};
use crate::error::{Error, Result};
use crate::io::grid::refs::resolve;
use crate::io::grid::schema::CorridorSpec;
use crate::network::Network;
use crate::region::{Corridor, CorridorBranch, Partner, Trade};

/// One corridor record.
pub(super) fn corridor(c: &CorridorSpec, names: &BusNames, net: &Network) -> Result<Corridor> {
    let el = format!("corridor `{}`", c.name);
    let cap = non_negative(&el, "capacity_mw", c.capacity_mw)?;
    let mut out = Corridor::new(&c.name, &c.exporter, &c.importer, cap);
    if !c.export_months.is_empty() {
        out.export_months = c.export_months.clone();
    }
    out.source = c.source.clone();
    out.trade = Trade {
        price_usd_per_mwh: c.price_usd_per_mwh,
        transit_fee_usd_per_mwh: c.transit_fee_usd_per_mwh,
        appetite_mw: match &c.appetite_mw {
            Some(a) => Some(twelve(a, &el, "appetite_mw")?),
            None => None,
        },
        season_cap_gwh: c.season_cap_gwh,
        import_capacity_mw: c.import_capacity_mw,
        import_months: c.import_months.clone(),
        import_price_usd_per_mwh: c.import_price_usd_per_mwh,
        firm_mw: match &c.firm_mw {
            Some(f) => Some(twelve(f, &el, "firm_mw")?),
            None => None,
        },
        partner: match &c.partner {
            Some(p) => {
                let bus = names.get(&p.bus, &el, "partner.bus")?;
                if bus.country != p.country {
                    return Err(unknown(
                        &el,
                        "partner.bus",
                        "bus in the partner's country",
                        &bus.name,
                    ));
                }
                Some(Partner {
                    country: p.country.clone(),
                    bus: bus.id,
                    share: p.share,
                    available_mw: twelve(&p.available_mw, &el, "partner.available_mw")?,
                })
            }
            None => None,
        },
    };
    out.trade.validate(&c.name)?;
    for r in &c.branches {
        let (a, b) = r.ends();
        let (a, b) = (
            names.get(a, &el, "branches")?,
            names.get(b, &el, "branches")?,
        );
        let label = match r.circuit() {
            Some(k) => format!("{}–{} circuit {k}", a.name, b.name),
            None => format!("{}–{}", a.name, b.name),
        };
        let found = resolve(net, (a.id, b.id), r.circuit(), (&el, "branches"), &label)?;
        for (k, sign) in found {
            if out.branches.iter().any(|x| x.branch == k) {
                return Err(Error::Duplicate {
                    kind: format!("branch of {el} (`branches` lists it twice)"),
                    name: label,
                });
            }
            let br = &net.branches[k];
            out.branches.push(CorridorBranch {
                branch: k,
                from: br.from,
                to: br.to,
                sign,
            });
        }
    }
    for l in &c.links {
        out.add_link(net, l)?;
    }
    if out.branches.is_empty() && out.links.is_empty() {
        return Err(Error::MissingField {
            field: format!("branches` or `links` in {el}"),
        });
    }
    Ok(out)
}
