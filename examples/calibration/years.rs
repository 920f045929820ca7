//! The model years of the calibration: 2021, 2022 and 2023, each the
//! `2022` stage's network and plants in a normal water year, with that
//! year's Tajik demand and, where it differed, Uzbekistan's contract.
//!
//! Shared by the `calibration` example and `tests/calibration.rs` (which
//! includes this file by path), so that the report and the tests run the
//! same years.
//!
//! Importers' appetites are inputs of the model (what each buyer took);
//! what the calibration tests is whether Tajikistan's surplus and network
//! deliver them, and how generation, spill and the winter deficit follow.

use std::path::Path;

use landlinked::region::RegionalGrid;
use landlinked::seasonal::{Hydrology, Scenario};

/// One model year.
pub struct ModelYear {
    /// The scenario name and the calendar year of its published figures.
    pub name: &'static str,
    /// Demand growth applied for one year to the `2022` stage's loads
    /// (18,800 GWh, D: 21.4 − 2.6 TWh, fact sheet 3.1), % (0: 2022).
    pub growth_pct: f64,
    /// Uzbekistan's appetite May-August, MW, and its season cap, GWh: the
    /// year's published purchase spread over the season, where there is
    /// one (2021, 2023); `None` keeps the grid file's (the observed level
    /// of 250-270 MW, P79, and the 1.5 TWh plan as the cap).
    pub uz_contract: Option<(f64, f64)>,
    /// Where the figures come from.
    pub source: &'static str,
}

/// Hours from May to August.
const UZ_SEASON_H: f64 = (31.0 + 30.0 + 31.0 + 31.0) * 24.0;

/// The three model years.
pub const YEARS: [ModelYear; 3] = [
    ModelYear {
        name: "2021",
        // 18,000 GWh (D: generation 20.4 TWh less exports of more than
        // 2.4 TWh, P61) against 2022's 18,800: −4.26 %.
        growth_pct: (18_000.0 / 18_800.0 - 1.0) * 100.0,
        // 1,147 GWh bought May-August (S, P61; months S, P28): 389 MW
        // over the 2,952 h (D), the season cap that figure.
        uz_contract: Some((1_147.0 * 1000.0 / UZ_SEASON_H, 1_147.0)),
        source: "load D from P61 (20.4 - 2.4 TWh); Uzbek contract D from P61 (1,147 GWh May-August)",
    },
    ModelYear {
        name: "2022",
        growth_pct: 0.0,
        uz_contract: None,
        source: "the grid file's 2022 stage (load D from P60, P29: 21.4 - 2.6 TWh; Uzbek contract P79, P100)",
    },
    ModelYear {
        name: "2023",
        // No 2023 generation or demand figure in the sheet (H1 only, P28);
        // growth 3 %/yr (E: sheet 3.1a, 2-5 %/yr; GDP +8.3 % in 2023, P139).
        growth_pct: 3.0,
        // 907.5 GWh bought in 2023 (S, P29) over May-August: 307 MW (D),
        // above the 250-270 MW of P79's 6-6.5 GWh/day (the two sources
        // disagree; the year's purchase is used, as for 2021).
        uz_contract: Some((907.5 * 1000.0 / UZ_SEASON_H, 907.5)),
        source: "load E (+3 % on 2022, sheet 3.1a); Uzbek contract D from P29 (907.5 GWh May-August)",
    },
];

impl ModelYear {
    /// The year's grid (the `2022` stage, the Uzbek contract set) and its
    /// scenario (normal water, one year of `growth_pct`).
    pub fn build(&self, file: &Path) -> Result<(RegionalGrid, Scenario), landlinked::Error> {
        let mut g = landlinked::io::grid::read_stage(file, "2022", &[])?;
        if let Some((mw, gwh)) = self.uz_contract {
            let c = g.corridor("TJ-UZ")?;
            let mut trade = c.trade.clone();
            let mut appetite = trade.appetite_mw.unwrap_or([0.0; 12]);
            for (m, a) in appetite.iter_mut().enumerate() {
                if (4..8).contains(&m) {
                    *a = mw;
                }
            }
            trade.appetite_mw = Some(appetite);
            trade.season_cap_gwh = Some(gwh);
            g.set_corridor_trade("TJ-UZ", trade)?;
        }
        let s = Scenario::new(self.name, "2022", Hydrology::Normal);
        let s = if self.growth_pct == 0.0 {
            s
        } else {
            s.with_growth_to(self.growth_pct, 1)
        };
        Ok((g, s))
    }
}

/// Runs the hourly study of every model year (normal water, plus
/// `settings.years` stochastic years) and of `more` scenarios on the grid
/// file itself, all results in one [`HourlyResults`] (scenarios named by
/// year).
pub fn run_years(
    file: &Path,
    settings: &landlinked::hourly::HourlySettings,
    more: &[Scenario],
) -> Result<landlinked::hourly::HourlyResults, landlinked::Error> {
    use landlinked::hourly::HourlyStudy;
    let study = HourlyStudy {
        settings: settings.clone(),
    };
    let mut all = study.run(file, more, |_| {})?;
    for y in &YEARS {
        let (g, s) = y.build(file)?;
        all.append(study.run(&g, &[s], |_| {})?);
    }
    Ok(all)
}
