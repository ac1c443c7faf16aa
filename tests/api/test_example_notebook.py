"""docs/notebooks/iij.ipynb runs from top to bottom and answers what the releases say.

The notebook is executed in a fresh kernel (nbclient, ipykernel) and its outputs are
read: IIJ held 3,996 of IIJ Exlayer's 4,000 shares (99.9%) on 2013-12-31 (2013-11-07
release, 2 (3) note 1); IIJ Exlayer and IIJ Exlayer USA end on 2014-01-01, IIJ
Technology and IIJ Financial Systems on 2010-04-01 (2010-02-04 slides); Koichi Suzuki
holds 3.86% of IIJ himself and 1.73% through KS Holdings (2013-09-30 register, table
4 (10) and note 2). The notebook is kept without outputs (CI makes them), and executed,
with its three pictures, it stays under 1 MB.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOK = Path(__file__).parents[2] / "docs" / "notebooks" / "iij.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    folder = tmp_path_factory.mktemp("notebook")
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": folder}}
    )
    client.execute()
    return notebook


def outputs(notebook):
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def printed(notebook) -> str:
    return "".join(o.text for o in outputs(notebook) if o.output_type == "stream")


def shown(notebook, mime: str) -> list[str]:
    return [o.data[mime] for o in outputs(notebook) if mime in o.get("data", {})]


def test_the_notebook_is_kept_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_the_notebook_runs_without_an_error(executed):
    assert not [o for o in outputs(executed) if o.output_type == "error"]
    assert "stderr" not in {o.get("name") for o in outputs(executed)}


def test_who_owned_iij_exlayer_the_day_before_the_merger(executed):
    assert "IIJ held 3,996 of 4,000 IIJ Exlayer shares (99.9%) on 2013-12-31" in printed(executed)
    owners = shown(executed, "text/plain")[0]
    assert "Other shareholders of IIJ Exlayer Inc." in owners and "3996" in owners


def test_what_changed_on_2014_01_01(executed):
    text = printed(executed)
    assert "ended: IIJ Exlayer Inc., IIJ Exlayer USA LLC" in text
    assert "Other shareholders of IIJ Exlayer Inc. -> Internet Initiative Japan Inc." in text


def table_rows(html: str, width: int) -> dict[str, list[str]]:
    """The rows of an HTML table of ``width`` cells, by the text of their first cell."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        if len(cells) == width:
            rows[cells[0]] = cells[1:]
    return rows


def test_the_consolidation_paths_before_and_after_both_mergers(executed):
    (html,) = [t for t in shown(executed, "text/html") if "2010-03-31" in t]
    rows = table_rows(html, 5)
    iij = "Internet Initiative Japan Inc. → "
    gone = "dissolved"
    assert rows["IIJ Technology"] == [iij + "IIJ Technology Inc.", gone, gone, gone]
    assert rows["IIJ Financial Systems"] == [iij + "IIJ Financial Systems Inc.", gone, gone, gone]
    assert rows["IIJ Exlayer"][2:] == [iij + "IIJ Exlayer Inc.", gone]
    assert rows["IIJ Exlayer USA"][2:] == [iij + "IIJ Exlayer Inc. → IIJ Exlayer USA LLC", gone]
    assert rows["IIJ America"][2:] == [iij + "IIJ America Inc.", iij + "IIJ America Inc."]


def test_effective_ownership_over_three_days(executed):
    (html,) = [t for t in shown(executed, "text/html") if "Koichi Suzuki" in t]
    rows = table_rows(html, 5)
    assert rows["Koichi Suzuki"] == ["Internet Initiative Japan Inc.", "5.59", "5.59", "5.59"]
    assert rows["KS Holdings"] == ["Internet Initiative Japan Inc.", "1.73", "1.73", "1.73"]
    assert rows["Internet Initiative Japan Inc."] == ["IIJ Exlayer Inc.", "99.90", "99.90", "NaN"]


def test_three_pictures_and_the_whole_notebook_under_a_megabyte(executed):
    pictures = shown(executed, "image/svg+xml")
    assert len(pictures) == 3
    views = [t for t in shown(executed, "text/plain") if t.startswith("<View ")]
    assert views == [
        "<View 'Internet Initiative Japan Inc. group: changes from 2013-12-31 to 2014-01-01': "
        "13 entities, 14 holdings>",
        "<View 'Consolidation paths to IIJ Exlayer USA LLC on 2013-12-31': "
        "13 entities, 13 holdings>",
        "<View 'Internet Initiative Japan Inc. group on 2014-01-01': 11 entities, 11 holdings>",
    ]
    images = [h for h in shown(executed, "text/html") if h.startswith("<img ")]
    assert len(images) == 3 and all('src="data:image/svg+xml;base64,' in h for h in images)
    assert len(nbformat.writes(executed).encode("utf-8")) < 1_000_000


def test_the_unknown_name_suggests_the_right_one(executed):
    assert "'IIJ Exlyer' is unknown; did you mean 'IIJ Exlayer'?" in printed(executed)
