//! `RegionalGrid` from Python: read a grid file's stage, edit it, write it,
//! its plants, corridors and loads as DataFrames.

use super::*;

/// A regional grid read from a grid file (TOML): the network with its
/// HVDC links, bus, plant and load descriptions, the hydro cascade, the
/// demand and the export corridors. Changed only through its edit methods,
/// which keep every view of a fact in step and raise ``ValueError`` naming
/// an unknown name and the names known.
///
/// Example:
///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
///     >>> g.set_plant_capacity("Rogun", 3600.0)
///     >>> float(g.plants().set_index("name").loc["Rogun", "available_mw"])
///     3600.0
#[pyclass(module = "landlinked")]
pub(crate) struct RegionalGrid {
    pub(crate) inner: RsGrid,
}

#[pymethods]
impl RegionalGrid {
    /// Reads a grid file and builds its default stage, or ``stage`` with
    /// ``options`` (names of optional elements) switched on too.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml", stage="casa")
    ///     >>> g.stage
    ///     'casa'
    #[staticmethod]
    #[pyo3(signature = (path, stage=None, options=Vec::new()))]
    fn read(
        py: Python<'_>,
        path: PathBuf,
        stage: Option<String>,
        options: Vec<String>,
    ) -> PyResult<RegionalGrid> {
        let inner = py
            .detach(|| -> Res<_> {
                let doc = gridio::read_document(&path)?;
                let opts: Vec<&str> = options.iter().map(String::as_str).collect();
                let stage = stage.or_else(|| doc.data.grid.default_stage.clone());
                doc.build(stage.as_deref(), &opts)
            })
            .map_err(py_err)?;
        Ok(RegionalGrid { inner })
    }

    /// Writes the grid (with its edits) as a grid file that ``read`` builds
    /// back to the same grid.
    ///
    /// Example:
    ///     >>> import tempfile, os
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> path = os.path.join(tempfile.mkdtemp(), "g.toml")
    ///     >>> g.write(path)
    ///     >>> landlinked.RegionalGrid.read(path).name == g.name
    ///     True
    fn write(&self, path: PathBuf) -> PyResult<()> {
        gridio::write(&self.inner, &path).map_err(py_err)
    }

    /// The grid's name.
    ///
    /// Example:
    ///     >>> landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml").name
    ///     'central_asia'
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The stage built (``None`` if the file has no stages).
    ///
    /// Example:
    ///     >>> landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml", stage="2022").stage
    ///     '2022'
    #[getter]
    fn stage(&self) -> Option<&str> {
        self.inner.stage()
    }

    /// The options switched on.
    ///
    /// Example:
    ///     >>> landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml", stage="2022").options
    ///     []
    #[getter]
    fn options(&self) -> Vec<String> {
        self.inner.options().to_vec()
    }

    /// The grid's network (a copy: later edits do not reach it), ready for
    /// ``DcPowerFlow``.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> landlinked.DcPowerFlow(g.network).solve().islands >= 1
    ///     True
    #[getter]
    fn network(&self) -> Network {
        Network {
            inner: self.inner.network().clone(),
        }
    }

    /// Sets a plant's installed capacity, MW (its available capacity, its
    /// generator and its hydro plant follow).
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> g.set_plant_capacity("Nurek", 3200.0)
    fn set_plant_capacity(&mut self, name: &str, installed_mw: f64) -> PyResult<()> {
        self.inner
            .set_plant_capacity(name, installed_mw)
            .map_err(py_err)
    }

    /// Puts every branch between the buses named ``a`` and ``b`` (either
    /// orientation) in or out of service; returns how many there are.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> g.set_branch_in_service("TJ_NUREK_500", "TJ_REGAR_500", False) >= 1
    ///     True
    fn set_branch_in_service(&mut self, a: &str, b: &str, in_service: bool) -> PyResult<usize> {
        self.inner
            .set_branch_in_service(a, b, in_service)
            .map_err(py_err)
    }

    /// Sets an export corridor's capacity, MW.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> name = g.corridors()["name"][0]
    ///     >>> g.set_corridor_capacity(name, 500.0)
    fn set_corridor_capacity(&mut self, name: &str, capacity_mw: f64) -> PyResult<()> {
        self.inner
            .set_corridor_capacity(name, capacity_mw)
            .map_err(py_err)
    }

    /// Sets the annual energy of a load, GWh (base year); the network's
    /// mean bus loads follow.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> name = g.loads()["name"][0]
    ///     >>> g.set_load_energy(name, 10000.0)
    fn set_load_energy(&mut self, name: &str, annual_gwh: f64) -> PyResult<()> {
        self.inner.set_load_energy(name, annual_gwh).map_err(py_err)
    }

