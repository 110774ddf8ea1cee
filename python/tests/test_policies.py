"""Policies written in Python: `sls.run(script, policies={"mine": Mine()})`
with the script naming them. Their decisions are checked against counts
the workload fixes (two functions invoked every 10 s, 20 times each, on
two nodes), their mistakes against `sls.PolicyError`, and their names
against the checker's diagnostics."""

from __future__ import annotations

import pytest

import sls
from conftest import ROOT

#: Two functions invoked every 10 s, 20 times each, on node[1..2], the
#: script of the library's tests (tests/registered_policies.rs).
SCRIPT = (ROOT / "tests" / "registered" / "two_functions.sls").read_text()


def script(choice: str) -> str:
    return SCRIPT.replace("CHOICE", choice)


class Window:
    """Keeps every idle container for a fixed number of seconds, and
    remembers what it was asked."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.asked: list = []

    def keep_alive(self, obs) -> float:
        self.asked.append((obs.function, obs.node, obs.now, obs.prewarmed))
        return self.seconds


class Always:
    """Sends every invocation to one node (an index or a name)."""

    def __init__(self, node) -> None:
        self.node = node
        self.seen: list = []

    def place(self, obs):
        self.seen.append((obs.function, obs.invocation, obs.nodes, list(obs.free_slots)))
        return self.node


def starts(result: sls.Result) -> tuple[int, int]:
    s = result.summary
    return s["cold_starts"], s["warm_starts"]


def test_a_keep_alive_of_zero_starts_every_invocation_cold() -> None:
    never = Window(0)
    result = sls.run(script("keep_alive never"), policies={"never": never})
    assert result.summary["invocations"] == 40
    assert starts(result) == (40, 0)
    # Asked once per invocation, as each container went idle.
    assert len(never.asked) == 40
    assert {f for f, _, _, _ in never.asked} == {"f", "g"}
    assert all(not prewarmed for *_, prewarmed in never.asked)


def test_a_huge_keep_alive_starts_each_function_cold_once() -> None:
    result = sls.run(script("keep_alive forever"), policies={"forever": Window(1e9)})
    assert starts(result) == (2, 38)
    # A function may choose its own: f kept, g not.
    text = script("keep_alive never").replace("image img; limits", "image img; keep_alive forever; limits", 1)
    mixed = sls.run(text, policies={"never": Window(0), "forever": Window(1e9)})
    per_function = {p["name"]: p["cold_starts"] for p in mixed.summary["functions"]}
    assert per_function == {"f": 1, "g": 20}


@pytest.mark.parametrize("node", [1, "node[2]"])
def test_a_placement_choosing_one_node_puts_every_invocation_there(node) -> None:
    always = Always(node)
    result = sls.run(script("scheduler second"), policies={"second": always})
    frame = result.to_pandas()
    assert len(frame) == 40
    assert frame["node"].astype(str).value_counts().to_dict() == {"node[2]": 40}
    assert (frame["status"].astype(str) == "success").all()
    functions, invocations, nodes, free = zip(*always.seen)
    assert set(nodes) == {("node[1]", "node[2]")}
    assert set(functions) == {"f", "g"}
    # Every invocation was asked about (some more than once: a round that
    # only brought the image closer asks again).
    assert set(invocations) == set(range(40))
    assert all(len(f) == 2 for f in free)


class Home:
    """node[2] while it is up, else the first node up."""

    def place(self, obs):
        return next(n for n in [1, *range(len(obs.nodes))] if obs.up[n])


def test_a_placement_sees_which_nodes_are_up() -> None:
    # node[2] fails for good at 95 s, between arrivals (every 10 s from 0).
    text = script("scheduler mine").replace("via l[i]\n", "via l[i]\n  fail host node[2] at 95s\n", 1)
    # Sent to node[2] for ever, the 10 arrivals of each function from
    # 100 s on wait for a node that never comes back.
    # Each function's stuck invocations are a warning, as on the command line.
    with pytest.warns(sls.RunWarning, match="10 invocations of `[fg]` never ran") as caught:
        stuck = sls.run(text, policies={"mine": Always(1)}).to_pandas()
    assert len(caught) == 2
    assert stuck["status"].astype(str).value_counts().to_dict() == {"success": 20, "failure": 20}
    failed = stuck[stuck["status"].astype(str) == "failure"]
    assert set(failed["cause"].astype(str)) == {"not_run"}
    assert failed["submit"].min() == 100
    # Told node[2] is down, the policy falls back to node[1].
    home = sls.run(text, policies={"mine": Home()}).to_pandas()
    assert (home["status"].astype(str) == "success").all()
    on = home.groupby(home["node"].astype(str))["submit"]
    assert on.count().to_dict() == {"node[1]": 20, "node[2]": 20}
    assert on.min()["node[1]"] == 100 and on.max()["node[2]"] == 90


def test_one_object_may_be_both_kinds() -> None:
    class Both(Window, Always):
        def __init__(self) -> None:
            Window.__init__(self, 1e9)
            Always.__init__(self, 0)

    both = Both()
    result = sls.run(script("scheduler mine\n  keep_alive mine"), policies={"mine": both})
    assert starts(result) == (2, 38)
    assert set(result.to_pandas()["node"].astype(str)) == {"node[1]"}


def test_an_exception_in_a_policy_stops_the_run_with_its_name_and_date() -> None:
    class Fails:
        def keep_alive(self, obs) -> float:
            if obs.now > 50:
                raise ZeroDivisionError("division by zero")
            return 0.0

    with pytest.raises(sls.PolicyError) as raised:
        sls.run(script("keep_alive fragile"), policies={"fragile": Fails()})
    error = raised.value
    assert error.policy == "fragile"
    # The first container idle after 50 s: the invocation of 50 s ends at
    # 50 + 1 s (start-up) + 1 s (body), plus the image copy's fraction.
    assert 52 <= error.time < 53
    assert error.message == "`keep_alive` raised ZeroDivisionError: division by zero"
    assert "policy `fragile` failed at" in str(error)


@pytest.mark.parametrize(
    "answer, message",
    [
        (5, "it chose node 5, but the service has 2 (0 to 1)"),
        ("node[9]", "`place` returned `node[9]`, which is no node of the service"),
        (1.5, "`place` returned 1.5, not a node's index (from 0), its name, or None"),
        (True, "`place` returned True, not a node's index (from 0), its name, or None"),
    ],
)
def test_a_placement_answering_no_node_stops_the_run(answer, message: str) -> None:
    with pytest.raises(sls.PolicyError) as raised:
        sls.run(script("scheduler lost"), policies={"lost": Always(answer)})
    assert (raised.value.policy, raised.value.time, raised.value.message) == ("lost", 0.0, message)


@pytest.mark.parametrize(
    "answer, shown",
    [(float("nan"), "NaN"), ("10", "'10'"), (None, "None"), ([1.0], "[1.0]"), (True, "True")],
)
def test_a_keep_alive_answering_no_number_stops_the_run(answer, shown: str) -> None:
    # What it returned is named: it raised nothing itself.
    with pytest.raises(sls.PolicyError) as raised:
        sls.run(script("keep_alive odd"), policies={"odd": Window(answer)})
    assert raised.value.message == f"`keep_alive` returned {shown}, not a number of seconds"


def test_names_are_checked_like_the_built_in_policies() -> None:
    policies = {"forever": Window(1e9)}
    with pytest.raises(sls.DiagnosticError) as near:
        sls.run(script("keep_alive forevr"), policies=policies)
    assert near.value.code == "sls::unknown_choice"
    assert near.value.help == "did you mean `forever`?"
    with pytest.raises(sls.DiagnosticError) as args:
        sls.run(script("keep_alive forever(3)"), policies=policies)
    assert args.value.code == "sls::wrong_arguments"
    # Without the registration, the built-ins alone.
    with pytest.raises(sls.DiagnosticError) as alone:
        sls.run(script("keep_alive forever"))
    assert alone.value.help == "write one of `fixed`, `none` or `hybrid`"


def test_objects_and_names_that_cannot_be_policies_are_refused() -> None:
    with pytest.raises(TypeError, match="neither a `keep_alive"):
        sls.check(script("keep_alive x"), policies={"x": object()})
    with pytest.raises(ValueError, match="built-in"):
        sls.check(script("keep_alive fixed"), policies={"fixed": Window(1)})
    with pytest.raises(ValueError, match="cannot name"):
        sls.check(script("keep_alive x"), policies={"two words": Window(1)})
    program = sls.check(script("keep_alive kept"), policies={"kept": Window(1e9)})
    with pytest.raises(ValueError, match="checked already"):
        sls.run(program, policies={"kept": Window(1e9)})
    # A checked program runs with the policies it was checked with.
    assert starts(sls.run(program)) == (2, 38)


def test_a_policy_written_in_the_script_that_fails_points_at_its_expression() -> None:
    written = "keep_alive broken { idle 10min / count(idle_times(function, 1h)) }\n"
    with pytest.raises(sls.PolicyError) as raised:
        sls.run(written + script("keep_alive broken"))
    error = raised.value
    assert error.policy == "broken"
    # The first container goes idle before any idle time is known: the
    # count is 0 at its first end.
    assert error.time > 0
    assert "divides by zero" in error.message
    # The division, on the first line, after `keep_alive broken { idle `.
    assert (error.line, error.column) == (1, 26)
    assert error.rendered is not None and "this expression" in error.rendered
    assert "divides by zero" in str(error)


def test_a_policy_written_in_python_has_no_place_in_the_script() -> None:
    class Fails:
        def keep_alive(self, obs) -> float:
            raise ValueError("no")

    with pytest.raises(sls.PolicyError) as raised:
        sls.run(script("keep_alive fragile"), policies={"fragile": Fails()})
    assert (raised.value.file, raised.value.line, raised.value.column) == (None, None, None)
