//! The two-plant cascade shared by the hydro tests.

use landlinked::hydro::{HeadModel, HydroPlant, Reservoir};

/// Upper: reservoir, dead 100 hm³, useful 1000 hm³ (full at 1100), starts at 600,
/// fixed head 100 m, η 0.9, 500 MW, turbine limit `upper_max_m3s`; feeds Lower.
/// Lower: run-of-river, head 20 m, η 0.9, 60 MW, turbine limit 300 m³/s.
pub fn two_plant(upper_max_m3s: f64, initial_hm3: f64, head: HeadModel) -> Vec<HydroPlant> {
    let upper = Reservoir {
        useful_hm3: 1000.0,
        dead_hm3: 100.0,
        initial_hm3,
        head,
    };
    vec![
        HydroPlant::with_reservoir("Upper", 1, 500.0, 0.9, upper)
            .with_max_discharge_m3s(upper_max_m3s)
            .with_downstream("Lower"),
        HydroPlant::run_of_river("Lower", 2, 60.0, 0.9, 20.0).with_max_discharge_m3s(300.0),
    ]
}

pub fn fixed_100m() -> HeadModel {
    HeadModel::Fixed { head_m: 100.0 }
}
