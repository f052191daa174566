"""The order the xdist workers get the tests in: each starts with its share of the slow ones."""

from __future__ import annotations

from tests import slow_first


def test_each_worker_starts_with_its_share_of_the_slow_tests_and_none_is_lost() -> None:
    ids = [f"t{i}" for i in range(20)]
    seconds = {"t19": 30.0, "t18": 20.0, "t3": 12.0, "t7": 9.0, "t11": 8.0}
    order = slow_first.spread(ids, ids, seconds, workers=2)
    assert sorted(order) == sorted(ids)  # every test once
    first, second = order[:10], order[10:]  # worksteal hands out 10 and 10
    # slowest first, each to the worker with the least slow time so far: 30 + 9 and 20 + 12 + 8
    assert first[:2] == ["t19", "t7"]
    assert second[:3] == ["t18", "t3", "t11"]
    assert [sum(seconds.get(t, 0) for t in share) for share in (first, second)] == [39, 40]
    # the rest keep the files' order
    rest = [t for t in order if t not in seconds]
    assert rest == [t for t in ids if t not in seconds]


def test_the_shares_are_the_ones_worksteal_hands_out() -> None:
    assert slow_first.shares(10, 4) == [2, 2, 3, 3]
    assert sum(slow_first.shares(1285, 4)) == 1285


def test_durations_lines_are_read_as_seconds_per_test() -> None:
    text = (
        "12.50s call     tests/unit/test_a.py::test_x[plain-120]\n"
        "2.00s setup    tests/unit/test_a.py::test_x[plain-120]\n"
        "0.50s call     tests/ui/test_b.py::TestC::test_y\n"
    )
    assert slow_first.from_durations(text) == {
        "tests/unit/test_a.py::test_x[plain-120]": 14.5,
        "tests/ui/test_b.py::TestC::test_y": 0.5,
    }


def test_every_recorded_test_still_exists() -> None:
    for test_id in slow_first.recorded():
        path = test_id.split("::")[0]
        assert (slow_first.RECORDED.parent.parent / path).exists(), test_id
