//! A small regional grid built in code: two Tajik buses with a reservoir
//! plant and a thermal plant, one Afghan bus with an equivalent, a meshed
//! 220 kV triangle (one double line), a corridor over two lines into
//! Afghanistan.

use landlinked::calendar::Month;
use landlinked::demand::{BusShare, Demand, Load};
use landlinked::hydro::{HeadModel, HydroPlant, LateralInflow, Reservoir, RuleCurve};
use landlinked::network::{Branch, Bus, BusType, Network};
use landlinked::region::{
    BusInfo, Corridor, LoadInfo, PlantInfo, PlantType, RegionParts, RegionalGrid,
};

fn bus(id: u64, name: &str, country: &str) -> BusInfo {
    BusInfo {
        id,
        name: name.into(),
        country: country.into(),
        zone: "Z".into(),
        kv: 220.0,
        lat: None,
        lon: None,
        dc: false,
    }
}

fn plant(name: &str, kind: PlantType, bus: u64, country: &str, mw: f64) -> PlantInfo {
    PlantInfo {
        name: name.into(),
        kind,
        bus,
        country: country.into(),
        installed_mw: mw,
        available_mw: mw,
        capacity_factor: (kind == PlantType::Thermal).then_some([0.6; 12]),
        dispatch_mw: 0.0,
    }
}

/// Two Tajik buses with a reservoir plant and a thermal plant, one Afghan
/// bus with an equivalent, a meshed 220 kV triangle (one double line), a
/// corridor over the two lines into Afghanistan.
pub fn grid() -> RegionalGrid {
    let mut net = Network::new("triangle", 100.0);
    net.buses.push(Bus {
        base_kv: 220.0,
        ..Bus::new(1, BusType::Ref)
    });
    net.buses.push(Bus {
        base_kv: 220.0,
        ..Bus::new(2, BusType::Pq)
    });
    net.buses.push(Bus {
        base_kv: 220.0,
        ..Bus::new(3, BusType::Pq)
    });
    for (f, t, x, rate) in [
        (1, 2, 0.02, 900.0),
        (1, 2, 0.02, 900.0),
        (2, 3, 0.05, 400.0),
        (1, 3, 0.06, 400.0),
    ] {
        net.branches.push(Branch {
            rate_a_mva: rate,
            ..Branch::line(f, t, x)
        });
    }
    let buses = vec![
        bus(1, "TJ_A", "TJ"),
        bus(2, "TJ_B", "TJ"),
        bus(3, "AF_C", "AF"),
    ];
    let mut parts = RegionParts::new("triangle", net, buses);
    parts.exporter = Some("TJ".into());
    parts.plants = vec![
        plant("Big", PlantType::Hydro, 1, "TJ", 1000.0),
        plant("Thermal", PlantType::Thermal, 2, "TJ", 200.0),
        plant("AF system", PlantType::Equivalent, 3, "AF", 2000.0),
    ];
    let reservoir = Reservoir {
        useful_hm3: 3000.0,
        dead_hm3: 1000.0,
        initial_hm3: 2500.0,
        head: HeadModel::Fixed { head_m: 150.0 },
    };
    parts.hydro_plants = vec![HydroPlant::with_reservoir("Big", 1, 1000.0, 0.9, reservoir)];
    let summer = [
        150.0, 140.0, 200.0, 400.0, 900.0, 1300.0, 1400.0, 1100.0, 600.0, 300.0, 200.0, 170.0,
    ];
    parts.inflows = vec![LateralInflow::new("Big", summer.to_vec())];
    parts.rule_curve = RuleCurve::new().with_fraction(
        "Big",
        vec![
            0.5, 0.35, 0.25, 0.2, 0.35, 0.6, 0.8, 0.95, 1.0, 0.95, 0.8, 0.65,
        ],
    );
    let share = |bus| vec![BusShare { bus, share: 1.0 }];
    parts.demand = Demand::new(vec![
        Load::flat("TJ load", 4000.0, share(2)).with_growth_pct(2.0),
        Load::flat("AF load", 3000.0, share(3)),
    ])
    .unwrap();
    parts.loads = vec![
        LoadInfo {
            name: "TJ load".into(),
            country: "TJ".into(),
        },
        LoadInfo {
            name: "AF load".into(),
            country: "AF".into(),
        },
    ];
    let mut corridor = Corridor::new("TJ-AF", "TJ", "AF", 350.0);
    corridor.add_branch(&parts.network, 2, 3).unwrap();
    corridor.add_branch(&parts.network, 1, 3).unwrap();
    corridor.export_months = vec![Month::May, Month::Jun, Month::Jul, Month::Aug, Month::Sep];
    parts.corridors = vec![corridor];
    RegionalGrid::new(parts).unwrap()
}
