"""An issued calibration record of an instrument, and its institution's signing key."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jiliang import dcc
from jiliang.calibration import certificates
from jiliang.cli import keystore
from tests import factories
from tests.calibration import builders as b

D = Decimal


@pytest.fixture(scope="session")
def key_material() -> dcc.KeyMaterial:
    return dcc.generate_key("Test Calibration Laboratory", organization="Jiliang tests", country="CN")


@pytest.fixture
def keys_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JILIANG_DATA_DIR", str(tmp_path))
    return tmp_path / "keys"


@pytest.fixture
def issued(keys_dir, key_material):
    """An issued record (two points, traced to an examined standard) whose issuer has a key."""
    nmi = b.lab(kind="nmi")
    std = b.examined_standard()
    std_cert = b.issued(nmi, std, [{"standard": b.primary()}], [b.point(expanded_uncertainty=D("0.02"))])
    at = b.lab()
    record = b.issued(
        at,
        factories.instrument(),
        [{"standard": std, "certificate": std_cert}],
        [
            b.point(),
            b.point(nominal_value=D("20"), measured_value=D("20.35"), expanded_uncertainty=D("0.40")),
        ],
        decision_rule="simple",
    )
    keystore.add(certificates.key_name(record), key_material, new=True)
    return record
