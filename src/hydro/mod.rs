//! Hydropower: reservoirs, plants, cascades and a monthly water balance.
//!
//! Entry points: describe plants with [`HydroPlant`] (and a [`Reservoir`] for storage
//! plants), link them into a [`Cascade`], give monthly [`LateralInflow`]s and a
//! [`ReleasePolicy`] (the default is a [`RuleCurve`] of end-of-month storage targets),
//! and call [`Cascade::simulate`]. The result is a labelled table, [`HydroResults`],
//! one [`HydroRow`] per plant and month, ready for CSV or JSON through serde.
//!
//! Several years: [`InflowEnsemble`] draws seeded stochastic years of inflows around the
//! normal year (spread set by [`InflowSpread`]), and [`Cascade::simulate_years`] runs
//! them in a chain, each year starting from the storage the previous one ended with
//! ([`Cascade::simulate_from`], [`HydroResults::end_storage_hm3`]).
//!
//! This module knows nothing of the network: a plant carries its bus number, and the
//! energy per month is what a seasonal study turns into injections.
//!
//! # Conventions
//! * **Units.** Storage in hm³ (10⁶ m³), counted in total: dead storage included, so a
//!   reservoir lives between `dead_hm3` and `dead_hm3 + useful_hm3`. Flows in m³/s as
//!   monthly means. Heads in m, power in MW, energy in MWh.
//! * **Time.** Twelve months of a 365-day year ([`MONTH_HOURS`](crate::calendar::MONTH_HOURS), 8,760 h); a flow `q`
//!   over `h` hours is `q · h · 0.0036` hm³.
//! * **Energy.** `E[MWh] = ρ g η H · V[hm³] / 3600` with ρ = 1000 kg/m³, g = 9.81 m/s²,
//!   η the overall plant efficiency and `V` the turbined volume; see
//!   [`energy_coefficient_mwh_per_hm3`] and [`power_mw`]. A plant can instead
//!   carry a fixed coefficient in MWh/hm³ ([`Conversion::Coefficient`]).
//! * **Head.** The head of a month is the head at the mean of its start and end
//!   storage (fixed, or linear on a storage→head curve); the tailwater is fixed.
//! * **Water balance**, per plant and month:
//!   `storage_end = storage_start + inflow − diversion − release − spill`, where
//!   `release` is the turbined water, `spill` the rest passed downstream, and
//!   `diversion` water taken off at the plant before its turbines (an irrigation canal,
//!   [`HydroPlant::diversion_m3s`]) that leaves the cascade; it is taken first, while
//!   water above dead storage lasts. Storage never goes below dead storage (and so
//!   never below zero); the turbined flow never exceeds the maximum discharge; the
//!   minimum environmental release is met while water above dead storage lasts; water
//!   that would overfill a reservoir is turbined up to the limit, then spilled.
//! * **Turbine limit.** `max_discharge_m3s` if given; otherwise derived from
//!   `installed_mw` at the head of a full reservoir, so a derived limit never lets power
//!   exceed installed capacity. A given limit is trusted as is: if it is too large for
//!   the installed capacity, the mean power reported can exceed `installed_mw`.
//! * **Cascade.** A plant's release plus spill (not its diversion) joins the next
//!   plant's lateral inflow in the same month.
//!
//! # Example: a reservoir above a run-of-river plant
//! ```
//! use landlinked::calendar::Month;
//! use landlinked::hydro::*;
//! let upper = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0,
//!                         head: HeadModel::Fixed { head_m: 100.0 } };
//! let cascade = Cascade::new(vec![
//!     HydroPlant::with_reservoir("Upper", 1, 500.0, 0.9, upper).with_downstream("Lower"),
//!     HydroPlant::run_of_river("Lower", 2, 100.0, 0.9, 20.0),
//! ])?;
//! let inflows = [LateralInflow::new("Upper", vec![100.0; 12])];
//! // Keep the upper reservoir half full: it releases its inflow, 100 m³/s.
//! let rule = RuleCurve::new().with_fraction("Upper", vec![0.5; 12]);
//! let out = cascade.simulate(&inflows, &rule)?;
//! let jan = out.row("Upper", Month::Jan).unwrap();
//! // 100 m³/s · 744 h = 267.84 hm³; × 245.25 MWh/hm³ (η 0.9, H 100 m) = 65,687.76 MWh
//! assert!((jan.energy_mwh - 65_687.76).abs() < 1e-6);
//! # Ok::<(), HydroError>(())
//! ```

mod balance;

mod cascade;
mod ensemble;
mod error;
mod plant;
mod policy;
mod units;

pub use balance::{HydroResults, HydroRow};

pub use cascade::{Cascade, LateralInflow};
pub use ensemble::{InflowEnsemble, InflowSpread};
pub use error::HydroError;
pub use plant::{Conversion, HeadModel, HeadPoint, HydroPlant, PlantKind, Reservoir};
pub use policy::{PeriodState, PlantRuleCurve, ReleasePolicy, RuleCurve, StorageTargets};
pub use units::{
    GRAVITY_M_S2, RHO_WATER_KG_M3, energy_coefficient_mwh_per_hm3, flow_to_volume_hm3, power_mw,
    volume_to_flow_m3s,
};
