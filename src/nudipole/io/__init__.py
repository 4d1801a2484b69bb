"""Input/output of reach results (JSON)."""

from nudipole.io.results import (
    load_csv,
    load_json,
    load_result,
    result_to_dict,
    save_csv,
    save_json,
    to_csv,
    write_atomic,
)

__all__ = [
    "load_csv",
    "load_json",
    "load_result",
    "result_to_dict",
    "save_csv",
    "save_json",
    "to_csv",
    "write_atomic",
]
