"""bulletin.rules.distribution: lists − remove + add + extra, grouped by role; copies (共印)."""
import pytest

from bulletin.model.files import DistributionSpec, RecipientDirectory
from bulletin.rules.distribution import ROLES, resolve


@pytest.fixture
def directory():
    return RecipientDirectory.model_validate({
        "recipients": [
            {"id": "prov", "name": "省政府办公厅", "role": "报", "copies": 2},
            {"id": "city", "name": "市委办公室", "role": "报"},
            {"id": "dept_a", "name": "市发展改革委", "role": "送"},
            {"id": "dept_b", "name": "市财政局", "role": "送", "copies": 3},
            {"id": "county", "name": "各县区政府", "role": "发", "copies": 10},
            {"id": "press", "name": "市融媒体中心", "role": "发"},
        ],
        "lists": {
            "default": ["prov", "city", "dept_a", "county"],
            "internal": ["dept_a", "dept_b"],
        },
    })


def spec(**kw):
    return DistributionSpec.model_validate(kw)


def ids(dist):
    return [r.id for r in dist.recipients]


def test_default_list_used_when_issue_names_none(directory):
    dist, problems = resolve(spec(), directory)
    assert problems == []
    assert ids(dist) == ["prov", "city", "dept_a", "county"]


def test_named_lists_replace_default(directory):
    dist, problems = resolve(spec(lists=["internal"]), directory)
    assert problems == []
    assert ids(dist) == ["dept_a", "dept_b"]


def test_several_lists_are_united_once_each(directory):
    dist, _ = resolve(spec(lists=["default", "internal"]), directory)
    assert ids(dist) == ["prov", "city", "dept_a", "dept_b", "county"]


def test_remove_and_add(directory):
    dist, problems = resolve(spec(remove=["city", "county"], add=["press", "dept_b"]), directory)
    assert problems == []
    assert ids(dist) == ["prov", "dept_a", "dept_b", "press"]


def test_add_of_an_already_listed_recipient_prints_it_once(directory):
    dist, _ = resolve(spec(add=["prov", "prov"]), directory)
    assert ids(dist).count("prov") == 1


def test_remove_then_add_order(directory):
    dist, _ = resolve(spec(remove=["city"], add=["city"]), directory)
    assert "city" in ids(dist)


def test_grouped_by_role_in_directory_order(directory):
    dist, _ = resolve(spec(lists=["internal"], add=["press", "prov", "county"]), directory)
    assert [r.id for r in dist.by_role["报"]] == ["prov"]
    assert [r.id for r in dist.by_role["送"]] == ["dept_a", "dept_b"]
    assert [r.id for r in dist.by_role["发"]] == ["county", "press"]
    assert set(dist.by_role) == set(ROLES)


def test_extra_lines_are_kept_in_order(directory):
    dist, _ = resolve(spec(extra=["省委督查室", "市人大办公室"]), directory)
    assert dist.extra == ["省委督查室", "市人大办公室"]


def test_no_default_list_means_nobody(directory):
    directory.lists.pop("default")
    dist, problems = resolve(spec(), directory)
    assert problems == [] and ids(dist) == []


def test_unknown_list_is_a_problem_with_key_path(directory):
    dist, problems = resolve(spec(lists=["default", "interal"]), directory)
    assert [p[0] for p in problems] == [("distribution", "lists", 1)]
    assert "'interal'" in problems[0][1]
    assert problems[0][2] == "did you mean 'internal'?"
    assert ids(dist) == ["prov", "city", "dept_a", "county"]  # the known list still counts


def test_unknown_ids_in_add_and_remove(directory):
    dist, problems = resolve(spec(add=["dept_c"], remove=["cty"]), directory)
    assert [p[0] for p in problems] == [("distribution", "add", 0), ("distribution", "remove", 0)]
    assert "'dept_c'" in problems[0][1]
    assert "'cty'" in problems[1][1]
    assert problems[1][2] == "did you mean 'city'?"
    assert "dept_c" not in ids(dist)


def test_copies_sum_recipients_extra_and_archive(directory):
    # default: prov 2 + city 1 + dept_a 1 + county 10 = 14; two extra lines; 5 archive copies
    dist, _ = resolve(spec(extra=["甲单位", "乙单位"]), directory, archive_copies=5)
    assert dist.recipient_copies == 16
    assert dist.copies == 21


def test_copies_after_add_and_remove(directory):
    # default − county(10) + dept_b(3) = 2 + 1 + 1 + 3 = 7
    dist, _ = resolve(spec(remove=["county"], add=["dept_b"]), directory, archive_copies=0)
    assert dist.copies == 7


def test_copies_override_wins(directory):
    dist, _ = resolve(spec(extra=["甲"]), directory, archive_copies=5, copies_override=200)
    assert dist.copies == 200
    assert dist.recipient_copies == 15  # what is sent out is still computed


def test_empty_directory():
    dist, problems = resolve(spec(extra=["甲"]), RecipientDirectory(), archive_copies=3)
    assert problems == []
    assert ids(dist) == [] and dist.copies == 4
