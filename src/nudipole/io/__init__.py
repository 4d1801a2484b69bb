"""Input/output of reach results (JSON)."""

from nudipole.io.results import load_json, result_to_dict, save_json, write_atomic

__all__ = ["load_json", "result_to_dict", "save_json", "write_atomic"]
