//! Unit conversions for water and hydro energy.
//!
//! * Volume: 1 hm³ = 10⁶ m³. A flow `q` m³/s held for `h` hours moves
//!   `q · h · 3600 / 10⁶ = q · h · 0.0036` hm³.
//! * Energy from a volume `V` (m³) falling through head `H` (m) with plant efficiency
//!   `η` (turbine × generator): `E = ρ g η H V` joules. With 1 MWh = 3.6·10⁹ J and `V`
//!   in hm³, `E[MWh] = ρ g η H · V[hm³] · 10⁶ / 3.6·10⁹ = ρ g η H V[hm³] / 3600`.
//!   With ρ = 1000 kg/m³ and g = 9.81 m/s²: `E[MWh] = 2.725 · η · H · V[hm³]`.
//! * Power from a flow: `P[MW] = ρ g η H Q[m³/s] / 10⁶ = 0.00981 · η · H · Q`.
//!
//! ```
//! use landlinked::hydro::{energy_coefficient_mwh_per_hm3, flow_to_volume_hm3, power_mw};
//! // 100 m³/s through 100 m at η = 0.9 for January (744 h):
//! let v = flow_to_volume_hm3(100.0, 744.0); // 267.84 hm³
//! let e = v * energy_coefficient_mwh_per_hm3(0.9, 100.0); // × 245.25 MWh/hm³
//! assert!((e - 65_687.76).abs() < 1e-6);
//! // The same energy as the power, 88.29 MW, held for the month.
//! assert!((e - power_mw(0.9, 100.0, 100.0) * 744.0).abs() < 1e-6);
//! ```

/// Density of water used throughout, kg/m³.
///
/// ```
/// assert_eq!(landlinked::hydro::RHO_WATER_KG_M3, 1000.0);
/// ```
pub const RHO_WATER_KG_M3: f64 = 1000.0;

/// Gravitational acceleration used throughout, m/s² (the customary hydropower value,
/// not the standard 9.80665).
///
/// ```
/// assert_eq!(landlinked::hydro::GRAVITY_M_S2, 9.81);
/// ```
pub const GRAVITY_M_S2: f64 = 9.81;

/// Volume in hm³ moved by a constant flow of `flow_m3s` for `hours`.
///
/// ```
/// use landlinked::hydro::flow_to_volume_hm3;
/// // 100 m³/s for January (744 h) = 100 · 744 · 3600 / 1e6 = 267.84 hm³
/// assert!((flow_to_volume_hm3(100.0, 744.0) - 267.84).abs() < 1e-12);
/// ```
pub fn flow_to_volume_hm3(flow_m3s: f64, hours: f64) -> f64 {
    flow_m3s * hours * 3600.0 / 1e6
}

/// Constant flow in m³/s that moves `volume_hm3` in `hours`. Zero hours give zero flow.
///
/// ```
/// use landlinked::hydro::volume_to_flow_m3s;
/// assert!((volume_to_flow_m3s(267.84, 744.0) - 100.0).abs() < 1e-12);
/// ```
pub fn volume_to_flow_m3s(volume_hm3: f64, hours: f64) -> f64 {
    if hours == 0.0 {
        return 0.0;
    }
    volume_hm3 * 1e6 / (hours * 3600.0)
}

/// Energy coefficient in MWh per hm³ turbined: `ρ g η H / 3600`.
///
/// ```
/// use landlinked::hydro::energy_coefficient_mwh_per_hm3;
/// // η = 0.9, H = 100 m: 1000 · 9.81 · 0.9 · 100 / 3600 = 245.25 MWh/hm³
/// assert!((energy_coefficient_mwh_per_hm3(0.9, 100.0) - 245.25).abs() < 1e-12);
/// ```
pub fn energy_coefficient_mwh_per_hm3(efficiency: f64, head_m: f64) -> f64 {
    RHO_WATER_KG_M3 * GRAVITY_M_S2 * efficiency * head_m / 3600.0
}

/// Electrical power in MW from a turbined flow: `ρ g η H Q / 10⁶`.
///
/// ```
/// use landlinked::hydro::power_mw;
/// // η = 0.9, H = 100 m, Q = 100 m³/s: 9810 · 0.9 · 100 · 100 / 1e6 = 88.29 MW
/// assert!((power_mw(0.9, 100.0, 100.0) - 88.29).abs() < 1e-12);
/// ```
pub fn power_mw(efficiency: f64, head_m: f64, flow_m3s: f64) -> f64 {
    RHO_WATER_KG_M3 * GRAVITY_M_S2 * efficiency * head_m * flow_m3s / 1e6
}
