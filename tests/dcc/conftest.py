from __future__ import annotations

import pytest

from jiliang.dcc import KeyMaterial, generate_key


@pytest.fixture(scope="session")
def ec_key() -> KeyMaterial:
    return generate_key("Test Laboratory", organization="Jiliang tests", country="CN")


@pytest.fixture(scope="session")
def other_key() -> KeyMaterial:
    return generate_key("Impostor Laboratory")