    /// The plants as a DataFrame: ``name``, ``type``, ``bus``, ``country``,
    /// ``installed_mw``, ``available_mw``, ``dispatch_mw``,
    /// ``capacity_factor`` (12 monthly values, or ``None``).
    ///
    /// Example:
    ///     >>> p = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml").plants()
    ///     >>> "Nurek" in set(p["name"])
    ///     True
    fn plants<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let p = self.inner.plants();
        let kinds: Vec<String> = p
            .iter()
            .map(|x| {
                serde_json::to_value(x.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| format!("{:?}", x.kind))
            })
            .collect();
        frame(
            py,
            vec![
                (
                    "name",
                    list(py, p.iter().map(|x| x.name.clone()).collect())?,
                ),
                ("type", list(py, kinds)?),
                ("bus", arr1(py, p.iter().map(|x| x.bus).collect())),
                (
                    "country",
                    list(py, p.iter().map(|x| x.country.clone()).collect())?,
                ),
                (
                    "installed_mw",
                    arr1(py, p.iter().map(|x| x.installed_mw).collect()),
                ),
                (
                    "available_mw",
                    arr1(py, p.iter().map(|x| x.available_mw).collect()),
                ),
                (
                    "dispatch_mw",
                    arr1(py, p.iter().map(|x| x.dispatch_mw).collect()),
                ),
                (
                    "capacity_factor",
                    list(
                        py,
                        p.iter()
                            .map(|x| x.capacity_factor.map(|c| c.to_vec()))
                            .collect(),
                    )?,
                ),
            ],
        )
    }

    /// The loads as a DataFrame: ``name``, ``country``.
    ///
    /// Example:
    ///     >>> len(landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml").loads()) > 0
    ///     True
    fn loads<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let l = self.inner.loads();
        frame(
            py,
            vec![
                (
                    "name",
                    list(py, l.iter().map(|x| x.name.clone()).collect())?,
                ),
                (
                    "country",
                    list(py, l.iter().map(|x| x.country.clone()).collect())?,
                ),
            ],
        )
    }

    /// The export corridors as a DataFrame: ``name``, ``exporter``,
    /// ``importer``, ``capacity_mw``, ``export_months`` (e.g.
    /// ``"May,Jun,Jul"``), ``branches`` (how many branches it crosses),
    /// ``price_usd_per_mwh``, ``transit_fee_usd_per_mwh``,
    /// ``season_cap_gwh``, ``import_capacity_mw``.
    ///
    /// Example:
    ///     >>> c = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml").corridors()
    ///     >>> bool((c["capacity_mw"] > 0).all())
    ///     True
    fn corridors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.inner.corridors();
        let months: Vec<String> = c
            .iter()
            .map(|x| {
                x.export_months
                    .iter()
                    .map(|m| format!("{m:?}"))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        let opt = |f: fn(&landlinked::region::Corridor) -> Option<f64>| {
            arr1(py, c.iter().map(|x| f(x).unwrap_or(f64::NAN)).collect())
        };
        frame(
            py,
            vec![
                (
                    "name",
                    list(py, c.iter().map(|x| x.name.clone()).collect())?,
                ),
                (
                    "exporter",
                    list(py, c.iter().map(|x| x.exporter.clone()).collect())?,
                ),
                (
                    "importer",
                    list(py, c.iter().map(|x| x.importer.clone()).collect())?,
                ),
                (
                    "capacity_mw",
                    arr1(py, c.iter().map(|x| x.capacity_mw).collect()),
                ),
                ("export_months", list(py, months)?),
                (
                    "branches",
                    arr1(py, c.iter().map(|x| x.branches.len()).collect()),
                ),
                ("price_usd_per_mwh", opt(|x| x.trade.price_usd_per_mwh)),
                (
                    "transit_fee_usd_per_mwh",
                    arr1(
                        py,
                        c.iter().map(|x| x.trade.transit_fee_usd_per_mwh).collect(),
                    ),
                ),
                ("season_cap_gwh", opt(|x| x.trade.season_cap_gwh)),
                (
                    "import_capacity_mw",
                    arr1(py, c.iter().map(|x| x.trade.import_capacity_mw).collect()),
                ),
            ],
        )
    }

    /// Pickling: the grid as grid file text (``write``'s), which builds
    /// back to an equal grid; a grid the format cannot hold raises
    /// ``landlinked.Error`` naming the element.
    ///
    /// Example:
    ///     >>> import pickle
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml", stage="casa")
    ///     >>> g.set_plant_capacity("Rogun", 3600.0)
    ///     >>> back = pickle.loads(pickle.dumps(g))
    ///     >>> (back.stage, float(back.plants().set_index("name").loc["Rogun", "available_mw"]))
    ///     ('casa', 3600.0)
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let text = gridio::to_toml_string(&slf.borrow().inner).map_err(py_err)?;
        Ok((slf.get_type().getattr("_from_state")?, (text,)))
    }

    /// Rebuilds a pickled grid (``__reduce__``'s grid file text).
    #[classmethod]
    fn _from_state(_cls: &Bound<'_, pyo3::types::PyType>, state: &str) -> PyResult<RegionalGrid> {
        Ok(RegionalGrid {
            inner: parts::grid_from_toml(state).map_err(py_err)?,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "RegionalGrid({:?}, stage={:?}, {} buses, {} plants, {} corridors)",
            self.inner.name(),
            self.inner.stage(),
            self.inner.network().buses.len(),
            self.inner.plants().len(),
            self.inner.corridors().len()
        )
    }
}
