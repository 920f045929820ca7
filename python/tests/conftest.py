"""Shared fixtures: paths are relative to the repository root."""

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch):
    # Docstring examples and tests name bundled files as `grids/...`.
    monkeypatch.chdir(ROOT)


def env_dir(var):
    value = os.environ.get(var)
    if value and os.path.isdir(value):
        return pathlib.Path(value)
    return None
