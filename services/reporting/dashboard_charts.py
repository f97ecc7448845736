"""Chart.js configurations of the dashboard's charts, built from the reports the pages already
hold. Each chart repeats numbers that a table beside it shows, so a page without scripts (or
an old browser) loses nothing but the picture.

Values are exact decimals given as strings by the reports; a chart only draws them, so they
become floats here. "No data" stays ``None`` (a gap, never a zero).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from services.reporting.pages import month_name

Chart = dict[str, Any]
PALETTE: Final = (
    "#0b7a53", "#1f5fa8", "#c26a00", "#7a3fa0", "#b3261e",
    "#2f8f9d", "#6b6b00", "#a0446b", "#4a5a66", "#d48a00",
)  # fmt: skip
IKM_MIN, IKM_MAX = 25, 100
NRR_MIN, NRR_MAX = 1, 4


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _options(*, stacked: bool = False, y_range: tuple[int, int] | None = None) -> dict[str, Any]:
    # Counts are whole numbers: no "0,5 complaints" on the axis.
    value_axis: dict[str, Any] = {
        "beginAtZero": True,
        "stacked": stacked,
        "ticks": {"precision": 0},
    }
    if y_range is not None:
        value_axis.update({"beginAtZero": False, "min": y_range[0], "max": y_range[1], "ticks": {}})
    return {
        "animation": False,  # old PCs, and the same picture every time
        "responsive": True,
        "maintainAspectRatio": False,
        "plugins": {"legend": {"position": "bottom"}},
        "scales": {"x": {"stacked": stacked}, "y": value_axis},
    }


def month_labels(months: Sequence[str]) -> list[str]:
    return [month_name(month) for month in months]


def ikm_by_clinic(rows: Sequence[Mapping[str, Any]]) -> Chart:
    """The district's clinics side by side by IKM (a bar each, none for a clinic without
    respondents)."""
    options = _options(y_range=(IKM_MIN, IKM_MAX))
    options["indexAxis"] = "y"
    options["scales"] = {"x": options["scales"]["y"], "y": {}}
    options["plugins"]["legend"] = {"display": False}
    return {
        "type": "bar",
        "data": {
            "labels": [row["name"] for row in rows],
            "datasets": [
                {
                    "label": "IKM",
                    "data": [_number(row["ikm"]) for row in rows],
                    "backgroundColor": _colour(0),
                }
            ],
        },
        "options": options,
    }


def complaints_by_clinic_and_month(
    months: Sequence[Mapping[str, Any]], clinics: Sequence[tuple[str, str]]
) -> Chart:
    """Complaints received per month, one stacked bar per clinic (code, name)."""
    datasets = [
        {
            "label": name,
            "data": [int(m["by_clinic"].get(code, {}).get("received", 0)) for m in months],
            "backgroundColor": _colour(index),
        }
        for index, (code, name) in enumerate(clinics)
    ]
    return {
        "type": "bar",
        "data": {"labels": month_labels([m["month"] for m in months]), "datasets": datasets},
        "options": _options(stacked=True),
    }


def ikm_by_month(
    months: Sequence[Mapping[str, Any]], clinics: Sequence[tuple[str, str]], overall: str
) -> Chart:
    """IKM per month: the whole scope (``overall`` names it) and, for a district, each clinic."""
    datasets = [
        {
            "label": overall,
            "data": [_number(m["ikm"]) for m in months],
            "borderColor": "#1d2a33",
            "backgroundColor": "#1d2a33",
            "borderWidth": 3,
            "pointRadius": 4,
            "spanGaps": True,
        }
    ]
    for index, (code, name) in enumerate(clinics):
        values = [_number(m["by_clinic"].get(code, {}).get("ikm")) for m in months]
        datasets.append(
            {
                "label": name,
                "data": values,
                "borderColor": _colour(index),
                "backgroundColor": _colour(index),
                "pointRadius": 3,
                "spanGaps": True,
            }
        )
    return {
        "type": "line",
        "data": {"labels": month_labels([m["month"] for m in months]), "datasets": datasets},
        "options": _options(y_range=(IKM_MIN, IKM_MAX)),
    }


def complaints_by_month(
    months: Sequence[Mapping[str, Any]], t: Callable[[str], str] = str
) -> Chart:
    """One clinic's complaints received and closed per month (``t`` translates the legend)."""
    return {
        "type": "bar",
        "data": {
            "labels": month_labels([m["month"] for m in months]),
            "datasets": [
                {
                    "label": t("Diterima"),
                    "data": [m["received"] for m in months],
                    "backgroundColor": _colour(1),
                },
                {
                    "label": t("Selesai"),
                    "data": [m["closed"] for m in months],
                    "backgroundColor": _colour(0),
                },
            ],
        },
        "options": _options(),
    }


def nrr_by_element(elements: Sequence[Mapping[str, Any]]) -> Chart:
    """The value (NRR) of each of the nine elements, on the regulation's 1–4 scale."""
    options = _options(y_range=(NRR_MIN, NRR_MAX))
    options["plugins"]["legend"] = {"display": False}
    return {
        "type": "bar",
        "data": {
            "labels": [f"{e['code']} {e['name']}" for e in elements],
            "datasets": [
                {
                    "label": "NRR",
                    "data": [_number(e["nrr"]) for e in elements],
                    "backgroundColor": _colour(0),
                }
            ],
        },
        "options": options,
    }
