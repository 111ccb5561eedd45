"""The rate limit keys on the client behind trusted proxies only (issue 6 item 4:
``JILIANG_TRUSTED_PROXIES``; X-Forwarded-For is believed only from a trusted peer)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from jiliang.certificates.ratelimit import client_address
from jiliang.errors import InvalidInput

API = "/api/certificates/verify/"
PROXIES = ["10.0.0.1", "192.168.5.0/24", "2001:db8::/32"]


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address("203.0.113.7", "198.51.100.1", []) == "203.0.113.7"


def test_an_untrusted_peer_cannot_choose_its_address():
    assert client_address("203.0.113.7", "198.51.100.1", PROXIES) == "203.0.113.7"


def test_a_trusted_proxy_gives_the_forwarded_client():
    assert client_address("10.0.0.1", "198.51.100.1", PROXIES) == "198.51.100.1"


def test_forged_entries_left_of_the_real_client_are_not_read():
    # the client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address
    assert client_address("10.0.0.1", "1.2.3.4, 198.51.100.1", PROXIES) == "198.51.100.1"


def test_chains_of_trusted_proxies_are_walked_from_the_right():
    assert client_address("10.0.0.1", "198.51.100.1, 192.168.5.9", PROXIES) == "198.51.100.1"
    # only proxies on the path: the furthest believable one stands for the client
    assert client_address("10.0.0.1", "2001:db8::5, 192.168.5.9", PROXIES) == "2001:db8::5"
    assert client_address("10.0.0.1", "[2001:db9::1]:443, 192.168.5.9:80", PROXIES) == "2001:db9::1"


def test_a_garbled_entry_stops_the_walk():
    assert client_address("10.0.0.1", "198.51.100.1, junk", PROXIES) == "10.0.0.1"


def test_a_bad_trusted_proxy_setting_names_the_variable():
    with pytest.raises(InvalidInput) as caught:
        client_address("10.0.0.1", "198.51.100.1", ["10.0.0.0/33"])
    assert caught.value.field == "JILIANG_TRUSTED_PROXIES"


@pytest.fixture
def limited(settings):
    cache.clear()
    settings.JILIANG_VERIFY_RATE_LIMIT = 2
    settings.JILIANG_TRUSTED_PROXIES = ["10.0.0.1"]
    yield
    cache.clear()


def _get(client, remote: str, forwarded: str | None = None) -> int:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.get(API, {"number": "X"}, **extra).status_code


@pytest.mark.django_db
def test_clients_behind_the_proxy_have_their_own_limits(client, limited):
    assert [_get(client, "10.0.0.1", "198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert _get(client, "10.0.0.1", "198.51.100.2") == 200  # another client, same proxy


@pytest.mark.django_db
def test_a_direct_client_cannot_reset_its_limit_with_the_header(client, limited):
    codes = [_get(client, "203.0.113.7", f"198.51.100.{i}") for i in range(3)]
    assert codes == [200, 200, 429]
